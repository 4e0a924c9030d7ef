// SLO persistence on both backends (issue 14): versions, the change log, statuses, and two replicas
// writing the same SLO at once.
import type { Slo } from '@vigil/core';
import { describeEachStore } from '../testing/storeBackends';
import { sharedStoreDb, type SharedStoreDb } from '../testing/sharedStoreDb';
import type { Store } from './store';

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

describeEachStore('SLO store', (suite) => {
  let store: Store;
  let shared: SharedStoreDb | undefined;
  beforeEach(async () => {
    store = await suite.open();
  });
  afterEach(async () => {
    await shared?.close();
    shared = undefined;
  });

  const changes = async (id: string) =>
    (await store.listChanges('slo', id)).map((c) => ({ user: c.user, action: c.action, at: c.at })).reverse();

  it('creates, updates and deletes with versions and the user recorded in the change log', async () => {
    const created = await store.putSlo(slo('api'), 'alice', 1000, 0);
    expect(created).toEqual({
      id: 'api',
      slo: slo('api'),
      version: 1,
      createdBy: 'alice',
      updatedBy: 'alice',
      createdAt: 1000,
      updatedAt: 1000,
    });
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
    expect(await changes('api')).toEqual([
      { user: 'alice', action: 'create', at: 1000 },
      { user: 'bob', action: 'update', at: 2000 },
      { user: 'carol', action: 'delete', at: 3000 },
    ]);
    expect((await store.listChanges('slo', 'api'))[0].detail).toEqual(slo('api', 99.5));
  });

  it('upserts without an expected version', async () => {
    expect(await store.putSlo(slo('b'), 'alice', 1000)).toMatchObject({ version: 1, createdBy: 'alice' });
    expect(await store.putSlo(slo('b', 99), 'bob', 2000)).toMatchObject({
      version: 2,
      createdBy: 'alice',
      createdAt: 1000,
      updatedBy: 'bob',
    });
    expect((await changes('b')).map((c) => c.action)).toEqual(['create', 'update']);
    await store.putSlo(slo('a'), 'alice', 1000);
    expect((await store.listSlos()).map((r) => [r.id, r.version])).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
  });

  it('refuses a create over an existing SLO and an update from a stale version, writing nothing', async () => {
    await store.putSlo(slo('api'), 'alice', 1000, 0);
    await expect(store.putSlo(slo('api'), 'bob', 2000, 0)).rejects.toMatchObject({
      code: 'conflict',
      status: 409,
      message: 'SLO "api" already exists',
    });
    await expect(store.putSlo(slo('api'), 'bob', 2000, 5)).rejects.toThrow(/at version 1, not 5/);
    await expect(store.putSlo(slo('nope'), 'bob', 2000, 1)).rejects.toThrow(/"nope" does not exist/);
    expect((await store.getSlo('api'))?.version).toBe(1);
    expect(await changes('api')).toHaveLength(1);
    expect(await changes('nope')).toEqual([]);
  });

  it('lets exactly one of two replicas updating the same version win', async () => {
    shared = await sharedStoreDb(suite);
    const [a, b] = [await shared.open(), await shared.open()];
    await a.putSlo(slo('api'), 'alice', 1000, 0);
    for (let v = 1; v <= 5; v++) {
      const results = await Promise.allSettled([
        a.putSlo(slo('api', 99 + v / 10), 'alice', 1000 + v, v),
        b.putSlo(slo('api', 98 + v / 10), 'bob', 1000 + v, v),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject({
        status: 409,
      });
    }
    expect((await b.getSlo('api'))?.version).toBe(6);
    expect(await b.listChanges('slo', 'api')).toHaveLength(6);
  });

  it('keeps the latest status per SLO, and none for a deleted SLO', async () => {
    await store.putSlo(slo('a'), 'alice', 1000);
    await store.putSlo(slo('b'), 'alice', 1000);
    await store.putSloStatuses([
      { sloId: 'a', evaluatedAt: 10, status: { budget: { remaining: 0.5 } }, error: null },
      { sloId: 'b', evaluatedAt: 10, status: null, error: 'query Prometheus: timeout' },
    ]);
    await store.putSloStatuses([
      { sloId: 'a', evaluatedAt: 15, status: { budget: { remaining: 0.45 } }, error: null },
      { sloId: 'a', evaluatedAt: 20, status: { budget: { remaining: 0.4 } }, error: null },
    ]);
    const st = await store.sloStatuses();
    expect(st.get('a')).toEqual({ sloId: 'a', evaluatedAt: 20, status: { budget: { remaining: 0.4 } }, error: null });
    expect(st.get('b')).toMatchObject({ status: null, error: 'query Prometheus: timeout' });
    await store.deleteSlo('a', 'alice', 30);
    await store.putSloStatuses([{ sloId: 'a', evaluatedAt: 40, status: {}, error: null }]);
    await store.putSloStatuses([]);
    expect([...(await store.sloStatuses()).keys()]).toEqual(['b']);
    expect((await store.listSlos()).map((r) => r.id)).toEqual(['b']);
  });

  it('never keeps the status of an SLO deleted while it is written (two replicas)', async () => {
    shared = await sharedStoreDb(suite);
    const [a, b] = [await shared.open(), await shared.open()];
    for (let i = 0; i < 10; i++) {
      await a.putSlo(slo(`s${i}`), 'alice', 1000, 0);
      await Promise.all([
        a.putSloStatuses([{ sloId: `s${i}`, evaluatedAt: 1, status: {}, error: null }]),
        b.deleteSlo(`s${i}`, 'bob', 2000),
      ]);
    }
    expect((await a.sloStatuses()).size).toBe(0);
  });
});
