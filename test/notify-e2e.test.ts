// End to end, with real parts: the real Alertmanager (Debian package) delivers to Vigil's receiver
// (`/api/v1/receivers/alertmanager`, bearer token through `http_config.authorization`); the sidecar, a
// real child process on SQLite, routes by the guide's severity tree (critical → PagerDuty + Slack +
// email at once) and delivers to loopback PagerDuty and Slack servers that check the bodies against
// the documented formats, and to a real SMTP server (smtp-server) with STARTTLS and auth. Each channel
// must get exactly one trigger with the expected content, then exactly one resolve. A Grafana-shaped
// webhook on `/api/v1/receivers/grafana` must route the same way.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import {
  pushAlerts,
  startAlertmanager,
  startPagerDutyFake,
  startSlackFake,
  waitFor,
  type AlertmanagerHandle,
  type PagerDutyFake,
  type SlackFake,
} from './harness';
import { guideRoute, listNotifications, postToReceiver, waitOutboxSettled } from './harness/notify';
import { startSidecar, type SidecarHandle } from './harness/sidecar';
import { startSmtpServer, type SmtpServerHandle } from './harness/smtp';

jest.setTimeout(120_000);

const ROUTING_KEY = 'R0UTINGKEYe2e0000000000000000000';
const SMTP_USER = 'vigil';
const SMTP_PASSWORD = 'e2e-smtp-password';
const MAIL_FROM = 'vigil@127.0.0.1';
const MAIL_TO = 'oncall@127.0.0.1';

let pd: PagerDutyFake;
let slack: SlackFake;
let smtp: SmtpServerHandle;
let sc: SidecarHandle;
let am: AlertmanagerHandle;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-notify-e2e-'));
  pd = await startPagerDutyFake();
  slack = await startSlackFake();
  smtp = await startSmtpServer({ username: SMTP_USER, password: SMTP_PASSWORD });
  sc = await startSidecar({
    dir,
    config: {
      log: { level: 'warn' },
      notify: {
        externalURL: 'http://127.0.0.1:3000/a/vigil-app',
        channels: [
          { name: 'pagerduty', type: 'pagerduty', url: pd.enqueueURL, routingKey: ROUTING_KEY },
          { name: 'slack', type: 'slack', webhookURL: slack.webhookURL, channel: '#alerts' },
          {
            name: 'email',
            type: 'email',
            from: MAIL_FROM,
            to: [MAIL_TO],
            smtp: {
              host: '127.0.0.1',
              port: smtp.port,
              requireTLS: true,
              // The test server's certificate is self-signed.
              rejectUnauthorized: false,
              username: SMTP_USER,
              password: SMTP_PASSWORD,
            },
          },
        ],
        route: guideRoute(
          { pagerduty: 'pagerduty', slack: 'slack', email: 'email' },
          { groupWait: '1s', groupInterval: '1s' }
        ),
      },
    },
  });
  am = await startAlertmanager({
    config: stringify({
      route: {
        receiver: 'vigil',
        group_by: ['alertname'],
        group_wait: '1s',
        group_interval: '1s',
        repeat_interval: '1h',
      },
      receivers: [
        {
          name: 'vigil',
          webhook_configs: [
            {
              url: `${sc.url}/api/v1/receivers/alertmanager`,
              send_resolved: true,
              http_config: { authorization: { type: 'Bearer', credentials: sc.token } },
            },
          ],
        },
      ],
    }),
  });
});

afterAll(async () => {
  await am?.stop();
  await sc?.stop(5000);
  await Promise.all([pd?.stop(), slack?.stop(), smtp?.stop()]);
  if (dir) {
    rmSync(dir, { recursive: true, force: true });
  }
});

type Obj = Record<string, any>;

/** PagerDuty events (accepted or not) about alert `name`, in arrival order. */
function pdEvents(name: string): Array<{ status: number; body: Obj }> {
  return pd
    .received()
    .map((r) => ({ status: r.status, body: r.body as Obj }))
    .filter((e) => JSON.stringify(e.body?.payload?.custom_details?.alerts ?? '').includes(`"alertname":"${name}"`));
}

/** Slack messages about alert `name` (header `🚨 CRITICAL: name` / `✅ RESOLVED: name`). */
function slackMessages(name: string): Array<{ status: number; body: Obj; header: string }> {
  return slack
    .received()
    .map((r) => {
      const body = r.body as Obj;
      return { status: r.status, body, header: String(body?.attachments?.[0]?.blocks?.[0]?.text?.text ?? '') };
    })
    .filter((m) => m.header.endsWith(`: ${name}`));
}

function mails(name: string) {
  return smtp.messages().filter((m) => m.subject.startsWith(`[CRITICAL] ${name}`));
}

