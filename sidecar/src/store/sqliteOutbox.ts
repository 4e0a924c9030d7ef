import { createHash, randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { NewOutboxNotification, OutboxQuery, OutboxRecord, OutboxStatus, OutboxStore } from './store';

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

interface OutboxRow {
  id: string;
  channel: string;
  group_key: string;
  dedup_key: string;
  payload: string;
  status: string;
  attempts: number;
  next_attempt_at: number;
  created_at: number;
  sent_at: number | null;
  last_error: string | null;
  claimed_by: string | null;
  claimed_until: number | null;
}

const num = (v: number | null): number | null => (v === null ? null : Number(v));

function toRecord(r: OutboxRow): OutboxRecord {
  return {
    id: r.id,
    channel: r.channel,
    groupKey: r.group_key,
    dedupKey: r.dedup_key,
    payload: JSON.parse(r.payload) as unknown,
    status: r.status as OutboxStatus,
    attempts: Number(r.attempts),
    nextAttemptAt: Number(r.next_attempt_at),
    createdAt: Number(r.created_at),
    sentAt: num(r.sent_at),
    lastError: r.last_error,
    claimedBy: r.claimed_by,
    claimedUntil: num(r.claimed_until),
  };
}

// The stored text of claimed records, beside them rather than on them (records compare as plain data).
const payloadTexts = new WeakMap<OutboxRecord, () => string | undefined>();

/**
 * A claimed row's record: `payload` is parsed on first read only, and the stored JSON text is kept
 * beside it (see {@link outboxPayloadText}). A webhook or Slack sender posts that text as it is, so a
 * notification is serialized once, when enqueued, rather than parsed and serialized again per send.
 */
function claimedRecord(r: OutboxRow): OutboxRecord {
  let text: string | undefined = r.payload;
  let parsed: unknown;
  let done = false;
  const rec = { ...toRecord({ ...r, payload: 'null' }) };
  Object.defineProperty(rec, 'payload', {
    enumerable: true,
    configurable: true,
    get() {
      if (!done) {
        parsed = JSON.parse(text ?? 'null') as unknown;
        done = true;
      }
      return parsed;
    },
    set(v: unknown) {
      // Changed by its holder: the stored text no longer says what the payload is.
      parsed = v;
      done = true;
      text = undefined;
    },
  });
  payloadTexts.set(rec, () => text);
  return rec;
}

/**
 * The payload of a record returned by `claimDue` as the JSON text stored at enqueue time (equal to
 * `JSON.stringify(record.payload)`); undefined for other records, or once `payload` was assigned.
 */
export function outboxPayloadText(record: OutboxRecord): string | undefined {
  return payloadTexts.get(record)?.();
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
  insert: `INSERT INTO notifications (id, channel, group_key, dedup_key, payload, status, attempts, next_attempt_at,
             created_at, sent_at, last_error, claimed_by, claimed_until)
           VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?, NULL, NULL, NULL, NULL)
           ON CONFLICT (dedup_key) DO NOTHING`,
  // PostgreSQL: the same SELECTs with FOR UPDATE SKIP LOCKED let several workers claim concurrently;
  // SQLite has one writer, and the IMMEDIATE transaction around the statements gives the same guarantee.
  // Per (channel, group) FIFO: a row waits while an older one of its group is undelivered, so a resolve
  // never overtakes the trigger it resolves (PagerDuty would drop the resolve, then open an incident).
  // Two queries, due pending rows and sending rows whose lease ran out, each walk the index
  // notifications_claim (migration 5) in claim order and stop at the limit; one query with an OR over
  // the status sorted every due row (and checked its group) on each claim.
  duePending: `SELECT n.* FROM notifications n
        WHERE n.status = 'pending' AND n.next_attempt_at <= ? AND NOT EXISTS (${OLDER_OPEN})
        ORDER BY n.next_attempt_at, n.created_at, n.id LIMIT ?`,
  dueExpired: `SELECT n.* FROM notifications n
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

/**
 * The outbox's enqueue statement (`ON CONFLICT (dedup_key) DO NOTHING`), for stores that enqueue inside
 * their own transaction (the dispatcher's flush); bind it with {@link outboxInsertArgs}.
 */
export const OUTBOX_INSERT_SQL = SQL.insert;

/** The parameters of {@link OUTBOX_INSERT_SQL} for one notification (id generated unless given). */
export function outboxInsertArgs(n: NewOutboxNotification): unknown[] {
  return [
    n.id ?? randomUUID(),
    n.channel,
    n.groupKey,
    n.dedupKey,
    JSON.stringify(n.payload),
    n.nextAttemptAt ?? n.createdAt,
    n.createdAt,
  ];
}

/** The outbox part of the SQLite store; `db` throws once the store is closed. */
export function sqliteOutboxStore(db: () => Database.Database): OutboxStore {
  let cached: {
    db: Database.Database;
    stmts: Statements;
    claim: Database.Transaction<(now: number, limit: number, worker: string, leaseMs: number) => OutboxRecord[]>;
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
      cached = { db: conn, stmts, claim };
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
      return prepared().stmts.insert.run(...outboxInsertArgs(n)).changes === 1;
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
      const sql = `SELECT * FROM notifications ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
                   ORDER BY created_at DESC, id LIMIT ?`;
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
