/**
 * Panel data for the host's /live page, queried from Prometheus on each request (the page polls every
 * 15 s), in the same shape as host/testdata fixtures. What a dashboard of the demo workload would query:
 *   anomaly  api p95 latency (query_range); the panel draws the expected band and marks anomalies;
 *   slo      gateway availability SLI (query_range), 99.9% objective;
 *   alerts   Prometheus `ALERTS`: the firing and pending alerts of its rules (demo/rules.yml in the demo).
 */

/** The live queries, on the demo workload's metrics (demo/workload). */
export const LIVE_QUERIES = {
  anomaly:
    'histogram_quantile(0.95, sum by (le) (rate(vigil_demo_request_duration_seconds_bucket{service="api"}[1m])))',
  slo: 'sum(rate(vigil_demo_requests_total{service="gateway",code!~"5.."}[5m])) / sum(rate(vigil_demo_requests_total{service="gateway"}[5m]))',
  alerts: 'ALERTS',
};

// The last hour at 10 s (360 points), as a dashboard's "Last 1 hour": with the history the demo
// backfills, the detector is warm well before the last minutes, where injected incidents show.
const RANGE_S = 3600;
const STEP_S = 10;
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

async function anomalyPanel(prometheusUrl, start, end) {
  const result = await prom(prometheusUrl, 'query_range', { query: LIVE_QUERIES.anomaly, start, end, step: STEP_S });
  const series = result[0]?.values ?? [];
  const time = series.map(([t]) => Math.round(t * 1000));
  const value = series.map(([, v]) => num(v));
  const fields = [
    { name: 'Time', type: 'time', values: time },
    { name: 'p95', type: 'number', values: value, config: { unit: 's', displayName: 'api p95 latency' } },
  ];
  return {
    title: 'api p95 latency',
    // The panel runs @vigil/core's detector on the series, with its defaults (the sidecar's).
    options: {},
    frames: time.length ? [{ name: 'api p95 latency', refId: 'A', fields }] : [],
  };
}

async function sloPanel(prometheusUrl, start, end) {
  const result = await prom(prometheusUrl, 'query_range', { query: LIVE_QUERIES.slo, start, end, step: STEP_S });
  const series = result[0]?.values ?? [];
  const fields = [
    { name: 'Time', type: 'time', values: series.map(([t]) => Math.round(t * 1000)) },
    {
      name: 'availability',
      type: 'number',
      values: series.map(([, v]) => num(v)),
      config: { unit: 'percentunit', displayName: 'gateway availability' },
    },
  ];
  return {
    title: 'gateway availability SLO',
    options: { objective: 99.9, window: '5m', sliUnit: 'ratio' },
    frames: series.length ? [{ name: 'gateway availability', refId: 'A', fields }] : [],
  };
}

async function alertsPanel(prometheusUrl, end) {
  const alerts = await prom(prometheusUrl, 'query', { query: LIVE_QUERIES.alerts, time: end });
  // As Grafana's Prometheus datasource returns an instant query: one frame per series, labels on the value.
  const frames = alerts.map((s, i) => ({
    name: 'ALERTS',
    refId: 'A',
    fields: [
      { name: 'Time', type: 'time', values: [Math.round(s.value[0] * 1000)] },
      {
        name: 'Value',
        type: 'number',
        values: [num(s.value[1])],
        labels: s.metric,
        config: { displayName: `alert ${i + 1}` },
      },
    ],
  }));
  return { title: 'Active alerts', options: { maxItems: 10 }, frames };
}

/** Queries the three panels' data; a failed query becomes that panel's error, not the page's. */
export async function liveFrames(prometheusUrl, now = Date.now()) {
  const end = Math.floor(now / 1000);
  const start = end - RANGE_S;
  const timeRange = { from: start * 1000, to: end * 1000 };
  const settle = (title, p) =>
    p.then(
      (panel) => ({ ...panel, timeRange }),
      (e) => ({ title, frames: [], timeRange, error: `query Prometheus: ${e.message}` })
    );
  const [anomaly, slo, alerts] = await Promise.all([
    settle('api p95 latency', anomalyPanel(prometheusUrl, start, end)),
    settle('gateway availability SLO', sloPanel(prometheusUrl, start, end)),
    settle('Active alerts', alertsPanel(prometheusUrl, end)),
  ]);
  return { updatedAt: new Date(now).toISOString(), prometheusUrl, anomaly, slo, alerts };
}
