/**
 * Stored incidents as the API shows them (core's correlation/api.ts wire types): RFC 3339 times, counts
 * and services from the incident's alerts, each alert with its role, reasons and summary. Pure.
 */
import type { IncidentAlertView, IncidentDetail, IncidentTimelineEntry, IncidentView } from '@vigil/core';
import type { IncidentAlertRecord, IncidentRecord, IncidentTimelineRecord } from '../store';

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

/** An incident in a list: `alerts` are all of its alerts (members and suppressed). */
export function toIncidentView(
  i: IncidentRecord,
  alerts: readonly IncidentAlertRecord[],
  serviceLabel: string
): IncidentView {
  const services = new Set<string>();
  for (const a of alerts) {
    const s = a.labels[serviceLabel];
    if (s) {
      services.add(s);
    }
  }
  return {
    id: i.id,
    title: i.title,
    state: i.state,
    severity: i.severity,
    rootCause: i.rootCause,
    openedAt: iso(i.openedAt),
    updatedAt: iso(i.updatedAt),
    acknowledgedAt: isoOrNull(i.acknowledgedAt),
    acknowledgedBy: i.acknowledgedBy,
    resolvedAt: isoOrNull(i.resolvedAt),
    resolvedBy: i.resolvedBy,
    alertCount: alerts.length,
    suppressedCount: alerts.filter((a) => a.role === 'suppressed').length,
    services: [...services].sort(),
  };
}

/** An alert of an incident. */
export function toIncidentAlertView(a: IncidentAlertRecord): IncidentAlertView {
  return {
    fingerprint: a.fingerprint,
    role: a.role,
    labels: a.labels,
    severity: a.severity,
    status: a.status,
    startsAt: iso(a.startsAt),
    endsAt: isoOrNull(a.endsAt),
    correlation: a.correlation,
    suppression: a.suppression,
    summary: a.annotations.summary ?? null,
    generatorURL: a.generatorURL,
    annotations: a.annotations,
  };
}

/** A timeline entry. */
export function toTimelineEntry(t: IncidentTimelineRecord): IncidentTimelineEntry {
  return { at: iso(t.at), kind: t.kind, message: t.message, user: t.user };
}

/** An incident with its alerts (in the store's order: by start) and timeline (oldest first). */
export function toIncidentDetail(
  i: IncidentRecord,
  alerts: readonly IncidentAlertRecord[],
  timeline: readonly IncidentTimelineRecord[],
  serviceLabel: string
): IncidentDetail {
  return {
    ...toIncidentView(i, alerts, serviceLabel),
    alerts: alerts.map(toIncidentAlertView),
    timeline: timeline.map(toTimelineEntry),
  };
}

/** The list part of a detail (what a stream event carries). */
export function viewOf(d: IncidentDetail): IncidentView {
  const { alerts: _alerts, timeline: _timeline, ...view } = d;
  return view;
}
