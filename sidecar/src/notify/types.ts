/**
 * The notification a channel sends: one alert group at one moment, shaped like Alertmanager's webhook
 * data (`template.Data`, https://prometheus.io/docs/alerting/latest/notifications/) plus the numbers
 * Vigil's rules know (`value`, `threshold`) so the guide's PagerDuty and Slack payloads can show them.
 * Times are RFC 3339 strings, as on Alertmanager's wire.
 */

/** Status of a group or of one alert. */
export type NotificationStatus = 'firing' | 'resolved';

/** One alert of a group. */
export interface NotificationAlert {
  status: NotificationStatus;
  /** Labels; `alertname` names the rule and `severity` is one of critical/error/warning/info. */
  labels: Record<string, string>;
  /** Rendered annotations: `summary`, `description`, `runbook_url`, `dashboard_url`, any other key. */
  annotations: Record<string, string>;
  /** When the alert started firing (RFC 3339). */
  startsAt: string;
  /** When it resolved (RFC 3339); null or Go's zero time `0001-01-01T00:00:00Z` while firing. */
  endsAt: string | null;
  /** Stable fingerprint of the label set. */
  fingerprint: string;
  /** Last evaluated value; null when there was none (no data, error). */
  value: number | null;
  /** Threshold in force; null for conditions without one. */
  threshold: number | null;
  /** Link back to the rule or query that produced the alert. */
  generatorURL?: string;
}

/** A notification for one alert group (Alertmanager: one `Notify` call). */
export interface Notification {
  /** The dispatcher's group key, e.g. `{}/{severity="critical"}:{alertname="HighLatency"}`. */
  groupKey: string;
  /** `firing` while any alert of the group fires, else `resolved`. */
  status: NotificationStatus;
  /** Receiver (channel) name. */
  receiver: string;
  /** Labels the group was formed by. */
  groupLabels: Record<string, string>;
  /** Labels every alert of the group shares. */
  commonLabels: Record<string, string>;
  /** Annotations every alert of the group shares. */
  commonAnnotations: Record<string, string>;
  alerts: NotificationAlert[];
  /** Vigil's external URL (links back to the UI). */
  externalURL: string;
}

/** Go's zero time, which Alertmanager sends as `endsAt` of a firing alert. */
export const GO_ZERO_TIME = '0001-01-01T00:00:00Z';
