/**
 * The outbox on PostgreSQL (issue 14): the same contract as `sqliteOutbox.ts`, for several replicas
 * claiming from one table. A claim is one statement that locks the rows it takes (`FOR UPDATE SKIP
 * LOCKED`: a row another replica is claiming is skipped, never waited for nor taken twice) and marks
 * them `sending`; outcomes are conditional UPDATEs; the dedup key's UNIQUE constraint
 * (`ON CONFLICT DO NOTHING`) stores a notification once however many replicas enqueue it.
 */
import { randomUUID } from 'node:crypto';
import { claimedRecord, type OutboxRow, toRecord } from '../sqliteOutboxRows';
import type { NewOutboxNotification, OutboxQuery, OutboxStore } from '../store';
import type { PgDb } from './pgDb';
import { pgCall } from './pgCall';

/** Longest `last_error` kept (as SQLite's store). */
const MAX_ERROR = 2000;

/** An older notification of row n's (channel, group) still undelivered: n waits for it (FIFO per group). */
const OLDER_OPEN = `SELECT 1 FROM notifications o
    WHERE o.channel = n.channel AND o.group_key = n.group_key AND o.status IN ('pending', 'sending')
      AND (o.created_at < n.created_at OR (o.created_at = n.created_at AND o.id < n.id))`;

/**
 * Claims due rows in one statement. Expired leases and due pending rows are two locking scans, each in
 * the order of the index notifications_claim (migration 5) so it stops at the limit, rather than one
 * scan with an OR that sorts every due row; the union is cut to the limit in claim order. A row locked
 * by a concurrent claim is skipped; one changed by a claim that committed meanwhile is re-checked
 * against the WHERE clause on its new version (READ COMMITTED), so it is not taken again.
 * Parameters: now, limit, now, limit, limit, worker, claimed until.
 */
const CLAIM = `WITH expired AS (
    SELECT n.id, n.next_attempt_at, n.created_at FROM notifications n
    WHERE n.status = 'sending' AND n.claimed_until <= ? AND NOT EXISTS (${OLDER_OPEN})
    ORDER BY n.next_attempt_at, n.created_at, n.id LIMIT ? FOR UPDATE SKIP LOCKED
  ), pending AS (
    SELECT n.id, n.next_attempt_at, n.created_at FROM notifications n
    WHERE n.status = 'pending' AND n.next_attempt_at <= ? AND NOT EXISTS (${OLDER_OPEN})
    ORDER BY n.next_attempt_at, n.created_at, n.id LIMIT ? FOR UPDATE SKIP LOCKED
  ), due AS (
    SELECT id FROM (SELECT * FROM expired UNION ALL SELECT * FROM pending) d
    ORDER BY next_attempt_at, created_at, id LIMIT ?
  )
  UPDATE notifications n SET status = 'sending', attempts = n.attempts + 1, claimed_by = ?, claimed_until = ?
  FROM due, notification_payloads p WHERE n.id = due.id AND p.id = n.id
  RETURNING n.*, p.payload`;

const SQL = {
  // The state row and its payload (migration 10) in one statement: the payload only when the row went in.
  enqueue: `WITH ins AS (
      INSERT INTO notifications (id, channel, group_key, dedup_key, status, attempts, next_attempt_at, created_at,
        sent_at, last_error, claimed_by, claimed_until)
      VALUES (?, ?, ?, ?, 'pending', 0, ?, ?, NULL, NULL, NULL, NULL)
      ON CONFLICT (dedup_key) DO NOTHING RETURNING id)
    INSERT INTO notification_payloads (id, payload) SELECT id, ? FROM ins`,
  // A delivery is a fact whatever the row's state (even a worker whose lease ran out records it).
  // The ids twice: `= ANY` lets the planner find the rows by primary key rather than hash the table.
  sent: `UPDATE notifications SET status = 'sent', sent_at = s.at, last_error = NULL, claimed_by = NULL,
      claimed_until = NULL FROM unnest(?::text[], ?::bigint[]) AS s(id, at)
    WHERE notifications.id = s.id AND notifications.id = ANY(?::text[])`,
  retry: `UPDATE notifications SET status = 'pending', next_attempt_at = ?, last_error = ?, claimed_by = NULL,
      claimed_until = NULL WHERE id = ? AND status = 'sending'`,
  failed: `UPDATE notifications SET status = 'failed', last_error = ?, claimed_by = NULL, claimed_until = NULL
      WHERE id = ? AND status = 'sending'`,
  release: `UPDATE notifications SET status = 'pending', next_attempt_at = ?, claimed_by = NULL, claimed_until = NULL
      WHERE status = 'sending' AND claimed_by = ?`,
  retryNow: `UPDATE notifications SET status = 'pending', next_attempt_at = ? WHERE id = ? AND status = 'failed'`,
} as const;

