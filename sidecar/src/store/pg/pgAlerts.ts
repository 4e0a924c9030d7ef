/** The PostgreSQL store's alerts (issue 14): not ported yet — every call fails with a 501 (pgPending.ts). */
import type { AlertStore } from '../store';
import { sqliteAlertStore } from '../sqliteAlerts';
import type { PgDb } from './pgDb';
import { pendingArea } from './pgPending';

/** AlertStore on PostgreSQL. */
export function pgAlertStore(_db: PgDb): AlertStore {
  return pendingArea<AlertStore>(
    'alerts',
    sqliteAlertStore(() => {
      throw new Error('unused');
    })
  );
}
