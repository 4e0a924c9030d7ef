// The demo's backfilled history, loaded into a real Prometheus with promtool: the series are the ones
// a scrape of the live workload produces, counters only grow, and a past incident shows where it was.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWorkload, type Workload } from '../demo/workload';
import { splitByDay, workloadHistory } from '../demo/workload/history';
import { PrometheusHandle, queryPrometheus, queryPrometheusRange, startPrometheus } from './harness';

jest.setTimeout(60000);

const END = Date.now();
const TARGET = { job: 'vigil-demo-workload', instance: '127.0.0.1:9464' };
let prom: PrometheusHandle;

beforeAll(async () => {
  const text = workloadHistory({
    endMs: END,
    hours: 1,
    targetLabels: TARGET,
    incidents: [{ type: 'latency_spike', service: 'database', durationSeconds: 120, magnitude: 20, minutesAgo: 20 }],
  });
  prom = await startPrometheus({ backfill: text });
});
afterAll(async () => {
  await prom?.stop();
});

const at = (minutesAgo: number) => (END - minutesAgo * 60_000) / 1000;
const p95 = (service: string) =>
  `histogram_quantile(0.95, sum by (le) (rate(vigil_demo_request_duration_seconds_bucket{service="${service}"}[1m])))`;

describe('demo workload history', () => {
  it('has the live series with the scrape target labels, up to the present', async () => {
    const up = await queryPrometheus(prom.url, 'vigil_demo_up', at(0));
    expect(up).toHaveLength(5);
    expect(up[0].metric).toMatchObject(TARGET);
    const names = await queryPrometheus(prom.url, 'count by (__name__) ({job="vigil-demo-workload"})', at(1));
    expect(names.map((n) => n.metric.__name__).sort()).toEqual([
      'vigil_demo_cpu_usage_percent',
      'vigil_demo_memory_usage_bytes',
      'vigil_demo_orders_total',
      'vigil_demo_request_duration_seconds_bucket',
      'vigil_demo_request_duration_seconds_count',
      'vigil_demo_request_duration_seconds_sum',
      'vigil_demo_requests_total',
      'vigil_demo_revenue_usd_total',
      'vigil_demo_up',
    ]);
  });

  it('has counters that never go down', async () => {
    const resets = await queryPrometheus(prom.url, 'sum(resets(vigil_demo_requests_total[1h]))', at(0));
    expect(Number(resets[0].value[1])).toBe(0);
    const orders = await queryPrometheusRange(prom.url, 'vigil_demo_orders_total', at(59), at(1), 60);
    const values = orders[0].values.map(([, v]) => Number(v));
    expect(values[values.length - 1]).toBeGreaterThan(values[0]);
  });

  it('shows the past latency spike in p95 at its time only', async () => {
    const during = Number((await queryPrometheus(prom.url, p95('database'), at(19)))[0].value[1]);
    const before = Number((await queryPrometheus(prom.url, p95('database'), at(30)))[0].value[1]);
    const after = Number((await queryPrometheus(prom.url, p95('database'), at(5)))[0].value[1]);
    expect(during).toBeGreaterThan(5 * before);
    expect(after).toBeLessThan(2 * before);
    // Callers slow down with it.
    const apiDuring = Number((await queryPrometheus(prom.url, p95('api'), at(19)))[0].value[1]);
    const apiBefore = Number((await queryPrometheus(prom.url, p95('api'), at(30)))[0].value[1]);
    expect(apiDuring).toBeGreaterThan(apiBefore);
  });
});

