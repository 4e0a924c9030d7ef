// A real sidecar process on a real PostgreSQL (issue 14), configured as an operator would: `store.type:
// postgres`, the URL without a password and the password in a file. A rule and an SLO created through
// the API read back; the rule evaluates against a real Prometheus and fires; a graceful restart and a
// kill -9 restart keep the rule, the SLO, the Firing instance (same firedAt) and its one firing event.
// The password appears in no log line and no API answer.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AlertView } from '@vigil/core';
import {
  remoteWrite,
  startPostgres,
  startPrometheus,
  waitFor,
  type PostgresHandle,
  type PrometheusHandle,
} from '../../../../test/harness';
import { sidecarFetch, startSidecar, type SidecarHandle } from '../../../../test/harness/sidecar';

jest.setTimeout(180_000);

const METRIC = 'vigil_pg_it_temperature';

let pg: PostgresHandle;
let prom: PrometheusHandle;
let dir: string;
let sidecar: SidecarHandle | undefined;

beforeAll(async () => {
  [pg, prom] = await Promise.all([startPostgres(), startPrometheus({ remoteWrite: true })]);
  const now = Date.now();
  // Samples every second from a minute ago to ten minutes ahead: room a over the threshold.
  const samples = Array.from({ length: 661 }, (_, i) => ({ timestamp: now - 60_000 + i * 1000, value: 90 }));
  await remoteWrite(prom.url, [{ labels: { __name__: METRIC, room: 'a' }, samples }]);
  dir = mkdtempSync(join(tmpdir(), 'vigil-pg-sidecar-'));
}, 120_000);

afterAll(async () => {
  await sidecar?.stop(2000);
  await Promise.all([prom?.stop(), pg?.stop()]);
  if (dir) {
    rmSync(dir, { recursive: true, force: true });
  }
});

async function start(): Promise<SidecarHandle> {
  sidecar = await startSidecar({
    dir,
    store: { type: 'postgres', url: pg.urlWithoutPassword, passwordFile: pg.passwordFile, poolSize: 4 },
    config: {
      log: { level: 'info' },
      datasources: [{ name: 'prometheus', type: 'prometheus', url: prom.url }],
      // One replica: the same id after a kill -9 takes its own lease back without waiting it out.
      ha: { replicaId: 'pg-it-1', leaseMs: 3000 },
    },
  });
  return sidecar;
}

const rule = {
  id: 'hot-room',
  name: 'Hot room',
  severity: 'critical',
  datasource: 'prometheus',
  query: METRIC,
  condition: { kind: 'threshold', op: '>', threshold: 50 },
  for: '0s',
  interval: '1s',
  annotations: { summary: 'room {{ $labels.room }} at {{ $value }}' },
};

const slo = {
  id: 'checkout',
  name: 'checkout availability',
  service: 'api',
  target: 99.9,
  sli: { ratio: { bad: `sum(increase(${METRIC}[$__range]))`, total: `sum(increase(${METRIC}[$__range]))` } },
  datasource: 'prometheus',
};

async function firing(sc: SidecarHandle, after = 0): Promise<AlertView> {
  let last: unknown;
  try {
    return await waitFor(
      'hot-room firing and evaluated',
      async () => {
        const res = await sidecarFetch<{ alerts: AlertView[] }>(sc, '/api/v1/alerts');
        last = res.body;
        return res.body.alerts?.find((a) => a.ruleId === 'hot-room' && a.state === 'firing' && a.lastEvalAt >= after);
      },
      60_000,
      200
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}; alerts: ${JSON.stringify(last)}; log:\n${sc.logs().slice(-4000)}`);
  }
}

async function firingEvents(sc: SidecarHandle, fingerprint: string): Promise<unknown[]> {
  const q = new URLSearchParams({ kind: 'alert', seriesKey: fingerprint, from: '0' });
  const res = await sidecarFetch<{ events: Array<{ metadata: { event?: string } }> }>(sc, `/api/v1/events?${q}`);
  expect(res.status).toBe(200);
  return res.body.events.filter((e) => e.metadata.event === 'firing');
}

/** What the API says of the rule and the SLO (their stored parts). */
async function readBack(sc: SidecarHandle): Promise<unknown> {
  const r = await sidecarFetch<Record<string, unknown>>(sc, '/api/v1/rules/hot-room');
  const s = await sidecarFetch<Record<string, unknown>>(sc, '/api/v1/slos/checkout');
  expect([r.status, s.status]).toEqual([200, 200]);
  return {
    rule: { id: r.body.id, query: r.body.query, version: r.body.version },
    slo: { id: s.body.id, target: s.body.target, version: s.body.version },
  };
}

test('a sidecar on PostgreSQL keeps rules, SLOs and alert state across restarts', async () => {
  let sc = await start();
  const health = await sidecarFetch<{ store: unknown }>(sc, '/api/v1/monitoring/health');
  expect(health.body.store).toMatchObject({ type: 'postgres', ok: true });

  expect((await sidecarFetch(sc, '/api/v1/rules', { method: 'POST', body: rule })).status).toBe(201);
  expect((await sidecarFetch(sc, '/api/v1/slos', { method: 'POST', body: slo })).status).toBe(201);
  const stored = await readBack(sc);
  expect(stored).toEqual({
    rule: { id: 'hot-room', query: METRIC, version: 1 },
    slo: { id: 'checkout', target: 99.9, version: 1 },
  });
  // What the API wrote is in PostgreSQL, not in a file of the sidecar's folder.
  const rows = await pg.sql<{ n: number }>(
    "SELECT (SELECT COUNT(*) FROM rules WHERE id = 'hot-room') + (SELECT COUNT(*) FROM slos WHERE id = 'checkout') AS n"
  );
  expect(Number(rows[0].n)).toBe(2);
  const fired = await firing(sc);
  expect(fired.firedAt).not.toBeNull();

  for (const how of ['graceful', 'kill -9'] as const) {
    await (how === 'graceful' ? sc.stop() : sc.kill9());
    const restartedAt = Date.now();
    sc = await start();
    expect([how, await readBack(sc)]).toEqual([how, stored]);
    const after = await firing(sc, restartedAt);
    expect([how, after.fingerprint, after.firedAt]).toEqual([how, fired.fingerprint, fired.firedAt]);
    expect([how, (await firingEvents(sc, fired.fingerprint)).length]).toEqual([how, 1]);
  }

  const everything = [
    sc.logs(),
    JSON.stringify((await sidecarFetch(sc, '/api/v1/monitoring/health')).body),
    JSON.stringify((await sidecarFetch(sc, '/api/v1/datasources')).body),
  ].join('\n');
  expect(everything).not.toContain(pg.password);
});
