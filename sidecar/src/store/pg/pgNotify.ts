/** The PostgreSQL store's notify (issue 14): not ported yet — every call fails with a 501 (pgPending.ts). */
import type { NotifyStore } from '../notifyStore';
import { sqliteNotifyStore } from '../sqliteNotify';
import type { PgDb } from './pgDb';
import { pendingArea } from './pgPending';

/** NotifyStore on PostgreSQL. */
export function pgNotifyStore(_db: PgDb): NotifyStore {
  return pendingArea<NotifyStore>(
    'notify',
    sqliteNotifyStore(() => {
      throw new Error('unused');
    })
  );
}
