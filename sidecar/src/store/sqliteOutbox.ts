import { createHash, randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { claimedRecord, type OutboxRow, toRecord } from './sqliteOutboxRows';
import type { NewOutboxNotification, OutboxQuery, OutboxRecord, OutboxStore } from './store';

export { outboxPayloadText } from './sqliteOutboxRows';

/**
 * Dedup key of a notification: channel, group key and a hash of the content. The same notification of
 * the same group on the same channel gets the same key, so enqueueing it again (a retried flush, a
 * restart re-reading its alerts) stores it once. Callers that want a repeat (repeat_interval) put what
 * makes it a new notification, e.g. the flush time, into `content`.
 */
export function outboxDedupKey(channel: string, groupKey: string, content: unknown): string {
  const text = typeof content === 'string' ? content : JSON.stringify(content);
  return `${channel}|${groupKeyHash(groupKey)}|${sha256(text)}`;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

// Group keys' hashes: the same groups flush again and again (a burst hashes hundreds). Bounded.
const groupKeyHashes = new Map<string, string>();
const MAX_GROUP_KEY_HASHES = 10_000;

function groupKeyHash(groupKey: string): string {
  let h = groupKeyHashes.get(groupKey);
  if (h === undefined) {
    if (groupKeyHashes.size >= MAX_GROUP_KEY_HASHES) {
      groupKeyHashes.clear();
    }
    h = sha256(groupKey).slice(0, 32);
    groupKeyHashes.set(groupKey, h);
  }
  return h;
}

/** An older notification of row n's (channel, group) that is still undelivered: n must wait for it. */
const OLDER_OPEN = `SELECT 1 FROM notifications o
            WHERE o.channel = n.channel AND o.group_key = n.group_key AND o.status IN ('pending', 'sending')
              AND (o.created_at < n.created_at OR (o.created_at = n.created_at AND o.id < n.id))`;

/** Claim order: next attempt, then enqueue time, then id (the order of notifications_claim). */
function claimOrder(a: OutboxRow, b: OutboxRow): number {
  return (
    Number(a.next_attempt_at) - Number(b.next_attempt_at) ||
    Number(a.created_at) - Number(b.created_at) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** Longest `last_error` kept: enough to diagnose, bounded so a huge error body cannot bloat the table. */
const MAX_ERROR = 2000;

const SQL = {
  insert: `INSERT INTO notifications (id, channel, group_key, dedup_key, status, attempts, next_attempt_at,
             created_at, sent_at, last_error, claimed_by, claimed_until)
           VALUES (?, ?, ?, ?, 'pending', 0, ?, ?, NULL, NULL, NULL, NULL)
           ON CONFLICT (dedup_key) DO NOTHING`,
  // A flush's row stored already claimed by the worker of its process (OutboxHandoff): as `claim` leaves it.
  insertClaimed: `INSERT INTO notifications (id, channel, group_key, dedup_key, status, attempts, next_attempt_at,
             created_at, sent_at, last_error, claimed_by, claimed_until)
           VALUES (?, ?, ?, ?, 'sending', 1, ?, ?, NULL, NULL, ?, ?)
           ON CONFLICT (dedup_key) DO NOTHING`,
  // Whether a (channel, group) has an undelivered notification: a new one must then wait its turn (FIFO).
  groupOpen: `SELECT 1 FROM notifications WHERE channel = ? AND group_key = ? AND status IN ('pending', 'sending')
              LIMIT 1`,
  // The body, in its own table (migration 10), written once: the state row's updates never rewrite it.
  insertPayload: 'INSERT INTO notification_payloads (id, payload) VALUES (?, ?)',
  // PostgreSQL: the same SELECTs with FOR UPDATE SKIP LOCKED let several workers claim concurrently;
  // SQLite has one writer, and the IMMEDIATE transaction around the statements gives the same guarantee.
  // Per (channel, group) FIFO: a row waits while an older one of its group is undelivered, so a resolve
  // never overtakes the trigger it resolves (PagerDuty would drop the resolve, then open an incident).
  // Two queries, due pending rows and sending rows whose lease ran out, each walk the index
  // notifications_claim (migration 5) in claim order and stop at the limit; one query with an OR over
  // the status sorted every due row (and checked its group) on each claim.
  duePending: `SELECT n.*, p.payload FROM notifications n JOIN notification_payloads p ON p.id = n.id
        WHERE n.status = 'pending' AND n.next_attempt_at <= ? AND NOT EXISTS (${OLDER_OPEN})
        ORDER BY n.next_attempt_at, n.created_at, n.id LIMIT ?`,
  dueExpired: `SELECT n.*, p.payload FROM notifications n JOIN notification_payloads p ON p.id = n.id
        WHERE n.status = 'sending' AND n.claimed_until <= ? AND NOT EXISTS (${OLDER_OPEN})
        ORDER BY n.next_attempt_at, n.created_at, n.id LIMIT ?`,
  claim: `UPDATE notifications SET status = 'sending', attempts = attempts + 1, claimed_by = ?, claimed_until = ?
          WHERE id = ?`,
  // A delivery is a fact whatever the row's state: even a worker whose lease ran out records it.
  sent: `UPDATE notifications SET status = 'sent', sent_at = ?, last_error = NULL, claimed_by = NULL,
           claimed_until = NULL WHERE id = ?`,
  retry: `UPDATE notifications SET status = 'pending', next_attempt_at = ?, last_error = ?, claimed_by = NULL,
            claimed_until = NULL WHERE id = ? AND status = 'sending'`,
  failed: `UPDATE notifications SET status = 'failed', last_error = ?, claimed_by = NULL, claimed_until = NULL
             WHERE id = ? AND status = 'sending'`,
  release: `UPDATE notifications SET status = 'pending', next_attempt_at = ?, claimed_by = NULL, claimed_until = NULL
              WHERE status = 'sending' AND claimed_by = ?`,
  retryNow: `UPDATE notifications SET status = 'pending', next_attempt_at = ? WHERE id = ? AND status = 'failed'`,
} as const;

type Statements = { [K in keyof typeof SQL]: Database.Statement };

/** Enqueues notifications inside the caller's transaction (the dispatcher's flush, `enqueue`). */
export interface OutboxEnqueuer {
  /** Stores one notification `pending` (id generated unless given); false when its dedup key exists. */
  enqueue(n: NewOutboxNotification): boolean;
  /**
   * Stores one notification already claimed by `worker` until `claimedUntil` when it can be sent now
   * (due at `now`, and no older notification of its channel and group undelivered) and returns its
   * record as `claimDue` would; otherwise stores it `pending` and returns 'pending'; null for a duplicate.
   */
  enqueueClaimed(
    n: NewOutboxNotification,
    now: number,
    worker: string,
    claimedUntil: number
  ): OutboxRecord | 'pending' | null;
}

/** The outbox's enqueue statements on `conn`; prepare once per connection. */
export function outboxEnqueuer(conn: Database.Database): OutboxEnqueuer {
  const insert = conn.prepare(SQL.insert);
  const insertClaimed = conn.prepare(SQL.insertClaimed);
  const insertPayload = conn.prepare(SQL.insertPayload);
  const groupOpen = conn.prepare(SQL.groupOpen);
  // The payload is serialized once: stored as this text and, when claimed here, posted as it is.
  const pending = (n: NewOutboxNotification, id: string, text: string): boolean => {
    if (insert.run(id, n.channel, n.groupKey, n.dedupKey, n.nextAttemptAt ?? n.createdAt, n.createdAt).changes !== 1) {
      return false;
    }
    insertPayload.run(id, text);
    return true;
  };
  return {
    enqueue: (n) => pending(n, n.id ?? randomUUID(), JSON.stringify(n.payload)),
    enqueueClaimed(n, now, worker, claimedUntil) {
      const id = n.id ?? randomUUID();
      const text = JSON.stringify(n.payload);
      const nextAttemptAt = n.nextAttemptAt ?? n.createdAt;
      if (nextAttemptAt > now || groupOpen.get(n.channel, n.groupKey) !== undefined) {
        return pending(n, id, text) ? 'pending' : null;
      }
      const args = [id, n.channel, n.groupKey, n.dedupKey, nextAttemptAt, n.createdAt, worker, claimedUntil];
      if (insertClaimed.run(...args).changes !== 1) {
        return null;
      }
      insertPayload.run(id, text);
      return claimedRecord({
        id,
        channel: n.channel,
        group_key: n.groupKey,
        dedup_key: n.dedupKey,
        payload: text,
        status: 'sending',
        attempts: 1,
        next_attempt_at: nextAttemptAt,
        created_at: n.createdAt,
        sent_at: null,
        last_error: null,
        claimed_by: worker,
        claimed_until: claimedUntil,
      });
    },
  };
}

/** The outbox part of the SQLite store; `db` throws once the store is closed. */
export function sqliteOutboxStore(db: () => Database.Database): OutboxStore {
  let cached: {
    db: Database.Database;
    stmts: Statements;
    claim: Database.Transaction<(now: number, limit: number, worker: string, leaseMs: number) => OutboxRecord[]>;
    enqueuer: OutboxEnqueuer;
  } | null = null;
  const prepared = () => {
    const conn = db();
    if (cached?.db !== conn) {
      const stmts = Object.fromEntries(Object.entries(SQL).map(([k, sql]) => [k, conn.prepare(sql)])) as Statements;
      const claim = conn.transaction((now: number, limit: number, worker: string, leaseMs: number) => {
        const expired = stmts.dueExpired.all(now, limit) as OutboxRow[];
        const pending = stmts.duePending.all(now, limit) as OutboxRow[];
        const rows = expired.length === 0 ? pending : [...expired, ...pending].sort(claimOrder).slice(0, limit);
        const until = now + leaseMs;
        return rows.map((row) => {
          stmts.claim.run(worker, until, row.id);
          return claimedRecord({
            ...row,
            status: 'sending',
            attempts: Number(row.attempts) + 1,
            claimed_by: worker,
            claimed_until: until,
          });
        });
      });
      cached = { db: conn, stmts, claim, enqueuer: outboxEnqueuer(conn) };
    }
    return cached;
  };
  // markSent calls of one event-loop turn share one transaction (sends finishing together are common:
  // a flush enqueues many groups at once). Each call resolves only after its row is committed, so the
  // caller's contract is unchanged; a crash before that commit leaves the row `sending`, as it would
  // a moment earlier with one transaction per call.
  let sentQueue: Array<{ id: string; at: number; resolve: () => void; reject: (err: unknown) => void }> = [];
  const flushSent = () => {
    const batch = sentQueue;
    sentQueue = [];
    try {
      const { db: conn, stmts } = prepared();
      conn
        .transaction(() => {
          for (const s of batch) {
            stmts.sent.run(s.at, s.id);
          }
        })
        .immediate();
    } catch (err) {
      batch.forEach((s) => s.reject(err));
      return;
    }
    batch.forEach((s) => s.resolve());
  };
  return {
    async enqueue(n: NewOutboxNotification) {
      const { db: conn, enqueuer } = prepared();
      return conn.transaction(() => enqueuer.enqueue(n)).immediate();
    },
    async claimDue(now, limit, worker, leaseMs) {
      if (limit <= 0) {
        return [];
      }
      // IMMEDIATE: take the write lock before reading, so two processes never claim the same row.
      return prepared().claim.immediate(now, limit, worker, leaseMs);
    },
    async releaseClaims(worker, now) {
      return prepared().stmts.release.run(now, worker).changes;
    },
    markSent(id, at = Date.now()) {
      return new Promise<void>((resolve, reject) => {
        sentQueue.push({ id, at, resolve, reject });
        if (sentQueue.length === 1) {
          setImmediate(flushSent);
        }
      });
    },
    async markRetry(id, nextAt, error) {
      prepared().stmts.retry.run(nextAt, error.slice(0, MAX_ERROR), id);
    },
    async markFailed(id, error) {
      prepared().stmts.failed.run(error.slice(0, MAX_ERROR), id);
    },
    async listNotifications(q: OutboxQuery = {}) {
      const where: string[] = [];
      const args: unknown[] = [];
      if (q.id !== undefined) {
        where.push('id = ?');
        args.push(q.id);
      }
      if (q.status !== undefined) {
        where.push('status = ?');
        args.push(q.status);
      }
      if (q.channel !== undefined) {
        where.push('channel = ?');
        args.push(q.channel);
      }
      args.push(q.limit ?? 100);
      const sql = `SELECT n.*, p.payload FROM notifications n JOIN notification_payloads p ON p.id = n.id
                   ${where.length ? `WHERE ${where.map((w) => `n.${w}`).join(' AND ')}` : ''}
                   ORDER BY n.created_at DESC, n.id LIMIT ?`;
      return (
        prepared()
          .db.prepare(sql)
          .all(...args) as OutboxRow[]
      ).map(toRecord);
    },
    async retryNow(id, now = Date.now()) {
      return prepared().stmts.retryNow.run(now, id).changes === 1;
    },
  };
}
