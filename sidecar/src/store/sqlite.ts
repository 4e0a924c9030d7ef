import type {
  CorrelationVersion,
  IncidentAction,
  IncidentActionResult,
  IncidentAlertRecord,
  IncidentQuery,
  IncidentRecord,
  IncidentStore,
  IncidentTimelineRecord,
  IncidentWrites,
} from './incidentStore';
import { sqliteIncidentStore } from './sqliteIncidents';
import type {
  FlushCommit,
  OutboxHandoff,
  InboundAlert,
  InboxEntry,
  IngestCommit,
  NotifyAlertRecord,
  NotifyGroupRecord,
  NotifyStore,
  SilenceRecord,
} from './notifyStore';
import { sqliteNotifyStore } from './sqliteNotify';
import { sqliteDetectorStateStore } from './sqliteDetectorState';
import { BACKSTOP_AUTOCHECKPOINT_PAGES, type Checkpointer, startCheckpointer } from './sqliteCheckpoint';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { VigilError } from '../errors';
import { eventFilter, newStoredEvent, toEvent, type EventRow } from './eventRows';
import { MIGRATIONS, type Migration } from './migrations';
import type { AlertInstance, Slo, Transition } from '@vigil/core';
import { sqliteAlertStore } from './sqliteAlerts';
import { sqliteOutboxStore } from './sqliteOutbox';
import { sqliteRuleStore } from './sqliteRules';
import { sqliteSloStore } from './sqliteSlos';
import type { SloRecord, SloStatusRecord, SloStore } from './sloStore';
import type {
  Actor,
  AlertStore,
  ChangeRecord,
  EvaluationCommit,
  EventPatch,
  EventQuery,
  InstanceQuery,
  NewEvent,
  NewOutboxNotification,
  OutboxQuery,
  OutboxRecord,
  OutboxStore,
  RuleRecord,
  RuleStatusRecord,
  RuleStore,
  Store,
  StoredEvent,
  StoreHealth,
  DetectorSeriesStateRow,
  DetectorStateStore,
  DetectorStateWrite,
} from './store';

/** Options of {@link openSqliteStore}. */
export interface SqliteStoreOptions {
  /** Database file, or `:memory:`. Parent directories are created. */
  path: string;
  /** How long a writer waits for a lock held by another connection (SQLite `busy_timeout`). */
  busyTimeoutMs?: number;
  /** Migrations to apply; defaults to {@link MIGRATIONS} (tests pass their own). */
  migrations?: readonly Migration[];
  /**
   * Checkpoint the WAL from a worker thread (default true for a file): keeps the checkpoint's copy and
   * fsyncs out of the commits (sqliteCheckpoint.ts). False: SQLite's automatic checkpoint only.
   */
  backgroundCheckpoint?: boolean;
}

/** Applies pending migrations, each in its own transaction; returns the resulting schema version. */
export function migrate(db: Database.Database, migrations: readonly Migration[]): number {
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i].version <= migrations[i - 1].version) {
      throw new VigilError('store_migration', `store: migrations out of order at version ${migrations[i].version}`);
    }
  }
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)'
  );
  const current = schemaVersion(db);
  const latest = migrations.length ? migrations[migrations.length - 1].version : 0;
  if (current > latest) {
    throw new VigilError(
      'store_migration',
      `store: schema version ${current} is newer than this Vigil supports (${latest})`
    );
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of migrations) {
    if (m.version <= current) {
      continue;
    }
    // IMMEDIATE takes the write lock up front, so two processes starting together do not both migrate.
    const apply = db.transaction(() => {
      if (schemaVersion(db) >= m.version) {
        return;
      }
      db.exec(m.sql);
      record.run(m.version, m.name, Date.now());
    });
    try {
      apply.immediate();
    } catch (err) {
      const label = `${String(m.version).padStart(3, '0')}_${m.name}`;
      throw new VigilError('store_migration', `store: migration ${label} failed: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }
  return schemaVersion(db);
}

function schemaVersion(db: Database.Database): number {
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
  return row.v ?? 0;
}

/** Opens (creating if needed) and migrates a SQLite store. */
export function openSqliteStore(opts: SqliteStoreOptions): Store {
  if (opts.path !== ':memory:') {
    mkdirSync(dirname(opts.path), { recursive: true });
  }
  const db = new Database(opts.path);
  try {
    // WAL lets API reads run while the scheduler writes; NORMAL sync is durable across app crashes.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(opts.busyTimeoutMs ?? 5000))}`);
    db.pragma('foreign_keys = ON');
    // 32 MiB of page cache instead of 2: the notification tables of a storm (inbox, alerts, outbox and
    // their indexes) are tens of MiB, and pages evicted from the cache are read back on every pass.
    db.pragma('cache_size = -32768');
    migrate(db, opts.migrations ?? MIGRATIONS);
  } catch (err) {
    db.close();
    throw err;
  }
  let checkpointer: Checkpointer | null = null;
  if (opts.path !== ':memory:' && opts.backgroundCheckpoint !== false) {
    checkpointer = startCheckpointer(opts.path);
    if (checkpointer) {
      db.pragma(`wal_autocheckpoint = ${BACKSTOP_AUTOCHECKPOINT_PAGES}`);
    }
  }
  return new SqliteStore(db, checkpointer);
}

