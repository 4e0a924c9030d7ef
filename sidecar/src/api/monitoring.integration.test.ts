// The guide's Quick Reference (monitoring alerts and metrics) as written there, against a started
// sidecar with a real Prometheus holding known samples.
import type { AlertInstance, RuleResource, RuleValidationErrorBody } from '@vigil/core';
import { remoteWrite, startPrometheus, type ServerHandle } from '../../../test/harness';
import { startTestServer, type TestServer } from '../testing/fixtures';
import type { ErrorBody } from './errors';
import type { GuideAlertInstance } from './monitoringAlerts';
import type { MetricReading } from './monitoringMetrics';

jest.setTimeout(90_000);

let prom: ServerHandle;
let srv: TestServer;
const NOW = Date.now();
const MIN = 60_000;

beforeAll(async () => {
  prom = await startPrometheus({ remoteWrite: true });
  // 50 minutes of one sample a minute: host a climbs 0..49, host b stays at 10.
  const ts = Array.from({ length: 50 }, (_, i) => NOW - (49 - i) * MIN);
  await remoteWrite(prom.url, [
    { labels: { __name__: 'vigil_test_cpu', host: 'a' }, samples: ts.map((t, i) => ({ timestamp: t, value: i })) },
    { labels: { __name__: 'vigil_test_cpu', host: 'b' }, samples: ts.map((t) => ({ timestamp: t, value: 10 })) },
  ]);
  srv = await startTestServer({
    datasources: [{ name: 'prometheus', type: 'prometheus', url: prom.url }],
    metricNames: {
      cpu_usage: { datasource: 'prometheus', query: 'vigil_test_cpu', unit: 'percent' },
      response_time: { datasource: 'prometheus', query: 'vigil_test_cpu * 10', unit: 'ms' },
    },
  });
});
afterAll(async () => {
  await srv?.stop();
  await prom?.stop();
});

