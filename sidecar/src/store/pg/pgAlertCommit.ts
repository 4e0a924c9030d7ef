/**
 * One scheduler tick's evaluations as ONE PostgreSQL statement (issue 14): every table the tick writes
 * is a data-modifying CTE fed by `unnest` arrays (one parameter per column, any number of rows), so a
 * tick is a single round trip and atomic by itself. The rows are built here as sqliteAlerts.ts builds
 * them; the statement keeps only the rows of rules still stored (`live`).
 *
 * `live` locks those rules (`FOR KEY SHARE`, in id order): a rule deleted meanwhile either waits for
 * this commit (its delete then removes the instances written here, pgRuleWrites.ts) or is gone before
 * it, and its evaluation is skipped — a deleted rule's instances never come back.
 */
import type { Transition } from '@vigil/core';
import { ALERT_EVENT_KIND, alertEventId, eventMessage, finite, historyId } from '../alertRows';
import { inboxInsertArgs } from '../sqliteNotify';
import type { EvaluationCommit } from '../store';
import type { PgQueryable } from './pgDb';
import { columns, lastByKey } from './pgCall';

const LIVE = 'u.rule_id IN (SELECT id FROM live)';

const INSTANCE_COLUMNS = `rule_id, fingerprint, labels, state, since, active_at, fired_at, recovering_since, value,
  threshold, severity, missing_evals, last_eval_at, annotations, error`;
const HISTORY_COLUMNS =
  'id, rule_id, fingerprint, at, from_state, to_state, value, threshold, severity, event, reason, labels';
const STATUS_COLUMNS = 'rule_id, health, last_evaluation, last_duration_ms, last_error, series_count';

/** The statement; `?` parameters in order: rule ids, listed keys (2), instances (15), history (12), events (9), inbox (4), statuses (6). */
const COMMIT_SQL = `WITH live AS MATERIALIZED (
    SELECT id FROM rules WHERE id = ANY(?::text[]) ORDER BY id FOR KEY SHARE
  ),
  del AS (
    DELETE FROM alert_instances a WHERE a.rule_id IN (SELECT id FROM live)
      AND NOT EXISTS (SELECT 1 FROM unnest(?::text[], ?::text[]) AS k(rule_id, fingerprint)
        WHERE k.rule_id = a.rule_id AND k.fingerprint = a.fingerprint)
  ),
  inst AS (
    INSERT INTO alert_instances (${INSTANCE_COLUMNS})
    SELECT u.* FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[],
      ?::bigint[], ?::float8[], ?::float8[], ?::text[], ?::integer[], ?::bigint[], ?::text[], ?::text[])
      AS u(${INSTANCE_COLUMNS})
    WHERE ${LIVE}
    ON CONFLICT (rule_id, fingerprint) DO UPDATE SET labels = excluded.labels, state = excluded.state,
      since = excluded.since, active_at = excluded.active_at, fired_at = excluded.fired_at,
      recovering_since = excluded.recovering_since, value = excluded.value, threshold = excluded.threshold,
      severity = excluded.severity, missing_evals = excluded.missing_evals, last_eval_at = excluded.last_eval_at,
      annotations = excluded.annotations, error = excluded.error
  ),
  hist AS (
    INSERT INTO alert_history (${HISTORY_COLUMNS})
    SELECT u.* FROM unnest(?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[], ?::float8[],
      ?::float8[], ?::text[], ?::text[], ?::text[], ?::text[]) AS u(${HISTORY_COLUMNS})
    WHERE ${LIVE}
    ON CONFLICT (id) DO NOTHING
  ),
  ev AS (
    INSERT INTO events (id, kind, series_key, started_at, ended_at, severity, message, metadata)
    SELECT u.id, u.kind, u.series_key, u.started_at, u.ended_at, u.severity, u.message, u.metadata
    FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::text[])
      AS u(rule_id, id, kind, series_key, started_at, ended_at, severity, message, metadata)
    WHERE ${LIVE}
    ON CONFLICT (id) DO NOTHING
  ),
  inbox AS (
    INSERT INTO notify_inbox (id, received_at, alert)
    SELECT u.id, u.received_at, u.alert FROM unnest(?::text[], ?::text[], ?::bigint[], ?::text[])
      AS u(rule_id, id, received_at, alert)
    WHERE ${LIVE}
  )
  INSERT INTO rule_status (${STATUS_COLUMNS})
  SELECT u.* FROM unnest(?::text[], ?::text[], ?::bigint[], ?::float8[], ?::text[], ?::integer[]) AS u(${STATUS_COLUMNS})
  WHERE ${LIVE}
  ON CONFLICT (rule_id) DO UPDATE SET health = excluded.health, last_evaluation = excluded.last_evaluation,
    last_duration_ms = excluded.last_duration_ms, last_error = excluded.last_error, series_count = excluded.series_count`;

