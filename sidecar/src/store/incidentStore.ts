/**
 * Incidents (issue 11, migration 6): correlated alerts, their roles and the timeline. The dispatcher
 * writes them in the same transaction as the routing they decide (`IngestCommit.incidents`), so an
 * alert is never routed without its incident recorded, nor recorded as suppressed and routed anyway.
 */
import { randomUUID } from 'node:crypto';
import type { CorrelationReason, IncidentState, RootCause, Severity, SuppressionReason } from '@vigil/core';
import type { ChangeRecord } from './store';

/** An incident row. Times are epoch ms. */
export interface IncidentRecord {
  id: string;
  title: string;
  state: IncidentState;
  severity: Severity;
  rootCause: RootCause;
  openedAt: number;
  updatedAt: number;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  resolvedAt: number | null;
  resolvedBy: string | null;
}

/** An alert of an incident, with a snapshot of the alert (the dispatcher forgets resolved alerts). */
export interface IncidentAlertRecord {
  incidentId: string;
  fingerprint: string;
  role: 'member' | 'suppressed';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  severity: Severity;
  status: 'firing' | 'resolved';
  startsAt: number;
  endsAt: number | null;
  generatorURL: string | null;
  correlation: CorrelationReason | null;
  suppression: SuppressionReason | null;
  joinedAt: number;
}

/** A stored incident alert's new status (see {@link IncidentWrites.statuses}). */
export type IncidentAlertStatus = Pick<IncidentAlertRecord, 'incidentId' | 'fingerprint' | 'status' | 'endsAt'>;

/** A timeline entry. */
export interface IncidentTimelineRecord {
  id: string;
  incidentId: string;
  at: number;
  kind:
    | 'opened'
    | 'alert_joined'
    | 'alert_suppressed'
    | 'alert_resolved'
    | 'root_cause'
    | 'acknowledged'
    | 'resolved'
    | 'reopened';
  message: string;
  user: string | null;
}

// Timeline ids sort in insertion order within a millisecond (the zero-padded time, then a per-process
// sequence): the timeline reads ordered by (at, id). The random tail keeps two processes' ids apart.
let timelineSeq = 0;

/** A new timeline entry id for an entry at `at` (epoch ms) that sorts after the ones made before it. */
export function newTimelineId(at: number): string {
  const seq = String(timelineSeq++ % 1e12).padStart(12, '0');
  return `${String(Math.max(0, Math.floor(at))).padStart(15, '0')}-${seq}-${randomUUID().slice(0, 8)}`;
}

/** Incident writes that go with an ingest commit. */
export interface IncidentWrites {
  /** Incidents inserted or replaced. */
  incidents: IncidentRecord[];
  /** Incident alerts inserted or replaced (key: incident id + fingerprint). */
  alerts: IncidentAlertRecord[];
  /**
   * Stored incident alerts whose status and end alone changed (an alert resolving): only those two
   * columns are written. A key must not also be in {@link alerts}.
   */
  statuses?: IncidentAlertStatus[];
  /** Timeline entries appended (ids unique; a replayed one is ignored). */
  timeline: IncidentTimelineRecord[];
  /** Changes recorded in the audit log with the writes (the API's acknowledge / resolve, by the user). */
  changes?: ChangeRecord[];
  /**
   * Correlation's token for these writes (the dispatcher's): once they commit, and until anything else
   * writes incidents, {@link IncidentStore.correlationVersion} ends with it. Writes without one (the
   * API's) change the version to one no batch expects.
   */
  token?: string;
}

/** See {@link IncidentStore.correlationVersion}. */
export interface CorrelationVersion {
  /** Changes when anything other than this process's incident writes commits (another process). */
  others: string;
  /** The token of the last incident writes committed by this process; null when they had none. */
  token: string | null;
}

/** A user's acknowledge or resolve of an incident (the API's), see {@link IncidentStore.actOnIncident}. */
export interface IncidentAction {
  incidentId: string;
  action: 'acknowledge' | 'resolve';
  /** Who acted (the Grafana user). */
  user: string;
  /** When (epoch ms). */
  at: number;
  /** The user's comment, if any (in the timeline entry and the change log). */
  comment: string | null;
}

/** What {@link IncidentStore.actOnIncident} did: the state it left and the incident as now stored. */
export interface IncidentActionResult {
  from: IncidentState;
  incident: IncidentRecord;
}

/** Filter of {@link IncidentStore.listIncidents}: newest (updatedAt) first. */
export interface IncidentQuery {
  states?: readonly IncidentState[];
  limit?: number;
}

/** Incident persistence. */
export interface IncidentStore {
  listIncidents(query?: IncidentQuery): Promise<IncidentRecord[]>;
  getIncident(id: string): Promise<IncidentRecord | null>;
  /** Alerts of these incidents, by incident id. */
  incidentAlerts(ids: readonly string[]): Promise<Map<string, IncidentAlertRecord[]>>;
  /** Timeline of one incident, oldest first. */
  incidentTimeline(id: string): Promise<IncidentTimelineRecord[]>;
  /**
   * What correlation needs: incidents not resolved, and the incident alerts that are either in such an
   * incident or started at or after `since` (the correlation window).
   */
  correlationCandidates(since: number): Promise<{ incidents: IncidentRecord[]; alerts: IncidentAlertRecord[] }>;
  /**
   * What correlation's state in memory must match: it changes whenever incident writes commit other than
   * the dispatcher's last ones (whose {@link IncidentWrites.token} it then ends with) — a user's
   * acknowledgement or resolution, another process, a batch whose commit rolled back. The dispatcher
   * keeps its incidents between inbox batches while it reads what it expects, and reloads otherwise.
   */
  correlationVersion(): Promise<CorrelationVersion>;
  /** The incident an alert (fingerprint) belongs to while that incident is not resolved; null otherwise. */
  activeIncidentOf(fingerprint: string): Promise<string | null>;
  /** Applies incident writes in one transaction. */
  commitIncidents(writes: IncidentWrites): Promise<void>;
  /**
   * A user's acknowledge (from `open`) or resolve (from `open` or `acknowledged`), decided on the
   * incident as stored under a write lock and written in the same transaction with its timeline entry
   * (`acknowledged` / `resolved`, the comment after a colon) and change log entry (detail `{ from, to,
   * comment }`): two users (or replicas) acting at once change and record it once. Null, writing nothing, when the incident is unknown or not in a state
   * the action leaves (the caller reads it to say which). The incident's `updatedAt` never goes back.
   */
  actOnIncident(action: IncidentAction): Promise<IncidentActionResult | null>;
}
