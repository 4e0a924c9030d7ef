/**
 * Alert state on PostgreSQL (issue 14), the contract of sqliteAlerts.ts. A tick's evaluations commit in
 * one transaction of a fixed number of statements, each covering every evaluation of the tick
 * (pgAlertCommit.ts). No cache: sqliteAlertCache.ts belongs to the notify store, and nothing here is
 * read from memory, so another replica's writes are always seen.
 */
import type { AlertInstance, AlertState, Severity, Transition } from '@vigil/core';
import type { AlertStore, InstanceQuery, RuleStatusRecord } from '../store';
import type { PgDb } from './pgDb';
import { pgCall, retryAborted } from './pgCall';
import { commitTick } from './pgAlertCommit';

interface InstanceRow {
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

interface HistoryRow {
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

interface StatusRow {
  rule_id: string;
  health: string;
  last_evaluation: number | null;
  last_duration_ms: number | null;
  last_error: string | null;
  series_count: number;
}

const num = (v: number | null): number | null => (v === null ? null : Number(v));

function toInstance(r: InstanceRow): AlertInstance {
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

function toTransition(r: HistoryRow): Transition {
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

/** AlertStore on PostgreSQL. */
export function pgAlertStore(db: PgDb): AlertStore {
  return {
    listInstances: (query: InstanceQuery = {}) =>
      pgCall(db, 'listing alert instances', async () => {
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
          where.push('state = ANY(?::text[])');
          args.push(query.states);
        }
        const rows = await db.query<InstanceRow>(
          `SELECT * FROM alert_instances${where.length ? ` WHERE ${where.join(' AND ')}` : ''}
           ORDER BY rule_id COLLATE "C", fingerprint COLLATE "C"`,
          args
        );
        return rows.map(toInstance);
      }),

    commitEvaluations: async (commits) => {
      if (commits.length === 0) {
        return;
      }
      await pgCall(db, `committing ${commits.length} rule evaluation(s)`, () =>
        retryAborted(() => commitTick(db, commits))
      );
    },

    listHistory: (fingerprint, limit = 100) =>
      pgCall(db, 'listing alert history', async () => {
        const rows = await db.query<HistoryRow>(
          'SELECT * FROM alert_history WHERE fingerprint = ? ORDER BY at DESC, id COLLATE "C" DESC LIMIT ?',
          [fingerprint, Math.max(0, Math.floor(limit))]
        );
        return rows.map(toTransition);
      }),

    listRuleStatuses: () =>
      pgCall(db, 'listing rule statuses', async () => {
        const rows = await db.query<StatusRow>('SELECT * FROM rule_status ORDER BY rule_id COLLATE "C"');
        return rows.map((r): RuleStatusRecord => ({
          ruleId: r.rule_id,
          health: r.health as RuleStatusRecord['health'],
          lastEvaluation: num(r.last_evaluation),
          lastDurationMs: num(r.last_duration_ms),
          lastError: r.last_error,
          seriesCount: Number(r.series_count),
        }));
      }),
  };
}
