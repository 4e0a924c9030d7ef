/** The PostgreSQL store's incidents (issue 14): not ported yet — every call fails with a 501 (pgPending.ts). */
import type { IncidentStore } from '../incidentStore';
import { sqliteIncidentStore } from '../sqliteIncidents';
import type { PgDb } from './pgDb';
import { pendingArea } from './pgPending';

/** IncidentStore on PostgreSQL. */
export function pgIncidentStore(_db: PgDb): IncidentStore {
  return pendingArea<IncidentStore>(
    'incidents',
    sqliteIncidentStore(() => {
      throw new Error('unused');
    })
  );
}
