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

// Times formatted lately: the alerts of a group mostly share their start and, once resolved, their end
// (one rule evaluation, one receiver batch), and a flush burst formats thousands of them. A map rather
// than the last value: a resolved alert's start and end alternate. Bounded; it starts over when full.
const isoCache = new Map<number, string>();
const MAX_ISO_CACHED = 1024;

function iso(ms: number): string {
  let text = isoCache.get(ms);
  if (text === undefined) {
    if (isoCache.size >= MAX_ISO_CACHED) {
      isoCache.clear();
    }
    text = new Date(ms).toISOString();
    isoCache.set(ms, text);
  }
  return text;
}

/** Key/value pairs every record shares (Alertmanager's CommonLabels / CommonAnnotations). */
export function commonPairs(records: ReadonlyArray<Record<string, string>>): Record<string, string> {
  if (records.length === 0) {
    return {};
  }
  // The keys still common, narrowed record by record; the object is built once at the end: deleting
  // keys from a copy (what a flush of a group whose alerts differ in a label did) turned each result
  // into a slow dictionary-mode object, and common pairs were most of a notification's build time.
  const first = records[0];
  let keys = Object.keys(first);
  for (let i = 1; i < records.length && keys.length > 0; i++) {
    const r = records[i];
    let kept = 0;
    for (let j = 0; j < keys.length; j++) {
      const k = keys[j];
      if (r[k] === first[k] && Object.hasOwn(r, k)) {
        keys[kept++] = k;
      }
    }
    if (kept < keys.length) {
      keys = keys.slice(0, kept);
    }
  }
  const out: Record<string, string> = {};
  for (const k of keys) {
    out[k] = first[k];
  }
  return out;
}

/** Whether `labels` has exactly the names `sortedKeys` (sorted, distinct). */
function hasKeys(labels: Record<string, string>, sortedKeys: readonly string[]): boolean {
  let n = 0;
  for (const k in labels) {
    if (!Object.hasOwn(labels, k)) {
      continue;
    }
    n++;
  }
  return n === sortedKeys.length && sortedKeys.every((k) => Object.hasOwn(labels, k));
}

/**
 * `name=value` pairs by name, comma-separated: each labels' sort key. The alerts of a group mostly
 * have the same label names, so the previous alert's sorted names are reused when they match.
 */
function labelsTexts(all: ReadonlyArray<Record<string, string>>): string[] {
  let keys: string[] = [];
  return all.map((labels) => {
    if (!hasKeys(labels, keys)) {
      keys = Object.keys(labels).sort();
    }
    let text = '';
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      text += i === 0 ? `${k}=${labels[k]}` : `,${k}=${labels[k]}`;
    }
    return text;
  });
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
  /** Fingerprints listed first among the firing alerts (an incident's root cause). */
  first?: ReadonlySet<string>;
}

/**
 * The notification of a group's alerts. Alerts are sorted firing first (those in `ctx.first` ahead),
 * then by labels, so the same group renders the same way on every flush (Alertmanager sorts a flush's
 * alerts by labels).
 */
export function buildNotification(alerts: readonly NotifyAlertRecord[], ctx: NotificationContext): Notification {
  // Each alert's sort key is computed once, not in every comparison.
  const wireAlerts = alerts.map(notificationAlert);
  const keys = labelsTexts(wireAlerts.map((a) => a.labels));
  const keyed = wireAlerts.map((alert, i) => ({ alert, key: keys[i] }));
  const first = ctx.first;
  keyed.sort((a, b) => {
    if (a.alert.status !== b.alert.status) {
      return a.alert.status === 'firing' ? -1 : 1;
    }
    if (first && first.has(a.alert.fingerprint) !== first.has(b.alert.fingerprint)) {
      return first.has(a.alert.fingerprint) ? -1 : 1;
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
