/**
 * What the notification API shows, built from the configuration and the store: the routing tree with
 * durations and matchers as text, the aggregation groups with silenced and inhibited alerts marked,
 * and each channel's last delivery and queue. Pure functions, apart from {@link channelStats}.
 */
import {
  formatDuration,
  formatMatcher,
  inAnyTimeInterval,
  inhibitedBy,
  isSilenced,
  type ChannelDelivery,
  type ChannelView,
  type GroupView,
  type InhibitRule,
  type Route,
  type RouteView,
  type RoutingResponse,
  type Silence,
  type TimeInterval,
} from '@vigil/core';
import type { NotifyAlertRecord, NotifyGroupRecord } from '../../store/notifyStore';
import type { OutboxStore } from '../../store/store';
import { isResolved } from './notification';

/** A built route as the API shows it. */
export function routeView(r: Route): RouteView {
  return {
    id: r.id,
    receiver: r.receiver,
    matchers: r.matchers.map(formatMatcher),
    continue: r.continue,
    groupBy: r.groupByAll ? ['...'] : [...r.groupBy],
    groupWait: formatDuration(r.groupWaitMs),
    groupInterval: formatDuration(r.groupIntervalMs),
    repeatInterval: formatDuration(r.repeatIntervalMs),
    muteTimeIntervals: [...r.muteTimeIntervals],
    activeTimeIntervals: [...r.activeTimeIntervals],
    routes: r.routes.map(routeView),
  };
}

/** `GET /api/v1/notify/routing`: the tree, the inhibition rules, and which time intervals are active at `now`. */
export function routingView(
  tree: Route,
  inhibitRules: readonly InhibitRule[],
  timeIntervals: Readonly<Record<string, readonly TimeInterval[]>>,
  now: number
): RoutingResponse {
  return {
    route: routeView(tree),
    inhibitRules: inhibitRules.map((r) => ({
      sourceMatchers: r.sourceMatchers.map(formatMatcher),
      targetMatchers: r.targetMatchers.map(formatMatcher),
      equal: [...r.equal],
    })),
    timeIntervals: Object.keys(timeIntervals)
      .sort()
      .map((name) => ({ name, activeNow: inAnyTimeInterval(timeIntervals[name], now) })),
  };
}

function iso(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString();
}

/**
 * One group as the API shows it. Alerts are marked with the silences that mute them now and whether
 * an inhibition rule does (`firing`: labels of the firing alerts, the inhibition sources).
 */
export function groupView(
  g: NotifyGroupRecord,
  alerts: readonly NotifyAlertRecord[],
  silences: readonly Silence[],
  firing: ReadonlyArray<Record<string, string>>,
  inhibitRules: readonly InhibitRule[],
  now: number
): GroupView {
  return {
    key: g.key,
    receiver: g.receiver,
    groupLabels: g.groupLabels,
    alerts: alerts
      .map((a) => ({
        fingerprint: a.fingerprint,
        status: isResolved(a) ? ('resolved' as const) : ('firing' as const),
        labels: a.labels,
        silencedBy: isSilenced(a.labels, silences, now).map((s) => s.id),
        inhibited: inhibitedBy(a.labels, firing, inhibitRules) !== null,
      }))
      .sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0)),
    lastNotifiedAt: iso(g.state.lastNotified?.at),
    nextFlushAt: iso(g.nextFlushAt),
  };
}

/** A channel's queue and last delivery, from the outbox. */
export interface ChannelStats {
  lastDelivery: ChannelDelivery | null;
  pending: number;
  failed: number;
}

/** Most rows counted per status and channel (the page shows "1000+" style numbers beyond). */
const COUNT_LIMIT = 10_000;

/** Reads one channel's last outbox row and its pending (pending or sending) and failed counts. */
export async function channelStats(store: OutboxStore, channel: string): Promise<ChannelStats> {
  const [last, pending, sending, failed] = await Promise.all([
    store.listNotifications({ channel, limit: 1 }),
    store.listNotifications({ channel, status: 'pending', limit: COUNT_LIMIT }),
    store.listNotifications({ channel, status: 'sending', limit: COUNT_LIMIT }),
    store.listNotifications({ channel, status: 'failed', limit: COUNT_LIMIT }),
  ]);
  const row = last[0];
  return {
    lastDelivery: row
      ? { at: new Date(row.sentAt ?? row.createdAt).toISOString(), status: row.status, error: row.lastError }
      : null,
    pending: pending.length + sending.length,
    failed: failed.length,
  };
}

/** Merges a masked channel view with its outbox statistics. */
export function withStats(view: Omit<ChannelView, keyof ChannelStats>, stats: ChannelStats): ChannelView {
  return { ...view, ...stats };
}
