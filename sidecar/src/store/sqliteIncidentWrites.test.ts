// Correlation's version on SQLite (sqliteIncidentWrites.ts), on a real file with a second connection:
// another connection's commit changes it, a transaction rolled back on that connection does not. The
// contract on both stores is incidentWrites.test.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { incidentRecord } from '../testing/incidentFixtures';
import { openSqliteStore } from './sqlite';
import { applyIncidentWrites } from './sqliteIncidents';
import type { Store } from './store';

describe('SQLite correlation version and other connections', () => {
  let dir: string;
  let path: string;
  let store: Store;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-incident-writes-'));
    path = join(dir, 'vigil.db');
    store = openSqliteStore({ path });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("follows another connection's commits, not its rolled-back writes", async () => {
    await store.correlationVersion();
    await store.commitIncidents({ incidents: [incidentRecord('i1')], alerts: [], timeline: [], token: 'batch-1' });
    const v1 = await store.correlationVersion();
    // A transaction that writes incidents and rolls back (a failing commitIngest) leaves it as it was.
    const conn = new Database(path);
    try {
      expect(() =>
        conn.transaction(() => {
          applyIncidentWrites(conn, { incidents: [incidentRecord('i2')], alerts: [], timeline: [], token: 'x' });
          throw new Error('commit failed');
        })()
      ).toThrow('commit failed');
      expect(await store.correlationVersion()).toEqual(v1);
      // Another connection's commit does change it.
      conn.prepare("UPDATE incidents SET title = 'elsewhere' WHERE id = 'i1'").run();
      const v2 = await store.correlationVersion();
      expect(v2.others).not.toBe(v1.others);
      expect(v2.token).toBe('batch-1');
    } finally {
      conn.close();
    }
  });
});
