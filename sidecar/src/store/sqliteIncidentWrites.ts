/**
 * The incident writes of an inbox batch as one multi-row statement per table (per chunk of rows)
 * instead of one statement per row: with correlation on, a 10k-alert storm writes an incident alert and
 * a timeline entry per alert and an incident per touched incident and batch, and the per-statement cost
 * (bind, step, reset across the native boundary) was most of it. Portable SQL: `INSERT ... VALUES
 * (...), (...) ON CONFLICT ...` is accepted by both databases as long as no two rows of one statement
 * share a key (PostgreSQL refuses to update a row twice), which the caller guarantees.
 */
import type Database from 'better-sqlite3';
import type { CorrelationVersion } from './incidentStore';

/** Rows per statement: 13 columns × 100 rows stays far below both databases' parameter limits. */
export const WRITE_CHUNK = 100;

/** One `INSERT` of many rows, a prepared statement per chunk size (made on first use). */
export class MultiRowInsert {
  private readonly bySize = new Map<number, Database.Statement>();
  private readonly row: string;

  constructor(
    private readonly conn: Database.Database,
    /** `INSERT INTO t (a, b, c)`: the part before `VALUES`. */
    private readonly head: string,
    columns: number,
    /** `ON CONFLICT ...`: the part after the rows. */
    private readonly tail: string
  ) {
    this.row = `(${Array.from({ length: columns }, () => '?').join(', ')})`;
  }

  /** Inserts the rows (each its column values, in order), chunk by chunk. */
  run(rows: ReadonlyArray<readonly unknown[]>): void {
    for (let i = 0; i < rows.length; i += WRITE_CHUNK) {
      const chunk = rows.slice(i, i + WRITE_CHUNK);
      const args: unknown[] = [];
      for (const r of chunk) {
        for (const v of r) {
          args.push(v);
        }
      }
      this.statement(chunk.length).run(...args);
    }
  }

  private statement(n: number): Database.Statement {
    let s = this.bySize.get(n);
    if (!s) {
      s = this.conn.prepare(`${this.head} VALUES ${Array.from({ length: n }, () => this.row).join(', ')} ${this.tail}`);
      this.bySize.set(n, s);
    }
    return s;
  }
}

/**
 * The token of the last incident writes committed on a connection ({@link IncidentWrites.token}), in a
 * temporary table: it commits or rolls back with the writes, which is how correlation learns whether
 * its last batch was stored without a hook after the caller's commit. Per connection (TEMP), made on
 * the first version read (outside any transaction); until then writes leave no token, and nobody
 * expects one.
 */
export class WriteToken {
  private set: Database.Statement | null = null;
  private get: Database.Statement | null = null;
  /** `PRAGMA data_version`, prepared once: `conn.pragma()` prepares it again at every call (per batch). */
  private dataVersion: Database.Statement | null = null;
  /** Versions handed out while no token could be read (inside a transaction): never matched. */
  private unmatched = 0;

  constructor(private readonly conn: Database.Database) {}

  /** Records the token of writes being applied (inside the caller's transaction); null: not the dispatcher's. */
  written(token: string | null): void {
    this.set?.run(token);
  }

  /**
   * The version: `PRAGMA data_version` (changes when another connection commits: SQLite's own
   * counter, read only here in store/sqlite*) and the last token committed here.
   */
  version(): CorrelationVersion {
    if (this.get === null) {
      if (this.conn.inTransaction) {
        return { others: `unmatched:${this.unmatched++}`, token: null };
      }
      this.conn.exec('CREATE TEMP TABLE IF NOT EXISTS vigil_incident_token (id INTEGER PRIMARY KEY, token TEXT)');
      this.set = this.conn.prepare(
        'INSERT INTO vigil_incident_token (id, token) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET token = excluded.token'
      );
      this.get = this.conn.prepare('SELECT token FROM vigil_incident_token WHERE id = 1');
      this.dataVersion = this.conn.prepare('PRAGMA data_version').pluck();
    }
    const row = this.get.get() as { token: string | null } | undefined;
    const dataVersion = this.dataVersion!.get() as number;
    return { others: String(dataVersion), token: row?.token ?? null };
  }
}
