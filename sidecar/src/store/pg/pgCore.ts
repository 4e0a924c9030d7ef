/**
 * The PostgreSQL store's own part (issue 14): type, health, events, settings, close. The SQL is the
 * SQLite store's (sqlite.ts), each method one statement (an event update returns the row it wrote
 * instead of reading it first); text ordering uses the "C" collation so ids sort as SQLite sorts them
 * whatever the database's locale.
 */
import type { EventPatch, NewEvent, Store, StoredEvent, StoreHealth } from '../store';
import { eventFilter, newStoredEvent, toEvent, type EventRow } from '../eventRows';
import type { PgDb } from './pgDb';
import { isClosed, pgCall } from './pgCall';

/** What the store does itself rather than through an area module. */
export type StoreCore = Pick<
  Store,
  'type' | 'health' | 'insertEvent' | 'updateEvent' | 'listEvents' | 'getSetting' | 'setSetting' | 'close'
>;

/** The columns an {@link EventPatch} key sets, and how its value is stored. */
const PATCH_COLUMNS: Record<keyof EventPatch, [string, (v: unknown) => unknown]> = {
  endedAt: ['ended_at', (v) => v],
  severity: ['severity', (v) => v],
  message: ['message', (v) => v],
  metadata: ['metadata', (v) => JSON.stringify(v)],
};

/** The store's own part on PostgreSQL. */
export function pgCoreStore(db: PgDb): StoreCore {
  return {
    type: 'postgres',

    async health(): Promise<StoreHealth> {
      if (isClosed(db)) {
        return { type: 'postgres', ok: false, schemaVersion: 0, error: 'store: closed' };
      }
      try {
        const rows = await db.query<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations');
        return { type: 'postgres', ok: true, schemaVersion: Number(rows[0]?.v ?? 0) };
      } catch (err) {
        // The driver's message names the failure (refused, timeout, authentication), never the password.
        return { type: 'postgres', ok: false, schemaVersion: 0, error: `store: ${(err as Error).message}` };
      }
    },

    insertEvent: (e: NewEvent) =>
      pgCall(db, 'inserting an event', async () => {
        const event = newStoredEvent(e);
        await db.run(
          `INSERT INTO events (id, kind, series_key, started_at, ended_at, severity, message, metadata)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            event.id,
            event.kind,
            event.seriesKey,
            event.startedAt,
            event.endedAt,
            event.severity,
            event.message,
            JSON.stringify(event.metadata),
          ]
        );
        return event;
      }),

    updateEvent: (id: string, patch: EventPatch) =>
      pgCall(db, 'updating an event', async () => {
        const sets: string[] = [];
        const args: unknown[] = [];
        for (const [key, [column, encode]] of Object.entries(PATCH_COLUMNS)) {
          const value = patch[key as keyof EventPatch];
          if (value !== undefined) {
            sets.push(`${column} = ?`);
            args.push(encode(value));
          }
        }
        const rows = sets.length
          ? await db.query<EventRow>(`UPDATE events SET ${sets.join(', ')} WHERE id = ? RETURNING *`, [...args, id])
          : await db.query<EventRow>('SELECT * FROM events WHERE id = ?', [id]);
        return rows.length ? toEvent(rows[0]) : null;
      }),

    listEvents: (q) =>
      pgCall(db, 'listing events', async () => {
        const filter = eventFilter(q);
        if (filter === null) {
          return [];
        }
        const rows = await db.query<EventRow>(
          `SELECT * FROM events WHERE ${filter.where} ORDER BY started_at DESC, id COLLATE "C" LIMIT ?`,
          filter.args
        );
        return rows.map(toEvent);
      }),

    getSetting: <T>(key: string) =>
      pgCall(db, `reading setting "${key}"`, async () => {
        const rows = await db.query<{ value: string }>('SELECT value FROM settings WHERE key = ?', [key]);
        return rows.length ? (JSON.parse(rows[0].value) as T) : undefined;
      }),

    setSetting: (key: string, value: unknown) =>
      pgCall(db, `writing setting "${key}"`, async () => {
        await db.run(
          `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
           ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
          [key, JSON.stringify(value), Date.now()]
        );
      }),

    close: () => db.close(),
  };
}
