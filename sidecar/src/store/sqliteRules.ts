import type Database from 'better-sqlite3';
import { VigilError } from '../errors';
import type { RuleStore } from './store';

const todo = (): never => {
  throw new VigilError('not_implemented', 'store: rules not implemented yet');
};

/** Rule persistence on SQLite. `db()` returns the open connection (throws once the store is closed). */
export function sqliteRuleStore(db: () => Database.Database): RuleStore {
  void db;
  return {
    listRules: async () => todo(),
    getRule: async () => todo(),
    putRule: async () => todo(),
    deleteRule: async () => todo(),
    replaceFileRules: async () => todo(),
    listChanges: async () => todo(),
  };
}
