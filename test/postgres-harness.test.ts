// The PostgreSQL harness: a real cluster with password auth, one database per test, gone after stop().
import { existsSync } from 'node:fs';
import { Client } from 'pg';
import { startPostgres, type PostgresHandle } from './harness';

let pg: PostgresHandle;
beforeAll(async () => {
  pg = await startPostgres();
}, 60000);
afterAll(async () => {
  await pg?.stop();
});

test('accepts the password, refuses a wrong one, creates databases', async () => {
  expect((await pg.sql<{ server_version: string }>('SHOW server_version'))[0].server_version).toMatch(/^\d+/);
  const url = await pg.createDatabase('harness_one');
  const client = new Client({ connectionString: url });
  await client.connect();
  const rows = (await client.query('SELECT current_database() AS db')).rows;
  await client.end();
  expect(rows[0].db).toBe('harness_one');

  const wrong = new Client({ connectionString: pg.url.replace(pg.password, 'nope') });
  await expect(wrong.connect()).rejects.toThrow(/password authentication failed/);
});

test('stop() removes the cluster', async () => {
  const other = await startPostgres();
  await other.stop();
  expect(existsSync(other.dataDir)).toBe(false);
});