/** Waits until every channel has `n` notifications about `name`. */
async function waitForAll(name: string, n: number, what: string): Promise<void> {
  await waitFor(
    `${what} of ${name} at PagerDuty, Slack and SMTP`,
    async () => pdEvents(name).length >= n && slackMessages(name).length >= n && mails(name).length >= n,
    30_000,
    100
  );
}

/** The fields of the guide's Slack message: `*Service:* checkout` → { Service: 'checkout' }. */
function slackFields(body: Obj): Record<string, string> {
  const section = (body.attachments[0].blocks as Obj[]).find((b) => b.type === 'section' && b.fields);
  return Object.fromEntries(
    (section?.fields as Obj[]).map((f) => {
      const m = /^\*([^*]+):\* (.*)$/s.exec(String(f.text));
      return m ? [m[1], m[2]] : [String(f.text), ''];
    })
  );
}

function slackButtons(body: Obj): Record<string, string> {
  const actions = (body.attachments[0].blocks as Obj[]).find((b) => b.type === 'actions');
  return Object.fromEntries(((actions?.elements ?? []) as Obj[]).map((e) => [e.text.text, e.url]));
}

const RUNBOOK = 'http://127.0.0.1:3000/runbooks/checkout-latency';
const DASHBOARD = 'http://127.0.0.1:3000/d/checkout?var-service=checkout';

describe('Alertmanager → Vigil → PagerDuty, Slack and email', () => {
  const name = 'CheckoutLatencyE2E';
  const labels = {
    alertname: name,
    severity: 'critical',
    service: 'checkout',
    instance: 'web-1:9100',
    component: 'api',
    job: 'checkout',
  };
  const annotations = {
    summary: 'p99 latency above 500ms on checkout',
    description: 'Checkout p99 latency is 812ms (threshold 500ms).',
    runbook_url: RUNBOOK,
    dashboard_url: DASHBOARD,
  };
  const startsAt = new Date(Date.now() - 5 * 60_000).toISOString();
  let dedupKey = '';

  it('delivers one trigger to each channel, with the documented bodies', async () => {
    await pushAlerts(am.url, [{ labels, annotations, startsAt }]);
    await waitForAll(name, 1, 'the trigger');
    await waitOutboxSettled(sc);

    // PagerDuty Events v2: one accepted trigger (the fake answers 400 to a body off the schema).
    const events = pdEvents(name);
    expect(events.map((e) => [e.status, e.body.event_action])).toEqual([[202, 'trigger']]);
    const ev = events[0].body;
    expect(ev.routing_key).toBe(ROUTING_KEY);
    expect(ev.dedup_key).toMatch(/^[0-9a-f]{64}$/);
    dedupKey = ev.dedup_key;
    expect(Array.from(ev.payload.summary as string).length).toBeLessThanOrEqual(1024);
    expect(ev.payload.summary).toContain(annotations.summary);
    expect(ev.payload).toMatchObject({
      severity: 'critical',
      source: 'web-1:9100',
      component: 'checkout',
      group: 'api',
      class: 'metric',
    });
    expect(Object.keys(ev.payload.custom_details)).toEqual(
      expect.arrayContaining(['value', 'threshold', 'duration', 'runbook', 'dashboard'])
    );
    expect(ev.payload.custom_details).toMatchObject({ runbook: RUNBOOK, dashboard: DASHBOARD });
    expect(ev.links).toEqual(
      expect.arrayContaining([
        { href: DASHBOARD, text: 'View Dashboard' },
        { href: RUNBOOK, text: 'View Runbook' },
      ])
    );

    // Slack: the guide's Block Kit message (the fake answers 400 invalid_blocks past Block Kit's limits).
    const messages = slackMessages(name);
    expect(messages.map((m) => [m.status, m.header])).toEqual([[200, `🚨 CRITICAL: ${name}`]]);
    const msg = messages[0].body;
    expect(msg.attachments[0].color).toBe('#FF0000');
    expect(msg.channel).toBe('#alerts');
    const fields = slackFields(msg);
    expect(Object.keys(fields)).toEqual(['Service', 'Current Value', 'Threshold', 'Duration']);
    expect(fields.Service).toBe('checkout');
    const texts = (msg.attachments[0].blocks as Obj[]).map((b) => b.text?.text);
    expect(texts).toContain(`*Description:* ${annotations.description}`);
    expect(slackButtons(msg)).toEqual({ 'View Dashboard': DASHBOARD, 'View Runbook': RUNBOOK });

    // Email over STARTTLS with auth: subject [SEVERITY] name, text and HTML bodies.
    const [mail, ...more] = mails(name);
    expect(more).toHaveLength(0);
    expect(mail.subject).toBe(`[CRITICAL] ${name}`);
    expect(mail.from).toContain(MAIL_FROM);
    expect(mail.to).toEqual([MAIL_TO]);
    expect(mail.secure).toBe(true);
    expect(mail.user).toBe(SMTP_USER);
    expect(mail.text).toContain(annotations.summary);
    expect(mail.html).toContain(annotations.summary);
    expect(mail.html).toContain(`href="${RUNBOOK}"`);
  });

  it('delivers one resolve to each channel when Alertmanager resolves the alert', async () => {
    await pushAlerts(am.url, [{ labels, annotations, startsAt, endsAt: new Date(Date.now() - 1000).toISOString() }]);
    await waitForAll(name, 2, 'the resolve');
    await waitOutboxSettled(sc);

    const events = pdEvents(name);
    expect(events.map((e) => [e.status, e.body.event_action, e.body.dedup_key])).toEqual([
      [202, 'trigger', dedupKey],
      [202, 'resolve', dedupKey],
    ]);
    const messages = slackMessages(name);
    expect(messages.map((m) => [m.status, m.header])).toEqual([
      [200, `🚨 CRITICAL: ${name}`],
      [200, `✅ RESOLVED: ${name}`],
    ]);
    expect(messages[1].body.attachments[0].color).toBe('#36A64F');
    expect(mails(name).map((m) => m.subject)).toEqual([`[CRITICAL] ${name}`, `[CRITICAL] ${name} RESOLVED`]);

    // The log shows three sent notifications per state, nothing failed.
    const sent = (await listNotifications(sc, { status: 'sent' })).filter((n) => n.summary.includes(name));
    expect(sent.map((n) => n.channel).sort()).toEqual(['email', 'email', 'pagerduty', 'pagerduty', 'slack', 'slack']);
    expect(await listNotifications(sc, { status: 'failed' })).toEqual([]);
  });
});

