/**
 * Alert correlation (issue 11): the guide's AlertCorrelationEngine — alerts within a time window that
 * share a service, a dependency or a related symptom form one incident; an alert is suppressed when a
 * correlated alert of higher severity is active or when it is a downstream effect of an active
 * upstream alert. Pure types; `correlate.ts` decides, the sidecar stores and routes.
 */
import type { Severity } from '../rules/types';

/** Correlation settings (config `correlation:`), durations in ms. */
export interface CorrelationConfig {
  /** Alerts that started within this before the new one are candidates (default 5 min, the guide's). */
  windowMs: number;
  /** Label naming an alert's service (default `service`). */
  serviceLabel: string;
  /** Label listing the services an alert's service depends on, comma-separated (default `depends_on`). */
  dependsOnLabel: string;
  /**
   * Related symptoms: alerts whose symptom (the `alertname`, or the metric name in the `metric` /
   * `__name__` label) falls in one group correlate (the guide: cpu_usage with api_response_time).
   */
  symptomGroups: SymptomGroup[];
  /** Suppress an alert while a correlated alert of higher severity is active (default true). */
  suppressLowerSeverity: boolean;
  /** Suppress an alert that is a downstream effect of an active upstream alert (default true). */
  suppressDownstream: boolean;
}

/** A group of related symptoms; members are alert names or metric names. */
export interface SymptomGroup {
  name: string;
  members: string[];
}

/**
 * The service topology: for each service, the services it depends on (calls). Upstream = a
 * dependency: when the database (upstream of orders) fails, orders' alerts are downstream effects.
 */
export interface Topology {
  dependsOn: Record<string, string[]>;
}

/** Default settings. */
export const CORRELATION_DEFAULTS: CorrelationConfig = {
  windowMs: 5 * 60_000,
  serviceLabel: 'service',
  dependsOnLabel: 'depends_on',
  symptomGroups: [],
  suppressLowerSeverity: true,
  suppressDownstream: true,
};

/** What correlation knows of an alert. */
export interface CorrelationAlert {
  fingerprint: string;
  labels: Record<string, string>;
  severity: Severity;
  /** Epoch ms. */
  startsAt: number;
  status: 'firing' | 'resolved';
  /** The incident it belongs to; null when not yet correlated. */
  incidentId: string | null;
  /** Set when the alert is suppressed. */
  suppressed: boolean;
}

/** States of an incident. */
export const INCIDENT_STATES = ['open', 'acknowledged', 'resolved'] as const;
/** One of {@link INCIDENT_STATES}. */
export type IncidentState = (typeof INCIDENT_STATES)[number];

/** Why two alerts correlate. */
export type CorrelationReason =
  | { kind: 'same_service'; service: string; with: string }
  | { kind: 'dependency'; upstream: string; downstream: string; with: string }
  | { kind: 'symptom'; group: string; with: string };

/** Why an alert is suppressed (`by`: the fingerprint of the alert that suppresses it). */
export type SuppressionReason =
  | { kind: 'higher_severity'; by: string; severity: Severity }
  | { kind: 'downstream'; by: string; upstream: string };

/** An incident's likely root cause and why it was chosen. */
export interface RootCause {
  fingerprint: string;
  service: string | null;
  /** e.g. `most upstream service with an active alert (database)` or `earliest alert`. */
  reason: string;
}

/** An open (or acknowledged) incident as correlation sees it. */
export interface CorrelationIncident {
  id: string;
  state: IncidentState;
  severity: Severity;
  openedAt: number;
  /** Fingerprints of its alerts (members and suppressed). */
  alerts: string[];
}

/** The decision for a new (or re-firing) alert. */
export interface CorrelationDecision {
  /**
   * The incident the alert joins; null: it opens a new incident. When the alert correlates with
   * alerts of several open incidents, it joins the oldest (the others stay as they are).
   */
  incidentId: string | null;
  /** Why it joined (the first correlated alert found); null for a new incident. */
  reason: CorrelationReason | null;
  /** Set when the alert must not be notified. */
  suppressed: SuppressionReason | null;
}
