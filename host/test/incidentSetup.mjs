/**
 * What the Incidents page's browser case needs around the sidecar: the `correlation` section of its
 * config (a topology per Grafana line), alerts posted to its Alertmanager receiver as Alertmanager sends
 * them, and a wait for correlation to make an incident of them.
 */
import { randomBytes } from 'node:crypto';

const LINES = ['12', '13'];
/** How long the case waits for correlation to turn the posted alerts into an incident. */
const INCIDENT_WAIT_MS = 30_000;

/** A service of one Grafana line (`db-12`): each line gets its own incident. */
export const svc = (name, line) => `${name}-${line}`;

/**
 * The sidecar's `correlation` section: the guide's cascade per line — orders call the gateway, the
 * gateway the API, the API the database — so the database is upstream of everything.
 */
export function incidentCorrelationConfig() {
  const dependsOn = {};
  for (const line of LINES) {
    dependsOn[svc('api', line)] = [svc('db', line)];
    dependsOn[svc('gateway', line)] = [svc('api', line)];
    dependsOn[svc('orders', line)] = [svc('gateway', line)];
  }
  return { enabled: true, window: '5m', topology: { dependsOn } };
}

/** An Alertmanager v4 webhook alert, firing since `startsAt`. */
export function amAlert(alertname, service, severity, startsAt, extra = {}) {
  return {
    status: 'firing',
    labels: { alertname, service, severity, browser_test: 'incidents' },
    annotations: { summary: `${alertname} on ${service}`, ...(extra.annotations ?? {}) },
    startsAt: new Date(startsAt).toISOString(),
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: extra.generatorURL ?? '',
    fingerprint: randomBytes(8).toString('hex'),
  };
}

/** Posts alerts to the sidecar's Alertmanager receiver, as Alertmanager does (its token, webhook v4). */
export async function postAlerts(ctx, alerts) {
  const res = await fetch(`${ctx.sidecarUrl}/api/v1/receivers/alertmanager`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ctx.sidecarToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      version: '4',
      groupKey: `{}:{browser_test="incidents"}`,
      truncatedAlerts: 0,
      status: 'firing',
      receiver: 'vigil',
      groupLabels: {},
      commonLabels: { browser_test: 'incidents' },
      commonAnnotations: {},
      externalURL: 'http://127.0.0.1:9093',
      alerts,
    }),
  });
  if (res.status >= 300) {
    throw new Error(
      `the sidecar's Alertmanager receiver answered HTTP ${res.status}: ${(await res.text()).slice(0, 300)}`
    );
  }
}

/** GET on the sidecar with its token (not through the page). */
export async function sidecarGet(ctx, path) {
  const res = await fetch(`${ctx.sidecarUrl}/api/v1${path}`, {
    headers: { authorization: `Bearer ${ctx.sidecarToken}` },
    signal: AbortSignal.timeout(5000),
  });
  const text = await res.text();
  if (res.status !== 200) {
    throw new Error(`sidecar GET ${path} answered HTTP ${res.status}: ${text.slice(0, 300)}`);
  }
  return JSON.parse(text);
}

/**
 * The storm of one line: the database down (critical, with a dashboard link), the API's error rate
 * (error; no generator URL, so the page links its rule by name) and the gateway's latency (warning,
 * with the generator URL Prometheus would send). Waits until the sidecar lists an incident holding the
 * database's alert and returns it.
 */
export async function seedIncident(ctx) {
  const t0 = Date.now() - 60_000;
  const db = svc('db', ctx.line);
  await postAlerts(ctx, [
    amAlert('DatabaseDown', db, 'critical', t0, { annotations: { dashboard_url: '/d/vigil-db/database' } }),
    amAlert('HighErrorRate', svc('api', ctx.line), 'error', t0 + 10_000),
    amAlert('GatewayLatency', svc('gateway', ctx.line), 'warning', t0 + 20_000, {
      generatorURL: 'http://127.0.0.1:9090/graph?g0.expr=gateway_p95',
    }),
  ]);
  const deadline = Date.now() + INCIDENT_WAIT_MS;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const { incidents } = await sidecarGet(ctx, '/incidents?state=open');
      const found = incidents.find((i) => i.services?.includes(db));
      if (found && found.alertCount >= 3) {
        return found;
      }
      last = JSON.stringify(incidents.map((i) => [i.title, i.services, i.alertCount])).slice(0, 300);
    } catch (e) {
      last = e.message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `no incident of ${db} with the 3 posted alerts ${INCIDENT_WAIT_MS / 1000} s after posting them to the ` +
      `Alertmanager receiver (last answer: ${last}): correlation must run in the dispatcher for this case`
  );
}
