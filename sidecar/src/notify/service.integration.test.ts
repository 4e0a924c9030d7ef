// The notification service end to end on both stores (real SQLite, real PostgreSQL): alerts received → routed by severity →
// grouped → outbox → real HTTP to the loopback PagerDuty and Slack fakes (which check bodies against
// the documented formats), then the resolve. Also the API views (channels, routing, groups), the
// test-send, and the metrics. Waits poll the fakes; nothing asserts on speed.
import pino from 'pino';
import { parseMatcher } from '@vigil/core';
import { startPagerDutyFake, startSlackFake, waitFor, type PagerDutyFake, type SlackFake } from '../../../test/harness';
import type { NotifyConfig } from '../config/notifySchema';
import { createMetrics, type SidecarMetrics } from '../metrics';
import type { Store } from '../store/store';
import { inbound, resolvedOf } from '../testing/dispatch';
import { describeEachStore } from '../testing/storeBackends';
import { startNotify, type NotifyService } from './service';

const ROUTING_KEY = 'R0UTINGKEY0000000000000000000042';

describeEachStore('notify service', (suite) => {
  // Nested: its afterEach (stopping the service) runs before the suite's closes the store.
  describe('startNotify', () => {
    let store: Store;
    let pd: PagerDutyFake;
    let slack: SlackFake;
    let metrics: SidecarMetrics;
    let notify: NotifyService | undefined;

    beforeAll(async () => {
      [pd, slack] = await Promise.all([startPagerDutyFake(), startSlackFake()]);
    });
    afterAll(async () => {
      await Promise.all([pd.stop(), slack.stop()]);
    });
    beforeEach(async () => {
      store = await suite.open();
      metrics = createMetrics();
    });
    afterEach(async () => {
      await notify?.stop(0);
      notify = undefined;
    });

    function config(): NotifyConfig {
      return {
        externalURL: 'http://127.0.0.1:3000/a/vigil-app',
        channels: [
          { name: 'oncall', type: 'pagerduty', sendResolved: true, url: pd.enqueueURL, routingKey: ROUTING_KEY },
          { name: 'alerts', type: 'slack', sendResolved: true, webhookURL: slack.webhookURL, messagesPerSecond: 50 },
        ],
        route: {
          receiver: 'alerts',
          groupBy: ['alertname'],
          groupWaitMs: 0,
          groupIntervalMs: 200,
          repeatIntervalMs: 3_600_000,
          routes: [
            { matchers: [parseMatcher('severity="critical"')], receiver: 'oncall', continue: true },
            { matchers: [parseMatcher('severity="critical"')], receiver: 'alerts' },
          ],
        },
        inhibitRules: [],
        timeIntervals: {},
        delivery: { maxAgeMs: 60_000, timeoutMs: 5_000 },
      };
    }

    function start(): NotifyService {
      notify = startNotify({ config: config(), store, logger: pino({ level: 'silent' }), metrics });
      return notify;
    }

    const events = () =>
      pd
        .received()
        .filter((r) => r.status === 202)
        .map((r) => r.body as { event_action: string; dedup_key: string; routing_key: string });

    it('delivers a critical alert to PagerDuty and Slack, then its resolve', async () => {
      const n = start();
      const now = Date.now();
      const a = inbound('fp-1', { source: 'alertmanager', startsAt: now, at: now });
      await n.receive([a]);
      await waitFor(
        'trigger at PagerDuty and message at Slack',
        async () => events().length === 1 && slack.received().length === 1,
        15_000,
        20
      );
      expect(events()[0]).toMatchObject({ event_action: 'trigger', routing_key: ROUTING_KEY });

      const groups = await n.groups();
      expect(groups.groups.map((g) => g.receiver).sort()).toEqual(['alerts', 'oncall']);
      expect(groups.groups[0].alerts).toEqual([
        expect.objectContaining({ fingerprint: 'fp-1', status: 'firing', silencedBy: [], inhibited: false }),
      ]);
      expect(groups.groups[0].lastNotifiedAt).not.toBeNull();

      await n.receive([resolvedOf(a, Date.now())]);
      await waitFor(
        'resolve at PagerDuty and Slack',
        async () => events().length === 2 && slack.received().length === 2,
        15_000,
        20
      );
      const [trigger, resolve] = events();
      expect(resolve).toMatchObject({ event_action: 'resolve', dedup_key: trigger.dedup_key });
      expect(pd.received().every((r) => r.status === 202)).toBe(true);
      expect(slack.received().every((r) => r.status === 200)).toBe(true);
      await waitFor('groups closed', async () => (await n.groups()).groups.length === 0, 15_000, 20);
      // A fake records a request before the sidecar has read its answer and marked the row sent.
      await waitFor(
        'both deliveries marked sent',
        async () => (await n.channels()).every((c) => c.pending === 0),
        15_000,
        20
      );

      const channels = await n.channels();
      expect(channels).toEqual([
        expect.objectContaining({ name: 'oncall', type: 'pagerduty', pending: 0, failed: 0, sendResolved: true }),
        expect.objectContaining({ name: 'alerts', type: 'slack', pending: 0, failed: 0 }),
      ]);
      expect(channels[0].lastDelivery).toMatchObject({ status: 'sent', error: null });
      expect(channels[0].target).toBe(new URL(pd.url).host);
      expect(JSON.stringify(channels)).not.toContain(ROUTING_KEY);
      expect(JSON.stringify(channels)).not.toContain('/services/');

      const text = await metrics.registry.metrics();
      expect(text).toContain('vigil_notify_alerts_received_total{source="alertmanager"} 2');
      expect(text).toContain('vigil_notify_flushes_total{outcome="notified"} 4');
      expect(text).toContain('vigil_notify_groups 0');
      expect(text).toContain('vigil_notifications_total{channel="oncall",status="sent"} 2');
    });

    it('sends a test notification straight to the channel, and none to an unknown one', async () => {
      const n = start();
      const before = pd.received().length;
      const res = await n.testSend('oncall', 'alice');
      expect(res).toMatchObject({ ok: true });
      expect(pd.received()).toHaveLength(before + 1);
      expect(pd.received()[before].body).toMatchObject({ event_action: 'trigger', payload: { severity: 'info' } });
      expect(await n.testSend('nope', 'alice')).toBeNull();
      expect(await store.listNotifications()).toEqual([]);

      pd.failNext(1, { status: 400 });
      const refused = await n.testSend('oncall', 'alice');
      expect(refused).toMatchObject({ ok: false, error: expect.stringContaining('HTTP 400') });
    });

    it('shows the routing tree with durations and matchers as text', () => {
      const r = start().routing();
      expect(r.route).toMatchObject({
        receiver: 'alerts',
        groupBy: ['alertname'],
        groupWait: '0s',
        repeatInterval: '1h',
      });
      expect(r.route.routes.map((c) => [c.receiver, c.matchers, c.continue])).toEqual([
        ['oncall', ['severity="critical"'], true],
        ['alerts', ['severity="critical"'], false],
      ]);
      expect(r.inhibitRules).toEqual([]);
      expect(r.timeIntervals).toEqual([]);
    });
  });
});
