/**
 * Applies the store's migrations (the same list as SQLite's: the SQL is portable) to PostgreSQL. Several
 * replicas may start at once: an advisory lock held for the transaction makes the others wait and then
 * find the work done. PostgreSQL runs DDL inside transactions, so a failed migration leaves nothing.
 */
import { VigilError } from '../../errors';
import type { Migration } from '../migrations';
import type { PgDb, PgQueryable } from './pgDb';

/** Advisory lock key of the migrations (any constant; "vigl" in ASCII). */
const MIGRATION_LOCK = 0x7669676c;

async function currentVersion(q: PgQueryable): Promise<number> {
  const rows = await q.query<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations');
  return Number(rows[0]?.v ?? 0);
}

/**
 * Applies pending migrations in one transaction (a replica waiting on the lock sees all of them or
 * none); returns the resulting schema version.
 */
export async function migratePg(db: PgDb, migrations: readonly Migration[]): Promise<number> {
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i].version <= migrations[i - 1].version) {
      throw new VigilError('store_migration', `store: migrations out of order at version ${migrations[i].version}`);
    }
  }
  const latest = migrations.length ? migrations[migrations.length - 1].version : 0;
  return db.tx(async (q) => {
    await q.query('SELECT pg_advisory_xact_lock(?)', [MIGRATION_LOCK]);
    await q.run(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)'
    );
    const current = await currentVersion(q);
    if (current > latest) {
      throw new VigilError(
        'store_migration',
        `store: schema version ${current} is newer than this Vigil supports (${latest})`
      );
    }
    for (const m of migrations) {
      if (m.version <= current) {
        continue;
      }
      try {
        await q.run(m.sql); // several statements: the simple query protocol (no parameters) runs them all
        await q.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
          m.version,
          m.name,
          Date.now(),
        ]);
      } catch (err) {
        throw new VigilError(
          'store_migration',
          `store: migration ${m.version} (${m.name}) failed: ${(err as Error).message}`,
          { cause: err }
        );
      }
    }
    return currentVersion(q);
  });
}
