// The channel registry against the loopback PagerDuty and Slack fakes, a webhook sink and a real SMTP
// server: every channel type sends the test notification through its real payload path.
import { createHmac } from 'node:crypto';
import {
  startPagerDutyFake,
  startSlackFake,
  startSmtpServer,
  type LoopbackServer,
  type PagerDutyFake,
  type SlackFake,
  type SmtpServerHandle,
} from '../../../test/harness';
import { startWebhookSink } from '../../../test/harness/loopback';
import type { ChannelConfig, NotifyConfig } from '../config/notifySchema';
import { defaultRouteTree } from '@vigil/core';
import { channelTargetView, createChannelSenders, rateLimited, TEST_ALERTNAME, testNotification } from './channels';
import { channelPayload } from './payloads';
import type { ChannelSender, SendResult } from './sender';

const NOW = Date.parse('2026-12-07T02:10:00Z');
const PD_KEY = 'R0UTINGKEY-channels-test-0000001';
const HMAC = 'hmac-secret-for-tests';
const PASSWORD = 'smtp-Secret-pw';
const never = new AbortController().signal;

let pd: PagerDutyFake;
let slack: SlackFake;
let hook: LoopbackServer;
let smtp: SmtpServerHandle;
let channels: ChannelConfig[];

beforeAll(async () => {
  [pd, slack, hook, smtp] = await Promise.all([
    startPagerDutyFake(),
    startSlackFake(),
    startWebhookSink(),
    startSmtpServer({ username: 'vigil', password: PASSWORD }),
  ]);
  channels = [
    {
      name: 'pd',
      type: 'pagerduty',
      sendResolved: true,
      url: pd.enqueueURL,
      routingKey: PD_KEY,
      title: '{{name}} for {{service}}',
    },
    {
      name: 'slack',
      type: 'slack',
      sendResolved: true,
      webhookURL: slack.webhookURL,
      channel: '#alerts',
      messagesPerSecond: 50,
    },
    {
      name: 'mail',
      type: 'email',
      sendResolved: true,
      from: 'vigil@example.com',
      to: ['ops@example.com'],
      smtp: {
        host: smtp.host,
        port: smtp.port,
        secure: false,
        requireTLS: true,
        rejectUnauthorized: false,
        username: 'vigil',
        password: PASSWORD,
      },
    },
    {
      name: 'hook',
      type: 'webhook',
      sendResolved: false,
      url: `${hook.url}/hook?token=T0KEN`,
      secret: HMAC,
      maxAlerts: 0,
    },
  ];
});
afterAll(() => Promise.all([pd?.stop(), slack?.stop(), hook?.stop(), smtp?.stop()]));

function config(chs: ChannelConfig[] = channels): NotifyConfig {
  return {
    channels: chs,
    route: defaultRouteTree({}),
    inhibitRules: [],
    timeIntervals: {},
    delivery: { maxAgeMs: 3_600_000, timeoutMs: 5000 },
  };
}

