import Database from 'better-sqlite3';
import type { Slo } from '@vigil/core';
import { MIGRATIONS } from './migrations';
import { migrate } from './sqlite';
import { sqliteSloStore } from './sqliteSlos';
import type { SloStore } from './sloStore';

const DAY = 86_400_000;
const slo = (id: string, target = 99.9): Slo => ({
  id,
  name: id,
  description: '',
  service: 'api',
  target,
  sli: { kind: 'ratio', language: 'promql', bad: 'sum(increase(e[$__range]))', total: 'sum(increase(t[$__range]))' },
  datasource: 'prom',
  window: { kind: 'rolling', durationMs: 30 * DAY },
  measurementWindowMs: 300_000,
  minEvents: 0,
  alerting: { page: true, ticket: true },
  labels: {},
});

describe('sqliteSloStore', () => {
  let db: Database.Database;
  let store: SloStore;
  beforeEach(() => {
    db = new Database(':memory:');
    migrate(db, MIGRATIONS);
    store = sqliteSloStore(() => db);
  });
  afterEach(() => db.close());

  const changes = () =>
    db.prepare("SELECT user_name, action, object_id FROM changes WHERE object_type = 'slo' ORDER BY id").all();

  it('creates, updates and deletes with versions and the user recorded in the change log', async () => {
    const created = await store.putSlo(slo('api'), 'alice', 1000, 0);
    expect(created).toMatchObject({ id: 'api', version: 1, createdBy: 'alice', updatedBy: 'alice', createdAt: 1000 });
    const updated = await store.putSlo(slo('api', 99.5), 'bob', 2000, 1);
    expect(updated).toMatchObject({
      version: 2,
      createdBy: 'alice',
      updatedBy: 'bob',
      createdAt: 1000,
      updatedAt: 2000,
    });
    expect((await store.getSlo('api'))?.slo.target).toBe(99.5);
    expect(await store.deleteSlo('api', 'carol', 3000)).toBe(true);
    expect(await store.deleteSlo('api', 'carol', 3000)).toBe(false);
    expect(await store.getSlo('api')).toBeNull();
    expect(changes()).toEqual([
      { user_name: 'alice', action: 'create', object_id: 'api' },
      { user_name: 'bob', action: 'update', object_id: 'api' },
      { user_name: 'carol', action: 'delete', object_id: 'api' },
    ]);
  });

  it('refuses a create over an existing SLO and an update from a stale version, writing nothing', async () => {
    await store.putSlo(slo('api'), 'alice', 1000, 0);
    await expect(store.putSlo(slo('api'), 'bob', 2000, 0)).rejects.toMatchObject({
      status: 409,
      message: 'SLO "api" already exists',
    });
    await expect(store.putSlo(slo('api'), 'bob', 2000, 5)).rejects.toThrow(/at version 1, not 5/);
    await expect(store.putSlo(slo('nope'), 'bob', 2000, 1)).rejects.toThrow(/"nope" does not exist/);
    expect((await store.getSlo('api'))?.version).toBe(1);
    expect(changes()).toHaveLength(1);
  });

  it('keeps the latest status per SLO, and none for a deleted SLO', async () => {
    await store.putSlo(slo('a'), 'alice', 1000);
    await store.putSlo(slo('b'), 'alice', 1000);
    await store.putSloStatuses([
      { sloId: 'a', evaluatedAt: 10, status: { budget: { remaining: 0.5 } }, error: null },
      { sloId: 'b', evaluatedAt: 10, status: null, error: 'query Prometheus: timeout' },
    ]);
    await store.putSloStatuses([{ sloId: 'a', evaluatedAt: 20, status: { budget: { remaining: 0.4 } }, error: null }]);
    const st = await store.sloStatuses();
    expect(st.get('a')).toEqual({ sloId: 'a', evaluatedAt: 20, status: { budget: { remaining: 0.4 } }, error: null });
    expect(st.get('b')).toMatchObject({ status: null, error: 'query Prometheus: timeout' });
    await store.deleteSlo('a', 'alice', 30);
    await store.putSloStatuses([{ sloId: 'a', evaluatedAt: 40, status: {}, error: null }]);
    expect([...(await store.sloStatuses()).keys()]).toEqual(['b']);
    expect((await store.listSlos()).map((r) => r.id)).toEqual(['b']);
  });
});
