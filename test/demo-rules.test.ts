// The guide's rule sets as shipped for the demo (demo/rules/vigil-rules.yml): the sidecar's own rule-file
// loader accepts them, they keep the guide's ids, severities, `for` durations and actions, and every
// query (and every metric name of the guide's monitoring API) returns the demo workload's series from a
// real Prometheus scraping the real workload.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseRuleFile } from '../sidecar/src/rules/files';
import { DEMO_METRIC_NAMES } from '../demo/sidecar-process';
import { startWorkload, type Workload } from '../demo/workload';
import { queryPrometheus, startPrometheus, waitFor, type PrometheusHandle } from './harness';

jest.setTimeout(90_000);

const ROOT = resolve(__dirname, '..');
const FILE = join(ROOT, 'demo', 'rules', 'vigil-rules.yml');
const ctx = { datasources: [{ name: 'prometheus', type: 'prometheus' as const }], detectors: [] };

/** The guide's "Alert Rules Configuration": id → severity, duration_seconds, actions. */
const GUIDE = {
  service_down: { severity: 'critical', for: '1m', actions: ['pagerduty', 'slack', 'email'] },
  high_error_rate: { severity: 'error', for: '5m', actions: ['pagerduty', 'slack'] },
  high_response_time: { severity: 'warning', for: '5m', actions: ['slack', 'email'] },
  high_cpu_usage: { severity: 'warning', for: '10m', actions: ['slack', 'email'] },
  revenue_drop: { severity: 'error', for: '1h', actions: ['email', 'business_slack'] },
};

const { bodies, problems } = parseRuleFile(readFileSync(FILE, 'utf8'), ctx);

test('the rule-file loader accepts the demo rules, which keep the guide ids, severities, durations and actions', () => {
  expect(problems).toEqual([]);
  const got = Object.fromEntries(bodies.map((b) => [b.id, { severity: b.severity, for: b.for, actions: b.actions }]));
  expect(got).toEqual(GUIDE);
  const byId = Object.fromEntries(bodies.map((b) => [b.id, b]));
  expect(byId.service_down.condition).toEqual({ kind: 'threshold', op: '==', threshold: 0 });
  expect(byId.high_error_rate.condition).toEqual({ kind: 'threshold', op: '>', threshold: 5 });
  expect(byId.high_response_time.condition).toEqual({ kind: 'threshold', op: '>', threshold: 1000 });
  expect(byId.high_cpu_usage.condition).toEqual({ kind: 'threshold', op: '>', threshold: 80 });
  expect(byId.revenue_drop.condition).toMatchObject({ kind: 'baseline', op: '<', threshold: -20, baselineDays: 7 });
});

describe('on the demo workload', () => {
  let workload: Workload;
  let prom: PrometheusHandle;

  beforeAll(async () => {
    workload = await startWorkload({ tickMs: 250, seed: 7 });
    prom = await startPrometheus({ scrapeTargets: [`127.0.0.1:${workload.port}`], scrapeInterval: '1s' });
  });

  afterAll(async () => {
    await prom?.stop();
    await workload?.close();
  });

  /** Waits until `query` returns series, then returns them. */
  const series = (what: string, query: string) =>
    waitFor(
      what,
      async () => {
        const r = await queryPrometheus(prom.url, query);
        return r.length > 0 ? r : undefined;
      },
      30_000
    );

  it('every rule query returns series: one per service, or the business total', async () => {
    for (const b of bodies) {
      const r = await series(b.id, b.query);
      const services = r.map((s) => s.metric.service).sort();
      if (b.id === 'revenue_drop') {
        expect(r).toHaveLength(1);
      } else {
        expect([b.id, services]).toEqual([b.id, ['api', 'database', 'gateway', 'orders', 'payments']]);
      }
    }
  });

  it('every guide metric name maps to a query with data', async () => {
    for (const [name, m] of Object.entries(DEMO_METRIC_NAMES)) {
      expect([name, (await series(name, m.query)).length > 0]).toEqual([name, true]);
    }
  });

  it('a service_down incident puts service_down over its threshold for that service only', async () => {
    workload.inject({ type: 'service_down', service: 'database', durationSeconds: 30 });
    const query = bodies.find((b) => b.id === 'service_down')!.query;
    const down = await waitFor(
      'database down',
      async () => {
        const r = await queryPrometheus(prom.url, query);
        const zero = r.filter((s) => Number(s.value[1]) === 0).map((s) => s.metric.service);
        return zero.length > 0 ? zero : undefined;
      },
      30_000
    );
    expect(down).toEqual(['database']);
  });
});
