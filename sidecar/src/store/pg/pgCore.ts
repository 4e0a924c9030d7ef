/** The PostgreSQL store's own part (issue 14): type, health, events, settings, close — not ported yet. */
import type { Store } from '../store';
import type { PgDb } from './pgDb';
import { pendingArea } from './pgPending';

/** What the store does itself rather than through an area module. */
export type StoreCore = Pick<
  Store,
  'type' | 'health' | 'insertEvent' | 'updateEvent' | 'listEvents' | 'getSetting' | 'setSetting' | 'close'
>;

/** The store's own part on PostgreSQL. */
export function pgCoreStore(db: PgDb): StoreCore {
  const pending = pendingArea<StoreCore>('core', {
    health: 0,
    insertEvent: 0,
    updateEvent: 0,
    listEvents: 0,
    getSetting: 0,
    setSetting: 0,
  });
  return { ...pending, type: 'postgres', close: () => db.close() };
}
