// The summary line of each channel's stored body, built by the real payload builders from the golden
// notifications (notify/testdata), so a change in a builder's shape shows up here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChannelConfig } from '../config/notifySchema';
import { channelPayload } from '../notify/payloads';
import type { Notification } from '../notify/types';
import { MAX_SUMMARY, notificationSummary } from './notificationSummary';

const NOW = Date.parse('2026-12-07T02:10:00Z');
const load = (name: string): Notification =>
  JSON.parse(readFileSync(join(__dirname, '..', 'notify', 'testdata', name), 'utf8')) as Notification;

const common = { sendResolved: true };
const CHANNELS: ChannelConfig[] = [
  { ...common, name: 'pd', type: 'pagerduty', url: 'http://127.0.0.1:1/v2/enqueue', routingKey: 'secret-key' },
  { ...common, name: 'slack', type: 'slack', webhookURL: 'http://127.0.0.1:1/services/x', messagesPerSecond: 1 },
  {
    ...common,
    name: 'mail',
    type: 'email',
    from: 'vigil@example.com',
    to: ['oncall@example.com'],
    smtp: { host: '127.0.0.1', port: 25, secure: false, requireTLS: false, rejectUnauthorized: true },
  },
  { ...common, name: 'hook', type: 'webhook', url: 'http://127.0.0.1:1/hook', maxAlerts: 0 },
];

describe('notificationSummary', () => {
  it.each(CHANNELS.map((c) => [c.type, c] as const))('%s: firing and resolved groups', (_type, channel) => {
    expect(notificationSummary(channelPayload(channel, load('notification-firing.json'), NOW))).toBe(
      '[FIRING:2] HighLatency'
    );
    expect(notificationSummary(channelPayload(channel, load('notification-resolved.json'), NOW))).toBe(
      '[RESOLVED] DiskFilling'
    );
  });

  it('a single firing alert counts one on every channel', () => {
    const n = load('notification-firing.json');
    n.alerts = n.alerts.slice(0, 1);
    for (const channel of CHANNELS) {
      expect({ type: channel.type, s: notificationSummary(channelPayload(channel, n, NOW)) }).toEqual({
        type: channel.type,
        s: '[FIRING:1] HighLatency',
      });
    }
  });

  it('falls back to the body title when a title template changed it', () => {
    const n = load('notification-firing.json');
    const slack = { ...CHANNELS[1], title: 'Page: {{name}}' } as ChannelConfig;
    expect(notificationSummary(channelPayload(slack, n, NOW))).toMatch(/Page: HighLatency$/);
    const mail = { ...CHANNELS[2], title: '{{name}} is broken' } as ChannelConfig;
    expect(notificationSummary(channelPayload(mail, n, NOW))).toBe('[FIRING:2] HighLatency');
  });

  it('never throws, and bounds its answer', () => {
    for (const p of [null, 42, 'x', [], {}, { event_action: 'trigger' }, { attachments: 'x' }, { subject: 7 }]) {
      expect(notificationSummary(p)).toBe('(unreadable payload)');
    }
    const long = notificationSummary({ subject: 'x'.repeat(5000), text: '' });
    expect(long.length).toBe(MAX_SUMMARY);
  });
});
