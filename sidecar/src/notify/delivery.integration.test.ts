// The channel builders' payloads sent with real HTTP (fetch) to the loopback PagerDuty and Slack fakes,
// which check them against the documented formats; retry classification on the fakes' real answers.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startPagerDutyFake, startSlackFake, type PagerDutyFake, type SlackFake } from '../../../test/harness';
import { buildPagerDutyEvent, PAGERDUTY_LIMITS } from './pagerduty/payload';
import { classifyResponse } from './retry';
import { buildSlackMessage } from './slack/payload';
import type { Notification } from './types';

const NOW = Date.parse('2026-12-07T02:10:00Z');
const KEY = 'R0UTINGKEY0000000000000000000001';

// Blocks loosely typed, to build invalid ones on purpose.
type Block = Record<string, unknown>;

function load(name: string): Notification {
  return JSON.parse(readFileSync(join(__dirname, 'testdata', name), 'utf8')) as Notification;
}

async function post(url: string, body: unknown): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

describe('PagerDuty fake', () => {
  let pd: PagerDutyFake;
  beforeAll(async () => {
    pd = await startPagerDutyFake();
  });
  afterAll(async () => {
    await pd.stop();
  });

  it('accepts the trigger and the resolve of a group under one dedup key', async () => {
    const firing = load('notification-firing.json');
    const trigger = buildPagerDutyEvent(firing, { routingKey: KEY, now: NOW });
    const res = await post(pd.enqueueURL, trigger);
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ status: 'success', message: 'Event processed', dedup_key: trigger.dedup_key });

    const resolved: Notification = {
      ...firing,
      status: 'resolved',
      alerts: firing.alerts.map((a) => ({ ...a, status: 'resolved', endsAt: '2026-12-07T02:09:00Z' })),
    };
    const resolve = buildPagerDutyEvent(resolved, { routingKey: KEY, now: NOW });
    expect((await post(pd.enqueueURL, resolve)).status).toBe(202);
    expect(pd.count(trigger.dedup_key)).toBe(2);
    expect(pd.received().map((r) => (r.body as { event_action: string }).event_action)).toEqual(['trigger', 'resolve']);
  });

  it('refuses a too-long summary, and accepts it after the builder truncates it', async () => {
    const n = load('notification-firing.json');
    n.groupKey = 'long-summary';
    n.commonAnnotations.summary = 'latency '.repeat(400);
    const event = buildPagerDutyEvent(n, { routingKey: KEY, now: NOW });
    const untruncated = { ...event, payload: { ...event.payload, summary: n.commonAnnotations.summary } };
    const refused = await post(pd.enqueueURL, untruncated);
    expect(refused.status).toBe(400);
    const body = (await refused.json()) as { status: string; errors: string[] };
    expect(body.status).toBe('invalid event');
    expect(body.errors.join(' ')).toMatch(/summary/);
    expect(classifyResponse(refused.status, refused.headers)).toEqual({ ok: false, retryable: false });

    expect(event.payload.summary.length).toBeLessThanOrEqual(PAGERDUTY_LIMITS.summary);
    expect((await post(pd.enqueueURL, event)).status).toBe(202);
    expect(pd.count(event.dedup_key)).toBe(1);
  });

  it.each([
    ['a missing routing_key', { routing_key: undefined }],
    ['a missing event_action', { event_action: undefined }],
    ['a bad severity', { payload: { summary: 's', source: 'x', severity: 'fatal' } }],
  ])('refuses %s with 400 invalid event', async (_, patch) => {
    const event = { ...buildPagerDutyEvent(load('notification-firing.json'), { routingKey: KEY, now: NOW }), ...patch };
    const res = await post(pd.enqueueURL, event);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { status: string }).status).toBe('invalid event');
  });

  it('answers 429 with Retry-After when asked, then accepts the retry', async () => {
    const event = buildPagerDutyEvent(load('notification-resolved.json'), { routingKey: KEY, now: NOW });
    pd.failNext(1, { status: 429, retryAfterSeconds: 7 });
    const throttled = await post(pd.enqueueURL, event);
    expect(throttled.status).toBe(429);
    expect(classifyResponse(throttled.status, throttled.headers)).toEqual({
      ok: false,
      retryable: true,
      retryAfterMs: 7000,
    });
    pd.failNext(1, { status: 503 });
    expect(classifyResponse((await post(pd.enqueueURL, event)).status)).toEqual({ ok: false, retryable: true });
    expect(pd.count(event.dedup_key)).toBe(0);
    expect((await post(pd.enqueueURL, event)).status).toBe(202);
    expect(pd.count(event.dedup_key)).toBe(1);
  });
});

