// HA on a SQLite store (one process, always the leader): the health report and /metrics say so, and
// the leader-only writes of the engines are refused once a replica no longer leads (fence.ts).
import { startTestServer, type TestServer } from '../testing/fixtures';
import type { HealthReport } from '../api/health';
import { openSqliteStore } from '../store/sqlite';
import { fencedStore, LEADER_WRITES } from './fence';

let srv: TestServer | undefined;
afterEach(async () => {
  await srv?.stop();
  srv = undefined;
});

test('health and /metrics name this replica as the leader (SQLite: term 1)', async () => {
  srv = await startTestServer({ server: { port: 0 }, ha: { replicaId: 'replica-a' } });
  const body = (await (await srv.call('/api/v1/monitoring/health')).json()) as HealthReport;
  expect(body.ha).toEqual({
    replicaId: 'replica-a',
    leader: true,
    leaderId: 'replica-a',
    term: 1,
    leaseAgeSeconds: expect.any(Number),
    changes: 1,
  });
  const metrics = await (await srv.call('/metrics', { token: null })).text();
  expect(metrics).toContain('vigil_ha_leader{replica="replica-a"} 1');
  expect(metrics).toContain('vigil_ha_term{replica="replica-a"} 1');
  expect(metrics).toMatch(/^vigil_ha_lease_age_seconds\{replica="replica-a"\} [\d.e-]+$/m);
  expect(metrics).toContain('vigil_ha_leadership_changes_total{replica="replica-a"} 1');
  // An anonymous probe still sees the status alone.
  expect(await (await srv.call('/api/v1/monitoring/health', { token: null })).json()).toEqual({ status: 'healthy' });
});

test('a bad ha section stops the process with the key path', async () => {
  await expect(startTestServer({ server: { port: 0 }, ha: { leaseMs: 1000, renewMs: 900 } })).rejects.toThrow(
    /ha\.renewMs/
  );
});

test('the fence refuses the leader-only writes, and only them, once leadership is lost', async () => {
  const store = openSqliteStore({ path: ':memory:' });
  let leading = true;
  const fenced = fencedStore(store, () => (leading ? { name: 'evaluation', holder: 'r1', term: 3 } : null));
  await expect(fenced.pruneNotify(0)).resolves.toMatchObject({ groups: 0, notifications: 0 });
  leading = false;
  for (const key of LEADER_WRITES) {
    const call = (fenced[key] as (...a: unknown[]) => Promise<unknown>)();
    await expect(call).rejects.toMatchObject({ code: 'not_leader', status: 503, retryable: true });
  }
  // Reads, the API's writes and the outbox worker's pass through.
  expect(await fenced.listRules()).toEqual([]);
  await fenced.setSetting('k', 1);
  expect(await fenced.getSetting('k')).toBe(1);
  expect(fenced.type).toBe('sqlite');
  await store.close();
});
