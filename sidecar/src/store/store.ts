/**
 * Persistence behind one interface. SQLite (better-sqlite3) is the embedded default; the methods are
 * async and the SQL portable so a PostgreSQL implementation can follow without changing callers.
 */

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
export interface Store {
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
