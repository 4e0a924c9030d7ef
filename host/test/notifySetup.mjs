/**
 * What the Notifications page's browser case needs around the sidecar: a loopback webhook sink (one
 * path accepts, one refuses), the sidecar's `notify` section pointing at it, and a wait for the
 * refused notification to be marked failed (the page's failed-notification log then has a row).
 */
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { WAIT_MS } from './ruleCases.mjs';

/** The channel that delivers (every alert, and the test-send). */
export const WEBHOOK_CHANNEL = 'browser-webhook';
/** The channel whose endpoint answers 400: its notifications are failed at once (a 4xx is permanent). */
export const REFUSING_CHANNEL = 'browser-refusing';

/**
 * A loopback webhook receiver (Alertmanager-v4 bodies from the sidecar's webhook channels): `url`
 * answers 200, `refuseUrl` 400; both record what arrived. The URLs carry a random path segment, the
 * part of a webhook URL that is a secret, so the test can check the page never shows it.
 * @returns {Promise<{ url: string, refuseUrl: string, secret: string,
 *   received: Array<{ path: string, status: number, body: string }>, stop(): Promise<void> }>}
 */
export async function startWebhookSink() {
  const secret = randomBytes(12).toString('hex');
  const received = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const refuse = (req.url ?? '').startsWith('/refuse/');
      const status = refuse ? 400 : 200;
      received.push({ path: req.url ?? '', status, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(refuse ? 'refused by the browser test' : 'ok');
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/hook/${secret}`,
    refuseUrl: `http://127.0.0.1:${port}/refuse/${secret}`,
    secret,
    received,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * The sidecar's `notify` section for the browser test: the two webhook channels; a tree whose root
 * delivers, with a child for critical alerts (continue), one sending the always-firing rule's alerts
 * (`service="browser-test"`) to the refusing channel too, and one muted during a time interval that is
 * always in force; an inhibition rule — so every part of the page shows something.
 */
export function notifyConfig(sink) {
  return {
    channels: [
      { name: WEBHOOK_CHANNEL, type: 'webhook', url: sink.url },
      { name: REFUSING_CHANNEL, type: 'webhook', url: sink.refuseUrl },
    ],
    route: {
      receiver: WEBHOOK_CHANNEL,
      groupBy: ['alertname'],
      groupWait: '1s',
      groupInterval: '5m',
      repeatInterval: '4h',
      routes: [
        { matchers: ['severity="critical"'], receiver: WEBHOOK_CHANNEL, continue: true },
        { matchers: ['service="browser-test"'], receiver: REFUSING_CHANNEL, continue: true },
        { matchers: ['service="maintenance"'], receiver: WEBHOOK_CHANNEL, muteTimeIntervals: ['always'] },
      ],
    },
    inhibitRules: [
      { sourceMatchers: ['severity="critical"'], targetMatchers: ['severity="warning"'], equal: ['service'] },
    ],
    timeIntervals: [{ name: 'always', timeIntervals: [{ weekdays: ['sunday:saturday'] }] }],
  };
}

/**
 * Waits until the sidecar lists a failed notification of `channel` (`GET /api/v1/notifications?status=failed`,
 * read with its token) and returns it.
 */
export async function waitForFailed(sidecar, channel, timeoutMs = WAIT_MS) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${sidecar.sidecarUrl}/api/v1/notifications?status=failed&channel=${channel}`, {
        headers: { authorization: `Bearer ${sidecar.sidecarToken}` },
        signal: AbortSignal.timeout(2000),
      });
      const body = await res.json();
      last = `HTTP ${res.status}: ${JSON.stringify(body).slice(0, 300)}`;
      const found = (body.notifications ?? []).find((n) => n.channel === channel);
      if (found) {
        return found;
      }
    } catch (e) {
      last = e.message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no failed notification of ${channel} after ${timeoutMs / 1000} s (last answer: ${last})`);
}