async function call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await srv.call(path, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

describe('GET /api/v1/monitoring/metrics', () => {
  it('reads the mapped query and summarizes it', async () => {
    const { status, body } = await call<{
      metrics: Record<string, MetricReading>;
      hours: number;
      step_seconds: number;
    }>('GET', '/api/v1/monitoring/metrics?metric_names=cpu_usage&hours=1');
    expect(status).toBe(200);
    expect(body.hours).toBe(1);
    expect(body.step_seconds).toBe(8); // 3600 s / 500 points, rounded up
    const m = body.metrics.cpu_usage;
    expect(m.unit).toBe('percent');
    expect(m.series.map((s) => s.labels.host).sort()).toEqual(['a', 'b']);
    const a = m.series.find((s) => s.labels.host === 'a')!;
    expect(a.points.length).toBeGreaterThan(300);
    expect(a.points.length).toBeLessThanOrEqual(501);
    expect(Date.parse(a.points[0][0])).toBeGreaterThan(NOW - 61 * MIN);
    expect(a).toMatchObject({ min: 0, max: 49 });
    expect(m).toMatchObject({ min: 0, max: 49 });
    // Both series' last values (host a's last sample, 49, still within the lookback; host b 10).
    expect(m.current).toBeCloseTo((49 + 10) / 2, 5);
  });

  it('lists every mapped metric without metric_names, and 404s an unknown one naming the known', async () => {
    const all = await call<{ metrics: Record<string, MetricReading> }>('GET', '/api/v1/monitoring/metrics?hours=1');
    expect(Object.keys(all.body.metrics).sort()).toEqual(['cpu_usage', 'response_time']);
    const unknown = await call<ErrorBody>('GET', '/api/v1/monitoring/metrics?metric_names=cpu_usage,disk&hours=24');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe('unknown metric "disk" (known: cpu_usage, response_time)');
    expect((await call('GET', '/api/v1/monitoring/metrics?hours=-1')).status).toBe(400);
    expect((await call('GET', '/api/v1/monitoring/metrics?hours=10000')).status).toBe(400);
  });

  it('serves one metric as a time series with at most ~500 points', async () => {
    const { status, body } = await call<MetricReading & { metric: string; step_seconds: number }>(
      'GET',
      '/api/v1/monitoring/metrics/timeseries/response_time?hours=6'
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({ metric: 'response_time', unit: 'ms', step_seconds: 44, max: 490 });
    for (const s of body.series) {
      expect(s.points.length).toBeLessThanOrEqual(501);
    }
    expect((await call('GET', '/api/v1/monitoring/metrics/timeseries/nope')).status).toBe(404);
  });
});

describe('/api/v1/monitoring/alerts', () => {
  it('creates a threshold rule from the guide body, on the metric name itself when unmapped', async () => {
    const res = await call<{ alert_id: string; condition: string; rule: RuleResource }>(
      'POST',
      '/api/v1/monitoring/alerts',
      {
        name: 'Custom Alert',
        metric_name: 'custom_metric',
        condition: '> 100',
        threshold: 100,
      }
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ alert_id: 'custom_alert', condition: '> 100', threshold: 100 });
    expect(res.body.rule).toMatchObject({
      id: 'custom_alert',
      datasource: 'prometheus',
      query: 'custom_metric',
      severity: 'warning',
      condition: { kind: 'threshold', op: '>', threshold: 100 },
      for: '0s',
    });
    expect((await srv.store.getRule('custom_alert'))?.body.query).toBe('custom_metric');
  });

  it('uses the mapped query and the optional guide fields', async () => {
    const res = await call<{ rule: RuleResource }>('POST', '/api/v1/monitoring/alerts', {
      alert_id: 'high_cpu_usage',
      name: 'High CPU Usage',
      description: 'CPU usage above 80% for 10 minutes',
      severity: 'warning',
      metric_name: 'cpu_usage',
      condition: '> 80',
      threshold: 80.0,
      duration_seconds: 600,
      actions: ['slack', 'email'],
    });
    expect(res.status).toBe(201);
    expect(res.body.rule).toMatchObject({
      id: 'high_cpu_usage',
      query: 'vigil_test_cpu',
      for: '10m',
      actions: ['slack', 'email'],
    });
  });

  it('answers 400 in the guide vocabulary', async () => {
    const fields = async (body: unknown) =>
      ((await call<RuleValidationErrorBody>('POST', '/api/v1/monitoring/alerts', body)).body.error.fields ?? []).map(
        (f) => f.field
      );
    const base = { name: 'X', metric_name: 'm', condition: '> 1' };
    expect(await fields({ ...base, threshold: 2 })).toEqual(['threshold']);
    expect(await fields({ ...base, condition: 'above 1' })).toEqual(['condition']);
    expect(await fields({ ...base, condition: '>' })).toEqual(['threshold']);
    expect(await fields({ ...base, severity: 'sev1' })).toEqual(['severity']);
    expect(await fields({ ...base, metric_name: 'not a metric' })).toEqual(['metric_name']);
    expect(await fields({ ...base, alert_id: 'Bad Id' })).toEqual(['alert_id']);
    expect(await fields({ ...base, duration_seconds: -5 })).toEqual(['duration_seconds']);
    expect(await fields({ ...base, colour: 'red' })).toEqual(['colour']);
    expect(await fields({ ...base, name: '' })).toEqual(['name']);
  });

  it('lists instances in the guide shape; active_only keeps the triggered ones', async () => {
    const base: AlertInstance = {
      ruleId: 'custom_alert',
      fingerprint: 'fp-firing',
      labels: { host: 'a' },
      state: 'firing',
      since: NOW - 5 * MIN,
      activeAt: NOW - 10 * MIN,
      firedAt: NOW - 5 * MIN,
      recoveringSince: null,
      value: 120,
      threshold: 100,
      severity: 'warning',
      missingEvals: 0,
      lastEvalAt: NOW,
      annotations: {},
    };
    const pending: AlertInstance = {
      ...base,
      fingerprint: 'fp-pending',
      state: 'pending',
      since: NOW - MIN,
      activeAt: NOW - MIN,
      firedAt: null,
    };
    // The engine would evaluate custom_alert (no data) on its own clock and replace these instances.
    await srv.rules.stop();
    await srv.store.commitEvaluations([
      {
        ruleId: 'custom_alert',
        instances: [base, pending],
        transitions: [],
        status: {
          ruleId: 'custom_alert',
          health: 'ok',
          lastEvaluation: NOW,
          lastDurationMs: 3,
          lastError: null,
          seriesCount: 2,
        },
      },
    ]);
    const active = await call<{ alerts: GuideAlertInstance[]; total: number }>(
      'GET',
      '/api/v1/monitoring/alerts?active_only=true'
    );
    expect(active.status).toBe(200);
    expect(active.body.total).toBe(1);
    expect(active.body.alerts[0]).toMatchObject({
      alert_id: 'custom_alert',
      instance_id: 'fp-firing',
      name: 'Custom Alert',
      severity: 'warning',
      state: 'firing',
      triggered_at: new Date(NOW - 5 * MIN).toISOString(),
      current_value: 120,
      threshold: 100,
      message: 'Custom Alert: value 120 (threshold 100)',
      labels: { host: 'a' },
    });
    const all = await call<{ alerts: GuideAlertInstance[] }>('GET', '/api/v1/monitoring/alerts');
    expect(all.body.alerts.map((a) => a.state).sort()).toEqual(['firing', 'pending']);
    expect((await call('GET', '/api/v1/monitoring/alerts?active_only=maybe')).status).toBe(400);

    const views = await call<{ alerts: Array<{ ruleName: string; fingerprint: string }> }>(
      'GET',
      '/api/v1/alerts?state=pending'
    );
    expect(views.body.alerts).toEqual([
      expect.objectContaining({ ruleName: 'Custom Alert', fingerprint: 'fp-pending' }),
    ]);
    expect((await call('GET', '/api/v1/alerts/unknown-fp/history')).status).toBe(404);
    expect(await call('GET', '/api/v1/alerts/fp-firing/history')).toEqual({
      status: 200,
      body: { fingerprint: 'fp-firing', history: [] },
    });
  });
});
