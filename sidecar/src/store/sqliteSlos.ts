import type Database from 'better-sqlite3';
import type { SloRecord, SloStatusRecord, SloStore } from './sloStore';
import { CHANGE_INSERT_SQL, changeInsertArgs, conflict } from './ruleRows';
import { toSloRecord, type SloRow } from './sloRows';

interface StatusRow {
  slo_id: string;
  evaluated_at: number;
  status: string | null;
  error: string | null;
}

/**
 * SLO persistence on SQLite. `db()` returns the open connection (throws once the store is closed).
 * Each write and the change recording it share one transaction.
 */
export function sqliteSloStore(db: () => Database.Database): SloStore {
  const getRow = (d: Database.Database, id: string) =>
    d.prepare('SELECT * FROM slos WHERE id = ?').get(id) as SloRow | undefined;

  return {
    async listSlos() {
      return (db().prepare('SELECT * FROM slos ORDER BY id').all() as SloRow[]).map(toSloRecord);
    },

    async getSlo(id) {
      const row = getRow(db(), id);
      return row ? toSloRecord(row) : null;
    },

    async putSlo(slo, user, at, expectedVersion) {
      const d = db();
      return d
        .transaction((): SloRecord => {
          const row = getRow(d, slo.id);
          const stored = row ? Number(row.version) : 0;
          if (expectedVersion !== undefined && stored !== expectedVersion) {
            throw conflict(
              row
                ? expectedVersion === 0
                  ? `SLO "${slo.id}" already exists`
                  : `SLO "${slo.id}" is at version ${stored}, not ${expectedVersion} (changed meanwhile)`
                : `SLO "${slo.id}" does not exist`
            );
          }
          const record: SloRecord = {
            id: slo.id,
            slo,
            createdAt: row ? Number(row.created_at) : at,
            createdBy: row ? row.created_by : user,
            updatedAt: at,
            updatedBy: user,
            version: stored + 1,
          };
          d.prepare(
            `INSERT INTO slos (id, body, created_at, created_by, updated_at, updated_by, version)
             VALUES (?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at,
               updated_by = excluded.updated_by, version = excluded.version`
          ).run(record.id, JSON.stringify(slo), record.createdAt, record.createdBy, at, user, record.version);
          d.prepare(CHANGE_INSERT_SQL).run(
            ...changeInsertArgs({
              at,
              user,
              action: row ? 'update' : 'create',
              objectType: 'slo',
              objectId: slo.id,
              detail: slo,
            })
          );
          return record;
        })
        .immediate();
    },

    async deleteSlo(id, user, at) {
      const d = db();
      return d
        .transaction((): boolean => {
          const row = getRow(d, id);
          if (!row) {
            return false;
          }
          d.prepare('DELETE FROM slo_status WHERE slo_id = ?').run(id);
          d.prepare('DELETE FROM slos WHERE id = ?').run(id);
          d.prepare(CHANGE_INSERT_SQL).run(
            ...changeInsertArgs({
              at,
              user,
              action: 'delete',
              objectType: 'slo',
              objectId: id,
              detail: JSON.parse(row.body),
            })
          );
          return true;
        })
        .immediate();
    },

    async putSloStatuses(statuses: readonly SloStatusRecord[]) {
      const d = db();
      const put = d.prepare(
        `INSERT INTO slo_status (slo_id, evaluated_at, status, error) VALUES (?, ?, ?, ?)
         ON CONFLICT (slo_id) DO UPDATE SET evaluated_at = excluded.evaluated_at, status = excluded.status,
           error = excluded.error`
      );
      d.transaction(() => {
        for (const s of statuses) {
          // Only statuses of SLOs that still exist: a status written after a delete must not linger.
          if (getRow(d, s.sloId)) {
            put.run(s.sloId, s.evaluatedAt, s.status === null ? null : JSON.stringify(s.status), s.error);
          }
        }
      }).immediate();
    },

    async sloStatuses() {
      const rows = db().prepare('SELECT * FROM slo_status').all() as StatusRow[];
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
    },
  };
}
