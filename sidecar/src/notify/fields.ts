/**
 * Shared, channel-neutral view of a notification: the documented template fields every channel uses
 * (PagerDuty summary, Slack fields, email subject and bodies), and length-safe truncation.
 */
import type { Severity } from '@vigil/core';
import type { Notification, NotificationAlert } from './types';

const SEVERITY_ORDER: readonly Severity[] = ['critical', 'error', 'warning', 'info'];

/**
 * The template fields a channel may show, all strings (empty when unknown). This is the documented set
 * for title and body templates (`{{name}}`, `{{severity}}`, …; see {@link renderTemplate}).
 */
export interface TemplateFields {
  /** `firing` or `resolved`. */
  status: string;
  /** Upper-case status, e.g. `FIRING`. */
  statusUpper: string;
  /** Rule name (`alertname`). */
  name: string;
  /** critical/error/warning/info: the most severe of the group's alerts. */
  severity: Severity;
  /** Upper-case severity, e.g. `CRITICAL`. */
  severityUpper: string;
  /** `service` label, or `N/A` as in the guide. */
  service: string;
  /** Current (or last) value of the first alert, `N/A` when none. */
  value: string;
  /** Threshold of the first alert, `N/A` when none. */
  threshold: string;
  /** How long the group has fired (until `now`, or until it resolved), e.g. `5m 30s`. */
  duration: string;
  /** `summary` annotation, or a generated one. */
  summary: string;
  /** `description` annotation. */
  description: string;
  /** `runbook_url` annotation. */
  runbookURL: string;
  /** `dashboard_url` annotation. */
  dashboardURL: string;
  /** Vigil's external URL. */
  externalURL: string;
  /** Number of firing alerts in the group. */
  firingCount: string;
  /** Number of resolved alerts in the group. */
  resolvedCount: string;
}

/** Names of the {@link TemplateFields}, for documentation and template validation. */
export const TEMPLATE_FIELD_NAMES: ReadonlyArray<keyof TemplateFields> = [
  'status',
  'statusUpper',
  'name',
  'severity',
  'severityUpper',
  'service',
  'value',
  'threshold',
  'duration',
  'summary',
  'description',
  'runbookURL',
  'dashboardURL',
  'externalURL',
  'firingCount',
  'resolvedCount',
];

/** Severity of a group: the most severe `severity` label among its alerts; Alertmanager's PagerDuty default `error` otherwise. */
export function groupSeverity(n: Notification): Severity {
  const found = new Set<string>([n.commonLabels.severity ?? '', ...n.alerts.map((a) => a.labels.severity ?? '')]);
  return SEVERITY_ORDER.find((s) => found.has(s)) ?? 'error';
}

/** Value of a label or annotation shared by the group, else of its first alert. */
function common(n: Notification, kind: 'labels' | 'annotations', key: string): string {
  const shared = kind === 'labels' ? n.commonLabels[key] : n.commonAnnotations[key];
  return shared ?? n.alerts[0]?.[kind][key] ?? '';
}

/** Formats a number for people: integers as is, others with 6 significant digits. */
export function formatNumber(v: number | null): string {
  if (v === null || !Number.isFinite(v)) {
    return v === null ? 'N/A' : String(v);
  }
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
}

/** Formats milliseconds as `1d 2h 3m 4s` (largest three units), `0s` for nothing. */
export function formatDuration(ms: number): string {
  let s = Math.max(0, Math.floor(ms / 1000));
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (s >= size) {
      parts.push(`${Math.floor(s / size)}${unit}`);
      s %= size;
    }
  }
  return parts.slice(0, 3).join(' ') || '0s';
}

/** True when the alert has a real end time (not null, not Go's zero time). */
export function hasEnded(a: NotificationAlert): boolean {
  return a.endsAt !== null && !a.endsAt.startsWith('0001-');
}

/** Milliseconds the group has been active: earliest start to `now` (firing) or to the latest end (resolved). */
export function groupDurationMs(n: Notification, now: number): number {
  const starts = n.alerts.map((a) => Date.parse(a.startsAt)).filter(Number.isFinite);
  if (starts.length === 0) {
    return 0;
  }
  const ends = n.alerts
    .filter(hasEnded)
    .map((a) => Date.parse(a.endsAt as string))
    .filter(Number.isFinite);
  const end = n.status === 'resolved' && ends.length > 0 ? Math.max(...ends) : now;
  return Math.max(0, end - Math.min(...starts));
}

/** Builds the documented template fields of a notification; `now` (epoch ms) dates a firing group. */
export function templateFields(n: Notification, now: number): TemplateFields {
  const severity = groupSeverity(n);
  const name = common(n, 'labels', 'alertname') || 'Alert';
  const firing = n.alerts.filter((a) => a.status === 'firing');
  const first = firing[0] ?? n.alerts[0];
  const groupDesc = Object.entries(n.groupLabels)
    .filter(([k]) => k !== 'alertname')
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  const fallbackSummary = `${name}${groupDesc ? ` (${groupDesc})` : ''}`;
  return {
    status: n.status,
    statusUpper: n.status.toUpperCase(),
    name,
    severity,
    severityUpper: severity.toUpperCase(),
    service: common(n, 'labels', 'service') || 'N/A',
    value: formatNumber(first?.value ?? null),
    threshold: formatNumber(first?.threshold ?? null),
    duration: formatDuration(groupDurationMs(n, now)),
    summary: common(n, 'annotations', 'summary') || fallbackSummary,
    description: common(n, 'annotations', 'description'),
    runbookURL: common(n, 'annotations', 'runbook_url'),
    dashboardURL: common(n, 'annotations', 'dashboard_url'),
    externalURL: n.externalURL,
    firingCount: String(firing.length),
    resolvedCount: String(n.alerts.length - firing.length),
  };
}

/**
 * Renders `{{field}}` placeholders from {@link TemplateFields}; unknown names render empty, so a typo
 * shows as a gap rather than a crash at 3 a.m. (use {@link unknownTemplateFields} to reject them early).
 */
export function renderTemplate(template: string, fields: TemplateFields): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, key: string) =>
    (TEMPLATE_FIELD_NAMES as readonly string[]).includes(key) ? fields[key as keyof TemplateFields] : ''
  );
}

/** Placeholder names in a template that are not template fields (for config validation). */
export function unknownTemplateFields(template: string): string[] {
  const names = [...template.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]);
  return names.filter((k) => !(TEMPLATE_FIELD_NAMES as readonly string[]).includes(k));
}

/**
 * Cuts `s` to at most `max` UTF-16 code units, ending with `…` when cut, never splitting a surrogate
 * pair. UTF-16 length ≥ code-point count, so the result also fits limits counted in characters
 * (Alertmanager's `TruncateInRunes`, PagerDuty's and Slack's documented limits).
 */
export function truncate(s: string, max: number): string {
  if (s.length <= max) {
    return s;
  }
  if (max <= 0) {
    return '';
  }
  let cut = max - 1;
  const code = s.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) {
    cut -= 1; // do not leave a lone high surrogate before the ellipsis
  }
  return `${s.slice(0, cut)}…`;
}
