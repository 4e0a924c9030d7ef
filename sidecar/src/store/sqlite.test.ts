// SQLite's own part: migrations on a file, WAL mode. The contract (events, settings, close) runs on
// both backends in coreStore.test.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from './migrations';
import { openSqliteStore } from './sqlite';
import type { Store } from './store';

let dir: string;
const open: Store[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-store-'));
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

function openAt(path: string, migrations?: readonly Migration[]): Store {
  const s = openSqliteStore({ path, migrations });
  open.push(s);
  return s;
}

const tables = (path: string): string[] => {
  const db = new Database(path, { readonly: true });
  try {
    return (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>
    ).map((r) => r.name);
  } finally {
    db.close();
  }
};

describe('SQLite store migrations', () => {
  it('brings a fresh database to the latest version, in WAL mode', async () => {
    const path = join(dir, 'nested', 'dir', 'vigil.db');
    const store = openAt(path);
    expect(await store.health()).toEqual({ type: 'sqlite', ok: true, schemaVersion: LATEST_SCHEMA_VERSION });
    expect(tables(path)).toEqual(expect.arrayContaining(['schema_migrations', 'events', 'settings']));
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const rows = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
    db.close();
    expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
  });

  it('re-opening is idempotent and keeps the data', async () => {
    const path = join(dir, 'vigil.db');
    const first = openAt(path);
    await first.setSetting('k', { a: 1 });
    await first.close();
    const second = openAt(path);
    expect((await second.health()).schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    expect(await second.getSetting('k')).toEqual({ a: 1 });
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get()).toEqual({ n: MIGRATIONS.length });
    db.close();
  });

  it('applies only the new migrations to an existing database', async () => {
    const path = join(dir, 'vigil.db');
    await openAt(path).close();
    const next: Migration = {
      version: LATEST_SCHEMA_VERSION + 1,
      name: 'extra',
      sql: 'CREATE TABLE extra (id TEXT PRIMARY KEY)',
    };
    const store = openAt(path, [...MIGRATIONS, next]);
    expect((await store.health()).schemaVersion).toBe(next.version);
    expect(tables(path)).toContain('extra');
  });

  it('rolls a failing migration back entirely and reports which one failed', async () => {
    const path = join(dir, 'vigil.db');
    const broken: Migration = {
      version: LATEST_SCHEMA_VERSION + 1,
      name: 'broken',
      // The first statement succeeds; the second fails, so the first must be undone too.
      sql: 'CREATE TABLE half_done (id TEXT); INSERT INTO no_such_table VALUES (1);',
    };
    expect(() => openAt(path, [...MIGRATIONS, broken])).toThrow(
      `store: migration ${String(broken.version).padStart(3, '0')}_broken failed: no such table: no_such_table`
    );
    expect(tables(path)).not.toContain('half_done');
    // The earlier migrations stay applied; the store opens at the previous version.
    const store = openAt(path);
    expect((await store.health()).schemaVersion).toBe(LATEST_SCHEMA_VERSION);
  });

  it('refuses a database migrated by a newer Vigil', () => {
    const path = join(dir, 'vigil.db');
    const future: Migration = { version: 999, name: 'future', sql: 'CREATE TABLE future (id TEXT)' };
    openAt(path, [...MIGRATIONS, future]);
    expect(() => openAt(path)).toThrow(
      `store: schema version 999 is newer than this Vigil supports (${LATEST_SCHEMA_VERSION})`
    );
  });
});
