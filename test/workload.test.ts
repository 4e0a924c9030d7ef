// The demo workload scraped by a real Prometheus: injected incidents show up in PromQL the way an SRE
// would look for them.
import { startWorkload, Workload } from '../demo/workload';
import { PrometheusHandle, queryPrometheus, startPrometheus, waitFor } from './harness';

jest.setTimeout(90000);

let workload: Workload;
let prom: PrometheusHandle;

beforeAll(async () => {
  workload = await startWorkload({ tickMs: 250, seed: 42 });
  prom = await startPrometheus({ scrapeTargets: [`127.0.0.1:${workload.port}`], scrapeInterval: '1s' });
  await waitFor('the first scrape', async () => (await queryPrometheus(prom.url, 'vigil_demo_up')).length === 5, 30000);
});

afterAll(async () => {
  await prom?.stop();
  await workload?.close();
});

/** One number from an instant query, NaN when the result is empty. */
async function scalar(promql: string): Promise<number> {
  const r = await queryPrometheus(prom.url, promql);
  return r.length ? Number(r[0].value[1]) : NaN;
}

/** Waits until an instant query's value exceeds `threshold` (rate windows fill at their own pace); returns it. */
const scalarAbove = (what: string, promql: string, threshold: number) =>
  waitFor(what, async () => {
    const v = await scalar(promql);
    return v > threshold ? v : undefined;
  });

const p90 = (service: string) =>
  `histogram_quantile(0.9, sum by (le) (rate(vigil_demo_request_duration_seconds_bucket{service="${service}"}[3s])))`;

describe('demo workload under Prometheus', () => {
  it('exposes every service and the business KPIs', async () => {
    const up = await queryPrometheus(prom.url, 'vigil_demo_up');
    expect(up.map((s) => s.metric.service).sort()).toEqual(['api', 'database', 'gateway', 'orders', 'payments']);
    expect(up.every((s) => s.value[1] === '1')).toBe(true);
    for (const metric of ['vigil_demo_cpu_usage_percent', 'vigil_demo_memory_usage_bytes']) {
      expect(await queryPrometheus(prom.url, metric)).toHaveLength(5);
    }
    const orders = await waitFor('orders to be placed', async () => (await scalar('vigil_demo_orders_total')) > 0);
    expect(orders).toBe(true);
    expect(await scalar('vigil_demo_revenue_usd_total')).toBeGreaterThan(0);
  });

  it('an injected latency spike shows in histogram_quantile', async () => {
    const before = await waitFor('a baseline p90', async () => {
      const v = await scalar(p90('database'));
      return Number.isFinite(v) ? v : undefined;
    });
    expect(before).toBeLessThan(0.025);
    const gatewayBefore = await scalar(p90('gateway'));

    const incident = workload.inject({
      type: 'latency_spike',
      service: 'database',
      durationSeconds: 30,
      magnitude: 40,
    });
    expect(incident.id).toMatch(/^inc-/);
    const during = await scalarAbove('the spike in p90', p90('database'), 0.05);
    expect(during).toBeGreaterThan(2 * before);
    // The database's callers slow down too.
    const gatewayDuring = await scalarAbove('the spike in the gateway p90', p90('gateway'), gatewayBefore);
    expect(gatewayDuring).toBeGreaterThan(gatewayBefore);
    expect(workload.clearIncidents()).toBe(1);
  });

  it('service_down sets vigil_demo_up to 0 and raises upstream errors (via POST /incidents)', async () => {
    const res = await fetch(`${workload.url}/incidents`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'service_down', service: 'database', durationSeconds: 30 }),
    });
    expect(res.status).toBe(201);
    const listed = (await (await fetch(`${workload.url}/incidents`)).json()) as { active: Array<{ type: string }> };
    expect(listed.active.map((i) => i.type)).toEqual(['service_down']);

    await waitFor('database down in Prometheus', async () => (await scalar('vigil_demo_up{service="database"}')) === 0);
    expect(await scalar('vigil_demo_up{service="gateway"}')).toBe(1);
    const errorRatio = (service: string) =>
      `sum(rate(vigil_demo_requests_total{service="${service}",code=~"5.."}[3s])) / sum(rate(vigil_demo_requests_total{service="${service}"}[3s]))`;
    const gatewayErrors = await scalarAbove('gateway errors', errorRatio('gateway'), 0.3);
    expect(gatewayErrors).toBeGreaterThan(0.3);
    // Each service's ratio climbs as its own [3s] rate window fills with the outage; wait for payments too
    // (it calls the database 0.5 times a request, so its ratio settles near 0.5).
    const paymentsErrors = await scalarAbove('payments errors', errorRatio('payments'), 0.2);
    expect(paymentsErrors).toBeGreaterThan(0.2);
    workload.clearIncidents();
  });

  it('rejects a bad incident with a message naming the field', async () => {
    const res = await fetch(`${workload.url}/incidents`, {
      method: 'POST',
      body: JSON.stringify({ type: 'service_down', service: 'database', durationSeconds: -5 }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('invalid_incident');
    expect(body.error.message).toMatch(/durationSeconds/);
    const bad = await fetch(`${workload.url}/incidents`, { method: 'POST', body: '{not json' });
    expect(bad.status).toBe(400);
  });
});
