import type Database from 'better-sqlite3';
import type { AlertRow, GroupRow } from './sqliteNotifyRows';

/** Keys per statement of a {@link ChunkedLookup}. */
export const LOOKUP_CHUNK = 64;

/**
 * Rows for many keys (or a write to them) with one `IN (?, ?, …)` statement per chunk of keys instead
 * of one statement per key: the dispatcher looks up hundreds of alerts and groups per step, and the per-statement cost
 * (bind, step, reset across the native boundary) was most of it. Portable SQL; one prepared statement
 * per chunk size, made on first use.
 */
export class ChunkedLookup<R> {
  private readonly bySize = new Map<number, Database.Statement>();

  constructor(
    private readonly conn: Database.Database,
    /** The query for `placeholders` (`?, ?, …`). */
    private readonly sqlFor: (placeholders: string) => string
  ) {}

  /**
   * Runs the statement (a write) for every key, chunk by chunk, each time after the `fixed` leading
   * parameters; returns the rows changed.
   */
  run(keys: readonly string[], ...fixed: unknown[]): number {
    const distinct = [...new Set(keys)];
    let changes = 0;
    for (let i = 0; i < distinct.length; i += LOOKUP_CHUNK) {
      const chunk = distinct.slice(i, i + LOOKUP_CHUNK);
      changes += this.statement(chunk.length).run(...fixed, ...chunk).changes;
    }
    return changes;
  }

  /** The rows of every key (each distinct key once), in the statements' order within each chunk. */
  all(keys: readonly string[]): R[] {
    const distinct = [...new Set(keys)];
    const out: R[] = [];
    for (let i = 0; i < distinct.length; i += LOOKUP_CHUNK) {
      const chunk = distinct.slice(i, i + LOOKUP_CHUNK);
      for (const row of this.statement(chunk.length).all(...chunk) as R[]) {
        out.push(row);
      }
    }
    return out;
  }

  private statement(n: number): Database.Statement {
    let s = this.bySize.get(n);
    if (!s) {
      s = this.conn.prepare(this.sqlFor(Array.from({ length: n }, () => '?').join(', ')));
      this.bySize.set(n, s);
    }
    return s;
  }
}

/** The lookups by many keys (see {@link ChunkedLookup}). */
export interface Lookups {
  alerts: ChunkedLookup<AlertRow>;

  groups: ChunkedLookup<GroupRow>;
  /** The members of groups: group key as `member_of` and fingerprint. */
  members: ChunkedLookup<{ member_of: string; fingerprint: string }>;
  /** Writes: removes alerts from one group (the key first), forgets resolved alerts no group holds. */
  removeMembers: ChunkedLookup<never>;
  /** Inbox rows' alert text by id. */
  inboxAlerts: ChunkedLookup<{ id: string; alert: string }>;
  /** Deletes routed inbox rows by id. */
  deleteInbox: ChunkedLookup<never>;
  dropResolved: ChunkedLookup<never>;
  /** Of these group keys, those of closed groups. */
  closedGroupKeys: ChunkedLookup<{ group_key: string }>;
  /** Deletes every membership of these groups. */
  deleteMembersOf: ChunkedLookup<never>;
}

/** The notify store's lookups and key-list writes on one connection. */
export function notifyLookups(conn: Database.Database): Lookups {
  return {
    alerts: new ChunkedLookup(conn, (ph) => `SELECT * FROM notify_alerts WHERE fingerprint IN (${ph})`),
    groups: new ChunkedLookup(conn, (ph) => `SELECT * FROM notify_groups WHERE group_key IN (${ph})`),
    inboxAlerts: new ChunkedLookup(conn, (ph) => `SELECT id, alert FROM notify_inbox WHERE id IN (${ph})`),
    members: new ChunkedLookup(
      conn,
      (ph) => `SELECT group_key AS member_of, fingerprint FROM notify_group_alerts WHERE group_key IN (${ph})`
    ),
    deleteInbox: new ChunkedLookup(conn, (ph) => `DELETE FROM notify_inbox WHERE id IN (${ph})`),
    removeMembers: new ChunkedLookup(
      conn,
      (ph) => `DELETE FROM notify_group_alerts WHERE group_key = ? AND fingerprint IN (${ph})`
    ),
    // The index on notify_group_alerts (fingerprint) serves the NOT EXISTS.
    dropResolved: new ChunkedLookup(
      conn,
      (ph) => `DELETE FROM notify_alerts WHERE fingerprint IN (${ph}) AND status = 'resolved' AND NOT EXISTS (
        SELECT 1 FROM notify_group_alerts m WHERE m.fingerprint = notify_alerts.fingerprint)`
    ),
    closedGroupKeys: new ChunkedLookup(
      conn,
      (ph) => `SELECT group_key FROM notify_groups WHERE group_key IN (${ph}) AND next_flush_at IS NULL`
    ),
    deleteMembersOf: new ChunkedLookup(conn, (ph) => `DELETE FROM notify_group_alerts WHERE group_key IN (${ph})`),
  };
}
