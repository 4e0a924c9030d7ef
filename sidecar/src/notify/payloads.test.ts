import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChannelConfig } from '../config/notifySchema';
import { buildEmail, type EmailMessage } from './email/payload';
import { buildPagerDutyEvent, type PagerDutyEvent } from './pagerduty/payload';
import { channelPayload } from './payloads';
import { withoutRoutingKey } from './sender';
import { buildSlackMessage, type SlackMessage } from './slack/payload';
import type { Notification } from './types';
import { buildWebhookMessage } from './webhook/payload';

const NOW = Date.parse('2026-12-07T02:10:00Z');
const TESTDATA = join(__dirname, 'testdata');

function load(name: string): Notification {
  return JSON.parse(readFileSync(join(TESTDATA, name), 'utf8')) as Notification;
}

/** Compares with a golden file; `UPDATE_GOLDEN=1` rewrites it (review the diff). */
function golden(name: string, actual: string): void {
  const file = join(TESTDATA, name);
  if (process.env.UPDATE_GOLDEN) {
    writeFileSync(file, actual);
  }
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

const TITLE = '{{severityUpper}} {{name}} on {{service}} ({{value}} > {{threshold}})';
const BODY = '{{summary}}\nRunbook: {{runbookURL}}\n{{firingCount}} firing for {{duration}}';
const common = { sendResolved: true, title: TITLE, body: BODY };
const pd: ChannelConfig = {
  ...common,
  name: 'pd',
  type: 'pagerduty',
  url: 'https://events.pagerduty.com/v2/enqueue',
  routingKey: 'k',
};
const slack: ChannelConfig = {
  ...common,
  name: 'slack',
  type: 'slack',
  webhookURL: 'https://hooks.slack.com/x',
  messagesPerSecond: 1,
};
const email: ChannelConfig = {
  ...common,
  name: 'mail',
  type: 'email',
  from: 'a@example.com',
  to: ['b@example.com'],
  smtp: { host: 'smtp.example.com', port: 587, secure: false, requireTLS: false, rejectUnauthorized: true },
};
const webhook: ChannelConfig = {
  ...common,
  name: 'hook',
  type: 'webhook',
  url: 'https://hooks.example.com/x',
  maxAlerts: 0,
};

const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

describe('channelPayload', () => {
  it('without templates, builds exactly what the builders do (the routing key left out)', () => {
    const n = load('notification-firing.json');
    const plain = <T extends ChannelConfig>(c: T): T => ({ ...c, title: undefined, body: undefined });
    expect(channelPayload(plain(pd), n, NOW)).toEqual(
      withoutRoutingKey(buildPagerDutyEvent(n, { routingKey: 'x', now: NOW }))
    );
    expect(channelPayload(plain(slack), n, NOW)).toEqual(buildSlackMessage(n, { now: NOW }));
    expect(channelPayload(plain(email), n, NOW)).toEqual(buildEmail(n, { now: NOW }));
    expect(channelPayload(webhook, n, NOW)).toEqual(buildWebhookMessage(n, 0));
    expect(channelPayload(pd, n, NOW)).not.toHaveProperty('routing_key');
  });

  it('matches the golden templated PagerDuty, Slack and email payloads', () => {
    for (const status of ['firing', 'resolved'] as const) {
      const n = load(`notification-${status}.json`);
      golden(`templated-pagerduty-${status}.json`, json(channelPayload(pd, n, NOW)));
      golden(`templated-slack-${status}.json`, json(channelPayload(slack, n, NOW)));
      const mail = channelPayload(email, n, NOW) as EmailMessage;
      golden(`templated-email-${status}.txt`, `Subject: ${mail.subject}\n\n${mail.text}`);
      golden(`templated-email-${status}.html`, mail.html);
    }
  });

  it('puts the title where each channel shows one and the body in the description', () => {
    const n = load('notification-firing.json');
    const event = channelPayload(pd, n, NOW) as Omit<PagerDutyEvent, 'routing_key'>;
    expect(event.payload.summary).toBe('[FIRING:2] CRITICAL HighLatency on checkout (812.346 > 500)');
    expect(event.payload.custom_details.description).toBe(
      'p99 latency above 500ms on checkout\nRunbook: https://runbooks.example.com/high-latency\n2 firing for 5m 30s'
    );
    const message = channelPayload(slack, n, NOW) as SlackMessage;
    expect(message.attachments[0].blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: '🚨 CRITICAL HighLatency on checkout (812.346 > 500)' },
    });
    expect(JSON.stringify(message.attachments[0].blocks)).toContain(
      '*Description:* p99 latency above 500ms on checkout\\nRunbook:'
    );
    const resolved = channelPayload(slack, load('notification-resolved.json'), NOW) as SlackMessage;
    expect(resolved.attachments[0].blocks[0]).toMatchObject({
      text: { text: expect.stringMatching(/^✅ RESOLVED: WARNING DiskFilling/) },
    });
    const mail = channelPayload(email, n, NOW) as EmailMessage;
    expect(mail.subject).toBe('CRITICAL HighLatency on checkout (812.346 > 500)');
    expect(mail.html).toContain(
      '<p>p99 latency above 500ms on checkout<br>\nRunbook: https://runbooks.example.com/high-latency<br>\n2 firing for 5m 30s</p>'
    );
  });

  it('keeps a title on one line and escapes a body in HTML and Slack mrkdwn', () => {
    const n = load('notification-firing.json');
    n.commonAnnotations.summary = '<b>bold</b> & more';
    const multiline = { title: '{{name}}\r\n{{service}}', body: '{{summary}}' };
    const event = channelPayload({ ...pd, ...multiline }, n, NOW) as Omit<PagerDutyEvent, 'routing_key'>;
    expect(event.payload.summary).toBe('[FIRING:2] HighLatency checkout');
    const message = channelPayload({ ...slack, ...multiline }, n, NOW) as SlackMessage;
    expect(message.attachments[0].blocks[0]).toMatchObject({ text: { text: '🚨 HighLatency checkout' } });
    expect(JSON.stringify(message)).toContain('&lt;b&gt;bold&lt;/b&gt; &amp; more');
    const mail = channelPayload({ ...email, ...multiline }, n, NOW) as EmailMessage;
    expect(mail.subject).toBe('HighLatency checkout');
    expect(mail.html).toContain('<p>&lt;b&gt;bold&lt;/b&gt; &amp; more</p>');
    expect(mail.text).toContain('\n<b>bold</b> & more\n');
  });
});
