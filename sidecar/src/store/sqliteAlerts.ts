import type Database from 'better-sqlite3';
import { VigilError } from '../errors';
import type { AlertStore } from './store';

const todo = (): never => {
  throw new VigilError('not_implemented', 'store: alert state not implemented yet');
};

/** Alert state persistence on SQLite. `db()` returns the open connection (throws once closed). */
export function sqliteAlertStore(db: () => Database.Database): AlertStore {
  void db;
  return {
    listInstances: async () => todo(),
    commitEvaluations: async () => todo(),
    listHistory: async () => todo(),
    listRuleStatuses: async () => todo(),
  };
}
