/**
 * The fencing token of the write in progress (issue 14): the fenced store (fence.ts) runs each leader
 * write inside this context, so a PostgreSQL store can check, in the write's own transaction, that the
 * lease is still this replica's and of this term (`checkLeaseFence` in store/pg/pgLease.ts) — a write
 * that lost its lease then fails instead of landing after a takeover.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** Who may write: the lease's name, its holder and term when the write began. */
export interface LeaseFence {
  name: string;
  holder: string;
  term: number;
}

/** The current write's fence (undefined outside fenced writes: SQLite, the API, tests). */
export const leaseFenceContext = new AsyncLocalStorage<LeaseFence>();
