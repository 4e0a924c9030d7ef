/**
 * SLO persistence on PostgreSQL (issue 14), the contract of sqliteSlos.ts for several replicas: writes
 * are conditional in SQL (`version = ?`, `ON CONFLICT DO NOTHING`) and record their change in the same
 * statement, so a lost update is refused even when two replicas write at once.
 */
import type { SloStatusRecord, SloStore } from '../sloStore';
import { changeInsertArgs, conflict } from '../ruleRows';
import { toSloRecord, type SloRow } from '../sloRows';
import type { PgDb } from './pgDb';
import { columns, lastByKey, pgCall } from './pgCall';
import { insertChanges } from './pgRuleWrites';

const INSERT = `INSERT INTO slos (id, body, created_at, created_by, updated_at, updated_by, version)
  VALUES (?, ?, ?, ?, ?, ?, 1)`;

/**
 * `write` (a statement RETURNING the written row) and the change it makes, as one statement: the
 * change is 'create' when the row is at version 1.
 */
const WITH_CHANGE = (write: string) => `WITH w AS (${write} RETURNING *),
  c AS (
    INSERT INTO changes (id, at, user_name, action, object_type, object_id, detail)
    SELECT ?::text, ?::bigint, ?::text, CASE WHEN w.version = 1 THEN 'create' ELSE 'update' END, 'slo', w.id, ?::text
    FROM w
  )
  SELECT * FROM w`;

/** SloStore on PostgreSQL. */
export function pgSloStore(db: PgDb): SloStore {
  return {
    listSlos: () =>
      pgCall(db, 'listing SLOs', async () =>
        (await db.query<SloRow>('SELECT * FROM slos ORDER BY id COLLATE "C"')).map(toSloRecord)
      ),

    getSlo: (id) =>
      pgCall(db, `reading SLO "${id}"`, async () => {
        const rows = await db.query<SloRow>('SELECT * FROM slos WHERE id = ?', [id]);
        return rows.length ? toSloRecord(rows[0]) : null;
      }),

    putSlo: (slo, user, at, expectedVersion) =>
      pgCall(db, `writing SLO "${slo.id}"`, async () => {
        const body = JSON.stringify(slo);
        let write: string;
        let args: unknown[];
        if (expectedVersion === undefined) {
          write = `${INSERT} ON CONFLICT (id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at,
            updated_by = excluded.updated_by, version = slos.version + 1`;
          args = [slo.id, body, at, user, at, user];
        } else if (expectedVersion === 0) {
          write = `${INSERT} ON CONFLICT (id) DO NOTHING`;
          args = [slo.id, body, at, user, at, user];
        } else {
          write =
            'UPDATE slos SET body = ?, updated_at = ?, updated_by = ?, version = version + 1 WHERE id = ? AND version = ?';
          args = [body, at, user, slo.id, expectedVersion];
        }
        // The change's id, time, user and detail (its action and object come from the row written).
        const [changeId, , , , , , detail] = changeInsertArgs({
          at,
          user,
          action: 'update',
          objectType: 'slo',
          objectId: slo.id,
          detail: slo,
        });
        const rows = await db.query<SloRow>(WITH_CHANGE(write), [...args, changeId, at, user, detail]);
        if (rows.length) {
          return toSloRecord(rows[0]);
        }
        const stored = await db.query<{ version: number }>('SELECT version FROM slos WHERE id = ?', [slo.id]);
        throw conflict(
          !stored.length
            ? `SLO "${slo.id}" does not exist`
            : expectedVersion === 0
              ? `SLO "${slo.id}" already exists`
              : `SLO "${slo.id}" is at version ${stored[0].version}, not ${expectedVersion} (changed meanwhile)`
        );
      }),

    deleteSlo: (id, user, at) =>
      pgCall(db, `deleting SLO "${id}"`, () =>
        db.tx(async (q) => {
          // The SLO first (its own statement): a status write holding it (FOR KEY SHARE) commits
          // before, and the status delete, on a new snapshot, then sees that status.
          const gone = await q.query<{ body: string }>('DELETE FROM slos WHERE id = ? RETURNING body', [id]);
          if (!gone.length) {
            return false;
          }
          await q.run('DELETE FROM slo_status WHERE slo_id = ?', [id]);
          await insertChanges(q, [
            { at, user, action: 'delete', objectType: 'slo', objectId: id, detail: JSON.parse(gone[0].body) },
          ]);
          return true;
        })
      ),

    putSloStatuses: (statuses: readonly SloStatusRecord[]) =>
      pgCall(db, 'writing SLO statuses', async () => {
        const rows = lastByKey(statuses, (s) => s.sloId).map((s) => [
          s.sloId,
          s.evaluatedAt,
          s.status === null ? null : JSON.stringify(s.status),
          s.error,
        ]);
        if (!rows.length) {
          return;
        }
        // Only statuses of SLOs that still exist, held while written: a status never outlives a delete.
        await db.run(
          `INSERT INTO slo_status (slo_id, evaluated_at, status, error)
           SELECT u.slo_id, u.evaluated_at, u.status, u.error
           FROM unnest(?::text[], ?::bigint[], ?::text[], ?::text[]) AS u(slo_id, evaluated_at, status, error)
           WHERE u.slo_id IN (SELECT id FROM slos WHERE id = ANY(?::text[]) ORDER BY id FOR KEY SHARE)
           ON CONFLICT (slo_id) DO UPDATE SET evaluated_at = excluded.evaluated_at, status = excluded.status,
             error = excluded.error`,
          [...columns(rows, 4), rows.map((r) => r[0])]
        );
      }),

    sloStatuses: () =>
      pgCall(db, 'reading SLO statuses', async () => {
        const rows = await db.query<{
          slo_id: string;
          evaluated_at: number;
          status: string | null;
          error: string | null;
        }>('SELECT * FROM slo_status');
        return new Map(
          rows.map((r) => [
            r.slo_id,
            {
              sloId: r.slo_id,
              evaluatedAt: Number(r.evaluated_at),
              status: r.status === null ? null : (JSON.parse(r.status) as unknown),
              error: r.error,
            },
          ])
        );
      }),
  };
}
