/**
 * Pure transforms behind an incident's detail: its alerts (members and suppressed) with the reason each
 * joined or is not notified and the links it carries, its timeline, and the anomaly events around it.
 */
import type {
  CorrelationReason,
  IncidentAlertView,
  IncidentDetail,
  IncidentTimelineEntry,
  RootCause,
  SuppressionReason,
} from '@vigil/core';
import type { AnomalyEvent } from '../../api/types';
import { formatUtc } from '../anomalyRows';
import { parseTime, relativeTime } from '../notify/channelRows';
import { ruleUrls } from '../rules/urls';
import { safeHref } from './urls';

/** Where an alert of an incident links to; a missing link is absent. */
export interface AlertLinks {
  /** The Vigil Rules page searched by the alert's name (alerts of Vigil's own rules carry no generator URL). */
  rule?: string;
  /** The sender's generator URL (the Prometheus / Grafana rule that fired). */
  source?: string;
  /** The `dashboard_url` annotation. */
  dashboard?: string;
  /** The `runbook_url` annotation. */
  runbook?: string;
}

/** An alert of the incident as the detail lists it. */
export interface IncidentAlertRow {
  fingerprint: string;
  role: IncidentAlertView['role'];
  /** The `alertname`, or the fingerprint for an alert without one. */
  name: string;
  service: string;
  severity: IncidentAlertView['severity'];
  status: IncidentAlertView['status'];
  /** The other labels as `k=v`, sorted. */
  labels: string[];
  startedUtc: string;
  summary: string;
  /** Why it joined ("opened the incident" for the first). */
  reason: string;
  /** Why it is not notified; '' for members. */
  suppression: string;
  rootCause: boolean;
  links: AlertLinks;
}

/** A timeline entry as the detail lists it. */
export interface TimelineRow {
  key: string;
  kind: IncidentTimelineEntry['kind'];
  atUtc: string;
  ago: string;
  message: string;
  user: string;
}

const NONE = '—';
const SHOWN_APART = new Set(['alertname', 'severity']);

/** An alert's display name: its `alertname`, else its fingerprint. */
function nameOf(a: Pick<IncidentAlertView, 'labels' | 'fingerprint'> | undefined, fp: string): string {
  return a?.labels?.alertname || fp;
}

/** Looks alerts of the incident up by fingerprint, to name the alert a reason points at. */
export function alertNamer(alerts: readonly IncidentAlertView[]): (fp: string) => string {
  const byFp = new Map(alerts.map((a) => [a.fingerprint, a]));
  return (fp) => {
    const a = byFp.get(fp);
    const service = a?.labels?.service;
    return service ? `${nameOf(a, fp)} (${service})` : nameOf(a, fp);
  };
}

/** Why an alert joined its incident, in words ("same service as DbDown (database)"). */
export function correlationText(reason: CorrelationReason | null, name: (fp: string) => string): string {
  if (!reason) {
    return 'opened the incident';
  }
  switch (reason.kind) {
    case 'same_service':
      return `same service (${reason.service}) as ${name(reason.with)}`;
    case 'dependency':
      return `${reason.downstream} depends on ${reason.upstream}: correlated with ${name(reason.with)}`;
    case 'symptom':
      return `related symptom (${reason.group}) of ${name(reason.with)}`;
    default:
      return 'correlated';
  }
}

/** Why an alert is not notified, in words; '' when it is. */
export function suppressionText(reason: SuppressionReason | null, name: (fp: string) => string): string {
  if (!reason) {
    return '';
  }
  switch (reason.kind) {
    case 'higher_severity':
      return `a correlated ${reason.severity} alert is active: ${name(reason.by)}`;
    case 'downstream':
      return `downstream effect of ${reason.upstream}: ${name(reason.by)} is active`;
    default:
      return 'suppressed';
  }
}

/** The links of one alert: rule, generator, dashboard and runbook (only safe hrefs). */
export function alertLinks(a: IncidentAlertView): AlertLinks {
  const links: AlertLinks = {};
  const source = safeHref(a.generatorURL);
  if (source) {
    links.source = source;
  } else if (a.labels?.alertname) {
    // No generator URL: a Vigil rule's alert (the sidecar's own rules send none).
    links.rule = ruleUrls.search(a.labels.alertname);
  }
  const dashboard = safeHref(a.annotations?.dashboard_url);
  if (dashboard) {
    links.dashboard = dashboard;
  }
  const runbook = safeHref(a.annotations?.runbook_url);
  if (runbook) {
    links.runbook = runbook;
  }
  return links;
}

