// The outbox worker end to end: each store (real SQLite, real PostgreSQL), real HTTP to the loopback PagerDuty and Slack
// fakes (which check bodies against the documented formats), the fakes' failure modes for faults.
// Gaps are measured with the fakes' arrival times; nothing asserts on speed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startPagerDutyFake, startSlackFake, waitFor, type PagerDutyFake, type SlackFake } from '../../../test/harness';
import { createMetrics, type SidecarMetrics } from '../metrics';
import { outboxDedupKey } from '../store/sqliteOutbox';
import type { OutboxRecord, Store } from '../store/store';
import { describeEachStore } from '../testing/storeBackends';
import { buildPagerDutyEvent } from './pagerduty/payload';
import { createSender, withoutRoutingKey, type ChannelSender } from './sender';
import { buildSlackMessage } from './slack/payload';
import type { Notification } from './types';
import { OutboxWorker, type OutboxWorkerOptions } from './worker';

const NOW = Date.parse('2026-12-07T02:10:00Z');
const ROUTING_KEY = 'R0UTINGKEY0000000000000000000042';

const firing = JSON.parse(
  readFileSync(join(__dirname, 'testdata', 'notification-firing.json'), 'utf8')
) as Notification;

function pdPayload(groupKey = firing.groupKey): Record<string, unknown> {
  return withoutRoutingKey(buildPagerDutyEvent({ ...firing, groupKey }, { routingKey: 'placeholder', now: NOW }));
}

