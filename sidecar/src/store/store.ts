/**
 * Persistence behind one interface. SQLite (better-sqlite3) is the embedded default; the methods are
 * async and the SQL portable so a PostgreSQL implementation can follow without changing callers.
 */
import type { AlertInstance, AlertState, NormalizedRuleBody, RuleOrigin, Transition } from '@vigil/core';
import type { InboundAlert, NotifyStore } from './notifyStore';
import type { IncidentStore } from './incidentStore';
import type { SloStore } from './sloStore';

/** Severity of an event, as in the guide's confidence → severity mapping. */
export type EventSeverity = 'info' | 'warning' | 'error' | 'critical';

/** A recorded event (first: anomaly events). Times are epoch milliseconds. */
export interface StoredEvent {
  id: string;
  /** What produced it, e.g. `anomaly`. */
  kind: string;
  /** Identifies the series, e.g. `detector-name{service="api"}`. */
  seriesKey: string;
  startedAt: number;
  /** Null while the event is still open (the anomaly is ongoing). */
  endedAt: number | null;
  severity: EventSeverity;
  message: string;
  metadata: Record<string, unknown>;
}

/** Fields to create an event; the store assigns the id unless one is given. */
export type NewEvent = Omit<StoredEvent, 'id' | 'endedAt' | 'metadata'> & {
  id?: string;
  endedAt?: number | null;
  metadata?: Record<string, unknown>;
};

/** Fields of an event that may change while it is open. */
export type EventPatch = Partial<Pick<StoredEvent, 'endedAt' | 'severity' | 'message' | 'metadata'>>;

/** Filter for {@link Store.listEvents}: events overlapping [from, to]. */
export interface EventQuery {
  from: number;
  to: number;
  kind?: string;
  seriesKey?: string;
  /** Only series keys starting with this (a detector's events: `name{`). */
  seriesKeyPrefix?: string;
  /** Only these severities. */
  severities?: readonly EventSeverity[];
  /** Maximum rows, newest first; default 1000. */
  limit?: number;
}

/** What `GET /api/v1/monitoring/health` reports about the store. */
export interface StoreHealth {
  type: string;
  ok: boolean;
  schemaVersion: number;
  error?: string;
}

/** The sidecar's persistence. */
export interface Store
  extends RuleStore, AlertStore, OutboxStore, NotifyStore, IncidentStore, DetectorStateStore, SloStore {
  /** `sqlite` (later also `postgres`). */
  readonly type: string;
  /** Cheap liveness check plus the applied schema version; never throws. */
  health(): Promise<StoreHealth>;
  /** Inserts an event and returns it as stored. */
  insertEvent(event: NewEvent): Promise<StoredEvent>;
  /** Updates an open event (e.g. extends or ends it); returns null when the id is unknown. */
  updateEvent(id: string, patch: EventPatch): Promise<StoredEvent | null>;
  /** Events overlapping the window, newest first. */
  listEvents(query: EventQuery): Promise<StoredEvent[]>;
  /** A small JSON setting (e.g. detector state checkpoints); undefined when unset. */
  getSetting<T = unknown>(key: string): Promise<T | undefined>;
  /** Stores a small JSON setting, replacing any previous value. */
  setSetting(key: string, value: unknown): Promise<void>;
  /** Closes the store; later calls fail, `health()` reports not ok. Idempotent. */
  close(): Promise<void>;
}

/** Who made a change through the API: the Grafana user (`X-Grafana-User`), or `api` / `file:<name>`. */
export type Actor = string;

/** A stored rule: its normalized body (every default filled in) and metadata. */
export interface RuleRecord {
  id: string;
  origin: RuleOrigin;
  /** Rule files: the file, relative to the rules folder. */
  file: string | null;
  body: NormalizedRuleBody;
  createdAt: number;
  createdBy: Actor;
  updatedAt: number;
  updatedBy: Actor;
  /** 1 on create, +1 on every change. */
  version: number;
}