class SqliteStore implements Store {
  readonly type = 'sqlite';
  private closed = false;
  private readonly rules: RuleStore;
  private readonly alerts: AlertStore;
  private readonly outbox: OutboxStore;
  private readonly notify: NotifyStore;
  private readonly incidents: IncidentStore;
  private readonly detectorStates: DetectorStateStore;
  private readonly slos: SloStore;

  constructor(
    private readonly db: Database.Database,
    private readonly checkpointer: Checkpointer | null = null
  ) {
    this.rules = sqliteRuleStore(() => this.open);
    this.alerts = sqliteAlertStore(() => this.open);
    this.outbox = sqliteOutboxStore(() => this.open);
    this.notify = sqliteNotifyStore(() => this.open);
    this.incidents = sqliteIncidentStore(() => this.open);
    this.detectorStates = sqliteDetectorStateStore(() => this.open);
    this.slos = sqliteSloStore(() => this.open);
  }

  listSlos(): Promise<SloRecord[]> {
    return this.slos.listSlos();
  }
  getSlo(id: string): Promise<SloRecord | null> {
    return this.slos.getSlo(id);
  }
  putSlo(slo: Slo, user: Actor, at: number, expectedVersion?: number): Promise<SloRecord> {
    return this.slos.putSlo(slo, user, at, expectedVersion);
  }
  deleteSlo(id: string, user: Actor, at: number): Promise<boolean> {
    return this.slos.deleteSlo(id, user, at);
  }
  putSloStatuses(statuses: readonly SloStatusRecord[]): Promise<void> {
    return this.slos.putSloStatuses(statuses);
  }
  sloStatuses(): Promise<Map<string, SloStatusRecord>> {
    return this.slos.sloStatuses();
  }

  loadDetectorStates(detector: string): Promise<DetectorSeriesStateRow[]> {
    return this.detectorStates.loadDetectorStates(detector);
  }
  loadDetectorState(detector: string, seriesKey: string): Promise<Uint8Array | null> {
    return this.detectorStates.loadDetectorState(detector, seriesKey);
  }
  saveDetectorStates(detector: string, write: DetectorStateWrite): Promise<void> {
    return this.detectorStates.saveDetectorStates(detector, write);
  }
  pruneDetection(detector: string, prefix: string, before: number): Promise<{ events: number; states: number }> {
    return this.detectorStates.pruneDetection(detector, prefix, before);
  }

