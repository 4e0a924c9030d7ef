/**
 * Flush: due aggregation groups → outbox (Alertmanager's `aggrGroup.flush` and notification pipeline:
 * MuteStage for silences and inhibition, TimeMuteStage / TimeActiveStage, DedupStage, SetNotifiesStage).
 * Each flush computes the group's notification (if the log says there is news), its new state and the
 * memberships to drop; all groups of a pass are committed in one transaction with their outbox rows, so
 * a notification is enqueued exactly when the group's log records it.
 */
import {
  closeGroup,
  inhibitedBy,
  isRouteMuted,
  isSilenced,
  nextFlushAt,
  notificationContentKey,
  recordFlush,
  recordNotification,
  shouldNotify,
  type InhibitRule,
  type Route,
  type Silence,
  type TimeInterval,
} from '@vigil/core';
import type { ChannelConfig } from '../../config/notifySchema';
import type { FlushCommit, NotifyAlertRecord, NotifyGroupRecord } from '../../store/notifyStore';
import { outboxDedupKey } from '../../store/sqliteOutbox';
import type { NewOutboxNotification } from '../../store/store';
import { channelPayload } from '../payloads';
import { INCIDENT_LABEL } from './correlation';
import { buildNotification, isResolved, toGroupAlerts } from './notification';

/** What a flush sees besides the group itself. */
export interface FlushEnv {
  now: number;
  /** Silences (any state; only active ones count). */
  silences: readonly Silence[];
  /** Labels of the firing alerts (inhibition sources); may be empty when there are no inhibit rules. */
  firing: ReadonlyArray<Record<string, string>>;
  inhibitRules: readonly InhibitRule[];
  timeIntervals: Readonly<Record<string, readonly TimeInterval[]>>;
  externalURL: string;
  /**
   * An incident's alert (one labelled with its incident) keeps firing this long after it resolved
   * (Prometheus' `keep_firing_for`, per incident: config `correlation.keepFiringFor`); firing again
   * within it continues the page instead of resolving it and paging anew. 0: resolves are news at once.
   */
  keepIncidentsFiringForMs?: number;
  /**
   * Fingerprints of the incidents' root-cause alerts (correlation on): listed first in a notification,
   * so its title, summary and service name the cause rather than a symptom that sorts before it.
   */
  rootCauses?: ReadonlySet<string>;
}

/** Why a flush did or did not enqueue a notification. */
export type FlushOutcome =
  /** A notification was enqueued. */
  | 'notified'
  /** The log was updated but nothing sent (all resolved and the channel does not send resolved). */
  | 'logged'
  /** Nothing new for the receiver. */
  | 'unchanged'
  /** Every alert is silenced or inhibited. */
  | 'suppressed'
  /** The route is in a mute time interval (or outside its active ones). */
  | 'muted'
  /** The group's channel is not configured any more. */
  | 'no-channel';

/** One flush's result. */
export interface FlushPlan {
  commit: FlushCommit;
  outcome: FlushOutcome;
}

/**
 * Plans the flush of one group at `env.now`. Pure.
 * @param route the route the group was formed by (timers, time intervals)
 * @param groupAlerts the alerts the group holds
 * @param channel the group's channel; undefined when no longer configured
 * @param muted whether the route sends nothing now (time intervals), computed by the caller
 */