describe('a Grafana webhook routes the same way', () => {
  const name = 'DiskFullGrafanaE2E';
  const alert = (status: 'firing' | 'resolved') => ({
    status,
    labels: { alertname: name, severity: 'critical', service: 'storage', host: 'db-1', grafana_folder: 'Infra' },
    annotations: { summary: 'disk / on db-1 is 97% full' },
    startsAt: new Date(Date.now() - 60_000).toISOString(),
    endsAt: status === 'resolved' ? new Date().toISOString() : '0001-01-01T00:00:00Z',
    generatorURL: 'http://127.0.0.1:3000/alerting/grafana/disk/view',
    fingerprint: '4d1f9a0c3b2e8d71',
    silenceURL: 'http://127.0.0.1:3000/alerting/silence/new',
    dashboardURL: 'http://127.0.0.1:3000/d/storage',
    panelURL: 'http://127.0.0.1:3000/d/storage?viewPanel=3',
    values: { B: 97.25 },
    valueString: "[ var='B' labels={host=db-1} value=97.25 ]",
  });
  const body = (status: 'firing' | 'resolved') => ({
    receiver: 'vigil',
    status,
    orgId: 1,
    alerts: [alert(status)],
    groupLabels: { alertname: name },
    commonLabels: alert(status).labels,
    commonAnnotations: alert(status).annotations,
    externalURL: 'http://127.0.0.1:3000/',
    version: '1',
    groupKey: `{}:{alertname="${name}"}`,
    truncatedAlerts: 0,
    title: `[${status.toUpperCase()}:1] ${name}`,
    state: status === 'firing' ? 'alerting' : 'ok',
    message: `${status} ${name}`,
  });

  it('delivers the trigger and the resolve to PagerDuty, Slack and email', async () => {
    const fired = await postToReceiver(sc, 'grafana', body('firing'));
    expect(fired).toEqual({ status: 200, body: { accepted: 1 } });
    await waitForAll(name, 1, 'the trigger');
    const resolved = await postToReceiver(sc, 'grafana', body('resolved'));
    expect(resolved).toEqual({ status: 200, body: { accepted: 1 } });
    await waitForAll(name, 2, 'the resolve');
    await waitOutboxSettled(sc);

    const events = pdEvents(name);
    expect(events.map((e) => [e.status, e.body.event_action])).toEqual([
      [202, 'trigger'],
      [202, 'resolve'],
    ]);
    expect(events[1].body.dedup_key).toBe(events[0].body.dedup_key);
    expect(events[0].body.payload).toMatchObject({ severity: 'critical', component: 'storage' });
    const messages = slackMessages(name);
    expect(messages.map((m) => m.header)).toEqual([`🚨 CRITICAL: ${name}`, `✅ RESOLVED: ${name}`]);
    // Grafana's single query value is the alert's value; its dashboardURL becomes the dashboard button.
    expect(slackFields(messages[0].body)['Current Value']).toBe('97.25');
    expect(slackButtons(messages[0].body)['View Dashboard']).toBe('http://127.0.0.1:3000/d/storage');
    expect(mails(name).map((m) => m.subject)).toEqual([`[CRITICAL] ${name}`, `[CRITICAL] ${name} RESOLVED`]);
  });
});
