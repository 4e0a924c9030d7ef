import type Database from 'better-sqlite3';
import type { AlertInstance, Transition } from '@vigil/core';
import {
  ALERT_EVENT_KIND,
  alertEventId,
  eventMessage,
  finite,
  historyId,
  toInstance,
  toRuleStatus,
  toTransition,
  type HistoryRow,
  type InstanceRow,
  type StatusRow,
} from './alertRows';
import { VigilError } from '../errors';
import { sqliteStoreError } from './sqliteErrors';
import { INBOX_INSERT_SQL, inboxInsertArgs } from './sqliteNotify';
import type { AlertStore, EvaluationCommit, InstanceQuery } from './store';

const SQL = {
  upsertInstance: `INSERT INTO alert_instances (rule_id, fingerprint, labels, state, since, active_at, fired_at,
      recovering_since, value, threshold, severity, missing_evals, last_eval_at, annotations, error)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (rule_id, fingerprint) DO UPDATE SET labels = excluded.labels, state = excluded.state,
      since = excluded.since, active_at = excluded.active_at, fired_at = excluded.fired_at,
      recovering_since = excluded.recovering_since, value = excluded.value, threshold = excluded.threshold,
      severity = excluded.severity, missing_evals = excluded.missing_evals, last_eval_at = excluded.last_eval_at,
      annotations = excluded.annotations, error = excluded.error`,
  ruleExists: 'SELECT 1 AS found FROM rules WHERE id = ?',
  fingerprintsOfRule: 'SELECT fingerprint FROM alert_instances WHERE rule_id = ?',
  deleteInstance: 'DELETE FROM alert_instances WHERE rule_id = ? AND fingerprint = ?',
  insertHistory: `INSERT INTO alert_history (id, rule_id, fingerprint, at, from_state, to_state, value, threshold,
      severity, event, reason, labels) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
  insertEvent: `INSERT INTO events (id, kind, series_key, started_at, ended_at, severity, message, metadata)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
  upsertStatus: `INSERT INTO rule_status (rule_id, health, last_evaluation, last_duration_ms, last_error, series_count)
    VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (rule_id) DO UPDATE SET health = excluded.health, last_evaluation = excluded.last_evaluation,
      last_duration_ms = excluded.last_duration_ms, last_error = excluded.last_error,
      series_count = excluded.series_count`,
  insertInbox: INBOX_INSERT_SQL,
} as const;

type Statements = { [K in keyof typeof SQL]: Database.Statement };

/**
 * Alert state persistence on SQLite. `db()` returns the open connection (throws once closed).
 * Statements are prepared once per connection; a tick's evaluations commit in one transaction, so a
 * crash leaves either all of them or none (and a restart re-evaluates from the last committed state).
 */
export function sqliteAlertStore(db: () => Database.Database): AlertStore {
  let cached: { db: Database.Database; stmts: Statements; commit: (c: readonly EvaluationCommit[]) => void } | null =
    null;
  const prepared = () => {
    const conn = db();
    if (cached?.db !== conn) {
      const stmts = Object.fromEntries(Object.entries(SQL).map(([k, sql]) => [k, conn.prepare(sql)])) as Statements;
      cached = { db: conn, stmts, commit: conn.transaction((c: readonly EvaluationCommit[]) => commitAll(stmts, c)) };
    }
    return cached;
  };
  return {
    async listInstances(query: InstanceQuery = {}) {
      const where: string[] = [];
      const args: unknown[] = [];
      if (query.ruleId !== undefined) {
        where.push('rule_id = ?');
        args.push(query.ruleId);
      }
      if (query.states !== undefined) {
        if (query.states.length === 0) {
          return [];
        }
        where.push(`state IN (${query.states.map(() => '?').join(', ')})`);
        args.push(...query.states);
      }
      const sql = `SELECT * FROM alert_instances${where.length ? ` WHERE ${where.join(' AND ')}` : ''}
        ORDER BY rule_id, fingerprint`;
      return (
        db()
          .prepare(sql)
          .all(...args) as InstanceRow[]
      ).map(toInstance);
    },

    async commitEvaluations(commits) {
      if (commits.length === 0) {
        return;
      }
      const { commit } = prepared();
      try {
        commit(commits);
      } catch (err) {
        throw sqliteStoreError(`committing ${commits.length} rule evaluation(s)`, err);
      }
    },

    async listHistory(fingerprint, limit = 100) {
      const rows = db()
        .prepare('SELECT * FROM alert_history WHERE fingerprint = ? ORDER BY at DESC, id DESC LIMIT ?')
        .all(fingerprint, Math.max(0, Math.floor(limit))) as HistoryRow[];
      return rows.map(toTransition);
    },

    async listRuleStatuses() {
      const rows = db().prepare('SELECT * FROM rule_status ORDER BY rule_id').all() as StatusRow[];
      return rows.map(toRuleStatus);
    },
  };
}

/** The body of the tick's transaction. */
function commitAll(s: Statements, commits: readonly EvaluationCommit[]): void {
  const receivedAt = Date.now();
  for (const c of commits) {
    // A rule deleted while its evaluation ran: its instances and status must not come back. Checked
    // inside the transaction, so no deletion can slip between the check and the writes.
    if (s.ruleExists.get(c.ruleId) === undefined) {
      continue;
    }
    const listed = new Set<string>();
    for (const i of c.instances) {
      listed.add(i.fingerprint);
      s.upsertInstance.run(
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
        i.error ?? null
      );
    }
    for (const row of s.fingerprintsOfRule.all(c.ruleId) as Array<{ fingerprint: string }>) {
      if (!listed.has(row.fingerprint)) {
        s.deleteInstance.run(c.ruleId, row.fingerprint);
      }
    }
    for (const t of c.transitions) {
      commitTransition(s, c, t);
    }
    // The dispatcher's inbox, in the same transaction: a transition is stored iff it will be routed.
    for (const a of c.inbound ?? []) {
      s.insertInbox.run(...inboxInsertArgs(a, receivedAt));
    }
    const st = c.status;
    s.upsertStatus.run(c.ruleId, st.health, st.lastEvaluation, st.lastDurationMs, st.lastError, st.seriesCount);
  }
}

function commitTransition(s: Statements, c: EvaluationCommit, t: Transition): void {
  const labels = JSON.stringify(t.labels);
  const value = finite(t.value);
  const threshold = finite(t.threshold);
  s.insertHistory.run(
    historyId(t),
    t.ruleId,
    t.fingerprint,
    t.at,
    t.from,
    t.to,
    value,
    threshold,
    t.severity,
    t.event ?? null,
    t.reason ?? null,
    labels
  );
  if (!t.event) {
    return;
  }
  const annotations = c.instances.find((i) => i.fingerprint === t.fingerprint)?.annotations ?? {};
  const name = c.ruleName ?? c.ruleId;
  const metadata = {
    ruleId: t.ruleId,
    ...(c.ruleName !== undefined ? { ruleName: c.ruleName } : {}),
    event: t.event,
    labels: t.labels,
    value,
    threshold,
    annotations,
  };
  // A point in time: the transition itself. Correlation pairs firing and resolved by fingerprint.
  s.insertEvent.run(
    alertEventId({ ...t, event: t.event }),
    ALERT_EVENT_KIND,
    t.fingerprint,
    t.at,
    t.at,
    t.severity,
    eventMessage(t.event, name, annotations.summary),
    JSON.stringify(metadata)
  );
}
