/**
 * Wire objects of the notification API as the sidecar sends them (core/src/notify/api.ts), for the
 * Notifications page's Jest tests. Each builder takes overrides so a test states only what it checks.
 */
import type { ChannelView, NotificationView, RouteView, RoutingResponse, SilenceView } from '@vigil/core';

/** A webhook channel that last delivered at 10:00 UTC. */
export function channelView(over: Partial<ChannelView> = {}): ChannelView {
  return {
    name: 'ops-webhook',
    type: 'webhook',
    target: '127.0.0.1:9099',
    sendResolved: true,
    lastDelivery: { at: '2026-01-01T10:00:00.000Z', status: 'sent', error: null },
    pending: 0,
    failed: 0,
    ...over,
  };
}

/** A route with Alertmanager's default timers and no children. */
export function routeView(over: Partial<RouteView> = {}): RouteView {
  return {
    id: 'root',
    receiver: 'ops-webhook',
    matchers: [],
    continue: false,
    groupBy: ['alertname'],
    groupWait: '30s',
    groupInterval: '5m',
    repeatInterval: '4h',
    muteTimeIntervals: [],
    activeTimeIntervals: [],
    routes: [],
    ...over,
  };
}

/** The guide's escalation in small: critical to PagerDuty (and on), warning to Slack; one inhibition. */
export function routingResponse(): RoutingResponse {
  return {
    route: routeView({
      routes: [
        routeView({
          id: 'root.0',
          receiver: 'pager',
          matchers: ['severity="critical"'],
          continue: true,
          routes: [routeView({ id: 'root.0.0', receiver: 'dba-pager', matchers: ['service=~"db|cache"'] })],
        }),
        routeView({
          id: 'root.1',
          receiver: 'chat',
          matchers: ['severity="warning"'],
          groupBy: ['...'],
          muteTimeIntervals: ['weekend'],
        }),
      ],
    }),
    inhibitRules: [
      { sourceMatchers: ['severity="critical"'], targetMatchers: ['severity="warning"'], equal: ['service'] },
    ],
    timeIntervals: [
      { name: 'weekend', activeNow: true },
      { name: 'nights', activeNow: false },
    ],
  };
}

/** An active silence on `alertname="HighLatency"` by alice, 10:00 to 12:00 UTC. */
export function silenceView(over: Partial<SilenceView> = {}): SilenceView {
  return {
    id: 'sil-1',
    matchers: [{ name: 'alertname', op: '=', value: 'HighLatency' }],
    startsAt: '2026-01-01T10:00:00.000Z',
    endsAt: '2026-01-01T12:00:00.000Z',
    createdBy: 'alice',
    comment: 'deploying the fix',
    state: 'active',
    updatedAt: '2026-01-01T10:00:00.000Z',
    ...over,
  };
}

/** A notification to `ops-webhook` that failed after 5 attempts. */
export function notificationView(over: Partial<NotificationView> = {}): NotificationView {
  return {
    id: 'n-1',
    channel: 'ops-webhook',
    groupKey: '{}:{alertname="HighLatency"}',
    status: 'failed',
    summary: '[FIRING:1] HighLatency',
    attempts: 5,
    createdAt: '2026-01-01T09:00:00.000Z',
    nextAttemptAt: null,
    sentAt: null,
    lastError: 'HTTP 500 from 127.0.0.1:9099',
    ...over,
  };
}
