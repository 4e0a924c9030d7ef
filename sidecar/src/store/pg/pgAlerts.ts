/**
 * Alert state on PostgreSQL (issue 14), the contract of sqliteAlerts.ts. A tick's evaluations commit in
 * one transaction of a fixed number of statements, each covering every evaluation of the tick
 * (pgAlertCommit.ts). No cache: sqliteAlertCache.ts belongs to the notify store, and nothing here is
 * read from memory, so another replica's writes are always seen.
 */
import {
  toInstance,
  toRuleStatus,
  toTransition,
  type HistoryRow,
  type InstanceRow,
  type StatusRow,
} from '../alertRows';
import type { AlertStore, InstanceQuery } from '../store';
import type { PgDb } from './pgDb';
import { pgCall, retryAborted } from './pgCall';
import { commitTick } from './pgAlertCommit';

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
        return rows.map(toRuleStatus);
      }),
  };
}