/** One recorded change (audit log): who did what to which object, and when. */
export interface ChangeRecord {
  at: number;
  user: Actor;
  /** `acknowledge` / `resolve`: an incident's (issue 11). */
  action: 'create' | 'update' | 'delete' | 'expire' | 'acknowledge' | 'resolve';
  objectType: 'rule' | 'silence' | 'incident' | 'slo';
  objectId: string;
  /** The new body on create/update; the old one on delete. */
  detail: unknown;
}

/** Rule persistence (API rules and the rules loaded from files). */
export interface RuleStore {
  listRules(): Promise<RuleRecord[]>;
  getRule(id: string): Promise<RuleRecord | null>;
  /**
   * Creates or replaces a rule and records the change in the same transaction. With
   * `expectedVersion`, fails with a 409 VigilError when the stored version differs (a lost update);
   * `expectedVersion` 0 means the rule must not exist yet (a create that may not replace one).
   */
  putRule(rule: RuleRecord, change: ChangeRecord, expectedVersion?: number): Promise<void>;
  /** Deletes a rule, its instances and status (history is kept), recording the change; false when unknown. */
  deleteRule(id: string, change: ChangeRecord): Promise<boolean>;
  /** Atomically replaces every `file` rule with these (a reload of the rules folder). */
  replaceFileRules(rules: RuleRecord[], user: Actor): Promise<void>;
  /** Recorded changes of one object, newest first. */
  listChanges(objectType: ChangeRecord['objectType'], objectId: string, limit?: number): Promise<ChangeRecord[]>;
}

/** What a rule's last evaluation reported. */
export interface RuleStatusRecord {
  ruleId: string;
  health: 'ok' | 'error' | 'nodata' | 'unknown';
  lastEvaluation: number | null;
  lastDurationMs: number | null;
  lastError: string | null;
  seriesCount: number;
}

/** The outcome of one rule evaluation, committed atomically. */
export interface EvaluationCommit {
  ruleId: string;
  /** The rule's name, for the messages and metadata of `alert` events (default: the id). */
  ruleName?: string;
  /** The rule's instances after the evaluation; stored instances of the rule not listed are deleted. */
  instances: AlertInstance[];
  /** Every state change, stored as history; those with `event` also become `alert` events. */
  transitions: Transition[];
  status: RuleStatusRecord;
  /** Alert updates for the dispatcher (firing and resolved transitions), pushed to its inbox in the same transaction. */
  inbound?: InboundAlert[];
}

/** Filter of {@link AlertStore.listInstances}. */
export interface InstanceQuery {
  ruleId?: string;
  states?: readonly AlertState[];
}

/** Alert instance state, history and rule status: everything a restart continues from. */
export interface AlertStore {
  listInstances(query?: InstanceQuery): Promise<AlertInstance[]>;
  /**
   * Commits several evaluations in one transaction (one scheduler tick). Events get deterministic
   * ids (rule, fingerprint, event, time), so committing the same transition twice stores it once.
   * Evaluations of rules no longer stored are skipped (a rule deleted while its evaluation ran).
   */
  commitEvaluations(commits: readonly EvaluationCommit[]): Promise<void>;
  /** Transitions of one instance, newest first. */
  listHistory(fingerprint: string, limit?: number): Promise<Transition[]>;
  listRuleStatuses(): Promise<RuleStatusRecord[]>;
}

/** Delivery state of an outbox notification (wire values of `GET /api/v1/notifications?status=`). */
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed';

/** A notification to enqueue; the store assigns the id unless one is given. */
export interface NewOutboxNotification {
  id?: string;
  /** Channel (receiver) name; the worker picks the sender by it. */
  channel: string;
  groupKey: string;
  /** Unique per (channel, group key, content): see `outboxDedupKey` in `sqliteOutbox.ts`. */
  dedupKey: string;
  /** The channel body without secrets (the sender adds routing key / URL / signature at send time). */
  payload: unknown;
  createdAt: number;
  /** First attempt not before (default `createdAt`). */
  nextAttemptAt?: number;
}

/** A stored outbox notification. Times are epoch milliseconds. */
export interface OutboxRecord {
  id: string;
  channel: string;
  groupKey: string;
  dedupKey: string;
  payload: unknown;
  status: OutboxStatus;
  /** Sends started (a claim counts one, so a crashed attempt counts too). */
  attempts: number;
  nextAttemptAt: number;
  createdAt: number;
  sentAt: number | null;
  lastError: string | null;
  /** Worker holding the row while `sending`, and until when its lease runs. */
  claimedBy: string | null;
  claimedUntil: number | null;
}