  listRules(): Promise<RuleRecord[]> {
    return this.rules.listRules();
  }
  getRule(id: string): Promise<RuleRecord | null> {
    return this.rules.getRule(id);
  }
  putRule(rule: RuleRecord, change: ChangeRecord, expectedVersion?: number): Promise<void> {
    return this.rules.putRule(rule, change, expectedVersion);
  }
  deleteRule(id: string, change: ChangeRecord): Promise<boolean> {
    return this.rules.deleteRule(id, change);
  }
  replaceFileRules(rules: RuleRecord[], user: string): Promise<void> {
    return this.rules.replaceFileRules(rules, user);
  }
  listChanges(objectType: ChangeRecord['objectType'], objectId: string, limit?: number): Promise<ChangeRecord[]> {
    return this.rules.listChanges(objectType, objectId, limit);
  }
  listInstances(query?: InstanceQuery): Promise<AlertInstance[]> {
    return this.alerts.listInstances(query);
  }
  commitEvaluations(commits: readonly EvaluationCommit[]): Promise<void> {
    return this.alerts.commitEvaluations(commits);
  }
  listHistory(fingerprint: string, limit?: number): Promise<Transition[]> {
    return this.alerts.listHistory(fingerprint, limit);
  }
  listRuleStatuses(): Promise<RuleStatusRecord[]> {
    return this.alerts.listRuleStatuses();
  }

  enqueue(n: NewOutboxNotification): Promise<boolean> {
    return this.outbox.enqueue(n);
  }
  claimDue(now: number, limit: number, worker: string, leaseMs: number): Promise<OutboxRecord[]> {
    return this.outbox.claimDue(now, limit, worker, leaseMs);
  }
  releaseClaims(worker: string, now: number): Promise<number> {
    return this.outbox.releaseClaims(worker, now);
  }
  markSent(id: string, at?: number): Promise<void> {
    return this.outbox.markSent(id, at);
  }
  markRetry(id: string, nextAt: number, error: string): Promise<void> {
    return this.outbox.markRetry(id, nextAt, error);
  }
  markFailed(id: string, error: string): Promise<void> {
    return this.outbox.markFailed(id, error);
  }
  listNotifications(query?: OutboxQuery): Promise<OutboxRecord[]> {
    return this.outbox.listNotifications(query);
  }
  retryNow(id: string, now?: number): Promise<boolean> {
    return this.outbox.retryNow(id, now);
  }

  pushInbound(alerts: readonly InboundAlert[], receivedAt: number): Promise<void> {
    return this.notify.pushInbound(alerts, receivedAt);
  }
  readInbox(limit: number): Promise<InboxEntry[]> {
    return this.notify.readInbox(limit);
  }
  oldestInbox(): Promise<number | null> {
    return this.notify.oldestInbox();
  }
  getNotifyAlerts(fingerprints: readonly string[]): Promise<NotifyAlertRecord[]> {
    return this.notify.getNotifyAlerts(fingerprints);
  }
  getGroups(keys: readonly string[]): Promise<NotifyGroupRecord[]> {
    return this.notify.getGroups(keys);
  }
  commitIngest(commit: IngestCommit): Promise<void> {
    return this.notify.commitIngest(commit);
  }
  dueGroups(now: number, limit: number): Promise<NotifyGroupRecord[]> {
    return this.notify.dueGroups(now, limit);
  }
  nextGroupFlush(): Promise<number | null> {
    return this.notify.nextGroupFlush();
  }
  groupAlerts(keys: readonly string[]): Promise<Map<string, NotifyAlertRecord[]>> {
    return this.notify.groupAlerts(keys);
  }
  commitFlush(flushes: readonly FlushCommit[], handoff?: OutboxHandoff): Promise<OutboxRecord[]> {
    return this.notify.commitFlush(flushes, handoff);
  }
  releaseClosedGroups(keys?: readonly string[]): Promise<number> {
    return this.notify.releaseClosedGroups(keys);
  }
  pruneNotify(before: number): Promise<{ groups: number; notifications: number }> {
    return this.notify.pruneNotify(before);
  }
  countOpenGroups(): Promise<number> {
    return this.notify.countOpenGroups();
  }
  listGroups(): Promise<NotifyGroupRecord[]> {
    return this.notify.listGroups();
  }
  firingAlertLabels(): Promise<Array<Record<string, string>>> {
    return this.notify.firingAlertLabels();
  }
  listSilences(opts?: { expiredSince?: number }): Promise<SilenceRecord[]> {
    return this.notify.listSilences(opts);
  }
  getSilence(id: string): Promise<SilenceRecord | null> {
    return this.notify.getSilence(id);
  }
  putSilence(silence: SilenceRecord, user: string, action: 'create' | 'update' | 'expire'): Promise<void> {
    return this.notify.putSilence(silence, user, action);
  }

