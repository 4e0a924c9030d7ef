/**
 * Rule persistence on PostgreSQL (issue 14), the contract of sqliteRules.ts for several replicas: a
 * lost update is refused in SQL (`UPDATE … WHERE id = ? AND version = ?`, `INSERT … ON CONFLICT DO
 * NOTHING`), not by a read before the write, and each write records its change in the same statement
 * (data-modifying CTEs), so one round trip is atomic without a transaction.
 */
import type { VigilError } from '../../errors';
import { changeInsertArgs, conflict, toChangeRecord, toRuleRecord, type ChangeRow, type RuleRow } from '../ruleRows';
import type { Actor, ChangeRecord, RuleRecord, RuleStore } from '../store';
import type { PgDb, PgQueryable } from './pgDb';
import { columns, pgCall } from './pgCall';
import { insertChanges, removeRules } from './pgRuleWrites';

/** The change row of `c`, selected from the CTE `src` (one change per row it returned). */
const CHANGE_FROM = (src: string) => `INSERT INTO changes (id, at, user_name, action, object_type, object_id, detail)
  SELECT ?::text, ?::bigint, ?::text, ?::text, ?::text, ?::text, ?::text FROM ${src}`;

const RULE_COLUMNS = 'id, origin, file, body, created_at, created_by, updated_at, updated_by, version';
const ruleArgs = (r: RuleRecord): unknown[] => [
  r.id,
  r.origin,
  r.file,
  JSON.stringify(r.body),
  r.createdAt,
  r.createdBy,
  r.updatedAt,
  r.updatedBy,
  r.version,
];
const UPSERT_SET = `origin = excluded.origin, file = excluded.file, body = excluded.body,
  created_at = excluded.created_at, created_by = excluded.created_by, updated_at = excluded.updated_at,
  updated_by = excluded.updated_by, version = excluded.version`;

/** Why a conditional write changed nothing, in the SQLite store's words. */
async function versionConflict(q: PgQueryable, id: string, expected: number): Promise<VigilError> {
  const rows = await q.query<{ version: number }>('SELECT version FROM rules WHERE id = ?', [id]);
  if (!rows.length) {
    return conflict(expected === 0 ? `rule "${id}" does not exist` : `rule "${id}" no longer exists`);
  }
  return conflict(`rule "${id}" is at version ${rows[0].version}, not ${expected} (changed meanwhile)`);
}

/** A serialization key for reloads of the rules folder (two replicas reloading at once take turns). */
const FILE_RELOAD_LOCK = 0x76726c66; // "vrlf"

