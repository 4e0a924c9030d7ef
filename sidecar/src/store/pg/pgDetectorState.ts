/** The PostgreSQL store's detectorState (issue 14): not ported yet — every call fails with a 501 (pgPending.ts). */
import type { DetectorStateStore } from '../store';
import { sqliteDetectorStateStore } from '../sqliteDetectorState';
import type { PgDb } from './pgDb';
import { pendingArea } from './pgPending';

/** DetectorStateStore on PostgreSQL. */
export function pgDetectorStateStore(_db: PgDb): DetectorStateStore {
  return pendingArea<DetectorStateStore>(
    'detectorState',
    sqliteDetectorStateStore(() => {
      throw new Error('unused');
    })
  );
}
