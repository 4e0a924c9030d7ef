/**
 * The rows of the alert tables (`alert_instances`, `alert_history`, `rule_status`) and what both stores
 * make of them: one mapping for SQLite (sqliteAlerts.ts) and PostgreSQL (pg/pgAlerts.ts, pgAlertCommit.ts).
 */
import type { AlertInstance, AlertState, Severity, Transition } from '@vigil/core';
import type { RuleStatusRecord } from './store';

/** Kind of the events that alert transitions (firing, resolved) become. */
export const ALERT_EVENT_KIND = 'alert';

/** Deterministic id of a transition in `alert_history`: committing it twice stores it once. */
export function historyId(t: Pick<Transition, 'ruleId' | 'fingerprint' | 'at' | 'to'>): string {
  return `${t.ruleId}|${t.fingerprint}|${t.at}|${t.to}`;
}

/** Deterministic id of the `alert` event of a firing or resolved transition. */
export function alertEventId(t: Pick<Transition, 'ruleId' | 'fingerprint' | 'at'> & { event: string }): string {
  return `alert:${t.ruleId}:${t.fingerprint}:${t.event}:${t.at}`;
}

export interface InstanceRow {
  rule_id: string;
  fingerprint: string;
  labels: string;
  state: string;
  since: number;
  active_at: number | null;
  fired_at: number | null;
  recovering_since: number | null;
  value: number | null;
  threshold: number | null;
  severity: string;
  missing_evals: number;
  last_eval_at: number;
  annotations: string;
  error: string | null;
}

export interface HistoryRow {
  rule_id: string;
  fingerprint: string;
  at: number;
  from_state: string;
  to_state: string;
  value: number | null;
  threshold: number | null;
  severity: string;
  event: string | null;
  reason: string | null;
  labels: string;
}

export interface StatusRow {
  rule_id: string;
  health: string;
  last_evaluation: number | null;
  last_duration_ms: number | null;
  last_error: string | null;
  series_count: number;
}

export const num = (v: number | null): number | null => (v === null ? null : Number(v));

export function toInstance(r: InstanceRow): AlertInstance {
  const inst: AlertInstance = {
    ruleId: r.rule_id,
    fingerprint: r.fingerprint,
    labels: JSON.parse(r.labels) as Record<string, string>,
    state: r.state as AlertState,
    since: Number(r.since),
    activeAt: num(r.active_at),
    firedAt: num(r.fired_at),
    recoveringSince: num(r.recovering_since),
    value: num(r.value),
    threshold: num(r.threshold),
    severity: r.severity as Severity,
    missingEvals: Number(r.missing_evals),
    lastEvalAt: Number(r.last_eval_at),
    annotations: JSON.parse(r.annotations) as Record<string, string>,
  };
  if (r.error !== null) {
    inst.error = r.error;
  }
  return inst;
}

export function toTransition(r: HistoryRow): Transition {
  const t: Transition = {
    ruleId: r.rule_id,
    fingerprint: r.fingerprint,
    labels: JSON.parse(r.labels) as Record<string, string>,
    from: r.from_state as AlertState,
    to: r.to_state as AlertState,
    at: Number(r.at),
    value: num(r.value),
    threshold: num(r.threshold),
    severity: r.severity as Severity,
  };
  if (r.event !== null) {
    t.event = r.event as 'firing' | 'resolved';
  }
  if (r.reason !== null) {
    t.reason = r.reason;
  }
  return t;
}

/** A finite number or null: SQLite and PostgreSQL store NaN/±Infinity oddly (SQLite turns NaN into NULL). */
export const finite = (v: number | null): number | null => (v === null || !Number.isFinite(v) ? null : v);

/** The event message: the rendered summary when the rule has one, else `<name> firing|resolved`. */
export function eventMessage(event: 'firing' | 'resolved', name: string, summary: string | undefined): string {
  if (summary) {
    return event === 'resolved' ? `${summary} (resolved)` : summary;
  }
  return `${name} ${event}`;
}

/** A `rule_status` row as the store returns it. */
export function toRuleStatus(r: StatusRow): RuleStatusRecord {
  return {
    ruleId: r.rule_id,
    health: r.health as RuleStatusRecord['health'],
    lastEvaluation: num(r.last_evaluation),
    lastDurationMs: num(r.last_duration_ms),
    lastError: r.last_error,
    seriesCount: Number(r.series_count),
  };
}
