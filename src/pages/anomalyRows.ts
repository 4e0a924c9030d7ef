import type { AnomalyEvent, AnomalySeverity } from '../api/types';

/** Severity as the page shows it: a severity this plugin does not know is shown as `unknown`. */
export type RowSeverity = AnomalySeverity | 'unknown';

/** Whether the anomaly is still going on. */
export type RowStatus = 'open' | 'closed';

/** One line of the Incidents page: an anomaly event, ready to render (text already formatted). */
export interface AnomalyRow {
  id: string;
  severity: RowSeverity;
  status: RowStatus;
  startedAt: number;
  /** Start time, UTC, to the second ("2026-11-27 12:00:00 UTC"). */
  started: string;
  /** "4m 30s" when closed; "ongoing (4m 30s so far)" while open. */
  duration: string;
  detector: string;
  seriesKey: string;
  /** The guide's anomaly type (extreme_high, …), or "—" when the event has none. */
  anomalyType: string;
  message: string;
  /** Peak confidence as a percentage ("93%"), or "—". */
  confidence: string;
}

const SEVERITIES: readonly string[] = ['info', 'warning', 'error'];
const NONE = '—';

/** Formats epoch ms as UTC to the second; UTC so that every viewer reads the same time. */
export function formatUtc(ms: number): string {
  if (!Number.isFinite(ms)) {
    return NONE;
  }
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Formats a duration in ms as its two largest units ("2h 5m", "4m 30s", "12s"). */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) {
    return NONE;
  }
  const s = Math.floor(ms / 1000);
  const units: Array<[number, string]> = [
    [Math.floor(s / 86400), 'd'],
    [Math.floor(s / 3600) % 24, 'h'],
    [Math.floor(s / 60) % 60, 'm'],
    [s % 60, 's'],
  ];
  const first = units.findIndex(([n]) => n > 0);
  if (first === -1) {
    return '0s';
  }
  return units
    .slice(first, first + 2)
    .filter(([n]) => n > 0)
    .map(([n, u]) => `${n}${u}`)
    .join(' ');
}

/** The detector's name: from the metadata, else the series key before its labels (`name{…}`). */
function detectorOf(ev: AnomalyEvent): string {
  const detector = ev.metadata?.detector;
  if (typeof detector === 'string' && detector !== '') {
    return detector;
  }
  const brace = ev.seriesKey.indexOf('{');
  return brace > 0 ? ev.seriesKey.slice(0, brace) : ev.seriesKey;
}

function confidenceOf(ev: AnomalyEvent): string {
  const c = ev.metadata?.confidence;
  return typeof c === 'number' && Number.isFinite(c) ? `${Math.round(c * 100)}%` : NONE;
}

/**
 * Maps one anomaly event to its row. `now` (epoch ms) measures how long an open event has lasted.
 * `endedAt` decides open/closed (the sidecar sets it when the incident closes); the metadata's
 * `status` only repeats it.
 */
export function toAnomalyRow(ev: AnomalyEvent, now: number): AnomalyRow {
  const open = ev.endedAt === null || ev.endedAt === undefined;
  const type = ev.metadata?.anomaly_type;
  return {
    id: ev.id,
    severity: SEVERITIES.includes(ev.severity) ? ev.severity : 'unknown',
    status: open ? 'open' : 'closed',
    startedAt: ev.startedAt,
    started: formatUtc(ev.startedAt),
    duration: open
      ? `ongoing (${formatDuration(now - ev.startedAt)} so far)`
      : formatDuration((ev.endedAt as number) - ev.startedAt),
    detector: detectorOf(ev),
    seriesKey: ev.seriesKey,
    anomalyType: typeof type === 'string' && type !== '' ? type : NONE,
    message: ev.message,
    confidence: confidenceOf(ev),
  };
}

/** Maps the events to rows, newest start first (ties: by id, so the order is stable). */
export function toAnomalyRows(events: readonly AnomalyEvent[], now: number): AnomalyRow[] {
  return events
    .map((ev) => toAnomalyRow(ev, now))
    .sort((a, b) => b.startedAt - a.startedAt || a.id.localeCompare(b.id));
}
