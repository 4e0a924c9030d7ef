import { isVigilError, VigilError } from '../errors';

/**
 * A failed SQLite write as a `store_error`: a busy database (another writer past busy_timeout) may
 * succeed later, so it is retryable; a constraint never is. A VigilError passes through unchanged.
 */
export function sqliteStoreError(what: string, err: unknown): VigilError {
  if (isVigilError(err)) {
    return err;
  }
  const code = (err as { code?: string }).code ?? '';
  return new VigilError('store_error', `store: ${what} failed: ${(err as Error).message}`, {
    retryable: code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'),
    cause: err,
  });
}
