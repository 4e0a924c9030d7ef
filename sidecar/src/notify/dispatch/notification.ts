/**
 * From the alerts of one aggregation group to the {@link Notification} the channels render: the shape
 * of Alertmanager's webhook data (`template.Data`), with RFC 3339 times and Go's zero time as the end
 * of a firing alert, as Alertmanager puts it on the wire.
 */
import type { GroupAlert } from '@vigil/core';
import type { NotifyAlertRecord } from '../../store/notifyStore';
import { GO_ZERO_TIME, type Notification, type NotificationAlert } from '../types';

/**
 * True when the alert has ended. Inbound updates carry it in `status` (a firing one has no end time),
 * which is also what the store goes by when it forgets resolved alerts.
 */
export function isResolved(a: Pick<NotifyAlertRecord, 'status'>): boolean {
  return a.status === 'resolved';
}

/** The alerts as the notification log sees them (core's {@link GroupAlert}). */
export function toGroupAlerts(alerts: readonly NotifyAlertRecord[]): GroupAlert[] {
  return alerts.map((a) => ({ fingerprint: a.fingerprint, resolved: isResolved(a) }));
}

// The last time formatted: the alerts of a group mostly share their start (one rule evaluation, one
// receiver batch), and a flush burst formats thousands of them.
let lastMs = NaN;
let lastIso = '';

function iso(ms: number): string {
  if (ms !== lastMs) {
    lastIso = new Date(ms).toISOString();
    lastMs = ms;
  }
  return lastIso;
}

/** Key/value pairs every record shares (Alertmanager's CommonLabels / CommonAnnotations). */
export function commonPairs(records: ReadonlyArray<Record<string, string>>): Record<string, string> {
  if (records.length === 0) {
    return {};
  }
  const out: Record<string, string> = { ...records[0] };
  for (let i = 1; i < records.length; i++) {
    const r = records[i];
    for (const k of Object.keys(out)) {
      if (r[k] !== out[k]) {
        delete out[k];
      }
    }
  }
  return out;
}

function labelsText(labels: Record<string, string>): string {
  let text = '';
  for (const k of Object.keys(labels).sort()) {
    text += text === '' ? `${k}=${labels[k]}` : `,${k}=${labels[k]}`;
  }
  return text;
}

/** One alert on the wire. */
export function notificationAlert(a: NotifyAlertRecord): NotificationAlert {
  const resolved = isResolved(a);
  const out: NotificationAlert = {
    status: resolved ? 'resolved' : 'firing',
    labels: a.labels,
    annotations: a.annotations,
    startsAt: iso(a.startsAt),
    // A resolved alert without an end time (a status update that carried none) ended when it was seen.
    endsAt: resolved ? iso(a.endsAt ?? a.updatedAt) : GO_ZERO_TIME,
    fingerprint: a.fingerprint,
    value: a.value,
    threshold: a.threshold,
  };
  if (a.generatorURL) {
    out.generatorURL = a.generatorURL;
  }
  return out;
}

/** What {@link buildNotification} needs besides the alerts. */
export interface NotificationContext {
  groupKey: string;
  /** Channel (receiver) name. */
  receiver: string;
  groupLabels: Record<string, string>;
  externalURL: string;
}

/**
 * The notification of a group's alerts. Alerts are sorted firing first, then by labels, so
 * the same group renders the same way on every flush (Alertmanager sorts a flush's alerts by labels).
 */
export function buildNotification(alerts: readonly NotifyAlertRecord[], ctx: NotificationContext): Notification {
  // Each alert's sort key is computed once, not in every comparison.
  const keyed = alerts.map((a) => {
    const alert = notificationAlert(a);
    return { alert, key: labelsText(alert.labels) };
  });
  keyed.sort((a, b) => {
    if (a.alert.status !== b.alert.status) {
      return a.alert.status === 'firing' ? -1 : 1;
    }
    return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
  });
  const wire = keyed.map((k) => k.alert);
  return {
    groupKey: ctx.groupKey,
    status: wire.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    receiver: ctx.receiver,
    groupLabels: { ...ctx.groupLabels },
    commonLabels: commonPairs(wire.map((a) => a.labels)),
    commonAnnotations: commonPairs(wire.map((a) => a.annotations)),
    alerts: wire,
    externalURL: ctx.externalURL,
  };
}