/** Filter of {@link OutboxStore.listNotifications}: newest first. */
export interface OutboxQuery {
  /** One notification by id (the API's retry and read-back). */
  id?: string;
  status?: OutboxStatus;
  channel?: string;
  /** Maximum rows; default 100. */
  limit?: number;
}

/**
 * The durable notification outbox (at-least-once delivery): enqueue before sending, claim with a lease,
 * mark the outcome. A worker that dies while holding a claim loses it when the lease runs out.
 */
export interface OutboxStore {
  /** Inserts a pending notification; false (and nothing changes) when its dedup key is already stored. */
  enqueue(n: NewOutboxNotification): Promise<boolean>;
  /**
   * Atomically claims up to `limit` due notifications for `worker` for `leaseMs`: pending rows with
   * `nextAttemptAt <= now`, and `sending` rows whose lease expired (their worker crashed). Claimed rows
   * become `sending`, with `attempts` + 1. Oldest due first.
   */
  claimDue(now: number, limit: number, worker: string, leaseMs: number): Promise<OutboxRecord[]>;
  /**
   * Puts `worker`'s claims (rows it holds `sending`) back to `pending`, due at `now`: a restarted
   * process with the same worker id takes over its predecessor's sends at once instead of waiting
   * for their leases. Returns how many rows it released.
   */
  releaseClaims(worker: string, now: number): Promise<number>;
  /** The channel accepted it: `sent` at `at` (default now). */
  markSent(id: string, at?: number): Promise<void>;
  /** A retryable failure: back to `pending`, due at `nextAt`. No-op unless the row is `sending`. */
  markRetry(id: string, nextAt: number, error: string): Promise<void>;
  /** A permanent failure (or past the maximum age): `failed`. No-op unless the row is `sending`. */
  markFailed(id: string, error: string): Promise<void>;
  listNotifications(query?: OutboxQuery): Promise<OutboxRecord[]>;
  /** A failed notification back to `pending`, due at `now` (a retry by hand); false unless it was failed. */
  retryNow(id: string, now?: number): Promise<boolean>;
}

/** One series' saved detector state (`detector_series_state`). */
export interface DetectorSeriesStateRow {
  seriesKey: string;
  /** Binary state (sidecar/src/detection/stateCodec.ts). */
  state: Uint8Array;
  updatedAt: number;
}

/** One commit of a detector's series states: written in one transaction. */
export interface DetectorStateWrite {
  /** Rows to insert or replace. */
  put: ReadonlyArray<{ seriesKey: string; state: Uint8Array }>;
  /** Series whose rows are deleted (series gone). */
  remove?: readonly string[];
  /** Delete every other row of the detector first (its settings changed: old states are useless). */
  replaceAll?: boolean;
  /** A settings key deleted in the same transaction (the JSON state this table replaces, once migrated). */
  dropSetting?: string;
  /**
   * Events written in the same transaction (a detector run's anomaly events): inserted, and updated
   * (end, severity, message and metadata replaced; an unknown id is skipped, as updateEvent does).
   */
  events?: { insert: readonly StoredEvent[]; update: readonly StoredEvent[] };
  at: number;
}

/** Detector state per series, and the retention of anomaly events. */
export interface DetectorStateStore {
  /** Every saved series state of a detector. */
  loadDetectorStates(detector: string): Promise<DetectorSeriesStateRow[]>;
  /** One series' saved state, or null. */
  loadDetectorState(detector: string, seriesKey: string): Promise<Uint8Array | null>;
  /** Writes a detector's changed series states in one transaction. */
  saveDetectorStates(detector: string, write: DetectorStateWrite): Promise<void>;
  /**
   * Retention: deletes the detector's closed anomaly events that ended before `before` (events whose
   * series key starts with `seriesKeyPrefix`) and its series states not written since then.
   */
  pruneDetection(
    detector: string,
    seriesKeyPrefix: string,
    before: number
  ): Promise<{ events: number; states: number }>;
}