describeEachStore('outbox worker', (suite) => {
  // Nested: its afterEach (stopping the workers) runs before the suite's closes the store.
  describe('OutboxWorker', () => {
    let store: Store;
    let pd: PagerDutyFake;
    let slack: SlackFake;
    let metrics: SidecarMetrics;
    let senders: Record<string, ChannelSender>;
    const workers: OutboxWorker[] = [];

    function worker(over: Partial<OutboxWorkerOptions> = {}): OutboxWorker {
      const w = new OutboxWorker({
        store,
        senders,
        counter: metrics.notifications,
        intervalMs: 20,
        baseDelayMs: 50,
        maxDelayMs: 200,
        ...over,
      });
      workers.push(w);
      w.start();
      return w;
    }

    async function enqueue(channel: string, payload: unknown, groupKey = firing.groupKey): Promise<string> {
      const id = `${channel}-${workers.length}-${Math.random().toString(36).slice(2)}`;
      const added = await store.enqueue({
        id,
        channel,
        groupKey,
        dedupKey: outboxDedupKey(channel, groupKey, payload),
        payload,
        createdAt: Date.now(),
      });
      expect(added).toBe(true);
      return id;
    }

    async function settled(id: string): Promise<OutboxRecord> {
      return waitFor(
        `notification ${id} sent or failed`,
        async () => {
          const row = (await store.listNotifications({ limit: 1000 })).find((r) => r.id === id);
          return row && (row.status === 'sent' || row.status === 'failed') ? row : undefined;
        },
        20000,
        20
      );
    }

    async function metric(channel: string, status: string): Promise<number> {
      const m = await metrics.notifications.get();
      return m.values.find((v) => v.labels.channel === channel && v.labels.status === status)?.value ?? 0;
    }

    beforeEach(async () => {
      store = await suite.open();
      pd = await startPagerDutyFake();
      slack = await startSlackFake();
      metrics = createMetrics();
      senders = {
        pagerduty: createSender({ kind: 'pagerduty', url: pd.enqueueURL, routingKey: ROUTING_KEY }),
        slack: createSender({ kind: 'slack', webhookURL: slack.webhookURL }),
      };
    });
    afterEach(async () => {
      await Promise.all(workers.splice(0).map((w) => w.stop()));
      await Promise.all([pd.stop(), slack.stop()]);
    });

    it('retries a 500 and delivers once: sent, 2 attempts, with the routing key added at send time', async () => {
      pd.failNext(1, { status: 500 });
      const payload = pdPayload();
      const id = await enqueue('pagerduty', payload);
      expect(JSON.stringify((await store.listNotifications())[0].payload)).not.toContain(ROUTING_KEY);
      worker();
      const row = await settled(id);
      expect(row).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
      expect(pd.received().map((r) => r.status)).toEqual([500, 202]);
      expect(pd.count(payload.dedup_key as string)).toBe(1);
      expect((pd.received()[1].body as { routing_key: string }).routing_key).toBe(ROUTING_KEY);
      expect(await metric('pagerduty', 'retry')).toBe(1);
      expect(await metric('pagerduty', 'sent')).toBe(1);
    });

    it('drains a backlog larger than its slots without waiting for the next poll interval', async () => {
      // One poll an hour: only refilling as slots free up can deliver all 9 within the test.
      const ids: string[] = [];
      for (let i = 0; i < 9; i++) {
        ids.push(await enqueue('pagerduty', pdPayload(`{}:{alertname="G${i}"}`), `{}:{alertname="G${i}"}`));
      }
      const w = worker({ intervalMs: 3_600_000, concurrency: 2 });
      for (const id of ids) {
        expect(await settled(id)).toMatchObject({ status: 'sent', attempts: 1 });
      }
      await w.idle();
      expect(pd.received().filter((r) => r.status === 202)).toHaveLength(9);
    });

    it("waits at least Slack's Retry-After after a 429, then delivers", async () => {
      slack.failNext(1, { status: 429, retryAfterSeconds: 2 });
      const message = buildSlackMessage(firing, { now: NOW });
      const id = await enqueue('slack', message);
      worker();
      const row = await settled(id);
      expect(row).toMatchObject({ status: 'sent', attempts: 2 });
      const [first, second] = slack.received();
      expect([first.status, second.status]).toEqual([429, 200]);
      expect(second.at - first.at).toBeGreaterThanOrEqual(2000);
      expect(slack.received()).toHaveLength(2);
    });

    it('marks a notification failed once the channel stays down past the maximum age', async () => {
      const down = await startSlackFake();
      await down.stop();
      senders.down = createSender({ kind: 'slack', webhookURL: down.webhookURL });
      const id = await enqueue('down', buildSlackMessage(firing, { now: NOW }));
      worker({ maxAgeMs: 400 });
      const row = await settled(id);
      expect(row.status).toBe('failed');
      expect(row.attempts).toBeGreaterThanOrEqual(2);
      expect(row.lastError).toMatch(/^gave up after \d+ attempts: slack: request failed \(ECONNREFUSED\)$/);
      // The webhook URL is the credential: not in the error.
      expect(row.lastError).not.toContain('/services/');
      expect((await store.listNotifications({ status: 'failed' })).map((r) => r.id)).toEqual([id]);
      expect(await metric('down', 'failed')).toBe(1);
      expect(await metrics.registry.metrics()).toContain('vigil_notifications_total{channel="down",status="failed"} 1');
    });

    it('fails a refused notification at once (400 is never retried) and sends it again after retryNow', async () => {
      const id = await enqueue('pagerduty', { ...pdPayload(), payload: { summary: 'no source or severity' } });
      worker();
      const row = await settled(id);
      expect(row).toMatchObject({ status: 'failed', attempts: 1 });
      expect(row.lastError).toMatch(/^pagerduty: HTTP 400: /);
      expect(row.lastError).not.toContain(ROUTING_KEY);
      expect(await store.retryNow(id)).toBe(true);
      workers[0].kick();
      await waitFor('the manual retry', async () => pd.received().length === 2, 20000, 20);
      expect((await settled(id)).attempts).toBe(2);
    });

    it('takes over the claim of a crashed worker after its lease and delivers exactly once', async () => {
      const payload = pdPayload('{}:{crash="before-send"}');
      const id = await enqueue('pagerduty', payload, '{}:{crash="before-send"}');
      // Worker w1 claims the row and dies before its request leaves: only the lease remembers it.
      const claimedAt = Date.now();
      expect((await store.claimDue(claimedAt, 10, 'w1', 500)).map((r) => r.id)).toEqual([id]);
      worker({ workerId: 'w2' });
      const row = await settled(id);
      expect(row).toMatchObject({ status: 'sent', attempts: 2 });
      expect(pd.received()).toHaveLength(1);
      expect(pd.received()[0].at).toBeGreaterThanOrEqual(claimedAt + 500);
      expect(pd.count(payload.dedup_key as string)).toBe(1);
    });

    it('resends once after a crash between the channel accepting and markSent, under the same dedup_key', async () => {
      const payload = pdPayload('{}:{crash="after-send"}');
      const id = await enqueue('pagerduty', payload, '{}:{crash="after-send"}');
      const [claimed] = await store.claimDue(Date.now(), 10, 'w1', 300);
      // w1 delivers, then dies before recording it.
      expect(await senders.pagerduty(claimed.payload, new AbortController().signal)).toEqual({
        ok: true,
        retryable: false,
      });
      worker({ workerId: 'w2' });
      expect(await settled(id)).toMatchObject({ status: 'sent', attempts: 2 });
      // At-least-once: PagerDuty saw the event twice with one dedup key, i.e. one incident.
      expect(pd.received()).toHaveLength(2);
      expect(pd.counts()).toEqual({ [payload.dedup_key as string]: 2 });
    });

    it('delivers a group in order: the resolve never overtakes its retried trigger', async () => {
      pd.failNext(1, { status: 503 });
      const trigger = pdPayload('{}:{order="1"}');
      const resolved: Notification = {
        ...firing,
        groupKey: '{}:{order="1"}',
        status: 'resolved',
        alerts: firing.alerts.map((a) => ({ ...a, status: 'resolved', endsAt: '2026-12-07T02:09:00Z' })),
      };
      const resolve = withoutRoutingKey(buildPagerDutyEvent(resolved, { routingKey: 'placeholder', now: NOW }));
      const first = await enqueue('pagerduty', trigger, '{}:{order="1"}');
      await new Promise((r) => setTimeout(r, 5));
      const second = await enqueue('pagerduty', resolve, '{}:{order="1"}');
      worker();
      await settled(first);
      await settled(second);
      const accepted = pd.received().filter((r) => r.status === 202);
      expect(accepted.map((r) => (r.body as { event_action: string }).event_action)).toEqual(['trigger', 'resolve']);
    });
    it("sends a flush's rows stored claimed for it (handoff) once, and leaves the rest to its claims", async () => {
      const w = worker({ intervalMs: 3_600_000, concurrency: 2, workerId: 'node-a' });
      // Not before its start-up release of a predecessor's claims, which would put handed rows back.
      expect(w.handoff()).toBeUndefined();
      await w.idle();
      const handoff = w.handoff();
      expect(handoff).toMatchObject({ worker: 'node-a', limit: 2 });
      const message = buildSlackMessage(firing, { now: NOW });
      const flushes = ['G1', 'G2', 'G3'].map((g) => ({
        group: {
          key: g,
          routeId: 'root',
          receiver: 'slack',
          groupLabels: {},
          state: { key: g, firstAlertAt: NOW, lastFlushAt: null, lastNotified: null },
          nextFlushAt: null,
        },
        notifications: [
          {
            channel: 'slack',
            groupKey: g,
            dedupKey: outboxDedupKey('slack', g, g),
            payload: message,
            createdAt: Date.now(),
          },
        ],
        removeFingerprints: [],
      }));
      const claimed = await store.commitFlush(flushes, handoff);
      expect(claimed.map((r) => r.groupKey)).toEqual(['G1', 'G2']);
      w.take(claimed);
      for (const r of claimed) {
        expect(await settled(r.id)).toMatchObject({ status: 'sent', attempts: 1 });
      }
      // The third was stored pending: one poll an hour, so nothing sent it.
      expect((await store.listNotifications({ status: 'pending' })).map((r) => r.groupKey)).toEqual(['G3']);
      expect(slack.received().filter((r) => r.status === 200)).toHaveLength(2);
      await w.stop();
      expect(w.handoff()).toBeUndefined();
    });
  });
});
