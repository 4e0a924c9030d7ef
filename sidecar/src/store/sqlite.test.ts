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

describe('SQLite store data', () => {
  it('inserts, updates and lists events overlapping a window', async () => {
    const store = openAt(join(dir, 'vigil.db'));
    const a = await store.insertEvent({
      kind: 'anomaly',
      seriesKey: 'cpu{service="api"}',
      startedAt: 1000,
      endedAt: 2000,
      severity: 'warning',
      message: 'a',
      metadata: { z_score: 4.2 },
    });
    const b = await store.insertEvent({
      kind: 'anomaly',
      seriesKey: 'cpu{service="db"}',
      startedAt: 5000,
      severity: 'error',
      message: 'b',
    });
    await store.insertEvent({
      kind: 'other',
      seriesKey: 'x',
      startedAt: 5500,
      endedAt: 5600,
      severity: 'info',
      message: 'c',
    });
    expect(b.endedAt).toBeNull();

    expect((await store.listEvents({ from: 0, to: 10000 })).map((e) => e.message)).toEqual(['c', 'b', 'a']);
    expect((await store.listEvents({ from: 2500, to: 4000 })).map((e) => e.message)).toEqual([]);
    // An open event overlaps every window after its start.
    expect((await store.listEvents({ from: 9000, to: 10000 })).map((e) => e.message)).toEqual(['b']);
    expect((await store.listEvents({ from: 0, to: 10000, kind: 'anomaly', limit: 1 })).map((e) => e.message)).toEqual([
      'b',
    ]);
    expect(await store.listEvents({ from: 0, to: 10000, seriesKey: 'cpu{service="api"}' })).toEqual([a]);

    const ended = await store.updateEvent(b.id, { endedAt: 6000, severity: 'critical' });
    expect(ended).toMatchObject({ id: b.id, endedAt: 6000, severity: 'critical', message: 'b' });
    expect((await store.listEvents({ from: 9000, to: 10000 })).map((e) => e.message)).toEqual([]);
    expect(await store.updateEvent('missing', { endedAt: 1 })).toBeNull();
  });

  it('stores settings as JSON and replaces them', async () => {
    const store = openAt(join(dir, 'vigil.db'));
    expect(await store.getSetting('detector')).toBeUndefined();
    await store.setSetting('detector', { mean: 1.5, n: 3 });
    await store.setSetting('detector', { mean: 2, n: 4 });
    expect(await store.getSetting('detector')).toEqual({ mean: 2, n: 4 });
  });

  it('reports not ok once closed, and close is idempotent', async () => {
    const store = openSqliteStore({ path: join(dir, 'vigil.db') });
    await store.close();
    await store.close();
    expect(await store.health()).toMatchObject({ type: 'sqlite', ok: false, error: 'store: closed' });
    await expect(store.listEvents({ from: 0, to: 1 })).rejects.toThrow('store: closed');
  });
});
