// The SQLite side of the incident tables (the contract, on both stores, is incidentStore.test.ts): the
// rows survive reopening the file, and applyIncidentWrites commits and rolls back with the transaction
// of its caller (commitIngest).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { cascade } from '../testing/incidentFixtures';
import { MIGRATIONS } from './migrations';
import { migrate, openSqliteStore } from './sqlite';
import { applyIncidentWrites, sqliteIncidentStore } from './sqliteIncidents';

it('keeps incidents, their alerts and timeline across reopening the file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-incidents-'));
  const path = join(dir, 'vigil.db');
  try {
    const w = cascade('i1');
    const first = openSqliteStore({ path });
    await first.commitIncidents(w);
    await first.close();
    const store = openSqliteStore({ path });
    try {
      expect(await store.getIncident('i1')).toEqual(w.incidents[0]);
      expect((await store.incidentAlerts(['i1'])).get('i1')).toEqual(w.alerts);
      expect(await store.incidentTimeline('i1')).toEqual(w.timeline);
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('applyIncidentWrites inside a transaction the caller owns (commitIngest)', () => {
  let db: Database.Database;
  beforeEach(() => {
    db = new Database(':memory:');
    migrate(db, MIGRATIONS);
  });
  afterEach(() => db.close());

  it('commits with the caller, and rolls back with it', async () => {
    const incidents = sqliteIncidentStore(() => db);
    db.transaction(() => {
      db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('k', '1', 0)").run();
      applyIncidentWrites(db, cascade('kept'));
    }).immediate();
    expect(await incidents.getIncident('kept')).not.toBeNull();

    expect(() =>
      db
        .transaction(() => {
          applyIncidentWrites(db, cascade('lost'));
          throw new Error('routing failed');
        })
        .immediate()
    ).toThrow('routing failed');
    expect(await incidents.getIncident('lost')).toBeNull();
    expect((await incidents.incidentAlerts(['lost'])).get('lost')).toEqual([]);
    expect(await incidents.incidentTimeline('lost')).toEqual([]);
  });
});
