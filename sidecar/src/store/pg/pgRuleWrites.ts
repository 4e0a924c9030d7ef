/**
 * Writes the PostgreSQL rule and SLO stores share, each one statement for any number of rows, run
 * inside the caller's transaction.
 */
import { changeInsertArgs } from '../ruleRows';
import type { ChangeRecord } from '../store';
import type { PgQueryable } from './pgDb';
import { columns } from './pgCall';

/** Records changes (audit log) with one multi-row insert; ids sort in insertion order (sqliteRules.ts). */
export async function insertChanges(q: PgQueryable, changes: readonly ChangeRecord[]): Promise<void> {
  if (!changes.length) {
    return;
  }
  await q.run(
    `INSERT INTO changes (id, at, user_name, action, object_type, object_id, detail)
     SELECT * FROM unnest(?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])`,
    columns(changes.map(changeInsertArgs), 7)
  );
}

/**
 * Deletes rules with their instances and status (history stays); returns how many rules there were.
 * The rules go first, in their own statement: a tick committing evaluations holds the rules it writes
 * (`FOR KEY SHARE`), so the delete waits for that commit, and the next statement, with a new snapshot
 * (READ COMMITTED), sees and deletes the instances it wrote. In one statement they would linger.
 */
export async function removeRules(q: PgQueryable, ids: readonly string[]): Promise<number> {
  // Locked in id order, as a tick locks them: two transactions never wait on each other in a cycle.
  const deleted = await q.query<{ id: string }>(
    `DELETE FROM rules WHERE id IN (SELECT id FROM rules WHERE id = ANY(?::text[]) ORDER BY id FOR UPDATE)
     RETURNING id`,
    [ids]
  );
  if (!deleted.length) {
    return 0;
  }
  const gone = deleted.map((r) => r.id);
  await q.run(
    `WITH i AS (DELETE FROM alert_instances WHERE rule_id = ANY(?::text[]))
     DELETE FROM rule_status WHERE rule_id = ANY(?::text[])`,
    [gone, gone]
  );
  return deleted.length;
}
