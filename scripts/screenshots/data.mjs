/**
 * Live data for the screenshots: panel fixtures (the host page's `/testdata/<name>.json` shape) built from
 * the demo's Prometheus at the moment of the shot, and reads of the demo's sidecar (what to wait for,
 * which incident to open). The three live panels reuse the host's /live queries (host/live.mjs).
 */
import { liveFrames } from '../../host/live.mjs';

const TIMEOUT_MS = 10_000;
/** A dashboard's "Last 1 hour" at 10 s, as the host's /live page queries it. */
const RANGE_S = 3600;
const STEP_S = 10;

/** GET on the sidecar's API with its token; the parsed JSON body, or an error naming the path. */
export async function sidecarGet(sidecar, path) {
  const res = await fetch(`${sidecar.url}/api/v1${path}`, {
    headers: { authorization: `Bearer ${sidecar.token}` },
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (!res.ok) {
    throw new Error(`sidecar GET ${path}: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
  }
  return res.json();
}

/**
 * A Prometheus query over the last hour (`instant`: at its end) as one frame per series, labels on the
 * value field and the legend as `displayNameFromDS`, the way Grafana's Prometheus datasource returns it.
 */
export async function rangeFrames(prometheusUrl, query, { legend, unit, instant = false } = {}) {
  const end = Math.floor(Date.now() / 1000);
  const params = instant
    ? new URLSearchParams({ query, time: String(end) })
    : new URLSearchParams({ query, start: String(end - RANGE_S), end: String(end), step: String(STEP_S) });
  const endpoint = instant ? 'query' : 'query_range';
  const res = await fetch(`${prometheusUrl}/api/v1/${endpoint}?${params}`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  const body = await res.json().catch(() => ({}));
  if (!res.ok || body.status !== 'success') {
    throw new Error(`${endpoint} ${query}: HTTP ${res.status} ${body.error ?? ''}`);
  }
  const num = (v) => (Number.isFinite(Number(v)) ? Number(v) : null);
  const frames = body.data.result.map((s) => {
    const values = instant ? [s.value] : s.values;
    return {
      refId: 'A',
      fields: [
        { name: 'Time', type: 'time', values: values.map(([t]) => Math.round(t * 1000)) },
        {
          name: 'Value',
          type: 'number',
          values: values.map(([, v]) => num(v)),
          labels: s.metric,
          config: { ...(unit ? { unit } : {}), ...(legend ? { displayNameFromDS: legend(s.metric) } : {}) },
        },
      ],
    };
  });
  return { frames, timeRange: { from: (end - RANGE_S) * 1000, to: end * 1000 } };
}

/**
 * The fixtures the panel shots use, by name. `live.*` come from host/live.mjs (the demo page's own
 * queries); the rest are queries a dashboard of the demo would hold, or sidecar-sourced panels (no frames:
 * the panel reads the sidecar through the plugin proxy).
 */
export async function panelFixtures(prometheusUrl) {
  const live = await liveFrames(prometheusUrl);
  for (const panel of [live.anomaly, live.slo, live.alerts]) {
    if (panel.error) {
      throw new Error(`${panel.title}: ${panel.error}`);
    }
  }
  const perService = await rangeFrames(prometheusUrl, 'sum by (service) (rate(vigil_demo_requests_total[1m]))', {
    legend: (m) => m.service,
    unit: 'reqps',
  });
  return {
    'docs-anomaly': { ...live.anomaly, title: 'api p95 latency (anomaly overlay)' },
    'docs-anomaly-services': { title: 'Requests per second by service', options: {}, ...perService },
    'docs-slo-query': { ...live.slo, title: 'Gateway availability (SLI from the query)' },
    'docs-slo-sidecar': {
      title: 'API availability (sidecar SLO)',
      options: { source: 'sidecar', sidecarShow: 'slo', sloId: 'api_availability' },
      frames: [],
    },
    'docs-slo-sidecar-list': {
      title: 'SLOs (sidecar)',
      options: { source: 'sidecar', sidecarShow: 'list', service: '' },
      frames: [],
    },
    'docs-alerts': { ...live.alerts, title: 'Prometheus alerts (ALERTS)', options: { groupBy: 'severity' } },
    'docs-alerts-sidecar': {
      title: 'Vigil alerts by service (sidecar)',
      options: { source: 'sidecar', groupBy: 'service', maxItems: 10 },
      frames: [],
    },
  };
}

/**
 * What the demo must show before the shots are worth taking, with the database down: the sidecar's
 * service_down rule firing for it (its `for` is 1 minute), an open incident rooted at the database, every
 * SLO evaluated, and Prometheus' own rule firing in `ALERTS`. Returns what is missing.
 */
export async function missingLiveState(sidecar, prometheusUrl, service) {
  const out = [];
  const { alerts } = await sidecarGet(sidecar, '/alerts?state=firing&rule=service_down');
  if (!alerts.some((a) => a.labels?.service === service)) {
    out.push(`the sidecar's service_down rule not firing for ${service} yet`);
  }
  const { incidents } = await sidecarGet(sidecar, '/incidents?state=open');
  if (!incidents.some((i) => i.rootCause?.service === service)) {
    out.push(`no open incident rooted at ${service}`);
  }
  const { slos } = await sidecarGet(sidecar, '/slos');
  const unevaluated = slos.filter((s) => !s.status).map((s) => s.id);
  if (unevaluated.length) {
    out.push(`SLOs not evaluated yet: ${unevaluated.join(', ')}`);
  }
  const query = `ALERTS{alertname="VigilDemoServiceDown",alertstate="firing",service="${service}"}`;
  const res = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = await res.json();
  if (!body.data?.result?.length) {
    out.push('VigilDemoServiceDown not firing in Prometheus yet (demo/rules.yml)');
  }
  return out;
}

/** The open incident rooted at `service` (the one the detail shot opens). */
export async function openIncidentId(sidecar, service) {
  const { incidents } = await sidecarGet(sidecar, '/incidents?state=open');
  const incident = incidents.find((i) => i.rootCause?.service === service) ?? incidents[0];
  if (!incident) {
    throw new Error('no open incident to open');
  }
  return incident.id;
}
