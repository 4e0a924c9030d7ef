// kill -9 test of the rule engine: a real sidecar process on a real Prometheus, rules created through
// the API, the process killed with SIGKILL (no shutdown hook runs) while rules are Pending and again,
// several times, once one is Firing, and restarted on the same SQLite file each time. The instance
// state lives in the store, so after every restart: a Pending instance keeps its start (activeAt), the
// Firing one stays Firing with the same firedAt, and the store holds exactly one firing event for it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AlertView, RuleBody, Transition } from '@vigil/core';
import { remoteWrite, sleep, startPrometheus, waitFor, type PrometheusHandle } from './harness';
import { sidecarFetch, startSidecar, type SidecarHandle } from './harness/sidecar';

jest.setTimeout(180_000);

const METRIC = 'vigil_kill9_temperature';
/** Waits out `for` long enough that a restart (a few seconds under tsx) lands inside it. */
const FAST_FOR_MS = 10_000;

let prom: PrometheusHandle;
let dir: string;
let sidecar: SidecarHandle | undefined;

beforeAll(async () => {
  prom = await startPrometheus({ remoteWrite: true });
  // Samples every second from a minute ago to ten minutes ahead: the rules always see fresh data
  // without a pusher running beside the sidecar. Room a is over the threshold, room b under it.
  const now = Date.now();
  const samples = (value: number) =>
    Array.from({ length: 661 }, (_, i) => ({ timestamp: now - 60_000 + i * 1000, value }));
  await remoteWrite(prom.url, [
    { labels: { __name__: METRIC, room: 'a' }, samples: samples(90) },
    { labels: { __name__: METRIC, room: 'b' }, samples: samples(10) },
  ]);
  dir = mkdtempSync(join(tmpdir(), 'vigil-kill9-'));
});

afterAll(async () => {
  await sidecar?.stop(2000);
  await prom?.stop();
  if (dir) {
    rmSync(dir, { recursive: true, force: true });
  }
});

async function start(): Promise<SidecarHandle> {
  sidecar = await startSidecar({
    dir,
    config: {
      log: { level: 'warn' },
      datasources: [{ name: 'prometheus', type: 'prometheus', url: prom.url }],
    },
  });
  return sidecar;
}

function rule(id: string, forDuration: string): RuleBody {
  return {
    id,
    name: `kill9 ${id}`,
    severity: 'critical',
    datasource: 'prometheus',
    query: METRIC,
    condition: { kind: 'threshold', op: '>', threshold: 50 },
    for: forDuration,
    interval: '1s',
    labels: { rule: id },
    annotations: { summary: 'room {{ $labels.room }} at {{ $value }}' },
  };
}

async function alerts(sc: SidecarHandle): Promise<AlertView[]> {
  const res = await sidecarFetch<{ alerts: AlertView[] }>(sc, '/api/v1/alerts');
  expect(res.status).toBe(200);
  return res.body.alerts;
}

/** The instance of `ruleId` for room `room`, once `ok` holds for it. */
async function instance(
  sc: SidecarHandle,
  ruleId: string,
  room: string,
  ok: (a: AlertView) => boolean,
  what: string
): Promise<AlertView> {
  return waitFor(
    `${ruleId} room ${room} ${what}`,
    async () => (await alerts(sc)).find((a) => a.ruleId === ruleId && a.labels.room === room && ok(a)),
    30_000,
    200
  );
}

/** `alert` events with event=firing of one instance, from the events API. */
async function firingEvents(sc: SidecarHandle, ruleId: string, fingerprint: string): Promise<unknown[]> {
  const q = new URLSearchParams({ kind: 'alert', seriesKey: fingerprint, from: '0' });
  const res = await sidecarFetch<{ events: Array<{ metadata: { ruleId?: string; event?: string } }> }>(
    sc,
    `/api/v1/events?${q}`
  );
  expect(res.status).toBe(200);
  return res.body.events.filter((e) => e.metadata.ruleId === ruleId && e.metadata.event === 'firing');
}