describe('demo workload history on a given simulated clock', () => {
  /** The orders counter's last value in an OpenMetrics text: the orders of the whole history. */
  const orders = (text: string) => {
    const lines = text.split('\n').filter((l) => l.startsWith('vigil_demo_orders_total'));
    return Number(lines[lines.length - 1].split(' ')[1]);
  };
  const history = (simEndMs: number) =>
    workloadHistory({ endMs: END, hours: 0.25, stepSeconds: 10, seed: 5, targetLabels: TARGET, simEndMs });

  it('follows simEndMs: a quarter hour ending at the daily peak has more orders than one at the low', () => {
    const low = orders(history(Date.UTC(2026, 0, 7, 4)));
    const peak = orders(history(Date.UTC(2026, 0, 7, 16)));
    expect(low).toBeGreaterThan(0);
    expect(peak / low).toBeGreaterThan(2);
  });
});

describe('demo workload history with a baseline stretch before it', () => {
  let week: PrometheusHandle;
  const dir = mkdtempSync(join(tmpdir(), 'vigil-history-'));

  beforeAll(async () => {
    const text = workloadHistory({
      endMs: END,
      hours: 1,
      baseline: { hours: 8 * 24, stepSeconds: 900 },
      targetLabels: TARGET,
    });
    const files = splitByDay(text).map((day, i) => {
      const file = join(dir, `day-${i}.om`);
      writeFileSync(file, day);
      return file;
    });
    week = await startPrometheus({ backfillFiles: files });
  });
  afterAll(async () => {
    await week?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers the dashboards 7-day baseline: the same hour on each of the last 7 days', async () => {
    const days = [1, 2, 3, 4, 5, 6, 7].map(
      (d) => `label_replace(sum(increase(vigil_demo_orders_total[1h] offset ${d}d)), "day", "${d}", "", "")`
    );
    const perDay = await queryPrometheus(week.url, days.join(' or '), at(0));
    expect(perDay).toHaveLength(7);
    for (const day of perDay) {
      expect(Number(day.value[1])).toBeGreaterThan(0);
    }
  });

  it('runs its counters on into the fine hour without a reset', async () => {
    const resets = await queryPrometheus(week.url, 'sum(resets(vigil_demo_orders_total[3h]))', at(0));
    expect(Number(resets[0].value[1])).toBe(0);
    const range = await queryPrometheusRange(week.url, 'vigil_demo_orders_total', at(180), at(1), 60);
    expect(range[0].values.length).toBeGreaterThan(60);
  });
});

describe('demo workload history continued by the live workload', () => {
  // As `npm run demo` starts them: the live workload, its history ending when its counters started,
  // Prometheus with both (history backfilled, the workload scraped).
  let live: Workload;
  let both: PrometheusHandle;

  beforeAll(async () => {
    live = await startWorkload({ tickMs: 250, seed: 9 });
    const targetLabels = { job: 'vigil-demo-workload', instance: `127.0.0.1:${live.port}` };
    const text = workloadHistory({ endMs: live.startedAtMs, hours: 0.25, seed: 9, targetLabels });
    both = await startPrometheus({
      backfill: text,
      scrapeInterval: '1s',
      scrapeJobs: [{ job: 'vigil-demo-workload', targets: [`127.0.0.1:${live.port}`] }],
    });
  });
  afterAll(async () => {
    await both?.stop();
    await live?.close();
  });

  it('loses no traffic at the seam: the request rate across it is the rate before it', async () => {
    const seam = live.startedAtMs / 1000;
    const rate = (t: number) =>
      queryPrometheus(both.url, 'sum(rate(vigil_demo_requests_total[30s]))', t).then((r) => Number(r[0]?.value[1]));
    // Until Prometheus has scraped 20 s past the seam (a window of 30 s then straddles it).
    const across = seam + 20;
    const deadline = Date.now() + 45_000;
    while (Date.now() / 1000 < across + 2 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000));
    }
    const before = await rate(seam - 1);
    const at = await rate(across);
    expect(before).toBeGreaterThan(0);
    // A history that stopped one 10 s step short of the live counters' start lost a third of this window.
    expect(at / before).toBeGreaterThan(0.85);
    expect(at / before).toBeLessThan(1.15);
  });
});
