// Delivery faults, on the real sidecar process (SQLite outbox) delivering to loopback webhook sinks that
// count what they accept: a channel answering 500 then 200 gets the notification exactly once; a 429
// with `Retry-After: 2` is not retried before 2 s, then delivered once; a channel down (connection
// refused) past the maximum age (3 s here) leaves the notification `failed`, visible in
// `GET /api/v1/notifications?status=failed` and counted by `vigil_notifications_total{status="failed"}`,
// and a retry by hand once the channel is back delivers it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NotificationView } from '@vigil/core';
import { startWebhookSink, waitFor, webhookNotificationKey, type LoopbackServer } from './harness';
import {
  alertmanagerWebhookBody,
  listNotifications,
  postToReceiver,
  sidecarMetric,
  waitOutboxSettled,
} from './harness/notify';
import { sidecarFetch, startSidecar, type SidecarHandle } from './harness/sidecar';

jest.setTimeout(90_000);

const MAX_AGE_MS = 3000;

let flaky: LoopbackServer;
let limited: LoopbackServer;
let down: LoopbackServer | undefined;
let downPort: number;
let sc: SidecarHandle;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-notify-faults-'));
  flaky = await startWebhookSink();
  limited = await startWebhookSink();
  // A port nothing listens on (connection refused) until the test brings the channel back on it.
  const probe = await startWebhookSink();
  downPort = probe.port;
  await probe.stop();
  const hook = (port: number) => `http://127.0.0.1:${port}/hook`;
  sc = await startSidecar({
    dir,
    config: {
      log: { level: 'warn' },
      notify: {
        channels: [
          { name: 'flaky', type: 'webhook', url: hook(flaky.port) },
          { name: 'limited', type: 'webhook', url: hook(limited.port) },
          { name: 'down', type: 'webhook', url: hook(downPort) },
        ],
        route: {
          receiver: 'flaky',
          groupBy: ['alertname'],
          groupWait: '200ms',
          groupInterval: '1s',
          repeatInterval: '1h',
          routes: ['flaky', 'limited', 'down'].map((c) => ({ matchers: [`case="${c}"`], receiver: c })),
        },
        delivery: { maxAge: `${MAX_AGE_MS}ms`, timeout: '1s' },
      },
    },
  });
});

afterAll(async () => {
  await sc?.stop(5000);
  await Promise.all([flaky?.stop(), limited?.stop(), down?.stop()]);
  if (dir) {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Pushes one firing alert of `case` through the Alertmanager receiver. */
async function fire(kase: string, name: string): Promise<void> {
  const body = alertmanagerWebhookBody([
    {
      status: 'firing',
      labels: { alertname: name, case: kase, severity: 'warning' },
      annotations: { summary: `${name} fired` },
      startsAt: new Date(Date.now() - 1000).toISOString(),
    },
  ]);
  const res = await postToReceiver(sc, 'alertmanager', body);
  expect(res).toEqual({ status: 200, body: { accepted: 1 } });
}

/** Requests of a sink about alert `name`: its answer, arrival time and notification key. */
function requests(sink: LoopbackServer, name: string): Array<{ status: number; at: number; key: string }> {
  return sink
    .received()
    .filter((r) => JSON.stringify((r.body as { commonLabels?: unknown })?.commonLabels ?? {}).includes(name))
    .map((r) => ({ status: r.status, at: r.at, key: webhookNotificationKey(r.body) }));
}

async function metric(channel: string, status: string): Promise<number> {
  return sidecarMetric(sc, 'vigil_notifications_total', { channel, status });
}

test('a channel answering 500 then 200 gets the notification once', async () => {
  flaky.failNext(1, { status: 500 });
  await fire('flaky', 'FlakyChannel');
  await waitFor('a 2xx at the flaky channel', async () =>
    requests(flaky, 'FlakyChannel').some((r) => r.status === 200)
  );
  await waitOutboxSettled(sc);

  const got = requests(flaky, 'FlakyChannel');
  expect(got.map((r) => r.status)).toEqual([500, 200]);
  // The retry is the same notification (same key), accepted once.
  expect(got[1].key).toBe(got[0].key);
  expect(flaky.count(got[1].key)).toBe(1);
  expect(await metric('flaky', 'retry')).toBe(1);
  expect(await metric('flaky', 'sent')).toBe(1);
  const [row] = await listNotifications(sc, { channel: 'flaky' });
  expect(row).toMatchObject({ status: 'sent', attempts: 2 });
});

test('429 with Retry-After: 2 waits at least 2 s, then delivers once', async () => {
  limited.failNext(1, { status: 429, retryAfterSeconds: 2 });
  await fire('limited', 'RateLimited');
  await waitFor('a 2xx at the rate-limited channel', async () =>
    requests(limited, 'RateLimited').some((r) => r.status === 200)
  );
  await waitOutboxSettled(sc);

  const got = requests(limited, 'RateLimited');
  expect(got.map((r) => r.status)).toEqual([429, 200]);
  // Retry-After is a floor, not a hint: the second request came no earlier than 2 s after the 429.
  expect(got[1].at - got[0].at).toBeGreaterThanOrEqual(2000);
  expect(limited.count(got[1].key)).toBe(1);
  expect(await metric('limited', 'sent')).toBe(1);
});

test('a channel down past the maximum age: failed in the API and /metrics, then retried by hand', async () => {
  await fire('down', 'ChannelDown');
  const failed = await waitFor(
    'the notification to the down channel to fail',
    async () => {
      const rows = await listNotifications(sc, { status: 'failed' });
      return rows.find((r) => r.channel === 'down');
    },
    MAX_AGE_MS + 20_000
  );
  expect(failed.summary).toContain('ChannelDown');
  // It was retried (connection refused is retryable) until the maximum age, then given up.
  expect(failed.attempts).toBeGreaterThan(1);
  expect(failed.lastError).toMatch(/ECONNREFUSED/);
  expect(failed.lastError).not.toContain(String(downPort)); // the URL is a secret: never in errors
  expect(Date.parse(failed.createdAt)).toBeLessThanOrEqual(Date.now() - MAX_AGE_MS);
  expect(await metric('down', 'failed')).toBe(1);
  expect(await metric('down', 'sent')).toBe(0);

  // The channel comes back on the same address; a retry by hand delivers the notification once.
  down = await startWebhookSink({ port: downPort });
  const retried = await sidecarFetch<NotificationView>(sc, `/api/v1/notifications/${failed.id}/retry`, {
    method: 'POST',
  });
  expect(retried.status).toBe(200);
  expect(['pending', 'sending', 'sent']).toContain(retried.body.status);
  await waitFor('the retried notification at the channel', async () =>
    requests(down!, 'ChannelDown').some((r) => r.status === 200)
  );
  await waitOutboxSettled(sc);
  const got = requests(down, 'ChannelDown');
  expect(got.map((r) => r.status)).toEqual([200]);
  expect(down.count(got[0].key)).toBe(1);
  const after = (await listNotifications(sc, { channel: 'down' })).find((r) => r.id === failed.id);
  expect(after?.status).toBe('sent');
  expect(await listNotifications(sc, { status: 'failed' })).toEqual([]);
  expect(await metric('down', 'sent')).toBe(1);
  // A second retry of a sent notification is refused: nothing is sent twice by hand either.
  const again = await sidecarFetch(sc, `/api/v1/notifications/${failed.id}/retry`, { method: 'POST' });
  expect(again.status).toBe(409);
});
