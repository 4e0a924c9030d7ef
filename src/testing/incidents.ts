/**
 * Wire objects of the incidents API as the sidecar sends them (core/src/correlation/api.ts), for the
 * Incidents page's Jest tests: the guide's storm in small — the database down, the API above it failing
 * (suppressed: a downstream effect), and the gateway's latency. Builders take overrides.
 */
import type { BackendSrvRequest } from '@grafana/runtime';
import type { IncidentAlertView, IncidentDetail, IncidentTimelineEntry, IncidentView } from '@vigil/core';
import { SIDECAR_PROXY_BASE } from '../api/client';
import anomalies from '../testdata/anomalies.json';
import { type CannedResponse, installFakeBackendSrv } from './fakeBackendSrv';

/** An open critical incident rooted at the database, opened at 10:00 UTC. */
export function incidentView(over: Partial<IncidentView> = {}): IncidentView {
  return {
    id: 'inc-1',
    title: 'database: DatabaseDown (+2 alerts)',
    state: 'open',
    severity: 'critical',
    rootCause: {
      fingerprint: 'fp-db',
      service: 'database',
      reason: 'most upstream service with an active alert (database)',
    },
    openedAt: '2026-01-01T10:00:00.000Z',
    updatedAt: '2026-01-01T10:02:00.000Z',
    acknowledgedAt: null,
    acknowledgedBy: null,
    resolvedAt: null,
    resolvedBy: null,
    alertCount: 3,
    suppressedCount: 1,
    services: ['database', 'api', 'gateway'],
    ...over,
  };
}

/** An alert of the incident; the default is the database's, which opened it. */
export function incidentAlert(over: Partial<IncidentAlertView> = {}): IncidentAlertView {
  return {
    fingerprint: 'fp-db',
    role: 'member',
    labels: { alertname: 'DatabaseDown', service: 'database', severity: 'critical', instance: 'db-1' },
    severity: 'critical',
    status: 'firing',
    startsAt: '2026-01-01T10:00:00.000Z',
    endsAt: null,
    correlation: null,
    suppression: null,
    summary: 'database is down',
    generatorURL: null,
    annotations: { summary: 'database is down', dashboard_url: '/d/db-overview' },
    ...over,
  };
}

/** The three alerts: the database (root), the API (suppressed downstream), the gateway (member). */
export function stormAlerts(): IncidentAlertView[] {
  return [
    incidentAlert(),
    incidentAlert({
      fingerprint: 'fp-api',
      role: 'suppressed',
      labels: { alertname: 'HighErrorRate', service: 'api', severity: 'error' },
      severity: 'error',
      startsAt: '2026-01-01T10:01:00.000Z',
      correlation: { kind: 'dependency', upstream: 'database', downstream: 'api', with: 'fp-db' },
      suppression: { kind: 'downstream', by: 'fp-db', upstream: 'database' },
      summary: null,
      generatorURL: 'http://127.0.0.1:9090/graph?g0.expr=errors',
      annotations: { runbook_url: 'javascript:alert(1)' },
    }),
    incidentAlert({
      fingerprint: 'fp-gw',
      labels: { alertname: 'GatewayLatency', service: 'gateway', severity: 'warning' },
      severity: 'warning',
      startsAt: '2026-01-01T10:02:00.000Z',
      correlation: { kind: 'dependency', upstream: 'api', downstream: 'gateway', with: 'fp-api' },
      summary: 'p95 above 500ms',
      annotations: { runbook_url: 'https://runbooks.example/gateway' },
    }),
  ];
}

/** The timeline of the storm: opened, two alerts joined (one suppressed). */
export function stormTimeline(): IncidentTimelineEntry[] {
  return [
    { at: '2026-01-01T10:00:00.000Z', kind: 'opened', message: 'opened by DatabaseDown (database)', user: null },
    { at: '2026-01-01T10:01:00.000Z', kind: 'alert_suppressed', message: 'HighErrorRate (api) suppressed', user: null },
    { at: '2026-01-01T10:02:00.000Z', kind: 'alert_joined', message: 'GatewayLatency (gateway) joined', user: null },
  ];
}

/** The incident's detail with its alerts and timeline. */
export function incidentDetail(over: Partial<IncidentDetail> = {}): IncidentDetail {
  return { ...incidentView(), alerts: stormAlerts(), timeline: stormTimeline(), ...over };
}

/**
 * A sidecar holding one incident in memory: lists filter by state, acknowledge / resolve change it as
 * `admin` (the user the proxy names) with the comment in the timeline.
 */
export function fakeIncidentSidecar(
  over: (path: string, req: BackendSrvRequest) => CannedResponse | undefined = () => undefined
) {
  const held: { incident: IncidentDetail } = { incident: incidentDetail() };
  const fake = installFakeBackendSrv((req) => {
    const path = req.url.slice(SIDECAR_PROXY_BASE.length);
    const custom = over(path, req);
    if (custom) {
      return custom;
    }
    const { alerts: _a, timeline: _t, ...view } = held.incident;
    if (path === '/incidents') {
      const state = (req.params as { state?: string } | undefined)?.state;
      return { status: 200, body: { incidents: !state || state === view.state ? [view] : [] } };
    }
    if (path === '/incidents/inc-1') {
      return { status: 200, body: held.incident };
    }
    const action = /^\/incidents\/inc-1\/(acknowledge|resolve)$/.exec(path)?.[1];
    if (action && req.method === 'POST') {
      const at = '2026-01-01T10:05:00.000Z';
      const comment = (req.data as { comment?: string }).comment;
      const acked = action === 'acknowledge';
      held.incident = {
        ...held.incident,
        state: acked ? 'acknowledged' : 'resolved',
        ...(acked ? { acknowledgedAt: at, acknowledgedBy: 'admin' } : { resolvedAt: at, resolvedBy: 'admin' }),
        updatedAt: at,
        timeline: [
          ...held.incident.timeline,
          {
            at,
            kind: acked ? 'acknowledged' : 'resolved',
            message: `${action}d${comment ? `: ${comment}` : ''}`,
            user: 'admin',
          },
        ],
      };
      return { status: 200, body: held.incident };
    }
    if (path === '/anomalies') {
      return { status: 200, body: anomalies };
    }
    return { status: 404, body: { error: { code: 'not_found', message: path } } };
  });
  return { fake, held };
}
