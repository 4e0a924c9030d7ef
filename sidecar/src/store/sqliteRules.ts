import type Database from 'better-sqlite3';
import {
  CHANGE_INSERT_SQL,
  changeInsertArgs,
  conflict,
  toChangeRecord,
  toRuleRecord,
  type ChangeRow,
  type RuleRow,
} from './ruleRows';
import type { Actor, ChangeRecord, RuleRecord, RuleStore } from './store';

/** The statements the rule store runs per rule, prepared together on one connection. */
function prepare(d: Database.Database) {
  return {
    insertChange: d.prepare(CHANGE_INSERT_SQL),
    upsert: d.prepare(
      `INSERT INTO rules (id, origin, file, body, created_at, created_by, updated_at, updated_by, version)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET origin = excluded.origin, file = excluded.file, body = excluded.body,
         created_at = excluded.created_at, created_by = excluded.created_by, updated_at = excluded.updated_at,
         updated_by = excluded.updated_by, version = excluded.version`
    ),
    deleteInstances: d.prepare('DELETE FROM alert_instances WHERE rule_id = ?'),
    deleteStatus: d.prepare('DELETE FROM rule_status WHERE rule_id = ?'),
    deleteRule: d.prepare('DELETE FROM rules WHERE id = ?'),
    getRow: d.prepare('SELECT * FROM rules WHERE id = ?'),
  };
}

/**
 * Rule persistence on SQLite. `db()` returns the open connection (throws once the store is closed).
 * Every write and the change that records it share one transaction, so the audit log never misses
 * or invents a change. The SQL is portable (PostgreSQL accepts it as is): `INSERT ... ON CONFLICT`,
 * ids generated here.
 */
export function sqliteRuleStore(db: () => Database.Database): RuleStore {
  // Statements are prepared once per connection, not per row: a reload of 10k file rules spent
  // 0.5 s preparing the same few statements again and again. Keyed by connection because `db()`
  // may hand out a new one (the store reopened); a closed one's entry goes with it.
  const cache = new WeakMap<Database.Database, ReturnType<typeof prepare>>();
  const stmts = (d: Database.Database) => {
    let s = cache.get(d);
    if (!s) {
      s = prepare(d);
      cache.set(d, s);
    }
    return s;
  };

  const insertChange = (d: Database.Database, c: ChangeRecord) => stmts(d).insertChange.run(...changeInsertArgs(c));

  const upsert = (d: Database.Database, r: RuleRecord) =>
    stmts(d).upsert.run(
      r.id,
      r.origin,
      r.file,
      JSON.stringify(r.body),
      r.createdAt,
      r.createdBy,
      r.updatedAt,
      r.updatedBy,
      r.version
    );

  // A deleted rule takes its live state along; its history stays for the audit trail.
  const removeRule = (d: Database.Database, id: string) => {
    const s = stmts(d);
    s.deleteInstances.run(id);
    s.deleteStatus.run(id);
    s.deleteRule.run(id);
  };

  const getRow = (d: Database.Database, id: string) => stmts(d).getRow.get(id) as RuleRow | undefined;

  return {
    async listRules() {
      return (db().prepare('SELECT * FROM rules ORDER BY id').all() as RuleRow[]).map(toRuleRecord);
    },

    async getRule(id) {
      const row = getRow(db(), id);
      return row ? toRuleRecord(row) : null;
    },

    /** `expectedVersion` 0 means "must not exist yet" (a create that may not replace a rule). */
    async putRule(rule, change, expectedVersion) {
      const d = db();
      d.transaction(() => {
        const row = getRow(d, rule.id);
        if (expectedVersion !== undefined) {
          const stored = row ? Number(row.version) : 0;
          if (stored !== expectedVersion) {
            throw conflict(
              row
                ? `rule "${rule.id}" is at version ${stored}, not ${expectedVersion} (changed meanwhile)`
                : expectedVersion === 0
                  ? `rule "${rule.id}" does not exist`
                  : `rule "${rule.id}" no longer exists`
            );
          }
        }
        upsert(d, rule);
        insertChange(d, change);
      }).immediate();
    },

    async deleteRule(id, change) {
      const d = db();
      return d
        .transaction((): boolean => {
          if (!getRow(d, id)) {
            return false;
          }
          removeRule(d, id);
          insertChange(d, change);
          return true;
        })
        .immediate();
    },

    async replaceFileRules(rules, user: Actor) {
      const d = db();
      d.transaction(() => {
        const existing = new Map(
          (d.prepare("SELECT * FROM rules WHERE origin = 'file'").all() as RuleRow[]).map((r) => [
            r.id,
            toRuleRecord(r),
          ])
        );
        const wanted = new Set<string>();
        for (const r of rules) {
          if (wanted.has(r.id)) {
            throw conflict(`rule files: rule id "${r.id}" appears twice`);
          }
          wanted.add(r.id);
          const old = existing.get(r.id);
          if (!old) {
            const row = getRow(d, r.id);
            if (row) {
              throw conflict(`rule files: rule id "${r.id}" is already used by a rule created through the API`);
            }
            upsert(d, { ...r, origin: 'file', version: 1 });
            insertChange(d, {
              at: r.updatedAt,
              user: r.updatedBy,
              action: 'create',
              objectType: 'rule',
              objectId: r.id,
              detail: r.body,
            });
            continue;
          }
          // Unchanged rules keep their version, so a reload that changed nothing changes nothing.
          if (old.file === r.file && JSON.stringify(old.body) === JSON.stringify(r.body)) {
            continue;
          }
          upsert(d, {
            ...r,
            origin: 'file',
            createdAt: old.createdAt,
            createdBy: old.createdBy,
            version: old.version + 1,
          });
          insertChange(d, {
            at: r.updatedAt,
            user: r.updatedBy,
            action: 'update',
            objectType: 'rule',
            objectId: r.id,
            detail: r.body,
          });
        }
        for (const old of existing.values()) {
          if (!wanted.has(old.id)) {
            removeRule(d, old.id);
            insertChange(d, {
              at: Date.now(),
              user,
              action: 'delete',
              objectType: 'rule',
              objectId: old.id,
              detail: old.body,
            });
          }
        }
      }).immediate();
    },

    async listChanges(objectType, objectId, limit = 100) {
      const rows = db()
        .prepare(
          `SELECT at, user_name, action, object_type, object_id, detail FROM changes
           WHERE object_type = ? AND object_id = ? ORDER BY at DESC, id DESC LIMIT ?`
        )
        .all(objectType, objectId, limit) as ChangeRow[];
      return rows.map(toChangeRecord);
    },
  };
}
