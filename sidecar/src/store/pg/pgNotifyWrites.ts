/**
 * The dispatcher's multi-row writes on PostgreSQL (issue 14), each one transaction of a few batched
 * statements: an ingest (alerts, groups, memberships, incidents, consumed inbox rows), a flush (outbox
 * rows, group states, memberships dropped, resolved alerts forgotten) and the retention prune.
 */
import type { GroupState } from '@vigil/core';
import { VigilError } from '../../errors';
import type { FlushCommit, IngestCommit, OutboxHandoff } from '../notifyStore';
import type { OutboxRecord } from '../store';
import type { PgQueryable } from './pgDb';
import { ALERT_UPSERT, alertUpsertArgs, GROUP_UPSERT, groupUpsertArgs } from './pgNotifyRows';
import { pgEnqueueNotifications } from './pgOutboxBatch';

/** Applies correlation's incident writes inside the ingest's transaction (the incidents module's). */
export type IncidentWriter = (q: PgQueryable, writes: NonNullable<IngestCommit['incidents']>) => Promise<void>;

const SQL = {
  deleteInbox: 'DELETE FROM notify_inbox WHERE id = ANY(?::text[])',
  addMembers: `INSERT INTO notify_group_alerts (group_key, fingerprint)
    SELECT * FROM unnest(?::text[], ?::text[]) ON CONFLICT (group_key, fingerprint) DO NOTHING`,
  removeMembers: `DELETE FROM notify_group_alerts m USING unnest(?::text[], ?::text[]) AS r(group_key, fingerprint)
    WHERE m.group_key = r.group_key AND m.fingerprint = r.fingerprint`,
  // Its own statement after removeMembers: a statement's snapshot would not see that one's deletions.
  dropResolved: `DELETE FROM notify_alerts a WHERE a.fingerprint = ANY(?::text[]) AND a.status = 'resolved'
    AND NOT EXISTS (SELECT 1 FROM notify_group_alerts m WHERE m.fingerprint = a.fingerprint)`,
  closedGroups: `SELECT group_key, state FROM notify_groups g WHERE next_flush_at IS NULL AND NOT EXISTS (
    SELECT 1 FROM notify_group_alerts m WHERE m.group_key = g.group_key)`,
  // The conditions again: a group another replica reopened or gave an alert meanwhile stays.
  deleteGroups: `DELETE FROM notify_groups g WHERE g.group_key = ANY(?::text[]) AND g.next_flush_at IS NULL
    AND NOT EXISTS (SELECT 1 FROM notify_group_alerts m WHERE m.group_key = g.group_key)`,
  // Sent rows and their payloads (migration 10) together.
  pruneSent: `WITH gone AS (DELETE FROM notifications WHERE status = 'sent' AND sent_at < ? RETURNING id),
      payloads AS (DELETE FROM notification_payloads WHERE id IN (SELECT id FROM gone))
    SELECT COUNT(*) AS n FROM gone`,
  sweepResolved: `DELETE FROM notify_alerts a WHERE a.status = 'resolved' AND NOT EXISTS (
    SELECT 1 FROM notify_group_alerts m WHERE m.fingerprint = a.fingerprint)`,
  dropMembersOf: 'DELETE FROM notify_group_alerts WHERE group_key = ANY(?::text[]) RETURNING fingerprint',
  releaseClosed: `DELETE FROM notify_group_alerts m USING notify_groups g
    WHERE g.group_key = m.group_key AND g.next_flush_at IS NULL AND m.group_key = ANY(?::text[])
    RETURNING m.fingerprint`,
  releaseAllClosed: `DELETE FROM notify_group_alerts m USING notify_groups g
    WHERE g.group_key = m.group_key AND g.next_flush_at IS NULL RETURNING m.fingerprint`,
} as const;

/**
 * An ingest's writes on `q` (the caller's transaction). The consumed inbox rows are deleted first and
 * must all still be there: with two dispatchers reading the inbox at once (a lease hand-over, a bug),
 * the one committing second finds rows the other already routed and rolls back whole with a retryable
 * 409 (its next pass reads the inbox afresh), so no inbox row is ever routed twice, and none is lost
 * (a row leaves the inbox only with the commit that routes it). Its DELETE waits for the first
 * commit's row locks, then sees the rows gone.
 */
