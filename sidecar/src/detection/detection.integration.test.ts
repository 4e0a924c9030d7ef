// Scheduled detection against a real Prometheus scraping the real demo workload (test/harness,
// demo/workload). The workload runs 2880× faster than real time (one simulated day every 30 s) and
// Prometheus starts with 12 minutes (24 simulated days) of the same workload's history, backfilled
// with promtool on the same simulated clock, so the detector has seen previous days' peaks, as it would
// in production.
//
// The series is each service's concurrency, rate(sum of request durations) = request rate × mean
// latency (Little's law): it has the workload's daily cycle (load 0.35 → 1.0) and a latency spike
// multiplies it. (The workload's latency alone has no daily cycle.)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWorkload, type Workload } from '../../../demo/workload';
import { workloadHistory } from '../../../demo/workload/history';
import { queryPrometheusRange, sleep, startPrometheus, waitFor, type PrometheusHandle } from '../../../test/harness';
import { loadConfig } from '../config/load';
import type { Config } from '../config/schema';
import { startServer, type ServerHandle } from '../server';
import type { StoredEvent } from '../store';
import { LogCapture, TEST_TOKEN } from '../testing/fixtures';
import type { DetectorStatus } from './status';

jest.setTimeout(150_000);

const SPEED = 2880; // simulated seconds per real second: a day in 30 s
const DAY_REAL_MS = 86_400_000 / SPEED;
// The simulated clock starts on a Wednesday at 04:00 UTC, the workload's daily low, whatever the time of
// day the test runs: the day watched below then has a weekday's peak (16:00) in its middle, away from the
// first seconds after the start, where rate windows still span the backfill's last samples.
const SIM_START_MS = Date.UTC(2026, 0, 7, 4);
// Ten times the demo's default traffic: at 40 requests/s the orders service sees a few requests a second
// and its 5 s rates carry sampling noise no real service's dashboards would be built on.
const PEAK_RPS = 400;
const QUERY = 'sum by (service) (rate(vigil_demo_request_duration_seconds_sum{service=~"api|orders"}[5s]))';

let workload: Workload;
let prom: PrometheusHandle;
let dir: string;
let config: Config;
let srv: ServerHandle | undefined;
let endOfHistory: number;
const log = new LogCapture();

async function api<T>(path: string): Promise<T> {
  const res = await fetch(`${srv!.url}${path}`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } });
  if (res.status !== 200) {
    throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
  }
  return (await res.json()) as T;
}
const anomalies = async (from: number) =>
  (await api<{ anomalies: StoredEvent[] }>(`/api/v1/anomalies?from=${from}&detector=concurrency`)).anomalies;
const status = async () => (await api<{ detectors: DetectorStatus[] }>('/api/v1/detectors')).detectors[0];
const ofService = (events: StoredEvent[], service: string) =>
  events.filter((e) => e.seriesKey === `concurrency{service="${service}"}`);

beforeAll(async () => {
  workload = await startWorkload({ speed: SPEED, seed: 3, tickMs: 500, simStartMs: SIM_START_MS, peakRps: PEAK_RPS });
  endOfHistory = Date.now();
  const backfill = workloadHistory({
    endMs: endOfHistory,
    hours: 0.2,
    stepSeconds: 1,
    speed: SPEED,
    simEndMs: SIM_START_MS,
    peakRps: PEAK_RPS,
    seed: 3,
    targetLabels: { job: 'vigil', instance: `127.0.0.1:${workload.port}` },
  });
  prom = await startPrometheus({ backfill, scrapeTargets: [`127.0.0.1:${workload.port}`], scrapeInterval: '1s' });
  dir = mkdtempSync(join(tmpdir(), 'vigil-detection-it-'));
  config = loadConfig({
    values: {
      server: { port: 0 },
      store: { type: 'sqlite', path: join(dir, 'vigil.db') },
      log: { level: 'info' },
      datasources: [{ name: 'prometheus', type: 'prometheus', url: prom.url }],
      detectors: [
        { name: 'concurrency', datasource: 'prometheus', query: QUERY, interval: '1s', lookback: '15m', closeAfter: 3 },
      ],
    },
    env: { VIGIL_TOKEN: TEST_TOKEN },
  });
  srv = await startServer(config, { logDestination: log });
});

