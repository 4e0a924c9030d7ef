/**
 * Pure transforms behind the incident list: the sidecar's incidents (RFC 3339 times) as the table
 * shows them, the state filter, and a live `incident` stream event folded into a loaded list.
 */
import { type IncidentState, type IncidentView, type Severity, SEVERITIES } from '@vigil/core';
import { formatDuration, formatUtc } from '../anomalyRows';
import { parseTime, relativeTime } from '../notify/channelRows';

/** What the list shows: active (open and acknowledged, the default), one state, or all. */
export type IncidentFilter = 'active' | IncidentState | 'all';

/** The filter's choices, in the order the page offers them. */
export const INCIDENT_FILTERS: ReadonlyArray<{ value: IncidentFilter; label: string }> = [
  { value: 'active', label: 'Active' },
  { value: 'open', label: 'Open' },
  { value: 'acknowledged', label: 'Acknowledged' },
  { value: 'resolved', label: 'Resolved' },
  { value: 'all', label: 'All' },
];

/** An incident as the list shows it. */
export interface IncidentRow {
  id: string;
  title: string;
  state: IncidentState;
  severity: Severity;
  /** The root cause's service (or "—") and why it was chosen. */
  rootCauseService: string;
  rootCauseReason: string;
  /** "2026-01-01 10:00:00 UTC" and "5m ago". */
  openedUtc: string;
  openedAgo: string;
  /** How long it has lasted: "ongoing (12m)" or, once resolved, "1h 5m". */
  duration: string;
  /** "4 alerts, 3 suppressed". */
  alerts: string;
  services: string[];
  /** "acknowledged by alice 2m ago", "resolved by bob 1h ago", '' while open. */
  handledBy: string;
}

const NONE = '—';

/** Whether an incident belongs in the list under `filter`. */
export function matchesFilter(state: IncidentState, filter: IncidentFilter): boolean {
  if (filter === 'all') {
    return true;
  }
  if (filter === 'active') {
    return state === 'open' || state === 'acknowledged';
  }
  return state === filter;
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "4 alerts, 3 suppressed" (alertCount counts members and suppressed). */
export function alertCountText(alertCount: number, suppressedCount: number): string {
  const total = Number.isFinite(alertCount) ? alertCount : 0;
  const suppressed = Number.isFinite(suppressedCount) ? suppressedCount : 0;
  return suppressed > 0
    ? `${count(total, 'alert', 'alerts')}, ${suppressed} suppressed`
    : count(total, 'alert', 'alerts');
}

/** Who handled the incident last and when ("resolved by bob 1h ago"); '' while nobody has. */
export function handledByText(i: IncidentView, now: number): string {
  const by = (who: string | null) => (who ? ` by ${who}` : '');
  if (i.state === 'resolved') {
    // Resolved with nobody named: its alerts all resolved on their own.
    return i.resolvedBy
      ? `resolved${by(i.resolvedBy)} ${relativeTime(parseTime(i.resolvedAt), now)}`
      : `resolved with its alerts ${relativeTime(parseTime(i.resolvedAt), now)}`;
  }
  if (i.state === 'acknowledged') {
    return `acknowledged${by(i.acknowledgedBy)} ${relativeTime(parseTime(i.acknowledgedAt), now)}`;
  }
  return '';
}

/** One incident as its row; `now` (epoch ms) is when the list was read. */
export function toIncidentRow(i: IncidentView, now: number): IncidentRow {
  const opened = parseTime(i.openedAt);
  const resolved = parseTime(i.resolvedAt);
  const ended = i.state === 'resolved' && Number.isFinite(resolved);
  return {
    id: i.id,
    title: i.title,
    state: i.state,
    severity: (SEVERITIES as readonly string[]).includes(i.severity) ? i.severity : 'info',
    rootCauseService: i.rootCause?.service ?? NONE,
    rootCauseReason: i.rootCause?.reason ?? '',
    openedUtc: formatUtc(opened),
    openedAgo: relativeTime(opened, now),
    duration: ended ? formatDuration(resolved - opened) : `ongoing (${formatDuration(now - opened)})`,
    alerts: alertCountText(i.alertCount, i.suppressedCount),
    services: [...(i.services ?? [])].sort(),
    handledBy: handledByText(i, now),
  };
}

const STATE_ORDER: Record<IncidentState, number> = { open: 0, acknowledged: 1, resolved: 2 };
const SEVERITY_ORDER: Record<string, number> = { critical: 0, error: 1, warning: 2, info: 3 };

/**
 * The list's order: open before acknowledged before resolved (what still needs someone first), then the
 * most severe, then the most recently updated, then by id so that the order is stable.
 */
export function sortIncidents(list: readonly IncidentView[]): IncidentView[] {
  return [...list].sort(
    (a, b) =>
      (STATE_ORDER[a.state] ?? 9) - (STATE_ORDER[b.state] ?? 9) ||
      (SEVERITY_ORDER[a.severity] ?? 9) - (SEVERITY_ORDER[b.severity] ?? 9) ||
      parseTime(b.updatedAt) - parseTime(a.updatedAt) ||
      a.id.localeCompare(b.id)
  );
}

/** The incidents as rows, in {@link sortIncidents} order. */
export function toIncidentRows(list: readonly IncidentView[], now: number): IncidentRow[] {
  return sortIncidents(list).map((i) => toIncidentRow(i, now));
}

/**
 * A loaded list with one live `incident` event applied: the incident replaces its older self, joins
 * the list when it matches the filter (a new incident, or one reopened), and leaves it when it no
 * longer does (acknowledged under "Open", resolved under "Active"). An event older than what the list
 * holds (`updatedAt`) is ignored: events and reloads may arrive out of order.
 */
export function applyIncidentEvent(
  list: readonly IncidentView[],
  incident: IncidentView,
  filter: IncidentFilter
): IncidentView[] {
  const at = list.findIndex((i) => i.id === incident.id);
  if (at >= 0 && parseTime(list[at].updatedAt) > parseTime(incident.updatedAt)) {
    return [...list];
  }
  const rest = list.filter((i) => i.id !== incident.id);
  return matchesFilter(incident.state, filter) ? sortIncidents([...rest, incident]) : rest;
}
