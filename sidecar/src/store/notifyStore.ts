/**
 * The notification dispatcher's persistence (migration 4). Every queue and state lives here so that a
 * crash or restart loses nothing: alert updates wait in the inbox until routed; each aggregation
 * group's timing and notification log, and which alerts it holds, are rows; a flush writes its
 * outbox notifications and the group's new state in one transaction. One dispatcher writes groups at
 * a time (read, compute, write without locks); HA (issue 14) adds a lease in front of it.
 */
import type { GroupState, Silence } from '@vigil/core';
import type { IncidentWrites } from './incidentStore';
import type { Actor, NewOutboxNotification, OutboxRecord } from './store';

/** Where an alert came from. */
export type AlertSource = 'rule' | 'alertmanager' | 'grafana' | 'detector' | 'slo';

/** An alert update for the dispatcher: a rule transition, a received webhook alert, a detector event. */
export interface InboundAlert {
  /** Stable identity of the alert (its label set's fingerprint). */
  fingerprint: string;
  source: AlertSource;
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  /** Rendered annotations (`summary`, `description`, `runbook_url`, `dashboard_url`, …). */
  annotations: Record<string, string>;
  /** Epoch ms. */
  startsAt: number;
  /** Epoch ms when resolved; null while firing. */
  endsAt: number | null;
  value: number | null;
  threshold: number | null;
  generatorURL?: string;
  /** A rule's `actions` (channel names) that replace the routing tree's receivers; empty: the tree decides. */
  actions: string[];
  /** When this update happened (epoch ms): an older update never overwrites a newer one. */
  at: number;
}

/** An inbox row. */
export interface InboxEntry {
  id: string;
  receivedAt: number;
  alert: InboundAlert;
}

/** An alert the dispatcher holds. */
export type NotifyAlertRecord = Omit<InboundAlert, 'at'> & { updatedAt: number };

/** One aggregation group (per route, so per receiver). */
export interface NotifyGroupRecord {
  key: string;
  routeId: string;
  receiver: string;
  groupLabels: Record<string, string>;
  state: GroupState;
  /** When it flushes next; null when closed. */
  nextFlushAt: number | null;
}

/** What routing an inbox batch changes, applied in one transaction. */
export interface IngestCommit {
  /** Inbox rows consumed (deleted). */
  inboxIds: string[];
  /** Alerts inserted or replaced. */
  alerts: NotifyAlertRecord[];
  /** Groups inserted or replaced. */
  groups: NotifyGroupRecord[];
  /** (group, alert) memberships added (existing ones kept). */
  memberships: Array<{ groupKey: string; fingerprint: string }>;
  /** Incidents that correlation decided for this batch (issue 11), in the same transaction. */
  incidents?: IncidentWrites;
  /**
   * Groups that were closed and reopen with this batch: the memberships their last flush left (see
   * {@link NotifyStore.releaseClosedGroups}) are dropped before the batch's are added.
   */
  reopened?: string[];
}

/** What one flush changes, applied (for a batch of groups) in one transaction. */
export interface FlushCommit {
  /** The group's new state and next flush. */
  group: NotifyGroupRecord;
  /** Notifications to enqueue (deduplicated by their dedup key). */
  notifications: NewOutboxNotification[];
  /**
   * Memberships to drop (resolved alerts reported, or gone) of a group that stays open. A group the
   * flush closes keeps its memberships until {@link NotifyStore.releaseClosedGroups}.
   */
  removeFingerprints: string[];
}

/**
 * A flush's notifications may be stored already claimed by the outbox worker of the same process, which
 * then sends them without claiming them (a second write of each row): `status` `sending`, one attempt,
 * held by `worker` until `claimedUntil`, exactly as `claimDue` would have left them, so a crash before
 * the send leads to one more attempt after the lease (or at once by a worker with the same id).
 */
export interface OutboxHandoff {
  worker: string;
  claimedUntil: number;
  /** At most this many rows are claimed (the worker's free slots). */
  limit: number;
}

