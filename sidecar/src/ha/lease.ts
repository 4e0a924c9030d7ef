/**
 * The leader lease's contract (issue 14): one row per lease name in the store (`leader_lease`,
 * migration 11) saying which replica holds it, until when, and under which fencing term. PostgreSQL's
 * implementation is `store/pg/pgLease.ts`; a SQLite store has one process, which always leads
 * ({@link inProcessLease}), through the same {@link Leadership} loop.
 */

/** The lease row as a replica last read it. Times are the database's clock, epoch ms. */
export interface LeaseRecord {
  name: string;
  /** The replica id holding (or last holding) the lease. */
  holder: string;
  /** Fencing term: +1 at every takeover, never reused. */
  term: number;
  acquiredAt: number;
  renewedAt: number;
  expiresAt: number;
  /** The database's clock when this was read (lease age = dbNow − renewedAt, without clock skew). */
  dbNow: number;
}

/** What one claim found. */
export interface LeaseClaim {
  /** This replica holds the lease (taken or renewed by this claim). */
  held: boolean;
  /** The row after the claim (null before anyone ever held it). */
  record: LeaseRecord | null;
}

/** Where the lease lives. */
export interface LeaseBackend {
  /**
   * Renews the lease when this replica holds `term` of it and it has not expired; otherwise takes it
   * when it is free or expired (term + 1). Throws when the database cannot be reached.
   */
  claim(name: string, holder: string, ttlMs: number, term: number | null): Promise<LeaseClaim>;
  /** Ends the lease now if this replica still holds `term` of it (a graceful hand-over). */
  release(name: string, holder: string, term: number): Promise<void>;
  /**
   * Registers a callback for the loss of the connection the lease is held on: the leader must stop
   * at once (PostgreSQL has already dropped its advisory lock).
   */
  onLost(cb: () => void): void;
  /**
   * Calls `cb` whenever a replica {@link LeaseBackend.signal}s `channel` (PostgreSQL LISTEN/NOTIFY on the
   * lease connection; re-subscribed after a reconnection). Absent where there is one process.
   */
  subscribe?(channel: string, cb: (payload: string) => void): void;
  /**
   * Wakes the replicas subscribed to `channel` (e.g. the leader's dispatcher: new inbox rows), with an
   * optional payload (under 8000 bytes: PostgreSQL's NOTIFY limit).
   */
  signal?(channel: string, payload?: string): Promise<void>;
  /** Closes the backend's connection; idempotent. */
  close(): Promise<void>;
}

/**
 * A lease only this process can hold (a SQLite store: one process owns the file). Always granted,
 * term 1, expiring `ttlMs` after each claim like a real one.
 */
export function inProcessLease(): LeaseBackend {
  let record: LeaseRecord | null = null;
  return {
    async claim(name, holder, ttlMs) {
      const now = Date.now();
      record = record
        ? { ...record, holder, renewedAt: now, expiresAt: now + ttlMs, dbNow: now }
        : { name, holder, term: 1, acquiredAt: now, renewedAt: now, expiresAt: now + ttlMs, dbNow: now };
      return { held: true, record };
    },
    async release() {
      // Nobody else could take it: nothing to hand over.
    },
    onLost() {
      // The lease lives in this process: it cannot be cut off from it.
    },
    async close() {},
  };
}
