/** The PostgreSQL store's slos (issue 14): not ported yet — every call fails with a 501 (pgPending.ts). */
import type { SloStore } from '../sloStore';
import { sqliteSloStore } from '../sqliteSlos';
import type { PgDb } from './pgDb';
import { pendingArea } from './pgPending';

/** SloStore on PostgreSQL. */
export function pgSloStore(_db: PgDb): SloStore {
  return pendingArea<SloStore>(
    'slos',
    sqliteSloStore(() => {
      throw new Error('unused');
    })
  );
}
