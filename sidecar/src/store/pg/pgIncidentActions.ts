/**
 * A user's acknowledge or resolve on PostgreSQL (`IncidentStore.actOnIncident`): one transaction that
 * bumps correlation's version (first, as every incident write: writers queue on that row rather than
 * deadlock), locks the incident (`FOR UPDATE`: two users or replicas acting at once act one after the
 * other, the second finding it already done), and writes what incidentActions.ts decides. When there is
 * nothing to do the transaction rolls back: no version change, no dispatcher reload.
 */
import type { IncidentAction, IncidentActionResult } from '../incidentStore';
import { actionWrites } from '../incidentActions';
import { type IncidentRow, toIncident } from '../sqliteIncidentRows';
import type { PgDb } from './pgDb';
import { bumpIncidentVersion, writeIncidentRows, writerOf } from './pgIncidentWrites';

/** Thrown inside the transaction to roll it back when the action changes nothing. */
class NothingToDo extends Error {}

/** See {@link IncidentStore.actOnIncident}; errors are the driver's (the caller wraps them). */
export async function actOnPgIncident(db: PgDb, action: IncidentAction): Promise<IncidentActionResult | null> {
  try {
    return await db.tx(async (q) => {
      await bumpIncidentVersion(q, writerOf(db), null);
      const [row] = await q.query<IncidentRow>('SELECT * FROM incidents WHERE id = ? FOR UPDATE', [action.incidentId]);
      const current = row ? toIncident(row) : null;
      const decided = current && actionWrites(current, action);
      if (!current || !decided) {
        throw new NothingToDo();
      }
      await writeIncidentRows(q, decided.writes);
      return { from: current.state, incident: decided.next };
    });
  } catch (err) {
    if (err instanceof NothingToDo) {
      return null;
    }
    throw err;
  }
}
