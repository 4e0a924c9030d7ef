/** Rows of the incident tables (migration 6) and their mapping to records and statement parameters. */
import type { CorrelationReason, IncidentState, RootCause, Severity, SuppressionReason } from '@vigil/core';
import type { IncidentAlertRecord, IncidentRecord, IncidentTimelineRecord } from './incidentStore';

/** An `incidents` row; `root_cause` is JSON. */
export interface IncidentRow {
  id: string;
  title: string;
  severity: string;
  state: string;
  root_cause: string;
  opened_at: number;
  updated_at: number;
  acknowledged_at: number | null;
  acknowledged_by: string | null;
  resolved_at: number | null;
  resolved_by: string | null;
}

/** An `incident_alerts` row; labels, annotations, correlation and suppression are JSON. */
export interface IncidentAlertRow {
  incident_id: string;
  fingerprint: string;
  role: string;
  labels: string;
  annotations: string;
  severity: string;
  status: string;
  starts_at: number;
  ends_at: number | null;
  generator_url: string | null;
  correlation: string | null;
  suppression: string | null;
  joined_at: number;
}

/** An `incident_timeline` row. */
export interface TimelineRow {
  id: string;
  incident_id: string;
  at: number;
  kind: string;
  message: string;
  user_name: string | null;
}

// BIGINT columns come back as numbers from SQLite but as strings from some PostgreSQL drivers.
const num = (v: number | null): number | null => (v === null ? null : Number(v));
const json = <T>(v: string | null): T | null => (v === null ? null : (JSON.parse(v) as T));

/** Maps an `incidents` row. */
export const toIncident = (r: IncidentRow): IncidentRecord => ({
  id: r.id,
  title: r.title,
  state: r.state as IncidentState,
  severity: r.severity as Severity,
  rootCause: JSON.parse(r.root_cause) as RootCause,
  openedAt: Number(r.opened_at),
  updatedAt: Number(r.updated_at),
  acknowledgedAt: num(r.acknowledged_at),
  acknowledgedBy: r.acknowledged_by,
  resolvedAt: num(r.resolved_at),
  resolvedBy: r.resolved_by,
});

/** Maps an `incident_alerts` row. */
export const toIncidentAlert = (r: IncidentAlertRow): IncidentAlertRecord => ({
  incidentId: r.incident_id,
  fingerprint: r.fingerprint,
  role: r.role as IncidentAlertRecord['role'],
  labels: JSON.parse(r.labels) as Record<string, string>,
  annotations: JSON.parse(r.annotations) as Record<string, string>,
  severity: r.severity as Severity,
  status: r.status as IncidentAlertRecord['status'],
  startsAt: Number(r.starts_at),
  endsAt: num(r.ends_at),
  generatorURL: r.generator_url,
  correlation: json<CorrelationReason>(r.correlation),
  suppression: json<SuppressionReason>(r.suppression),
  joinedAt: Number(r.joined_at),
});

/** Maps an `incident_timeline` row. */
export const toTimeline = (r: TimelineRow): IncidentTimelineRecord => ({
  id: r.id,
  incidentId: r.incident_id,
  at: Number(r.at),
  kind: r.kind as IncidentTimelineRecord['kind'],
  message: r.message,
  user: r.user_name,
});

// An incident's root cause is written again with each change of its incident (the dispatcher copies
// the record, not the root cause): its JSON is made once per object. Not an alert's labels: each
// inbox entry brings new label objects, so a cache of them only held a WeakMap entry per alert.
const jsonOf = new WeakMap<object, string>();
const cachedJson = (o: object): string => {
  let text = jsonOf.get(o);
  if (text === undefined) {
    text = JSON.stringify(o);
    jsonOf.set(o, text);
  }
  return text;
};

/** Parameters of the incident upsert, in column order (the root cause must not be changed in place). */
export const incidentArgs = (i: IncidentRecord): unknown[] => [
  i.id,
  i.title,
  i.severity,
  i.state,
  cachedJson(i.rootCause),
  i.openedAt,
  i.updatedAt,
  i.acknowledgedAt,
  i.acknowledgedBy,
  i.resolvedAt,
  i.resolvedBy,
];

/** Parameters of the incident alert upsert, in column order. */
export const incidentAlertArgs = (a: IncidentAlertRecord): unknown[] => [
  a.incidentId,
  a.fingerprint,
  a.role,
  JSON.stringify(a.labels),
  JSON.stringify(a.annotations),
  a.severity,
  a.status,
  a.startsAt,
  a.endsAt,
  a.generatorURL,
  a.correlation === null ? null : JSON.stringify(a.correlation),
  a.suppression === null ? null : JSON.stringify(a.suppression),
  a.joinedAt,
];

/** Parameters of the timeline insert, in column order. */
export const timelineArgs = (t: IncidentTimelineRecord): unknown[] => [
  t.id,
  t.incidentId,
  t.at,
  t.kind,
  t.message,
  t.user,
];