export async function pgCommitIngest(q: PgQueryable, c: IngestCommit, incidents: IncidentWriter): Promise<void> {
  const inboxIds = [...new Set(c.inboxIds)];
  if (inboxIds.length > 0) {
    const deleted = await q.run(SQL.deleteInbox, [inboxIds]);
    if (deleted !== inboxIds.length) {
      throw new VigilError(
        'conflict',
        `store: ${inboxIds.length - deleted} of ${inboxIds.length} inbox row(s) were routed by another dispatcher`,
        { status: 409, retryable: true }
      );
    }
  }
  if (c.alerts.length > 0) {
    await q.run(ALERT_UPSERT, alertUpsertArgs(c.alerts));
  }
  if (c.groups.length > 0) {
    await q.run(GROUP_UPSERT, groupUpsertArgs(c.groups));
  }
  // A reopened group's memberships are those its closing flush left: done with, dropped first (an
  // alert of this batch among them is firing now, so it stays).
  if (c.reopened?.length) {
    await dropMemberships(q, SQL.dropMembersOf, [c.reopened]);
  }
  if (c.memberships.length > 0) {
    await q.run(SQL.addMembers, [c.memberships.map((m) => m.groupKey), c.memberships.map((m) => m.fingerprint)]);
  }
  if (c.incidents) {
    // Correlation's decisions commit with the routing they made (issue 11).
    await incidents(q, c.incidents);
  }
}

/**
 * A batch of flushes on `q` (the caller's transaction): the notifications (some handed over claimed,
 * see pgEnqueueNotifications), each group's state (a group flushed twice in the batch: the last),
 * memberships dropped, then the resolved alerts no group holds any more forgotten.
 */
export async function pgCommitFlush(
  q: PgQueryable,
  flushes: readonly FlushCommit[],
  handoff?: OutboxHandoff
): Promise<OutboxRecord[]> {
  // Rows left pending wake the replicas' workers at commit (OUTBOX_CHANNEL, in the enqueue's statement).
  const claimed = await pgEnqueueNotifications(
    q,
    flushes.flatMap((f) => f.notifications),
    handoff
  );
  await q.run(GROUP_UPSERT, groupUpsertArgs(flushes.map((f) => f.group)));
  const removed = flushes.flatMap((f) => f.removeFingerprints.map((fp) => [f.group.key, fp] as const));
  if (removed.length > 0) {
    await q.run(SQL.removeMembers, [removed.map((r) => r[0]), removed.map((r) => r[1])]);
    // A resolved alert no group holds any more has been reported everywhere: forget it.
    await q.run(SQL.dropResolved, [[...new Set(removed.map((r) => r[1]))]]);
  }
  return claimed;
}

/**
 * The memberships of closed groups (those among `keys`, or all) dropped on `q`, then the resolved
 * alerts no group holds any more forgotten (NotifyStore.releaseClosedGroups). Returns how many
 * memberships were dropped.
 */
export async function pgReleaseClosedGroups(q: PgQueryable, keys?: readonly string[]): Promise<number> {
  if (keys === undefined) {
    return dropMemberships(q, SQL.releaseAllClosed, []);
  }
  return keys.length === 0 ? 0 : dropMemberships(q, SQL.releaseClosed, [[...new Set(keys)]]);
}

/**
 * Runs `deleteSql` (a membership DELETE … RETURNING fingerprint), then forgets the resolved alerts no
 * group holds any more; returns how many memberships it deleted.
 */
async function dropMemberships(q: PgQueryable, deleteSql: string, params: readonly unknown[]): Promise<number> {
  const gone = await q.query<{ fingerprint: string }>(deleteSql, params);
  if (gone.length > 0) {
    await q.run(SQL.dropResolved, [[...new Set(gone.map((r) => r.fingerprint))]]);
  }
  return gone.length;
}

/**
 * Retention on `q` (the caller's transaction): closed, empty groups last notified (or first alerted)
 * before `before`, sent notifications sent before it, and resolved alerts in no group.
 */
export async function pgPruneNotify(
  q: PgQueryable,
  before: number
): Promise<{ groups: number; notifications: number }> {
  // The state is JSON (core GroupState): its age is read here, not with SQL JSON functions (portable).
  const old = (await q.query<{ group_key: string; state: string }>(SQL.closedGroups))
    .filter((row) => {
      const state = JSON.parse(row.state) as GroupState;
      return (state.lastNotified?.at ?? state.firstAlertAt) < before;
    })
    .map((row) => row.group_key);
  const groups = old.length > 0 ? await q.run(SQL.deleteGroups, [old]) : 0;
  const [{ n }] = await q.query<{ n: number }>(SQL.pruneSent, [before]);
  await q.run(SQL.sweepResolved);
  return { groups, notifications: Number(n) };
}