afterAll(async () => {
  await srv?.close();
  await workload?.close();
  await prom?.stop();
  if (dir) {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The first evaluation after a start: judged points, none without history, a baseline per series. */
async function firstEvaluation(): Promise<DetectorStatus> {
  const s = await waitFor('the first evaluation', async () => {
    const st = await status();
    return st.firstRun !== null && st.series.length === 2 && st;
  });
  expect(s.firstRun).toMatchObject({ ok: true, coldPoints: 0 });
  expect(s.firstRun!.points).toBeGreaterThan(0);
  for (const series of s.series) {
    expect(series.lastReason).toBe('ok');
    expect(series.baseline?.count).toBe(100);
  }
  return s;
}

describe('scheduled detection on the demo workload', () => {
  it('starts warm from history: the first evaluation already has a baseline', async () => {
    const s = await waitFor('the warm start', async () => (await status()).warmStart ?? undefined);
    expect(s).toMatchObject({ source: 'history', series: 2 });
    expect(s.historyPoints).toBeGreaterThan(2 * 600);
    await firstEvaluation();
  });

  it('raises no event over a whole simulated day, daily peak included', async () => {
    // The day starts once rate windows no longer span the backfill's end (the live counters start at 0).
    await sleep(Math.max(0, endOfHistory + 10_000 - Date.now()));
    const from = Date.now();
    const runsBefore = (await status()).runs;
    await sleep(DAY_REAL_MS + 2000);
    // The detector did judge the day, point by point (one-second steps, one run per second).
    expect((await status()).runs - runsBefore).toBeGreaterThanOrEqual(25);
    const to = Date.now() - 1000;
    // The window did hold the daily cycle's peak: compare with the same hours a simulated week earlier, in
    // the backfilled history (same weekday: the workload's weekends run at 0.8 of its weekdays' load).
    const range = async (a: number, b: number) =>
      (await queryPrometheusRange(prom.url, QUERY.replace('api|orders', 'api'), a / 1000, b / 1000, 1))[0].values.map(
        ([, v]) => Number(v)
      );
    const live = await range(from, to);
    const WEEK_REAL_MS = 7 * DAY_REAL_MS;
    expect(to - WEEK_REAL_MS).toBeLessThan(endOfHistory);
    const weekAgo = await range(from - WEEK_REAL_MS, to - WEEK_REAL_MS);
    const max = (xs: number[]) => Math.max(...xs);
    const min = (xs: number[]) => Math.min(...xs);
    expect(max(weekAgo) / min(weekAgo)).toBeGreaterThan(2); // a daily cycle exists
    expect(max(live)).toBeGreaterThan(0.8 * max(weekAgo)); // and its peak was in the window
    expect(max(live) / min(live)).toBeGreaterThan(1.8);
    expect(await anomalies(from - 5000)).toEqual([]);
    expect((await status()).lastRun).toMatchObject({ ok: true });
  });

  it('turns an injected latency spike into one anomaly event of type extreme_high or statistical_high', async () => {
    const from = Date.now();
    workload.inject({ type: 'latency_spike', service: 'api', durationSeconds: 8, magnitude: 40 });
    const [event] = await waitFor('an anomaly event for api', async () => {
      const e = ofService(await anomalies(from), 'api');
      return e.length > 0 && e;
    });
    expect(['extreme_high', 'statistical_high']).toContain(event.metadata.anomaly_type);
    expect(event.message).toMatch(/^Anomaly in concurrency\{service="api"\}: current=[\d.]+, expected=[\d.]+±[\d.]+$/);
    expect(event.metadata).toMatchObject({ detector: 'concurrency', detection_method: 'ml_statistical' });
    expect(['info', 'warning', 'error']).toContain(event.severity);
    // The incident ends once the spike is over, and it stays one event.
    const closed = await waitFor(
      'the event to close',
      async () => {
        const e = ofService(await anomalies(from), 'api');
        return e.every((x) => x.endedAt !== null) && e;
      },
      30_000
    );
    expect(closed).toHaveLength(1);
    expect(closed[0].endedAt! - closed[0].startedAt).toBeLessThan(20_000);
    // POST /api/v1/detect with a query over the same range finds the spike too.
    const res = await fetch(`${srv!.url}/api/v1/detect`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        datasource: 'prometheus',
        query: QUERY.replace('api|orders', 'api'),
        from: new Date(from - 10 * 60_000).toISOString(),
        to: Date.now(),
        step: '1s',
      }),
    });
    expect(res.status).toBe(200);
    const detected = (await res.json()) as {
      series: Array<{ points: unknown[] }>;
      anomalies: Array<{ t: number; type: string }>;
    };
    expect(detected.series).toHaveLength(1);
    expect(detected.series[0].points.length).toBeGreaterThan(500);
    const during = detected.anomalies.filter(
      (a) => a.t >= closed[0].startedAt - 5000 && a.t <= closed[0].endedAt! + 5000
    );
    expect(during.map((a) => a.type)).toEqual([expect.stringMatching(/^(extreme|statistical)_high$/)]);
    const metrics = await (await fetch(`${srv!.url}/metrics`)).text();
    expect(metrics).toMatch(/vigil_anomalies_total\{detector="concurrency",type="(extreme|statistical)_high"\} 1/);
  });

  it('keeps detecting across a restart: warm on the first evaluation, and a new spike is caught', async () => {
    await srv!.close();
    srv = await startServer(config, { logDestination: log });
    const s = await waitFor('the warm start after restart', async () => (await status()).warmStart ?? undefined);
    expect(s.source).toBe('state');
    await firstEvaluation();
    const from = Date.now();
    workload.inject({ type: 'latency_spike', service: 'orders', durationSeconds: 8, magnitude: 40 });
    const [event] = await waitFor('an anomaly event for orders after the restart', async () => {
      const e = ofService(await anomalies(from), 'orders');
      return e.length > 0 && e;
    });
    expect(['extreme_high', 'statistical_high']).toContain(event.metadata.anomaly_type);
  });
});
