// The shared migrations on a real PostgreSQL: all apply, twice at once is safe, a failure leaves nothing.
import { startPostgres, type PostgresHandle } from '../../../../test/harness';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../migrations';
import { openPgDb, toPgPlaceholders, type PgDb } from './pgDb';
import { migratePg } from './pgMigrate';

let pg: PostgresHandle;
const dbs: PgDb[] = [];
beforeAll(async () => {
  pg = await startPostgres();
}, 60000);
afterAll(async () => {
  await Promise.all(dbs.map((d) => d.close()));
  await pg?.stop();
});

async function freshDb(name: string): Promise<PgDb> {
  const db = openPgDb({ url: await pg.createDatabase(name) });
  dbs.push(db);
  return db;
}

test('placeholders: ? becomes $n outside quotes', () => {
  expect(toPgPlaceholders('SELECT a FROM t WHERE b = ? AND c = \'?\' AND "d?" IN (?, ?)')).toBe(
    'SELECT a FROM t WHERE b = $1 AND c = \'?\' AND "d?" IN ($2, $3)'
  );
});

test('every migration applies; BIGINT reads back as a number', async () => {
  const db = await freshDb('migrate_all');
  expect(await migratePg(db, MIGRATIONS)).toBe(LATEST_SCHEMA_VERSION);
  expect(await migratePg(db, MIGRATIONS)).toBe(LATEST_SCHEMA_VERSION);
  await db.run('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)', ['k', '{}', 1_700_000_000_123]);
  const rows = await db.query<{ updated_at: number }>('SELECT updated_at FROM settings WHERE key = ?', ['k']);
  expect(rows[0].updated_at).toBe(1_700_000_000_123);
});

test('two replicas migrating at once apply each migration once', async () => {
  const url = await pg.createDatabase('migrate_race');
  const a = openPgDb({ url });
  const b = openPgDb({ url });
  dbs.push(a, b);
  const [va, vb] = await Promise.all([migratePg(a, MIGRATIONS), migratePg(b, MIGRATIONS)]);
  expect([va, vb]).toEqual([LATEST_SCHEMA_VERSION, LATEST_SCHEMA_VERSION]);
  const rows = await a.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM schema_migrations');
  expect(rows[0].n).toBe(MIGRATIONS.length);
});

test('a failing migration leaves nothing behind and names itself', async () => {
  const db = await freshDb('migrate_fail');
  const broken = [
    { version: 1, name: 'ok', sql: 'CREATE TABLE a (x INTEGER)' },
    { version: 2, name: 'bad', sql: 'CREATE TABLE b (x INTEGER); SELECT * FROM nowhere' },
  ];
  await expect(migratePg(db, broken)).rejects.toThrow(/migration 2 \(bad\) failed: .*nowhere/);
  const tables = await db.query<{ n: number }>(
    "SELECT COUNT(*)::int AS n FROM information_schema.tables WHERE table_name IN ('a', 'b', 'schema_migrations')"
  );
  expect(tables[0].n).toBe(0);
});

test('a schema newer than this Vigil is refused', async () => {
  const db = await freshDb('migrate_newer');
  await migratePg(db, MIGRATIONS);
  await expect(migratePg(db, MIGRATIONS.slice(0, 3))).rejects.toThrow(/newer than this Vigil supports/);
});
