/**
 * A flush's notifications enqueued in one statement inside the flush's transaction (PostgreSQL), some
 * stored already claimed by the worker of the flushing process (`OutboxHandoff`), as the SQLite store's
 * `outboxEnqueuer` does row by row.
 */
import { randomUUID } from 'node:crypto';
import type { OutboxHandoff } from '../notifyStore';
import { claimedRecord, type OutboxRow } from '../sqliteOutboxRows';
import type { NewOutboxNotification, OutboxRecord } from '../store';
import type { PgQueryable } from './pgDb';

/**
 * The LISTEN/NOTIFY channel on which a commit that stored due notifications not handed over wakes the
 * replicas' outbox workers (HA, issue 14): a standby claims them at once rather than at its next poll.
 */
export const OUTBOX_CHANNEL = 'vigil_outbox';

/**
 * Which of the keys are stored already (`dup`), and which (channel, group) pairs have an undelivered
 * notification (`open`): a flush's notification is handed over only when neither holds. Parameters:
 * dedup keys, channels, group keys.
 */
const EXISTING = `SELECT 'dup' AS kind, dedup_key AS a, NULL AS b FROM notifications WHERE dedup_key = ANY(?::text[])
  UNION ALL
  SELECT DISTINCT 'open', channel, group_key FROM notifications
  WHERE status IN ('pending', 'sending') AND (channel, group_key) IN (SELECT * FROM unnest(?::text[], ?::text[]))`;

/**
 * Long text (JSON documents) goes in as one JSON array of strings (`json_array_elements_text`), not as
 * a `text[]`: node-postgres writes an array literal with two regex passes and a concatenation per
 * element in JavaScript — for a flush's payloads (tens of kB each) most of the leader's CPU for the
 * flush — while `JSON.stringify` of the array is one native pass, and PostgreSQL gives the texts back
 * unchanged.
 */
export const jsonTexts = (texts: ReadonlyArray<string | null>): string => JSON.stringify(texts);

/**
 * The state rows and, for those that went in (a dedup key stored meanwhile by another replica is
 * skipped), their payloads; returns the ids stored. With rows left pending (not handed over), it also
 * NOTIFYs {@link OUTBOX_CHANNEL} (delivered at commit, once the rows are visible) in the same round trip.
 */
const INSERT = `WITH r AS (
    SELECT * FROM ROWS FROM (unnest(?::text[]), unnest(?::text[]), unnest(?::text[]), unnest(?::text[]),
      unnest(?::text[]), unnest(?::int[]), unnest(?::bigint[]), unnest(?::bigint[]), unnest(?::text[]),
      unnest(?::bigint[]), json_array_elements_text(?::json))
      AS r(id, channel, group_key, dedup_key, status, attempts, next_attempt_at, created_at, claimed_by,
        claimed_until, payload)
  ), ins AS (
    INSERT INTO notifications (id, channel, group_key, dedup_key, status, attempts, next_attempt_at, created_at,
      sent_at, last_error, claimed_by, claimed_until)
    SELECT id, channel, group_key, dedup_key, status, attempts, next_attempt_at, created_at, NULL, NULL,
      claimed_by, claimed_until FROM r
    ON CONFLICT (dedup_key) DO NOTHING RETURNING id
  ), pay AS (
    INSERT INTO notification_payloads (id, payload) SELECT r.id, r.payload FROM r JOIN ins ON ins.id = r.id RETURNING id
  )
  SELECT id FROM pay WHERE (SELECT count(pg_notify('${OUTBOX_CHANNEL}', '')) FROM r WHERE r.status = 'pending') >= 0`;

/**
 * Enqueues `notifications` on `q` (the caller's transaction): each dedup key once (the first), pending,
 * or — with `handoff`, up to its limit — claimed by its worker when it can be sent at once (due at its
 * enqueue time, no older notification of its channel and group undelivered, this batch's included).
 * Returns the claimed rows' records as `claimDue` would, in the batch's order.
 */
export async function pgEnqueueNotifications(
  q: PgQueryable,
  notifications: readonly NewOutboxNotification[],
  handoff?: OutboxHandoff
): Promise<OutboxRecord[]> {
  const seen = new Set<string>();
  const batch = notifications.filter((n) => !seen.has(n.dedupKey) && seen.add(n.dedupKey));
  if (batch.length === 0) {
    return [];
  }
  const pair = (channel: string, group: string) => JSON.stringify([channel, group]);
  const stored = new Set<string>();
  const open = new Set<string>();
  const handing = handoff !== undefined && handoff.limit > 0;
  if (handing) {
    const rows = await q.query<{ kind: string; a: string; b: string | null }>(EXISTING, [
      batch.map((n) => n.dedupKey),
      batch.map((n) => n.channel),
      batch.map((n) => n.groupKey),
    ]);
    for (const r of rows) {
      if (r.kind === 'dup') {
        stored.add(r.a);
      } else {
        open.add(pair(r.a, r.b ?? ''));
      }
    }
  }
  const rows: OutboxRow[] = [];
  const claimed = new Set<string>();
  for (const n of batch) {
    if (stored.has(n.dedupKey)) {
      continue; // a duplicate: ON CONFLICT would skip it, and it must not take a slot
    }
    const id = n.id ?? randomUUID();
    const nextAttemptAt = n.nextAttemptAt ?? n.createdAt;
    const group = pair(n.channel, n.groupKey);
    const claim = handing && claimed.size < handoff.limit && nextAttemptAt <= n.createdAt && !open.has(group);
    open.add(group);
    if (claim) {
      claimed.add(id);
    }
    rows.push({
      id,
      channel: n.channel,
      group_key: n.groupKey,
      dedup_key: n.dedupKey,
      payload: JSON.stringify(n.payload),
      status: claim ? 'sending' : 'pending',
      attempts: claim ? 1 : 0,
      next_attempt_at: nextAttemptAt,
      created_at: n.createdAt,
      sent_at: null,
      last_error: null,
      claimed_by: claim ? handoff.worker : null,
      claimed_until: claim ? handoff.claimedUntil : null,
    });
  }
  if (rows.length === 0) {
    return [];
  }
  const inserted = await q.query<{ id: string }>(INSERT, [
    rows.map((r) => r.id),
    rows.map((r) => r.channel),
    rows.map((r) => r.group_key),
    rows.map((r) => r.dedup_key),
    rows.map((r) => r.status),
    rows.map((r) => r.attempts),
    rows.map((r) => r.next_attempt_at),
    rows.map((r) => r.created_at),
    rows.map((r) => r.claimed_by),
    rows.map((r) => r.claimed_until),
    jsonTexts(rows.map((r) => r.payload)),
  ]);
  if (claimed.size === 0) {
    return [];
  }
  const went = new Set(inserted.map((r) => r.id));
  return rows.filter((r) => claimed.has(r.id) && went.has(r.id)).map(claimedRecord);
}