describe('Slack fake', () => {
  let slack: SlackFake;
  beforeAll(async () => {
    slack = await startSlackFake();
  });
  afterAll(async () => {
    await slack.stop();
  });

  it('accepts the firing and resolved messages', async () => {
    for (const file of ['notification-firing.json', 'notification-resolved.json']) {
      const res = await post(slack.webhookURL, buildSlackMessage(load(file), { now: NOW }));
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('ok');
    }
    expect(slack.counts()).toEqual({
      '🚨 CRITICAL: HighLatency: p99 latency above 500ms on checkout': 1,
      '✅ RESOLVED: DiskFilling: DiskFilling': 1,
    });
  });

  it('refuses blocks over the limits, and accepts the builder’s message for the same huge input', async () => {
    const n = load('notification-firing.json');
    const huge = 'x'.repeat(10000);
    n.commonLabels.alertname = huge;
    n.commonAnnotations.description = huge;
    n.alerts = Array.from({ length: 300 }, (_, i) => ({
      ...n.alerts[0],
      fingerprint: String(i),
      labels: { pod: `${huge}-${i}` },
    }));
    const built = buildSlackMessage(n, { now: NOW });
    const raw = {
      text: 'raw',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: huge } },
        ...n.alerts.map((a) => ({ type: 'section', text: { type: 'mrkdwn', text: a.labels.pod } })),
      ],
    };
    const refused = await post(slack.webhookURL, raw);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toBe('invalid_blocks');
    expect((await post(slack.webhookURL, built)).status).toBe(200);
  });

  it.each([
    [
      'a 151-character header',
      (b: Block[]) => (b[0] = { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }),
    ],
    [
      'a 3001-character section',
      (b: Block[]) => b.push({ type: 'section', text: { type: 'mrkdwn', text: 's'.repeat(3001) } }),
    ],
    [
      '11 fields',
      (b: Block[]) =>
        b.push({ type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' })) }),
    ],
    [
      'a 76-character button',
      (b: Block[]) =>
        b.push({
          type: 'actions',
          elements: [{ type: 'button', text: { type: 'plain_text', text: 'b'.repeat(76) }, url: 'http://x' }],
        }),
    ],
  ])('refuses %s with invalid_blocks', async (_, spoil) => {
    const message = buildSlackMessage(load('notification-firing.json'), { now: NOW });
    spoil(message.attachments[0].blocks as Block[]);
    const res = await post(slack.webhookURL, message);
    expect([res.status, await res.text()]).toEqual([400, 'invalid_blocks']);
  });

  it('refuses a body that is not JSON with invalid_payload and an empty one with no_text', async () => {
    const bad = await fetch(slack.webhookURL, { method: 'POST', body: 'not json' });
    expect([bad.status, await bad.text()]).toEqual([400, 'invalid_payload']);
    const empty = await post(slack.webhookURL, { attachments: [] });
    expect([empty.status, await empty.text()]).toEqual([400, 'no_text']);
    const elsewhere = await post(`${slack.url}/api/chat.postMessage`, { text: 'x' });
    expect([elsewhere.status, await elsewhere.text()]).toEqual([404, 'no_service']);
  });

  it('answers 429 with Retry-After when asked', async () => {
    slack.failNext(2, { status: 429, retryAfterSeconds: 1 });
    const message = buildSlackMessage(load('notification-resolved.json'), { now: NOW });
    for (let i = 0; i < 2; i++) {
      const res = await post(slack.webhookURL, message);
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('1');
      expect(classifyResponse(res.status, res.headers).retryAfterMs).toBe(1000);
    }
    expect((await post(slack.webhookURL, message)).status).toBe(200);
    expect(slack.count(message.text)).toBe(2); // once in the first test, once now
  });

  it('stops cleanly and refuses connections afterwards', async () => {
    const other = await startSlackFake();
    await other.stop();
    await other.stop();
    await expect(post(other.webhookURL, { text: 'x' })).rejects.toThrow();
  });
});