/** Claim order: next attempt, enqueue time, id (the statement's; RETURNING keeps no order). */
function claimOrder(a: OutboxRow, b: OutboxRow): number {
  return (
    Number(a.next_attempt_at) - Number(b.next_attempt_at) ||
    Number(a.created_at) - Number(b.created_at) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** OutboxStore on PostgreSQL. */
export function pgOutboxStore(db: PgDb): OutboxStore {
  // markSent calls of one event-loop turn share one UPDATE (sends of one flush finish together); each
  // call resolves only once that statement committed, so the contract is the one of a call per row.
  let sentQueue: Array<{ id: string; at: number; resolve: () => void; reject: (err: unknown) => void }> = [];
  const flushSent = () => {
    const batch = sentQueue;
    sentQueue = [];
    pgCall(db, `recording ${batch.length} delivered notification(s)`, () =>
      db.run(SQL.sent, [batch.map((s) => s.id), batch.map((s) => s.at), batch.map((s) => s.id)])
    ).then(
      () => batch.forEach((s) => s.resolve()),
      (err: unknown) => batch.forEach((s) => s.reject(err))
    );
  };
  return {
    async enqueue(n: NewOutboxNotification) {
      const args = [
        n.id ?? randomUUID(),
        n.channel,
        n.groupKey,
        n.dedupKey,
        n.nextAttemptAt ?? n.createdAt,
        n.createdAt,
        JSON.stringify(n.payload),
      ];
      return (await pgCall(db, 'enqueueing a notification', () => db.run(SQL.enqueue, args))) === 1;
    },

    async claimDue(now, limit, worker, leaseMs) {
      const n = Math.floor(limit);
      if (!(n > 0)) {
        return [];
      }
      const rows = await pgCall(db, 'claiming due notifications', () =>
        db.tx(async (q) => {
          // The scans must walk notifications_claim in order and stop at the limit. A table not
          // analyzed yet (a fresh database's first burst; autovacuum comes later) looks tiny to the
          // planner, which then prefers a bitmap scan that reads and sorts every due row (40 ms for
          // 10k rows rather than 1 ms). Only for this transaction.
          await q.run('SET LOCAL enable_bitmapscan = off');
          return q.query<OutboxRow>(CLAIM, [now, n, now, n, n, worker, now + leaseMs]);
        })
      );
      return rows.sort(claimOrder).map(claimedRecord);
    },

    async releaseClaims(worker, now) {
      return pgCall(db, `releasing the claims of ${worker}`, () => db.run(SQL.release, [now, worker]));
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
      await pgCall(db, 'scheduling a notification retry', () =>
        db.run(SQL.retry, [nextAt, error.slice(0, MAX_ERROR), id])
      );
    },

    async markFailed(id, error) {
      await pgCall(db, 'marking a notification failed', () => db.run(SQL.failed, [error.slice(0, MAX_ERROR), id]));
    },

    async listNotifications(q: OutboxQuery = {}) {
      const where: string[] = [];
      const args: unknown[] = [];
      for (const [column, value] of [
        ['id', q.id],
        ['status', q.status],
        ['channel', q.channel],
      ] as const) {
        if (value !== undefined) {
          where.push(`n.${column} = ?`);
          args.push(value);
        }
      }
      args.push(q.limit ?? 100);
      const sql = `SELECT n.*, p.payload FROM notifications n JOIN notification_payloads p ON p.id = n.id
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY n.created_at DESC, n.id LIMIT ?`;
      const rows = await pgCall(db, 'listing notifications', () => db.query<OutboxRow>(sql, args));
      return rows.map(toRecord);
    },

    async retryNow(id, now = Date.now()) {
      return (await pgCall(db, 'retrying a notification', () => db.run(SQL.retryNow, [now, id]))) === 1;
    },
  };
}