describe('createChannelSenders', () => {
  it('sends the test notification to every channel type through its real payload', async () => {
    const senders = createChannelSenders(config(), { timeoutMs: 5000 });
    expect(Object.keys(senders).sort()).toEqual(['hook', 'mail', 'pd', 'slack']);
    for (const ch of channels) {
      const n = testNotification(ch, NOW, 'alice');
      const result = await senders[ch.name](channelPayload(ch, n, NOW), never);
      expect([ch.name, result]).toEqual([ch.name, { ok: true, retryable: false }]);
    }
    const event = pd.received()[0].body as { routing_key: string; payload: { summary: string; severity: string } };
    expect(event.routing_key).toBe(PD_KEY);
    expect(event.payload).toMatchObject({ summary: `[FIRING:1] ${TEST_ALERTNAME} for vigil`, severity: 'info' });
    const message = slack.received()[0].body as { text: string; channel: string };
    expect(message.channel).toBe('#alerts');
    expect(message.text).toContain('sent by alice');
    const [mail] = smtp.messages();
    expect(mail.subject).toBe(`[INFO] ${TEST_ALERTNAME}`);
    expect(mail.text).toContain('Test notification for channel "mail", sent by alice');
    const webhook = hook.received()[0];
    expect(webhook.path).toBe('/hook?token=T0KEN');
    expect(webhook.headers['x-vigil-signature']).toBe(
      `sha256=${createHmac('sha256', HMAC).update(webhook.raw).digest('hex')}`
    );
    expect((webhook.body as { commonLabels: Record<string, string> }).commonLabels.alertname).toBe(TEST_ALERTNAME);
  });

  it('spaces the messages of one Slack webhook, shared by the channels that post to it', async () => {
    const before = slack.received().length;
    const senders = createChannelSenders(config([channels[1], { ...channels[1], name: 'slack-2' } as ChannelConfig]));
    const texts = ['one', 'two', 'three', 'four'];
    const start = Date.now();
    const results = await Promise.all(
      texts.map((text, i) => senders[i % 2 === 0 ? 'slack' : 'slack-2']({ text, attachments: [] }, never))
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(
      slack
        .received()
        .slice(before)
        .map((r) => (r.body as { text: string }).text)
        .sort()
    ).toEqual([...texts].sort());
    // One slot every 1/50 s for the webhook, not per channel: the fourth starts 60 ms after the first
    // at the earliest (per channel it would have been 20 ms). A lower bound, so load cannot break it.
    expect(Date.now() - start).toBeGreaterThanOrEqual(59);
  });
});

describe('rateLimited', () => {
  /** A sender that records when it was called. */
  function recorder(): { send: ChannelSender; calls: Array<{ payload: unknown; at: number }> } {
    const calls: Array<{ payload: unknown; at: number }> = [];
    return {
      calls,
      send: async (payload): Promise<SendResult> => {
        calls.push({ payload, at: Date.now() });
        return { ok: true, retryable: false };
      },
    };
  }

  it('reserves one slot per message and waits for it', async () => {
    const { send, calls } = recorder();
    const slots = new Map<string, number>();
    const limited = rateLimited(send, 'hook', 20, slots);
    const start = Date.now();
    await Promise.all([1, 2, 3].map((i) => limited(i, never)));
    expect(calls.map((c) => c.payload)).toEqual([1, 2, 3]);
    // Slots are 50 ms apart; a timer never fires early, so each call starts at or after its slot.
    expect(calls[1].at - start).toBeGreaterThanOrEqual(49);
    expect(calls[2].at - start).toBeGreaterThanOrEqual(99);
    expect(slots.get('hook')).toBeGreaterThanOrEqual(start + 150);
  });

  it('does not wait across different webhooks', async () => {
    const { send, calls } = recorder();
    const slots = new Map<string, number>();
    let t = 1000;
    const clock = () => t;
    await rateLimited(send, 'a', 1, slots, clock)('a', never);
    await rateLimited(send, 'b', 1, slots, clock)('b', never);
    expect(calls.map((c) => c.payload)).toEqual(['a', 'b']);
    expect(Object.fromEntries(slots)).toEqual({ a: 2000, b: 2000 });
    t = 5000; // long after: no wait, the slot moves on from now
    await rateLimited(send, 'a', 1, slots, clock)('a2', never);
    expect(slots.get('a')).toBe(6000);
  });

  it('gives up waiting when the worker stops', async () => {
    const { send, calls } = recorder();
    const slots = new Map([['hook', Date.now() + 60_000]]);
    const stop = new AbortController();
    const pending = rateLimited(send, 'hook', 1, slots)('late', stop.signal);
    stop.abort();
    expect(await pending).toEqual({ ok: false, retryable: true, error: 'slack: aborted' });
    expect(calls).toEqual([]);
  });
});

describe('channelTargetView', () => {
  it('shows where a channel delivers and never a secret', () => {
    const views = channels.map(channelTargetView);
    expect(views).toEqual([
      { name: 'pd', type: 'pagerduty', target: `127.0.0.1:${pd.port}`, sendResolved: true },
      { name: 'slack', type: 'slack', target: `127.0.0.1:${slack.port} → #alerts`, sendResolved: true },
      { name: 'mail', type: 'email', target: `127.0.0.1:${smtp.port} → ops@example.com`, sendResolved: true },
      { name: 'hook', type: 'webhook', target: `127.0.0.1:${hook.port}`, sendResolved: false },
    ]);
    const real: ChannelConfig[] = [
      {
        name: 'p',
        type: 'pagerduty',
        sendResolved: true,
        url: 'https://events.pagerduty.com/v2/enqueue',
        routingKey: PD_KEY,
      },
      {
        name: 's',
        type: 'slack',
        sendResolved: true,
        webhookURL: 'https://hooks.slack.com/services/T0/B0/S3CR3T',
        messagesPerSecond: 1,
      },
      {
        name: 'w',
        type: 'webhook',
        sendResolved: true,
        url: 'https://user:S3CR3T@hooks.example.com:8443/p/S3CR3T?k=S3CR3T',
        maxAlerts: 0,
      },
    ];
    expect(real.map((c) => channelTargetView(c).target)).toEqual([
      'events.pagerduty.com',
      'hooks.slack.com',
      'hooks.example.com:8443',
    ]);
    const text = JSON.stringify([...views, ...real.map(channelTargetView)]);
    for (const secret of [PD_KEY, 'S3CR3T', PASSWORD, HMAC, 'T0KEN', '/services/']) {
      expect(text).not.toContain(secret);
    }
  });
});

describe('testNotification', () => {
  it('is one firing info alert naming the user, with a group key fixed per channel', () => {
    const a = testNotification(channels[0], NOW, 'alice');
    const b = testNotification(channels[0], NOW + 60_000, 'bob');
    expect(a).toMatchObject({
      status: 'firing',
      receiver: 'pd',
      commonLabels: { alertname: TEST_ALERTNAME, severity: 'info' },
    });
    expect(a.alerts).toHaveLength(1);
    expect(a.alerts[0].startsAt).toBe('2026-12-07T02:10:00.000Z');
    expect(a.commonAnnotations.summary).toContain('alice');
    expect(b.commonAnnotations.summary).toContain('bob');
    expect(a.groupKey).toBe(b.groupKey);
    expect(testNotification(channels[1], NOW, 'alice').groupKey).not.toBe(a.groupKey);
  });
});