/** The rows of a tick, one array per table (rows as parameter lists in column order). */
interface TickRows {
  listed: unknown[][];
  instances: unknown[][];
  history: unknown[][];
  events: unknown[][];
  inbox: unknown[][];
  statuses: unknown[][];
}

/**
 * The rows of `commits`, as SQLite would leave them after running the commits one by one: a rule
 * committed twice keeps its last instance list (the earlier list's extra instances deleted) and status.
 */
export function tickRows(commits: readonly EvaluationCommit[], receivedAt: number): TickRows {
  const lastOfRule = new Map<string, EvaluationCommit>();
  for (const c of commits) {
    lastOfRule.set(c.ruleId, c);
  }
  const rows: TickRows = { listed: [], instances: [], history: [], events: [], inbox: [], statuses: [] };
  for (const c of lastOfRule.values()) {
    for (const i of lastByKey(c.instances, (i) => i.fingerprint)) {
      rows.listed.push([c.ruleId, i.fingerprint]);
      rows.instances.push([
        c.ruleId,
        i.fingerprint,
        JSON.stringify(i.labels),
        i.state,
        i.since,
        i.activeAt,
        i.firedAt,
        i.recoveringSince,
        finite(i.value),
        finite(i.threshold),
        i.severity,
        i.missingEvals,
        i.lastEvalAt,
        JSON.stringify(i.annotations),
        i.error ?? null,
      ]);
    }
    const st = c.status;
    rows.statuses.push([c.ruleId, st.health, st.lastEvaluation, st.lastDurationMs, st.lastError, st.seriesCount]);
  }
  for (const c of commits) {
    for (const t of c.transitions) {
      transitionRows(c, t, rows);
    }
    for (const a of c.inbound ?? []) {
      rows.inbox.push([c.ruleId, ...inboxInsertArgs(a, receivedAt)]);
    }
  }
  return rows;
}

function transitionRows(c: EvaluationCommit, t: Transition, rows: TickRows): void {
  const value = finite(t.value);
  const threshold = finite(t.threshold);
  rows.history.push([
    historyId(t),
    c.ruleId,
    t.fingerprint,
    t.at,
    t.from,
    t.to,
    value,
    threshold,
    t.severity,
    t.event ?? null,
    t.reason ?? null,
    JSON.stringify(t.labels),
  ]);
  if (!t.event) {
    return;
  }
  const annotations = c.instances.find((i) => i.fingerprint === t.fingerprint)?.annotations ?? {};
  const metadata = {
    ruleId: t.ruleId,
    ...(c.ruleName !== undefined ? { ruleName: c.ruleName } : {}),
    event: t.event,
    labels: t.labels,
    value,
    threshold,
    annotations,
  };
  rows.events.push([
    c.ruleId,
    alertEventId({ ...t, event: t.event }),
    ALERT_EVENT_KIND,
    t.fingerprint,
    t.at,
    t.at,
    t.severity,
    eventMessage(t.event, c.ruleName ?? c.ruleId, annotations.summary),
    JSON.stringify(metadata),
  ]);
}

/** Commits a tick's evaluations with one statement (see the file comment). */
export async function commitTick(q: PgQueryable, commits: readonly EvaluationCommit[]): Promise<void> {
  const rows = tickRows(commits, Date.now());
  const ruleIds = [...new Set(commits.map((c) => c.ruleId))];
  await q.run(COMMIT_SQL, [
    ruleIds,
    ...columns(rows.listed, 2),
    ...columns(rows.instances, 15),
    ...columns(rows.history, 12),
    ...columns(rows.events, 9),
    ...columns(rows.inbox, 4),
    ...columns(rows.statuses, 6),
  ]);
}