export function planFlush(
  group: NotifyGroupRecord,
  route: Route,
  groupAlerts: readonly NotifyAlertRecord[],
  channel: ChannelConfig | undefined,
  env: FlushEnv,
  muted: boolean
): FlushPlan {
  const { now } = env;
  const held = heldAlerts(groupAlerts, now, env.keepIncidentsFiringForMs ?? 0);
  const alerts =
    held.size === 0
      ? groupAlerts
      : groupAlerts.map((a): NotifyAlertRecord =>
          held.has(a.fingerprint) ? { ...a, status: 'firing', endsAt: null } : a
        );
  // The flush counts from when it was due, not from when this pass reached it (Alertmanager resets a
  // group's timer as it fires): a pass that takes 200 ms over a storm's groups must not push each
  // group's later notifications 200 ms back. After a stall of a whole interval or more the cadence
  // restarts now rather than catching up in a burst.
  const scheduled = group.nextFlushAt ?? now;
  const due = scheduled <= now && now - scheduled < route.groupIntervalMs ? scheduled : now;
  let state = recordFlush(group.state, due);
  let outcome: FlushOutcome = 'unchanged';
  const notifications: NewOutboxNotification[] = [];

  // Alertmanager's MuteStage: silenced and inhibited alerts are not part of the notification and not
  // recorded in the log; the pipeline stops when none is left.
  const visible = alerts.filter(
    (a) =>
      isSilenced(a.labels, env.silences, now).length === 0 &&
      inhibitedBy(a.labels, env.firing, env.inhibitRules) === null
  );
  if (!channel) {
    outcome = 'no-channel';
  } else if (visible.length === 0) {
    outcome = alerts.length > 0 ? 'suppressed' : 'unchanged';
  } else if (muted) {
    outcome = 'muted';
  } else {
    const current = toGroupAlerts(visible);
    if (shouldNotify(group.state, current, now, route, { sendResolved: channel.sendResolved })) {
      const sent = channel.sendResolved ? visible : visible.filter((a) => !isResolved(a));
      if (sent.length > 0) {
        const n = buildNotification(sent, {
          groupKey: group.key,
          receiver: group.receiver,
          groupLabels: group.groupLabels,
          externalURL: env.externalURL,
          first: env.rootCauses,
        });
        // The previous notification's time numbers this one in the group's sequence: a repeat of the
        // same content is a new row, the same flush planned twice from the same state is not.
        const seq = group.state.lastNotified?.at ?? 'first';
        notifications.push({
          channel: channel.name,
          groupKey: group.key,
          dedupKey: outboxDedupKey(channel.name, group.key, `${notificationContentKey(current)}#${seq}`),
          payload: channelPayload(channel, n, now),
          createdAt: now,
        });
        outcome = 'notified';
      } else {
        // All resolved and the channel does not want to hear it: Alertmanager still logs the
        // notification so the resolved alerts are not news at the next flush.
        outcome = 'logged';
      }
      state = recordNotification(state, current, now);
    }
  }

  // Alertmanager removes the group's resolved alerts after every flush the pipeline completed:
  // reported ones are done, the others were never news (or were silenced, muted). Held ones stay.
  const resolved = alerts.filter((a) => isResolved(a)).map((a) => a.fingerprint);
  const closes = resolved.length === alerts.length;
  if (closes) {
    state = closeGroup(state);
  }
  return {
    commit: {
      group: { ...group, state, nextFlushAt: nextFlushAt(state, route) },
      notifications,
      // A group that closes keeps its memberships until the dispatcher releases them when idle
      // (NotifyStore.releaseClosedGroups): the deletes stay out of a storm's flush commits.
      removeFingerprints: closes ? [] : resolved,
    },
    outcome,
  };
}

/**
 * The fingerprints of the resolved incident alerts still within `keepFiringForMs` of their end: they
 * are presented (and kept) as firing until then.
 */
function heldAlerts(alerts: readonly NotifyAlertRecord[], now: number, keepFiringForMs: number): Set<string> {
  const held = new Set<string>();
  if (keepFiringForMs > 0) {
    for (const a of alerts) {
      if (
        isResolved(a) &&
        a.labels[INCIDENT_LABEL] !== undefined &&
        (a.endsAt ?? a.updatedAt) + keepFiringForMs > now
      ) {
        held.add(a.fingerprint);
      }
    }
  }
  return held;
}

/** Whether the route sends nothing at `now`; an unknown interval name (config checks prevent it) does not mute. */
export function routeMuted(
  route: Route,
  timeIntervals: Readonly<Record<string, readonly TimeInterval[]>>,
  now: number,
  onError: (err: Error) => void = () => undefined
): boolean {
  try {
    return isRouteMuted(route, timeIntervals, now);
  } catch (err) {
    onError(err as Error);
    return false;
  }
}
