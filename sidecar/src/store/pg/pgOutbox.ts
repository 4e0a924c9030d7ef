/** The PostgreSQL store's outbox (issue 14): not ported yet — every call fails with a 501 (pgPending.ts). */
import type { OutboxStore } from '../store';
import { sqliteOutboxStore } from '../sqliteOutbox';
import type { PgDb } from './pgDb';
import { pendingArea } from './pgPending';

/** OutboxStore on PostgreSQL. */
export function pgOutboxStore(_db: PgDb): OutboxStore {
  return pendingArea<OutboxStore>(
    'outbox',
    sqliteOutboxStore(() => {
      throw new Error('unused');
    })
  );
}
