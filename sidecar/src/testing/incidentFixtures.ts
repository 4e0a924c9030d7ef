/**
 * Incident records for tests (store and API): an incident with a root cause, its alerts (the opener, a
 * correlated member, a suppressed one) and timeline entries, every field overridable.
 */
import type { IncidentAlertRecord, IncidentRecord, IncidentTimelineRecord, IncidentWrites } from '../store';

/** A fixed start time (epoch ms) the fixtures are relative to. */
export const T0 = Date.UTC(2026, 11, 7, 3, 0, 0);

/** An open incident whose root cause is the database. */
export const incidentRecord = (id: string, over: Partial<IncidentRecord> = {}): IncidentRecord => ({
  id,
  title: `database down (${id})`,
  state: 'open',
  severity: 'critical',
  rootCause: {
    fingerprint: `${id}-db`,
    service: 'database',
    reason: 'most upstream service with an active alert (database)',
  },
  openedAt: T0,
  updatedAt: T0,
  acknowledgedAt: null,
  acknowledgedBy: null,
  resolvedAt: null,
  resolvedBy: null,
  ...over,
});

/** An alert of an incident (a member that opened it unless overridden). */
export const incidentAlertRecord = (
  incidentId: string,
  fingerprint: string,
  over: Partial<IncidentAlertRecord> = {}
): IncidentAlertRecord => ({
  incidentId,
  fingerprint,
  role: 'member',
  labels: { alertname: `Alert-${fingerprint}`, service: 'database', severity: 'critical' },
  annotations: { summary: `summary of ${fingerprint}` },
  severity: 'critical',
  status: 'firing',
  startsAt: T0,
  endsAt: null,
  generatorURL: null,
  correlation: null,
  suppression: null,
  joinedAt: T0,
  ...over,
});

/** A timeline entry. */
export const timelineRecord = (
  id: string,
  incidentId: string,
  over: Partial<IncidentTimelineRecord> = {}
): IncidentTimelineRecord => ({
  id,
  incidentId,
  at: T0,
  kind: 'opened',
  message: `incident ${incidentId} opened`,
  user: null,
  ...over,
});

/**
 * The demo's shape: the database alert opened the incident, the API's error alert joined it through the
 * dependency, and the gateway's latency alert is suppressed as a downstream effect.
 */
export function cascade(id: string, at = T0): IncidentWrites {
  const db = incidentAlertRecord(id, `${id}-db`, { startsAt: at, joinedAt: at });
  const api = incidentAlertRecord(id, `${id}-api`, {
    labels: { alertname: 'HighErrorRate', service: 'api', severity: 'critical' },
    startsAt: at + 1000,
    joinedAt: at + 1000,
    correlation: { kind: 'dependency', upstream: 'database', downstream: 'api', with: `${id}-db` },
    generatorURL: 'http://127.0.0.1:3000/rules/high_error_rate',
  });
  const gw = incidentAlertRecord(id, `${id}-gw`, {
    role: 'suppressed',
    labels: { alertname: 'GatewayLatency', service: 'gateway', severity: 'warning' },
    annotations: {},
    severity: 'warning',
    startsAt: at + 2000,
    joinedAt: at + 2000,
    correlation: { kind: 'dependency', upstream: 'api', downstream: 'gateway', with: `${id}-api` },
    suppression: { kind: 'downstream', by: `${id}-db`, upstream: 'database' },
  });
  return {
    incidents: [incidentRecord(id, { openedAt: at, updatedAt: at + 2000 })],
    alerts: [db, api, gw],
    timeline: [
      timelineRecord(`${id}-t1`, id, { at, kind: 'opened', message: 'opened by DatabaseDown (database)' }),
      timelineRecord(`${id}-t2`, id, { at: at + 1000, kind: 'alert_joined', message: 'HighErrorRate (api) joined' }),
      timelineRecord(`${id}-t3`, id, { at: at + 2000, kind: 'alert_suppressed', message: 'GatewayLatency suppressed' }),
    ],
  };
}
