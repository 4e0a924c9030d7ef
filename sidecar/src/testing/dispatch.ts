/**
 * Helpers of the dispatcher's tests (notify/dispatch/*.test.ts): a resolved notify config, inbound
 * alerts, a fake clock, and a dispatcher on a real SQLite store driven pass by pass. Excluded from
 * the build (see tsconfig.json).
 */
import { buildRouteTree, type RouteConfig } from '@vigil/core';
import type { ChannelConfig, NotifyConfig } from '../config/notifySchema';
import { Dispatcher, type DispatcherOptions, type PassResult } from '../notify/dispatch/dispatcher';
import { RouteIndex } from '../notify/dispatch/routes';
import type { InboundAlert } from '../store/notifyStore';
import type { OutboxRecord, Store } from '../store/store';

/** Monday 2026-12-07 03:00:00 UTC. */
export const T0 = Date.UTC(2026, 11, 7, 3, 0, 0);
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;

/** Four channels on loopback addresses nothing listens on (the dispatcher never sends). */
export function testChannels(over: Partial<Record<string, Partial<ChannelConfig>>> = {}): ChannelConfig[] {
  const base: ChannelConfig[] = [
    {
      name: 'pd',
      type: 'pagerduty',
      sendResolved: true,
      url: 'http://127.0.0.1:9/v2/enqueue',
      routingKey: 'k'.repeat(32),
    },
    {
      name: 'slack',
      type: 'slack',
      sendResolved: true,
      webhookURL: 'http://127.0.0.1:9/services/T/B/X',
      messagesPerSecond: 1,
    },
    {
      name: 'mail',
      type: 'email',
      sendResolved: true,
      from: 'vigil@example.com',
      to: ['oncall@example.com'],
      smtp: { host: '127.0.0.1', port: 9, secure: false, requireTLS: false, rejectUnauthorized: true },
    },
    { name: 'hook', type: 'webhook', sendResolved: true, url: 'http://127.0.0.1:9/hook', maxAlerts: 0 },
  ];
  return base.map((c) => ({ ...c, ...(over[c.name] ?? {}) }) as ChannelConfig);
}

/** A resolved notify section: one route to the webhook `hook`, grouped by alertname (30 s / 5 min / 4 h) unless given. */
export function testNotifyConfig(over: Partial<NotifyConfig> = {}): NotifyConfig {
  const route: RouteConfig = {
    receiver: 'hook',
    groupBy: ['alertname'],
    groupWaitMs: 30 * SECOND,
    groupIntervalMs: 5 * MINUTE,
    repeatIntervalMs: 4 * HOUR,
  };
  return {
    externalURL: 'http://127.0.0.1:3000/a/vigil-app',
    channels: testChannels(),
    route,
    inhibitRules: [],
    timeIntervals: {},
    delivery: { maxAgeMs: HOUR, timeoutMs: 10 * SECOND },
    ...over,
  };
}

/** A firing rule alert `fp` with labels `{alertname, severity: critical, instance: fp}` (override any field). */
export function inbound(fp: string, over: Partial<InboundAlert> = {}): InboundAlert {
  const { labels, ...rest } = over;
  return {
    fingerprint: fp,
    source: 'rule',
    status: 'firing',
    labels: { alertname: 'HighLatency', severity: 'critical', instance: fp, ...labels },
    annotations: { summary: `latency high on ${fp}` },
    startsAt: T0,
    endsAt: null,
    value: 812,
    threshold: 500,
    actions: [],
    at: T0,
    ...rest,
  };
}

/** The resolved update of `a` at `at`. */
export function resolvedOf(a: InboundAlert, at: number): InboundAlert {
  return { ...a, status: 'resolved', endsAt: at, at };
}

/** A fake clock. */
export class FakeClock {
  constructor(public t = T0) {}
  readonly now = (): number => this.t;
  /** Moves to `T0 + ms`. */
  at(ms: number): void {
    this.t = T0 + ms;
  }
}

/** A dispatcher on `store` driven by `clock`, plus read-back helpers. */
export class DispatchRig {
  readonly dispatcher: Dispatcher;
  constructor(
    readonly store: Store,
    readonly config: NotifyConfig,
    readonly clock: FakeClock,
    opts: Pick<
      DispatcherOptions,
      'ingestBatch' | 'flushBatch' | 'correlate' | 'keepIncidentsFiringForMs' | 'afterFlush'
    > = {}
  ) {
    const routes = new RouteIndex(buildRouteTree(config.route), new Set(config.channels.map((c) => c.name)));
    this.dispatcher = new Dispatcher({ store, config, routes, now: clock.now, ...opts });
  }

  /** Pushes alert updates into the inbox at the clock's time. */
  async push(...alerts: InboundAlert[]): Promise<void> {
    await this.store.pushInbound(alerts, this.clock.now());
  }

  /** Moves the clock to `T0 + ms` and runs one pass. */
  async passAt(ms: number): Promise<PassResult> {
    this.clock.at(ms);
    return this.dispatcher.runPass();
  }

  /** Every outbox row, oldest first. */
  async outbox(channel?: string): Promise<OutboxRecord[]> {
    const rows = await this.store.listNotifications({ channel, limit: 10_000 });
    return rows.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  }
}

/** The fingerprints and statuses a stored payload reports (webhook and PagerDuty bodies). */
export function payloadAlerts(payload: unknown): Array<{ fingerprint: string; status: string }> {
  const p = payload as { alerts?: Array<{ fingerprint: string; status: string }> };
  return (p.alerts ?? []).map((a) => ({ fingerprint: a.fingerprint, status: a.status }));
}
