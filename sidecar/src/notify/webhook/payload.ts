/**
 * Generic webhook body, compatible with Alertmanager's webhook version 4
 * (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config; notify/webhook/webhook.go),
 * so any receiver written for Alertmanager takes Vigil's notifications unchanged, plus an optional
 * HMAC-SHA256 signature so the receiver can tell them from forgeries.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { GO_ZERO_TIME, type Notification, type NotificationStatus } from '../types';
import { hasEnded } from '../fields';

/** One alert in the v4 body. */
export interface WebhookAlert {
  status: NotificationStatus;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  /** Go's zero time `0001-01-01T00:00:00Z` while firing, as Alertmanager sends it. */
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

/** Alertmanager's webhook message, version 4. */
export interface WebhookMessage {
  receiver: string;
  status: NotificationStatus;
  alerts: WebhookAlert[];
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  version: '4';
  groupKey: string;
  /** Alerts left out by `maxAlerts`. */
  truncatedAlerts: number;
}

/** Name of the signature header. */
export const SIGNATURE_HEADER = 'X-Vigil-Signature';

/**
 * Builds the v4 body. `maxAlerts` > 0 keeps the first that many alerts and counts the rest in
 * `truncatedAlerts`, as Alertmanager's `max_alerts`; 0 (default) keeps all.
 */
export function buildWebhookMessage(n: Notification, maxAlerts = 0): WebhookMessage {
  const kept = maxAlerts > 0 ? n.alerts.slice(0, maxAlerts) : n.alerts;
  return {
    receiver: n.receiver,
    status: n.status,
    alerts: kept.map((a) => ({
      status: a.status,
      labels: a.labels,
      annotations: a.annotations,
      startsAt: a.startsAt,
      endsAt: hasEnded(a) ? (a.endsAt as string) : GO_ZERO_TIME,
      generatorURL: a.generatorURL ?? '',
      fingerprint: a.fingerprint,
    })),
    groupLabels: n.groupLabels,
    commonLabels: n.commonLabels,
    commonAnnotations: n.commonAnnotations,
    externalURL: n.externalURL,
    version: '4',
    groupKey: n.groupKey,
    truncatedAlerts: n.alerts.length - kept.length,
  };
}

/**
 * Signature header value of a body: `sha256=<hex HMAC-SHA256(secret, body)>` (the GitHub webhook
 * convention). Sign the exact bytes sent: re-serialising JSON may reorder or re-space it.
 */
export function sign(body: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Checks a signature header in constant time (for receivers and tests). */
export function verifySignature(body: string | Buffer, secret: string, header: string | undefined): boolean {
  if (!header) {
    return false;
  }
  const expected = Buffer.from(sign(body, secret));
  const got = Buffer.from(header);
  return expected.length === got.length && timingSafeEqual(expected, got);
}
