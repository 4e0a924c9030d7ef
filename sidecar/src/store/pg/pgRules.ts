/** The PostgreSQL store's rules (issue 14): not ported yet — every call fails with a 501 (pgPending.ts). */
import type { RuleStore } from '../store';
import { sqliteRuleStore } from '../sqliteRules';
import type { PgDb } from './pgDb';
import { pendingArea } from './pgPending';

/** RuleStore on PostgreSQL. */
export function pgRuleStore(_db: PgDb): RuleStore {
  return pendingArea<RuleStore>(
    'rules',
    sqliteRuleStore(() => {
      throw new Error('unused');
    })
  );
}
