/**
 * The PostgreSQL connection every `pg*` store module shares: a pool, queries written with SQLite's `?`
 * placeholders (so the portable SQL reads the same in both stores), BIGINT read as a JS number (every
 * BIGINT here is epoch milliseconds or a count, far below 2^53), and transactions that retry when
 * PostgreSQL aborts one to break a deadlock or a serialization conflict.
 */
import { Pool, type PoolClient, type PoolConfig, types as pgTypes } from 'pg';
import { VigilError } from '../../errors';
import { leaseFenceContext } from '../../ha/fenceContext';
import { checkLeaseFence } from './pgLease';

/** Something that runs SQL: the pool, or one transaction's client. */
export interface PgQueryable {
  /** Runs one statement (`?` placeholders) and returns its rows. */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs one statement and returns how many rows it changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
}

/** The store's connection pool. */
export interface PgDb extends PgQueryable {
  /** Runs `fn` in one transaction (READ COMMITTED), committed when it resolves, rolled back when it throws. */
  tx<T>(fn: (q: PgQueryable) => Promise<T>): Promise<T>;
  /** Ends the pool; idempotent. */
  close(): Promise<void>;
  readonly pool: Pool;
}

/** Options of {@link openPgDb}. */
export interface PgDbOptions {
  /** `postgres://user@host:port/db`; a password in it is used unless `password` is given. */
  url: string;
  password?: string;
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /** Fails a connection attempt after this long (default 5 s). */
  connectTimeoutMs?: number;
  /** Cancels a statement running longer (default 60 s): a stuck query must not hold a lease forever. */
  statementTimeoutMs?: number;
  /** The `application_name` PostgreSQL shows for these connections (e.g. the replica's id). */
  applicationName?: string;
}

const INT8_OID = 20;
const BIGINT_AS_NUMBER = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? (v: string) => Number(v) : pgTypes.getTypeParser(oid, format)) as typeof pgTypes.getTypeParser,
};

/** SQLSTATEs after which the whole transaction may simply run again. */
const RETRYABLE = new Set(['40001', '40P01']);
const MAX_TX_ATTEMPTS = 5;

/**
 * `?` → `$1, $2, …`, outside string literals and quoted identifiers. The store's SQL never uses `?` for
 * anything else (no JSON operators), so this is the whole translation.
 */
export function toPgPlaceholders(sql: string): string {
  let out = '';
  let n = 0;
  let quote: string | null = null;
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) {
        quote = null;
      }
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else if (ch === '?') {
      out += `$${++n}`;
    } else {
      out += ch;
    }
  }
  return out;
}

const translated = new Map<string, string>();
function pgSql(sql: string): string {
  let t = translated.get(sql);
  if (t === undefined) {
    t = toPgPlaceholders(sql);
    if (translated.size < 5000) {
      translated.set(sql, t);
    }
  }
  return t;
}

function queryable(c: Pool | PoolClient): PgQueryable {
  return {
    query: async <T>(sql: string, params?: readonly unknown[]) =>
      (await c.query(pgSql(sql), params as unknown[] | undefined)).rows as T[],
    run: async (sql: string, params?: readonly unknown[]) =>
      (await c.query(pgSql(sql), params as unknown[] | undefined)).rowCount ?? 0,
  };
}

/**
 * `url` with `password` in it. pg lets every field of a connection string override the same option,
 * and a URL without a password overrides `password` with an empty one: the password must be in the URL.
 */
export function withPassword(url: string, password: string | undefined): string {
  if (password === undefined) {
    return url;
  }
  const u = new URL(url);
  u.password = encodeURIComponent(password); // pg decodes it; the setter leaves '%' as it is
  return u.toString();
}

/** Opens a pool (connections are made on first use; call `query('SELECT 1')` to check the server). */
export function openPgDb(opts: PgDbOptions): PgDb {
  const config: PoolConfig = {
    connectionString: withPassword(opts.url, opts.password),
    max: opts.poolSize ?? 10,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 5000,
    statement_timeout: opts.statementTimeoutMs ?? 60000,
    application_name: opts.applicationName ?? 'vigil',
    types: BIGINT_AS_NUMBER,
  };
  const pool = new Pool(config);
  // An idle client's connection dropping (server restart, pg_terminate_backend) is reported here; the
  // pool discards that client and the next query opens a new connection. Without a listener it would
  // be an uncaught 'error' event and end the process.
  pool.on('error', () => undefined);
  let closed = false;
  const base = queryable(pool);
  const db: PgDb = {
    pool,
    // A leader's write (issue 14: run in the lease's fence context by ha/fence.ts) goes in a transaction
    // that first checks the lease is still this replica's, even when it is a single statement.
    query: (sql, params) =>
      leaseFenceContext.getStore() ? db.tx((q) => q.query(sql, params)) : base.query(sql, params),
    run: (sql, params) => (leaseFenceContext.getStore() ? db.tx((q) => q.run(sql, params)) : base.run(sql, params)),
    async tx<T>(fn: (q: PgQueryable) => Promise<T>): Promise<T> {
      for (let attempt = 1; ; attempt++) {
        const client = await pool.connect();
        let broken = false;
        // A connection lost while checked out is an 'error' event the pool does not listen for here;
        // unheard, it would end the process. The failed query rejects as well; the client is discarded.
        const onError = (): void => {
          broken = true;
        };
        client.on('error', onError);
        try {
          await client.query('BEGIN');
          const q = queryable(client);
          // Fenced: the lease row is share-locked until commit, so a takeover waits for this write.
          await checkLeaseFence(q);
          const result = await fn(q);
          await client.query('COMMIT');
          return result;
        } catch (err) {
          try {
            await client.query('ROLLBACK');
          } catch {
            broken = true; // the connection itself failed: do not return it to the pool
          }
          const code = (err as { code?: string }).code;
          if (!(code && RETRYABLE.has(code)) || attempt >= MAX_TX_ATTEMPTS) {
            throw err;
          }
        } finally {
          client.off('error', onError);
          client.release(broken);
        }
      }
    },
    async close() {
      if (closed) {
        return;
      }
      closed = true;
      await pool.end();
    },
  };
  return db;
}

/** A PostgreSQL error as the store reports it: retryable when the server or connection went away. */
export function pgStoreError(err: unknown, what: string): VigilError {
  const code = (err as { code?: string }).code ?? '';
  const retryable = /^(08|57P0|53)/.test(code) || /ECONNREFUSED|ECONNRESET|terminat|timeout/i.test(String(err));
  // A lost server is a 503 worth retrying; anything else (a constraint, a bad statement) is our fault.
  return new VigilError('store_error', `store: ${what}: ${(err as Error).message}`, {
    status: retryable ? 503 : 500,
    retryable,
  });
}
