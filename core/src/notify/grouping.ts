/**
 * Aggregation-group timing as pure functions, after Alertmanager's dispatcher (dispatch/dispatch.go)
 * and notification log (notify/notify.go DedupStage):
 * - a group is created by its first alert and flushes first at group_wait after that, or at once when
 *   the alert started more than group_wait ago (an old alert, e.g. after a restart);
 * - later flushes come every group_interval after the previous one;
 * - a flush notifies only when the log says so: a firing alert not in the last notification, all
 *   alerts resolved after a notification that had firing ones, a resolved alert not yet reported
 *   (with send_resolved), or repeat_interval passed since the last notification.
 * The caller keeps the state in the store, sends, and records the notification with {@link recordNotification}.
 */
import { Route } from './routing';

/** What the last notification of a group (for one receiver) contained. */
export interface NotifiedEntry {
  /** Fingerprints of the firing alerts it reported, sorted. */
  firing: string[];
  /** Fingerprints of the resolved alerts it reported, sorted. */
  resolved: string[];
  /** When it was sent (epoch ms). */
  at: number;
}

/** One aggregation group's timing state. */
export interface GroupState {
  key: string;
  /** When the group's first alert arrived. */
  firstAlertAt: number;
  /**
   * Set when an alert arrived that had started more than group_wait earlier (before the first flush),
   * or when an alert became its incident's root cause (after it): flush then.
   */
  flushNowAt?: number;
  /** When the group last flushed; null before its first flush. */
  lastFlushAt: number | null;
  /** The last notification sent for the group; null if none. */
  lastNotified: NotifiedEntry | null;
  /**
   * Set by {@link closeGroup} when the group emptied. The state is kept because `lastNotified` is
   * Alertmanager's notification log, which outlives the group: a new alert reopens it.
   */
  closed?: boolean;
}

/** An alert in a group at flush time. */
export interface GroupAlert {
  fingerprint: string;
  /** True when the alert has ended (endsAt ≤ now). */
  resolved: boolean;
}

/** Timers used here (a built {@link Route} has them). */
export type GroupTimers = Pick<Route, 'groupWaitMs' | 'groupIntervalMs' | 'repeatIntervalMs'>;

/**
 * The group state after an alert arrives at `now` (`state` undefined: the alert creates the group).
 * `startsAt` is when the alert began; before the first flush, an alert older than group_wait makes
 * the group flush at once, as Alertmanager does.
 */
export function addAlert(
  state: GroupState | undefined,
  key: string,
  startsAt: number,
  now: number,
  route: GroupTimers
): GroupState {
  const s: GroupState =
    !state || state.closed
      ? { key, firstAlertAt: now, lastFlushAt: null, lastNotified: state?.lastNotified ?? null }
      : state;
  if (s.lastFlushAt === null && startsAt + route.groupWaitMs < now && s.flushNowAt === undefined) {
    return { ...s, flushNowAt: now };
  }
  return s;
}

/** When the group flushes next; null for a closed group. */
export function nextFlushAt(state: GroupState, route: GroupTimers): number | null {
  if (state.closed) {
    return null;
  }
  if (state.lastFlushAt === null) {
    const wait = state.firstAlertAt + route.groupWaitMs;
    return state.flushNowAt === undefined ? wait : Math.min(wait, state.flushNowAt);
  }
  const next = state.lastFlushAt + route.groupIntervalMs;
  return state.flushNowAt === undefined ? next : Math.min(next, state.flushNowAt);
}

/**
 * The state of a group that must tell its receivers at `at` rather than at its next group_interval
 * tick (an incident's root cause joined it: the page should name the cause now, not minutes later).
 * Before the first flush, group_wait still applies.
 */
export function flushEarly(state: GroupState, at: number): GroupState {
  if (state.lastFlushAt === null || state.closed || (state.flushNowAt !== undefined && state.flushNowAt <= at)) {
    return state;
  }
  return { ...state, flushNowAt: at };
}

/** Options of {@link shouldNotify}. */
export interface NotifyOptions {
  /** The receiver reports resolved alerts (Alertmanager's send_resolved); default true. */
  sendResolved?: boolean;
}

function isSubset(of: readonly string[], sub: Iterable<string>): boolean {
  const set = new Set(of);
  for (const x of sub) {
    if (!set.has(x)) {
      return false;
    }
  }
  return true;
}

/**
 * Whether a flush at `now` with `currentAlerts` must notify (Alertmanager's DedupStage.needsUpdate).
 * False when there is nothing to say; timing (is a flush due?) is {@link nextFlushAt}'s business.
 */
export function shouldNotify(
  state: GroupState,
  currentAlerts: readonly GroupAlert[],
  now: number,
  route: GroupTimers,
  opts: NotifyOptions = {}
): boolean {
  const firing = currentAlerts.filter((a) => !a.resolved).map((a) => a.fingerprint);
  const resolved = currentAlerts.filter((a) => a.resolved).map((a) => a.fingerprint);
  const entry = state.lastNotified;
  if (!entry) {
    // Nothing sent yet: only firing alerts are news to the receiver.
    return firing.length > 0;
  }
  if (!isSubset(entry.firing, firing)) {
    return true;
  }
  if (firing.length === 0) {
    // All resolved: tell the receiver if it knew of firing ones (even without send_resolved, so the
    // log forgets them); alerts that fired and resolved between two flushes were never news.
    return entry.firing.length > 0;
  }
  if ((opts.sendResolved ?? true) && !isSubset(entry.resolved, resolved)) {
    return true;
  }
  return entry.at < now - route.repeatIntervalMs;
}

/** Stable content key of a notification: sorted firing and resolved fingerprints (for outbox dedup). */
export function notificationContentKey(currentAlerts: readonly GroupAlert[]): string {
  const firing = currentAlerts
    .filter((a) => !a.resolved)
    .map((a) => a.fingerprint)
    .sort();
  const resolved = currentAlerts
    .filter((a) => a.resolved)
    .map((a) => a.fingerprint)
    .sort();
  return `firing:${firing.join(',')};resolved:${resolved.join(',')}`;
}

/** The state after a flush at `now` (whether or not it notified). */
export function recordFlush(state: GroupState, now: number): GroupState {
  return { ...state, lastFlushAt: now, flushNowAt: undefined };
}

/** The state after a notification with `currentAlerts` was sent at `now`. */
export function recordNotification(state: GroupState, currentAlerts: readonly GroupAlert[], now: number): GroupState {
  return {
    ...state,
    lastNotified: {
      firing: currentAlerts
        .filter((a) => !a.resolved)
        .map((a) => a.fingerprint)
        .sort(),
      resolved: currentAlerts
        .filter((a) => a.resolved)
        .map((a) => a.fingerprint)
        .sort(),
      at: now,
    },
  };
}

/**
 * The state of a group that has no alerts left (after a flush removed its resolved ones, as
 * Alertmanager does): no more flushes until an alert reopens it through {@link addAlert}.
 */
export function closeGroup(state: GroupState): GroupState {
  return { ...state, closed: true, flushNowAt: undefined };
}