/**
 * The incident's alerts as rows: members first, then suppressed; in each, the root cause first, then by
 * start time (the storm as it unfolded).
 */
export function toAlertRows(alerts: readonly IncidentAlertView[], root: RootCause | null): IncidentAlertRow[] {
  const name = alertNamer(alerts);
  return [...alerts]
    .sort(
      (a, b) =>
        (a.role === 'member' ? 0 : 1) - (b.role === 'member' ? 0 : 1) ||
        (a.fingerprint === root?.fingerprint ? 0 : 1) - (b.fingerprint === root?.fingerprint ? 0 : 1) ||
        parseTime(a.startsAt) - parseTime(b.startsAt) ||
        a.fingerprint.localeCompare(b.fingerprint)
    )
    .map((a) => ({
      fingerprint: a.fingerprint,
      role: a.role,
      name: nameOf(a, a.fingerprint),
      service: a.labels?.service ?? NONE,
      severity: a.severity,
      status: a.status,
      labels: Object.keys(a.labels ?? {})
        .filter((k) => !SHOWN_APART.has(k))
        .sort()
        .map((k) => `${k}=${a.labels[k]}`),
      startedUtc: formatUtc(parseTime(a.startsAt)),
      summary: a.summary ?? a.annotations?.summary ?? '',
      reason: correlationText(a.correlation, name),
      suppression: a.role === 'suppressed' ? suppressionText(a.suppression, name) || 'suppressed' : '',
      rootCause: a.fingerprint === root?.fingerprint,
      links: alertLinks(a),
    }));
}

/** The root cause in words: "database: DbDown — most upstream service with an active alert (database)". */
export function rootCauseText(incident: Pick<IncidentDetail, 'rootCause' | 'alerts'>): { what: string; why: string } {
  const root = incident.rootCause;
  const alert = incident.alerts.find((a) => a.fingerprint === root?.fingerprint);
  const name = nameOf(alert, root?.fingerprint ?? NONE);
  return { what: root?.service ? `${root.service}: ${name}` : name, why: root?.reason ?? '' };
}

/** The timeline, oldest first (as the incident unfolded), times in UTC and relative to `now`. */
export function toTimelineRows(timeline: readonly IncidentTimelineEntry[], now: number): TimelineRow[] {
  return timeline
    .map((t, i) => ({ t, i, at: parseTime(t.at) }))
    .sort((a, b) => a.at - b.at || a.i - b.i)
    .map(({ t, i, at }) => ({
      key: `${i}-${t.at}-${t.kind}`,
      kind: t.kind,
      atUtc: formatUtc(at),
      ago: relativeTime(at, now),
      message: t.message,
      user: t.user ?? '',
    }));
}

/** How far before an incident opened an anomaly still counts as "around it" (the correlation window's default). */
export const ANOMALY_LEAD_MS = 5 * 60_000;

/** The window of anomalies shown with an incident: from a little before it opened to its end (or now). */
export function anomalyWindow(incident: Pick<IncidentDetail, 'openedAt' | 'resolvedAt'>, now: number) {
  const opened = parseTime(incident.openedAt);
  const resolved = parseTime(incident.resolvedAt);
  const from = (Number.isFinite(opened) ? opened : now) - ANOMALY_LEAD_MS;
  return { from, to: Math.max(from, Number.isFinite(resolved) ? resolved : now) };
}

/** The services an anomaly event is about: its labels' `service`, or `service="…"` in its series key. */
export function anomalyServices(ev: AnomalyEvent): string[] {
  const out = new Set<string>();
  const labelled = ev.metadata?.labels?.service;
  if (typeof labelled === 'string' && labelled !== '') {
    out.add(labelled);
  }
  for (const m of ev.seriesKey.matchAll(/(?:^|[{,\s])service="([^"]*)"/g)) {
    out.add(m[1]);
  }
  return [...out];
}

/**
 * The anomaly events that are context for an incident: of one of its services, overlapping its window
 * (an open anomaly lasts until now).
 */
export function anomaliesAround(
  incident: Pick<IncidentDetail, 'openedAt' | 'resolvedAt' | 'services'>,
  events: readonly AnomalyEvent[],
  now: number
): AnomalyEvent[] {
  const { from, to } = anomalyWindow(incident, now);
  const services = new Set(incident.services ?? []);
  return events.filter(
    (ev) => ev.startedAt <= to && (ev.endedAt ?? now) >= from && anomalyServices(ev).some((s) => services.has(s))
  );
}