/** RuleStore on PostgreSQL. */
export function pgRuleStore(db: PgDb): RuleStore {
  return {
    listRules: () =>
      pgCall(db, 'listing rules', async () =>
        (await db.query<RuleRow>('SELECT * FROM rules ORDER BY id COLLATE "C"')).map(toRuleRecord)
      ),

    getRule: (id) =>
      pgCall(db, `reading rule "${id}"`, async () => {
        const rows = await db.query<RuleRow>('SELECT * FROM rules WHERE id = ?', [id]);
        return rows.length ? toRuleRecord(rows[0]) : null;
      }),

    putRule: (rule, change, expectedVersion) =>
      pgCall(db, `writing rule "${rule.id}"`, async () => {
        const values = `VALUES (${ruleArgs(rule)
          .map(() => '?')
          .join(', ')})`;
        let write: string;
        let args: unknown[];
        if (expectedVersion === undefined) {
          write = `INSERT INTO rules (${RULE_COLUMNS}) ${values} ON CONFLICT (id) DO UPDATE SET ${UPSERT_SET} RETURNING id`;
          args = ruleArgs(rule);
        } else if (expectedVersion === 0) {
          write = `INSERT INTO rules (${RULE_COLUMNS}) ${values} ON CONFLICT (id) DO NOTHING RETURNING id`;
          args = ruleArgs(rule);
        } else {
          write = `UPDATE rules SET origin = ?, file = ?, body = ?, created_at = ?, created_by = ?, updated_at = ?,
            updated_by = ?, version = ? WHERE id = ? AND version = ? RETURNING id`;
          args = [...ruleArgs(rule).slice(1), rule.id, expectedVersion];
        }
        const n = await db.run(`WITH w AS (${write}) ${CHANGE_FROM('w')}`, [...args, ...changeInsertArgs(change)]);
        if (n === 0) {
          throw await versionConflict(db, rule.id, expectedVersion ?? 0);
        }
      }),

    deleteRule: (id, change) =>
      pgCall(db, `deleting rule "${id}"`, () =>
        db.tx(async (q) => {
          if ((await removeRules(q, [id])) === 0) {
            return false;
          }
          await insertChanges(q, [change]);
          return true;
        })
      ),

    replaceFileRules: (rules, user: Actor) =>
      pgCall(db, 'replacing the rules of the rules folder', () =>
        db.tx(async (q) => {
          await q.query('SELECT pg_advisory_xact_lock(?)', [FILE_RELOAD_LOCK]);
          const rows = await q.query<RuleRow>(`SELECT * FROM rules WHERE origin = 'file' OR id = ANY(?::text[])`, [
            rules.map((r) => r.id),
          ]);
          const existing = new Map<string, RuleRecord>();
          const apiIds = new Set<string>();
          for (const row of rows) {
            if (row.origin === 'file') {
              existing.set(row.id, toRuleRecord(row));
            } else {
              apiIds.add(row.id);
            }
          }
          const upserts: RuleRecord[] = [];
          const changes: ChangeRecord[] = [];
          const wanted = new Set<string>();
          for (const r of rules) {
            if (wanted.has(r.id)) {
              throw conflict(`rule files: rule id "${r.id}" appears twice`);
            }
            wanted.add(r.id);
            const old = existing.get(r.id);
            if (!old) {
              if (apiIds.has(r.id)) {
                throw conflict(`rule files: rule id "${r.id}" is already used by a rule created through the API`);
              }
              upserts.push({ ...r, origin: 'file', version: 1 });
              changes.push(fileChange(r, 'create'));
            } else if (old.file !== r.file || JSON.stringify(old.body) !== JSON.stringify(r.body)) {
              // Unchanged rules keep their version, so a reload that changed nothing changes nothing.
              upserts.push({
                ...r,
                origin: 'file',
                createdAt: old.createdAt,
                createdBy: old.createdBy,
                version: old.version + 1,
              });
              changes.push(fileChange(r, 'update'));
            }
          }
          const gone = [...existing.values()].filter((old) => !wanted.has(old.id));
          if (upserts.length) {
            await q.run(
              `INSERT INTO rules (${RULE_COLUMNS})
               SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[], ?::bigint[],
                 ?::text[], ?::integer[])
               ON CONFLICT (id) DO UPDATE SET ${UPSERT_SET}`,
              columns(upserts.map(ruleArgs), 9)
            );
          }
          if (gone.length) {
            await removeRules(
              q,
              gone.map((r) => r.id)
            );
            const now = Date.now();
            for (const old of gone) {
              changes.push({ at: now, user, action: 'delete', objectType: 'rule', objectId: old.id, detail: old.body });
            }
          }
          await insertChanges(q, changes);
        })
      ),

    listChanges: (objectType, objectId, limit = 100) =>
      pgCall(db, 'listing changes', async () => {
        const rows = await db.query<ChangeRow>(
          `SELECT at, user_name, action, object_type, object_id, detail FROM changes
           WHERE object_type = ? AND object_id = ? ORDER BY at DESC, id COLLATE "C" DESC LIMIT ?`,
          [objectType, objectId, limit]
        );
        return rows.map(toChangeRecord);
      }),
  };
}

const fileChange = (r: RuleRecord, action: 'create' | 'update'): ChangeRecord => ({
  at: r.updatedAt,
  user: r.updatedBy,
  action,
  objectType: 'rule',
  objectId: r.id,
  detail: r.body,
});
