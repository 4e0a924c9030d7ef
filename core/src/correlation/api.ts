/**
 * Wire types of the incidents API (`/api/v1/incidents`) and the live stream (`/api/v1/stream`), shared
 * by the sidecar and the Grafana page. Times are RFC 3339 strings.
 */
import type { Severity } from '../rules/types';
import type { CorrelationReason, IncidentState, RootCause, SuppressionReason } from './types';

/** An alert of an incident: a member (notified) or suppressed (recorded, not notified). */
export interface IncidentAlertView {
  fingerprint: string;
  role: 'member' | 'suppressed';
  labels: Record<string, string>;
  severity: Severity;
  status: 'firing' | 'resolved';
  startsAt: string;
  endsAt: string | null;
  /** Why it joined the incident; null for the alert that opened it. */
  correlation: CorrelationReason | null;
  /** Why it is not notified; null for members. */
  suppression: SuppressionReason | null;
  /** `summary` annotation, when there is one. */
  summary: string | null;
  /** Link back to the rule (or the sender's generator URL). */
  generatorURL: string | null;
  /**
   * The alert's annotations (`summary`, `description`, `runbook_url`, `dashboard_url`, …), so the page
   * can link the dashboard and runbook. Optional (added after the contract): older sidecars omit it.
   */
  annotations?: Record<string, string>;
}

/** One entry of an incident's timeline. */
export interface IncidentTimelineEntry {
  at: string;
  kind: 'opened' | 'alert_joined' | 'alert_suppressed' | 'alert_resolved' | 'root_cause' | 'acknowledged' | 'resolved' | 'reopened';
  message: string;
  /** The Grafana user for acknowledge / resolve; null for the system. */
  user: string | null;
}

/** An incident in a list. */
export interface IncidentView {
  id: string;
  title: string;
  state: IncidentState;
  severity: Severity;
  rootCause: RootCause;
  openedAt: string;
  updatedAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  /** Members and suppressed alerts counted. */
  alertCount: number;
  suppressedCount: number;
  /** Services of its alerts. */
  services: string[];
}

/** `GET /api/v1/incidents?state=open|acknowledged|resolved&limit=`. */
export interface IncidentsResponse {
  incidents: IncidentView[];
}

/** `GET /api/v1/incidents/:id`. */
export interface IncidentDetail extends IncidentView {
  alerts: IncidentAlertView[];
  timeline: IncidentTimelineEntry[];
}

/** `POST /api/v1/incidents/:id/acknowledge` and `/resolve` body (optional). */
export interface IncidentActionBody {
  comment?: string;
}

/** One Server-Sent Event of `GET /api/v1/stream` (`event:` is `type`, `data:` this JSON). */
export type StreamEvent =
  | { type: 'alert'; at: string; fingerprint: string; status: 'firing' | 'resolved'; labels: Record<string, string>; incidentId: string | null }
  | { type: 'incident'; at: string; incident: IncidentView }
  | { type: 'anomaly'; at: string; id: string; seriesKey: string; severity: string; message: string };
