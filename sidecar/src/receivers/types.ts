// Vigil's model of an alert received from another alerting system (Alertmanager or Grafana webhook
// payloads), what the receivers hand to routing. Wire values are string unions.
import type { Severity } from '@vigil/core';

/** Which system sent the alert. */
export type ReceivedAlertSource = 'alertmanager' | 'grafana';

/** Status of a received alert, as both senders spell it. */
export type ReceivedAlertStatus = 'firing' | 'resolved';

/** One alert received from Alertmanager or Grafana, validated and normalised. */
export interface ReceivedAlert {
  source: ReceivedAlertSource;
  status: ReceivedAlertStatus;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Epoch ms. */
  startsAt: number;
  /** Epoch ms; null when the sender gave Go's zero time (0001-01-01T00:00:00Z), i.e. no end yet. */
  endsAt: number | null;
  /** Lower-case hex: the sender's when well-formed, else core's `fingerprint(source, labels)`. */
  fingerprint: string;
  generatorURL?: string;
  /** `labels.severity` mapped onto Vigil's severities; unknown or absent → warning. */
  severity: Severity;
  /** Grafana only: the query value when the alert carries exactly one in `values`. */
  value?: number;
}

/** What was wrong with a body: `path` is a JSON path such as `$.alerts[3].labels.severity`. */
export interface ReceiverFieldError {
  path: string;
  message: string;
}

/** Outcome of parsing a receiver body; never thrown. */
export type ParseResult = { ok: true; alerts: ReceivedAlert[] } | { ok: false; errors: ReceiverFieldError[] };

/** Bounds on received bodies; anything past them is refused rather than truncated. */
export const RECEIVER_LIMITS = {
  maxAlerts: 1000,
  maxLabels: 64,
  maxNameLength: 256,
  maxValueLength: 16 * 1024,
  /** Errors reported per body: a hostile body must not produce a huge answer. */
  maxErrors: 20,
} as const;