/** A silence with its audit fields. */
export interface SilenceRecord extends Silence {
  updatedAt: number;
}

/** Dispatcher, inbox and silence persistence. */
export interface NotifyStore {
  /** Appends alert updates to the inbox (one transaction); the dispatcher routes them later. */
  pushInbound(alerts: readonly InboundAlert[], receivedAt: number): Promise<void>;
  /** The oldest `limit` inbox rows, in arrival order. */
  readInbox(limit: number): Promise<InboxEntry[]>;
  /** When the oldest inbox row was received; null when the inbox is empty. */
  oldestInbox(): Promise<number | null>;
  /** Stored alerts with these fingerprints. */
  getNotifyAlerts(fingerprints: readonly string[]): Promise<NotifyAlertRecord[]>;
  /** Stored groups with these keys. */
  getGroups(keys: readonly string[]): Promise<NotifyGroupRecord[]>;
  /**
   * Applies routing results atomically (and deletes the consumed inbox rows). On PostgreSQL it fails
   * with a retryable 409 `conflict`, writing nothing, when another dispatcher already consumed some of
   * those rows (a deposed leader's late pass): each inbox row is routed by the one commit that deletes it.
   */
  commitIngest(commit: IngestCommit): Promise<void>;
  /** Groups whose `nextFlushAt <= now`, soonest first. */
  dueGroups(now: number, limit: number): Promise<NotifyGroupRecord[]>;
  /** The soonest `nextFlushAt` of any group; null when none is scheduled. */
  nextGroupFlush(): Promise<number | null>;
  /** Alerts of each group, by group key. */
  groupAlerts(keys: readonly string[]): Promise<Map<string, NotifyAlertRecord[]>>;
  /**
   * Applies flushes atomically: enqueues the notifications, stores each group's state, drops
   * memberships, and deletes alerts that are resolved and in no group any more. With `handoff`, the
   * notifications that can be sent at once (due, no older one of their channel and group undelivered)
   * are stored claimed, up to its limit, and returned as `claimDue` would return them; the others are
   * stored pending. Returns [] without it.
   */
  commitFlush(flushes: readonly FlushCommit[], handoff?: OutboxHandoff): Promise<OutboxRecord[]>;
  /**
   * Drops the memberships of the groups among `keys` that are still closed (every alert of a closed
   * group was resolved and reported by its last flush), then forgets the resolved alerts no group
   * holds any more; without `keys`, of every closed group (after a restart or a takeover). Returns the
   * memberships dropped. A flush that closes a group leaves this to the dispatcher's next idle moment,
   * so a storm's resolved notifications are not held up by the bookkeeping; a closed group's
   * memberships are read by nothing until then, and a group reopened meanwhile drops them itself
   * ({@link IngestCommit.reopened}).
   */
  releaseClosedGroups(keys?: readonly string[]): Promise<number>;
  /** Groups scheduled to flush (holding alerts), counted (the `vigil_notify_groups` gauge). */
  countOpenGroups(): Promise<number>;
  /** Every group (the API's view), by key. */
  listGroups(): Promise<NotifyGroupRecord[]>;
  /** Labels of every firing alert the dispatcher holds (inhibition sources). */
  firingAlertLabels(): Promise<Array<Record<string, string>>>;

  /**
   * Retention: deletes closed, empty groups whose last notification (or first alert) is older than
   * `before` — their notification log, as Alertmanager's expires — and `sent` outbox rows sent before it.
   */
  pruneNotify(before: number): Promise<{ groups: number; notifications: number }>;

  /** Silences, newest first; expired ones older than `expiredSince` are left out when given. */
  listSilences(opts?: { expiredSince?: number }): Promise<SilenceRecord[]>;
  getSilence(id: string): Promise<SilenceRecord | null>;
  /** Creates or replaces a silence and records the change (object type `silence`) in one transaction. */
  putSilence(silence: SilenceRecord, user: Actor, action: 'create' | 'update' | 'expire'): Promise<void>;
}
