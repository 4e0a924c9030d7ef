/**
 * The outbox's rows as records (SQLite): the stored row, its record, and a claimed row's record that
 * keeps the payload's stored JSON text beside it for the senders that post it as it is.
 */
import type { OutboxRecord, OutboxStatus } from './store';

/** A `notifications` row joined with its payload (migration 10). */
export interface OutboxRow {
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

/** The record of a row. */
export function toRecord(r: OutboxRow): OutboxRecord {
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
export function claimedRecord(r: OutboxRow): OutboxRecord {
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
