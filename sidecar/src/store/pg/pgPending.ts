/**
 * Session scaffolding (issue 14, removed once every area is ported): an area of the PostgreSQL store
 * not written yet. Every method (the keys of `like`, e.g. the SQLite area) fails with a 501 naming it,
 * so nothing silently does nothing.
 */
import { VigilError } from '../../errors';

/** A stand-in with `like`'s keys whose every method rejects with `store_not_implemented`. */
export function pendingArea<T extends object>(area: string, like: object): T {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(like)) {
    out[key] = () =>
      Promise.reject(
        new VigilError('store_not_implemented', `store: postgres ${area}.${key} is not implemented yet`, {
          status: 501,
        })
      );
  }
  return out as T;
}