  listIncidents(query?: IncidentQuery): Promise<IncidentRecord[]> {
    return this.incidents.listIncidents(query);
  }
  getIncident(id: string): Promise<IncidentRecord | null> {
    return this.incidents.getIncident(id);
  }
  incidentAlerts(ids: readonly string[]): Promise<Map<string, IncidentAlertRecord[]>> {
    return this.incidents.incidentAlerts(ids);
  }
  incidentTimeline(id: string): Promise<IncidentTimelineRecord[]> {
    return this.incidents.incidentTimeline(id);
  }
  correlationCandidates(since: number): Promise<{ incidents: IncidentRecord[]; alerts: IncidentAlertRecord[] }> {
    return this.incidents.correlationCandidates(since);
  }
  correlationVersion(): Promise<CorrelationVersion> {
    return this.incidents.correlationVersion();
  }
  activeIncidentOf(fingerprint: string): Promise<string | null> {
    return this.incidents.activeIncidentOf(fingerprint);
  }
  commitIncidents(writes: IncidentWrites): Promise<void> {
    return this.incidents.commitIncidents(writes);
  }
  actOnIncident(action: IncidentAction): Promise<IncidentActionResult | null> {
    return this.incidents.actOnIncident(action);
  }

  private get open(): Database.Database {
    if (this.closed) {
      throw new VigilError('store_closed', 'store: closed', { status: 503, retryable: true });
    }
    return this.db;
  }

  async health(): Promise<StoreHealth> {
    try {
      const db = this.open;
      db.prepare('SELECT 1').get();
      return { type: this.type, ok: true, schemaVersion: schemaVersion(db) };
    } catch (err) {
      return { type: this.type, ok: false, schemaVersion: 0, error: (err as Error).message };
    }
  }

  async insertEvent(e: NewEvent): Promise<StoredEvent> {
    const event = newStoredEvent(e);
    this.open
      .prepare(
        `INSERT INTO events (id, kind, series_key, started_at, ended_at, severity, message, metadata)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
      )
      .run(
        event.id,
        event.kind,
        event.seriesKey,
        event.startedAt,
        event.endedAt,
        event.severity,
        event.message,
        JSON.stringify(event.metadata)
      );
    return event;
  }

  async updateEvent(id: string, patch: EventPatch): Promise<StoredEvent | null> {
    const db = this.open;
    const update = db.transaction((): StoredEvent | null => {
      const row = db.prepare('SELECT * FROM events WHERE id = ?').get(id) as EventRow | undefined;
      if (!row) {
        return null;
      }
      const next = { ...toEvent(row), ...patch };
      db.prepare('UPDATE events SET ended_at = ?, severity = ?, message = ?, metadata = ? WHERE id = ?').run(
        next.endedAt,
        next.severity,
        next.message,
        JSON.stringify(next.metadata),
        id
      );
      return next;
    });
    return update();
  }

  async listEvents(q: EventQuery): Promise<StoredEvent[]> {
    const filter = eventFilter(q);
    if (filter === null) {
      return [];
    }
    const rows = this.open
      .prepare(`SELECT * FROM events WHERE ${filter.where} ORDER BY started_at DESC, id LIMIT ?`)
      .all(...filter.args) as EventRow[];
    return rows.map(toEvent);
  }

  async getSetting<T = unknown>(key: string): Promise<T | undefined> {
    const row = this.open.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return row === undefined ? undefined : (JSON.parse(row.value) as T);
  }

  async setSetting(key: string, value: unknown): Promise<void> {
    // INSERT ... ON CONFLICT DO UPDATE is understood by both SQLite (3.24+) and PostgreSQL.
    this.open
      .prepare(
        `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`
      )
      .run(key, JSON.stringify(value), Date.now());
  }

  async close(): Promise<void> {
    if (this.closed) {
      return;
    }
    this.closed = true;
    // The worker's connection first: the last connection to close checkpoints and removes the WAL.
    await this.checkpointer?.stop();
    this.db.close();
  }
}
