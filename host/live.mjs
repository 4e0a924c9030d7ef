/**
 * Panel data for the host's /live page, queried from Prometheus on each request (the page polls every
 * 15 s), in the same shape as host/testdata fixtures. What a dashboard of the demo workload would query:
 *   anomaly  api p95 latency (query_range), with the expected band and anomaly marks from @vigil/core's
 *            detector when core is built (`npm run build`), else the bare series;
 *   slo      gateway availability SLI (query_range), 99.9% objective;
 *   alerts   Prometheus `ALERTS` (firing and pending alert rules) plus a ServiceDown row per demo
 *            service whose `vigil_demo_up` is 0, so a `service_down` incident shows without rule files.
 */

/** The live queries, on the demo workload's metrics (demo/workload). */
export const LIVE_QUERIES = {
  anomaly: 'histogram_quantile(0.95, sum by (le) (rate(vigil_demo_request_duration_seconds_bucket{service="api"}[1m])))',
  slo: 'sum(rate(vigil_demo_requests_total{service="gateway",code!~"5.."}[5m])) / sum(rate(vigil_demo_requests_total{service="gateway"}[5m]))',
  alerts: 'ALERTS',
  up: 'vigil_demo_up',
};

const RANGE_S = 3600;
const STEP_S = 15;
const TIMEOUT_MS = 10_000;

async function prom(prometheusUrl, endpoint, params) {
  const url = `${prometheusUrl.replace(/\/$/, '')}/api/v1/${endpoint}?${new URLSearchParams(params)}`;
  const res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  const body = await res.json().catch(() => ({}));
  if (!res.ok || body.status !== 'success') {
    throw new Error(`${endpoint} ${params.query}: HTTP ${res.status} ${body.error ?? ''}`.trim());
  }
  return body.data.result;
}

const num = (s) => {
  const v = Number.parseFloat(s);
  return Number.isFinite(v) ? v : null;
};

let corePromise;
/** @vigil/core's detector: the built package (core/dist), or its sources when running under tsx. */
function loadCore() {
  corePromise ??= import('@vigil/core')
    .catch(() => import(new URL('../core/src/index.ts', import.meta.url).href))
    .then((m) => (m.StreamingDetector ? m : m.default))
    .catch(() => null);
  return corePromise;
}

async function anomalyPanel(prometheusUrl, start, end) {
  const result = await prom(prometheusUrl, 'query_range', { query: LIVE_QUERIES.anomaly, start, end, step: STEP_S });
  const series = result[0]?.values ?? [];
  const time = series.map(([t]) => Math.round(t * 1000));
  const value = series.map(([, v]) => num(v));
  const fields = [
    { name: 'Time', type: 'time', values: time },
    { name: 'p95', type: 'number', values: value, config: { unit: 's', displayName: 'api p95 latency' } },
  ];
  const core = await loadCore();
  if (core && time.length > 0) {
    const detector = new core.StreamingDetector({ windowSize: 100, sensitivity: 3, scoring: 'guide' });
    const band = { expected: [], lower: [], upper: [], anomaly: [] };
    for (let i = 0; i < time.length; i++) {
      const r = value[i] === null ? null : detector.detect(value[i], time[i]);
      const ok = r?.reason === 'ok';
      band.expected.push(ok ? r.expected : null);
      band.lower.push(ok ? r.lower : null);
      band.upper.push(ok ? r.upper : null);
      band.anomaly.push(r?.isAnomaly ? 1 : 0);
    }
    for (const [name, values] of Object.entries(band)) {
      fields.push({ name, type: 'number', values, config: name === 'anomaly' ? {} : { unit: 's' } });
    }
  }
  return { title: 'api p95 latency', options: { sensitivity: 3, window: 100 }, frames: time.length ? [{ name: 'api p95 latency', refId: 'A', fields }] : [] };
}

async function sloPanel(prometheusUrl, start, end) {
  const result = await prom(prometheusUrl, 'query_range', { query: LIVE_QUERIES.slo, start, end, step: STEP_S });
  const series = result[0]?.values ?? [];
  const fields = [
    { name: 'Time', type: 'time', values: series.map(([t]) => Math.round(t * 1000)) },
    { name: 'availability', type: 'number', values: series.map(([, v]) => num(v)), config: { unit: 'percentunit', displayName: 'gateway availability' } },
  ];
  return { title: 'gateway availability SLO', options: { objective: 99.9, window: '5m', sliUnit: 'ratio' }, frames: series.length ? [{ name: 'gateway availability', refId: 'A', fields }] : [] };
}

async function alertsPanel(prometheusUrl, end) {
  const [alerts, up] = await Promise.all([
    prom(prometheusUrl, 'query', { query: LIVE_QUERIES.alerts, time: end }),
    prom(prometheusUrl, 'query', { query: LIVE_QUERIES.up, time: end }),
  ]);
  const rows = alerts.map((s) => ({ ...s.metric }));
  for (const s of up) {
    if (num(s.value[1]) === 0) {
      rows.push({ alertname: 'ServiceDown', severity: 'critical', alertstate: 'firing', service: s.metric.service ?? s.metric.job ?? 'unknown' });
    }
  }
  const keys = ['alertname', 'severity', 'alertstate', 'service'];
  const fields = keys.map((k) => ({ name: k, type: 'string', values: rows.map((r) => r[k] ?? '') }));
  return { title: 'Active alerts', options: { maxItems: 10 }, frames: [{ name: 'ALERTS', refId: 'A', fields }] };
}

/** Queries the three panels' data; a failed query becomes that panel's error, not the page's. */
export async function liveFrames(prometheusUrl, now = Date.now()) {
  const end = Math.floor(now / 1000);
  const start = end - RANGE_S;
  const settle = (title, p) => p.catch((e) => ({ title, frames: [], error: `query Prometheus: ${e.message}` }));
  const [anomaly, slo, alerts] = await Promise.all([
    settle('api p95 latency', anomalyPanel(prometheusUrl, start, end)),
    settle('gateway availability SLO', sloPanel(prometheusUrl, start, end)),
    settle('Active alerts', alertsPanel(prometheusUrl, end)),
  ]);
  return { updatedAt: new Date(now).toISOString(), prometheusUrl, anomaly, slo, alerts };
}
