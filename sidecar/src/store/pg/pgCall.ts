/**
 * What every method of the PostgreSQL store areas wraps its work in: a closed store answers like the
 * SQLite store (`store_closed`, 503, retryable) instead of the driver's "pool after calling end"; a
 * VigilError the method threw itself (a 409) passes through; a driver error becomes a `store_error`
 * (pgStoreError: connection loss retryable). Messages never carry the connection URL.
 */
import { isVigilError, VigilError } from '../../errors';
import { pgStoreError, type PgDb } from './pgDb';

/** The error of a call on a closed store (as SQLite's). */
export const storeClosed = (): VigilError =>
  new VigilError('store_closed', 'store: closed', { status: 503, retryable: true });

/** True once the store's pool is closing or closed. */
export const isClosed = (db: PgDb): boolean => db.pool.ending || db.pool.ended;

/** Runs `fn` against `db`, translating errors as the file comment says; `what` names the work. */
export async function pgCall<T>(db: PgDb, what: string, fn: () => Promise<T>): Promise<T> {
  if (isClosed(db)) {
    throw storeClosed();
  }
  try {
    return await fn();
  } catch (err) {
    if (isVigilError(err)) {
      throw err;
    }
    if (isClosed(db)) {
      throw storeClosed();
    }
    throw pgStoreError(err, what);
  }
}

/** Keeps the last item per key, in first-seen order: a multi-row `ON CONFLICT DO UPDATE` may not touch a row twice. */
export function lastByKey<T>(items: readonly T[], key: (item: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const item of items) {
    byKey.set(key(item), item);
  }
  return [...byKey.values()];
}

/** Columns of rows as arrays, for `unnest(?::text[], ?::bigint[], …)`: one parameter per column, any row count. */
export function columns(rows: readonly unknown[][], width: number): unknown[][] {
  const cols: unknown[][] = Array.from({ length: width }, () => new Array<unknown>(rows.length));
  rows.forEach((row, i) => {
    for (let c = 0; c < width; c++) {
      cols[c][i] = row[c] ?? null;
    }
  });
  return cols;
}

/** SQLSTATEs after which a statement that is its own transaction may simply run again (as pgDb's `tx`). */
const RETRYABLE = new Set(['40001', '40P01']);

/**
 * Runs a single-statement write (its own transaction: one round trip, no BEGIN/COMMIT) again when
 * PostgreSQL aborted it to break a deadlock or a serialization conflict, as `db.tx` does for a transaction.
 */
export async function retryAborted<T>(fn: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (!(code && RETRYABLE.has(code)) || attempt >= attempts) {
        throw err;
      }
    }
  }
}
