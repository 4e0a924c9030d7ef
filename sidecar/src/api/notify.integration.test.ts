// The channels page's endpoints and the notification log against a started sidecar delivering to
// loopback PagerDuty and Slack fakes: channels with masked targets, test-sends (accepted and refused),
// the routing tree, groups, and a notification that fails, shows in the log and is retried by hand.
import type {
  ChannelsResponse,
  NotificationsResponse,
  NotificationView,
  RoutingResponse,
  TestSendResponse,
} from '@vigil/core';
import { waitFor } from '../../../test/harness';
import { PD_ROUTING_KEY, postJson, startNotifyTestServer, type NotifyTestServer } from '../testing/notifyFixtures';
import type { ErrorBody } from './errors';

jest.setTimeout(60_000);

let t: NotifyTestServer;
beforeAll(async () => {
  t = await startNotifyTestServer();
});
afterAll(() => t?.stop());

const getJson = async <T>(path: string): Promise<T> => {
  const res = await t.srv.call(path);
  expect({ path, status: res.status }).toEqual({ path, status: 200 });
  return (await res.json()) as T;
};
const notifications = async (query: string) =>
  (await getJson<NotificationsResponse>(`/api/v1/notifications${query}`)).notifications;

function critical(alertname: string) {
  return {
    version: '4',
    status: 'firing',
    alerts: [
      {
        status: 'firing',
        labels: { alertname, severity: 'critical', service: 'checkout' },
        annotations: { summary: `${alertname} on checkout` },
        startsAt: new Date().toISOString(),
      },
    ],
  };
}

describe('GET /api/v1/notify/channels', () => {
  it('lists the channels with their targets and no secret', async () => {
    const res = await t.srv.call('/api/v1/notify/channels');
    const text = await res.text();
    expect(text).not.toContain(PD_ROUTING_KEY);
    expect(text).not.toContain('/services/');
    const { channels } = JSON.parse(text) as ChannelsResponse;
    expect(channels.map((c) => [c.name, c.type, c.target, c.sendResolved])).toEqual([
      ['pagerduty', 'pagerduty', new URL(t.pd.url).host, true],
      ['slack', 'slack', new URL(t.slack.url).host, true],
    ]);
    expect(channels[0]).toMatchObject({ pending: 0, failed: 0 });
  });
});

describe('POST /api/v1/notify/channels/:name/test', () => {
  it('sends a test notification straight to the channel, authored by the Grafana user', async () => {
    const res = await postJson(t.srv, '/api/v1/notify/channels/pagerduty/test', {}, { 'x-grafana-user': 'alice' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true });
    const [event] = t.pd.received();
    expect(event).toMatchObject({ status: 202, body: { routing_key: PD_ROUTING_KEY, event_action: 'trigger' } });
    expect(JSON.stringify(event.body)).toContain('alice');
  });

  it('answers 200 with ok false and the reason when the channel refuses', async () => {
    t.slack.failNext(1, { status: 400, body: 'invalid_blocks' });
    const res = await postJson(t.srv, '/api/v1/notify/channels/slack/test', {});
    expect(res.status).toBe(200);
    const body = (await res.json()) as TestSendResponse;
    expect(body.ok).toBe(false);
    expect(body.error).toMatch(/400/);
    expect(JSON.stringify(body)).not.toContain('/services/');
  });

  it('404 for a channel that is not configured', async () => {
    const res = await postJson(t.srv, '/api/v1/notify/channels/nope/test', {});
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'channel "nope" is not configured' } });
  });
});

describe('GET /api/v1/notify/routing and /groups', () => {
  it('shows the configured tree with every setting resolved', async () => {
    const { route, inhibitRules, timeIntervals } = await getJson<RoutingResponse>('/api/v1/notify/routing');
    expect(route).toMatchObject({ receiver: 'slack', groupBy: ['alertname'], groupWait: '0s', groupInterval: '1s' });
    expect(route.routes).toHaveLength(1);
    expect(route.routes[0]).toMatchObject({
      receiver: 'pagerduty',
      matchers: ['severity="critical"'],
      groupWait: '0s',
    });
    expect(inhibitRules).toEqual([]);
    expect(timeIntervals).toEqual([]);
  });
});

describe('the notification log', () => {
  let failed: NotificationView;

  it('shows a notification the channel refused as failed, with its summary and error', async () => {
    t.pd.failNext(1, { status: 400, body: '{"status":"invalid event"}' });
    expect((await postJson(t.srv, '/api/v1/receivers/alertmanager', critical('Refused'))).status).toBe(200);
    failed = await waitFor('the failed notification', async () => (await notifications('?status=failed'))[0]);
    expect(failed).toMatchObject({
      channel: 'pagerduty',
      status: 'failed',
      summary: '[FIRING:1] Refused',
      attempts: 1,
      nextAttemptAt: null,
      sentAt: null,
    });
    expect(failed.lastError).toMatch(/400/);
    expect(failed.groupKey).toContain('Refused');
    expect(await notifications('?status=failed&channel=slack')).toEqual([]);
    expect(await notifications('?channel=pagerduty&limit=1')).toHaveLength(1);
  });

  it('retries a failed notification by hand: pending at once, then delivered', async () => {
    const res = await t.srv.call(`/api/v1/notifications/${failed.id}/retry`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as NotificationView).status).toMatch(/^(pending|sending|sent)$/);
    const sent = await waitFor('the retried notification sent', async () =>
      (await notifications('?status=sent')).find((n) => n.id === failed.id)
    );
    expect(sent).toMatchObject({ attempts: 2, summary: '[FIRING:1] Refused', lastError: null });
    expect(t.pd.received().filter((r) => r.status === 202 && JSON.stringify(r.body).includes('Refused'))).toHaveLength(
      1
    );

    const again = await t.srv.call(`/api/v1/notifications/${failed.id}/retry`, { method: 'POST' });
    expect(again.status).toBe(409);
    expect(((await again.json()) as ErrorBody).error.message).toBe(
      `notification "${failed.id}" is sent, not failed: only failed ones are retried`
    );
    const unknown = await t.srv.call('/api/v1/notifications/nope/retry', { method: 'POST' });
    expect(unknown.status).toBe(404);
  });

  it('400 for a bad filter', async () => {
    for (const [query, message] of [
      ['?status=lost', 'status: unknown value "lost" (expected pending, sending, sent, failed)'],
      ['?limit=0', 'limit: expected an integer from 1 to 1000'],
      ['?status=sent&status=failed', 'status: expected one value'],
    ]) {
      const res = await t.srv.call(`/api/v1/notifications${query}`);
      expect(res.status).toBe(400);
      expect(((await res.json()) as ErrorBody).error.message).toBe(message);
    }
  });

  it('shows the groups the dispatcher holds', async () => {
    const { groups } = await getJson<{ groups: Array<{ receiver: string; groupLabels: Record<string, string> }> }>(
      '/api/v1/notify/groups'
    );
    expect(groups).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ receiver: 'pagerduty', groupLabels: { alertname: 'Refused' } }),
      ])
    );
  });
});