/** Transitions to firing in the instance's stored history. */
async function firingHistory(sc: SidecarHandle, ruleId: string, fingerprint: string): Promise<Transition[]> {
  const res = await sidecarFetch<{ history: Transition[] }>(
    sc,
    `/api/v1/alerts/${encodeURIComponent(fingerprint)}/history`
  );
  expect(res.status).toBe(200);
  return res.body.history.filter((t) => t.ruleId === ruleId && t.to === 'firing');
}

/** Kills the sidecar with SIGKILL and starts it again on the same folder (same SQLite file). */
async function kill9AndRestart(sc: SidecarHandle): Promise<{ sc: SidecarHandle; restartedAt: number }> {
  await sc.kill9();
  const restartedAt = Date.now();
  return { sc: await start(), restartedAt };
}

test('kill -9 keeps Pending starts, keeps Firing, and never fires twice', async () => {
  let sc = await start();
  for (const body of [rule('slow', '1h'), rule('fast', `${FAST_FOR_MS / 1000}s`)]) {
    const res = await sidecarFetch(sc, '/api/v1/rules', { method: 'POST', body });
    expect([body.id, res.status]).toEqual([body.id, 201]);
  }

  // 1. Both Pending: kill -9 inside the fast rule's `for`.
  const slowPending = await instance(sc, 'slow', 'a', (a) => a.state === 'pending', 'pending');
  const fastPending = await instance(sc, 'fast', 'a', (a) => a.state === 'pending', 'pending');
  expect(slowPending.activeAt).not.toBeNull();
  expect(fastPending.activeAt).not.toBeNull();
  let restart = await kill9AndRestart(sc);
  sc = restart.sc;

  // The restarted engine evaluates again (lastEvalAt after the restart) and keeps both starts.
  const slowAfter = await instance(sc, 'slow', 'a', (a) => a.lastEvalAt >= restart.restartedAt, 'evaluated');
  expect(slowAfter.state).toBe('pending');
  expect(slowAfter.activeAt).toBe(slowPending.activeAt);
  expect(slowAfter.fingerprint).toBe(slowPending.fingerprint);
  // So the fast rule fires `for` after its original start, not after the restart.
  const fired = await instance(sc, 'fast', 'a', (a) => a.state === 'firing', 'firing');
  expect(fired.activeAt).toBe(fastPending.activeAt);
  expect(fired.firedAt).not.toBeNull();
  expect(fired.firedAt! - fired.activeAt!).toBeGreaterThanOrEqual(FAST_FOR_MS);

  // 2. Firing: kill -9 at different moments of the evaluation cycle, restart each time.
  for (const delayMs of [0, 450, 1300]) {
    await sleep(delayMs);
    restart = await kill9AndRestart(sc);
    sc = restart.sc;
    const after = await instance(sc, 'fast', 'a', (a) => a.lastEvalAt >= restart.restartedAt, 'evaluated');
    expect([delayMs, after.state, after.firedAt, after.activeAt]).toEqual([
      delayMs,
      'firing',
      fired.firedAt,
      fastPending.activeAt,
    ]);
    const slow = await instance(sc, 'slow', 'a', (a) => a.lastEvalAt >= restart.restartedAt, 'evaluated');
    expect([delayMs, slow.state, slow.activeAt]).toEqual([delayMs, 'pending', slowPending.activeAt]);
  }

  // A few more evaluations, then count: one firing event and one transition to firing, ever.
  const later = Date.now() + 2000;
  const last = await instance(sc, 'fast', 'a', (a) => a.lastEvalAt >= later, 'evaluated twice more');
  expect(last.state).toBe('firing');
  expect(await firingEvents(sc, 'fast', fired.fingerprint)).toHaveLength(1);
  expect(await firingHistory(sc, 'fast', fired.fingerprint)).toHaveLength(1);
  expect(await firingEvents(sc, 'slow', slowPending.fingerprint)).toHaveLength(0);
  // Room b never crossed the threshold.
  const roomB = (await alerts(sc)).filter((a) => a.labels.room === 'b' && a.state !== 'normal');
  expect(roomB).toEqual([]);
});
