/**
 * The store as the leader-only engines see it (issue 14): the writes only a leader makes fail with a
 * retryable 503 `not_leader` once this replica has stopped leading, so an evaluation, a dispatcher pass
 * or a detector save still running when the lease ran out commits nothing. The check here is local,
 * made just before the write is sent; a PostgreSQL write that calls `checkLeaseFence` in its
 * transaction is also fenced in the database (the margin between a leader's deadline and its lease's
 * expiry covers the writes that do not).
 */
import { VigilError } from '../errors';
import type { Store } from '../store';
import { leaseFenceContext, type LeaseFence } from './fenceContext';

/** The writes of evaluation, detection and the dispatcher (not the API's, receivers' or outbox worker's). */
export const LEADER_WRITES = [
  'commitEvaluations',
  'commitIngest',
  'commitFlush',
  'releaseClosedGroups',
  'commitIncidents',
  'saveDetectorStates',
  'pruneDetection',
  'pruneNotify',
  'putSloStatuses',
] as const satisfies ReadonlyArray<keyof Store>;

/**
 * `store` with {@link LEADER_WRITES} refused unless `fence()` gives this replica's lease (null: not
 * leading); every other method passes through. Each write runs in {@link leaseFenceContext}, so a
 * PostgreSQL store checks the same lease inside the write's transaction. `committed` is told of each
 * leader write that went through (the HA tests' evaluation log).
 */
export function fencedStore(
  store: Store,
  fence: () => LeaseFence | null,
  committed?: (key: (typeof LEADER_WRITES)[number], args: unknown[]) => void
): Store {
  const fenced: Partial<Record<keyof Store, unknown>> = {};
  for (const key of LEADER_WRITES) {
    const method = store[key] as (...args: unknown[]) => Promise<unknown>;
    fenced[key] = (...args: unknown[]) => {
      const token = fence();
      if (!token) {
        return Promise.reject(
          new VigilError('not_leader', `store: ${key} refused: this replica no longer leads`, {
            status: 503,
            retryable: true,
          })
        );
      }
      return leaseFenceContext
        .run(token, () => method.apply(store, args))
        .then((r) => {
          committed?.(key, args);
          return r;
        });
    };
  }
  // Every other member (type, methods) is the store's own, bound to it.
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && prop in fenced) {
        return fenced[prop as keyof Store];
      }
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
