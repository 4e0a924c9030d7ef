import { type DataFrame, type Field, FieldType } from '@grafana/data';

/** The guide's alert severities, most urgent first; anything else counts as `other`. */
export const SEVERITIES = ['critical', 'error', 'warning', 'info', 'other'] as const;

/** A severity as the panel counts it. */
export type Severity = (typeof SEVERITIES)[number];

/** Alert state as shown: only firing and pending alerts are active. */
export type AlertState = 'firing' | 'pending';

/** One active alert in the summary. */
export interface AlertItem {
  name: string;
  severity: Severity;
  state: AlertState;
  labels: Record<string, string>;
  /** The Vigil rule that raised it, when known (the sidecar's alerts); else it is found by its name. */
  ruleId?: string;
}

/** Counts per severity plus the active alerts, most urgent first. */
export interface AlertSummary {
  total: number;
  bySeverity: Record<Severity, number>;
  alerts: AlertItem[];
}

const INACTIVE = new Set(['inactive', 'normal', 'ok', 'resolved', 'nodata', 'no_data']);

/** Maps a raw severity label to the guide's levels (Prometheus' and Grafana's spellings included). */
export function toSeverity(raw: string | undefined): Severity {
  const value = (raw ?? '').toLowerCase();
  // Prometheus rules often say "page"/"critical", Grafana "crit"; keep the guide's four levels.
  if (value === 'critical' || value === 'crit' || value === 'page') {
    return 'critical';
  }
  if (value === 'error' || value === 'err' || value === 'major') {
    return 'error';
  }
  if (value === 'warning' || value === 'warn' || value === 'minor') {
    return 'warning';
  }
  if (value === 'info' || value === 'informational' || value === 'none') {
    return 'info';
  }
  return 'other';
}

/** Maps a raw state to an active state, or undefined when the alert is not active. */
function toState(raw: string | undefined): AlertState | undefined {
  const value = (raw ?? 'firing').toLowerCase();
  if (INACTIVE.has(value)) {
    return undefined;
  }
  return value === 'pending' ? 'pending' : 'firing';
}

function fieldByName(frame: DataFrame, names: string[]): Field | undefined {
  return frame.fields.find((f) => names.includes(f.name.toLowerCase()));
}

function lastNumber(field: Field): number | undefined {
  for (let i = field.values.length - 1; i >= 0; i--) {
    const v = field.values[i];
    if (typeof v === 'number' && !Number.isNaN(v)) {
      return v;
    }
  }
  return undefined;
}

function item(labels: Record<string, string>): AlertItem | undefined {
  const state = toState(labels.alertstate ?? labels.state);
  if (!state) {
    return undefined;
  }
  return {
    name: labels.alertname ?? labels.name ?? 'unnamed alert',
    severity: toSeverity(labels.severity),
    state,
    labels,
  };
}

/** Rows of a table frame with an `alertname`/`name` column: one alert per row. */
function fromTable(frame: DataFrame, nameField: Field): AlertItem[] {
  const columns = frame.fields.filter((f) => f.type === FieldType.string || f === nameField);
  const out: AlertItem[] = [];
  for (let row = 0; row < frame.length; row++) {
    const labels: Record<string, string> = {};
    for (const f of columns) {
      const v = f.values[row];
      if (v !== null && v !== undefined && v !== '') {
        labels[f.name.toLowerCase() === 'name' ? 'alertname' : f.name] = String(v);
      }
    }
    const alert = item(labels);
    if (alert) {
      out.push(alert);
    }
  }
  return out;
}

/**
 * Prometheus `ALERTS` series: one frame per series, the alert in the value field's labels. A series
 * whose latest value is 0 or missing is not active.
 */
function fromSeries(frame: DataFrame): AlertItem[] {
  const out: AlertItem[] = [];
  for (const f of frame.fields) {
    if (f.type !== FieldType.number || !f.labels?.alertname) {
      continue;
    }
    const last = lastNumber(f);
    if (last === undefined || last === 0) {
      continue;
    }
    const alert = item({ ...f.labels });
    if (alert) {
      out.push(alert);
    }
  }
  return out;
}

/**
 * Summarizes active alerts from the panel's frames. Accepts tables with `alertname` (or `name`),
 * `severity` and `state`/`alertstate` columns, and Prometheus `ALERTS` series (labels on the value
 * field). Inactive rows (`normal`, `inactive`, `resolved`...) are left out.
 */
export function summarizeAlerts(series: DataFrame[]): AlertSummary {
  const alerts: AlertItem[] = [];
  for (const frame of series) {
    const nameField = fieldByName(frame, ['alertname', 'name']);
    alerts.push(...(nameField ? fromTable(frame, nameField) : fromSeries(frame)));
  }
  return summarizeItems(alerts);
}

/** Counts per severity and the items most urgent first (firing before pending, then by name). */
export function summarizeItems(items: readonly AlertItem[]): AlertSummary {
  const alerts = [...items];
  const rank = (a: AlertItem) => SEVERITIES.indexOf(a.severity) * 2 + (a.state === 'firing' ? 0 : 1);
  alerts.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const a of alerts) {
    bySeverity[a.severity]++;
  }
  return { total: alerts.length, bySeverity, alerts };
}
