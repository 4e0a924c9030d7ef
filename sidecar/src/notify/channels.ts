/**
 * The channel registry: one sender per configured channel (HTTP for PagerDuty, Slack and webhooks,
 * SMTP for email), the masked view of a channel's target for the API, and the synthetic notification
 * the test-send endpoint pushes through the real payload path.
 */
import { createHash } from 'node:crypto';
import type { ChannelConfig, NotifyConfig } from '../config/notifySchema';
import { createEmailSender } from './email/sender';
import { createSender, type ChannelSender } from './sender';
import type { Notification } from './types';

/** Options of {@link createChannelSenders}. */
export interface ChannelSendersOptions {
  /** Per-request timeout, ms (default: the senders' own, 10 s). */
  timeoutMs?: number;
}

/**
 * Spaces the sends of one Slack webhook by `1 / messagesPerSecond` (Slack allows about one message
 * per second per incoming webhook and answers 429 beyond). `slots` maps a webhook to the earliest
 * time its next message may start; a call takes the next free slot and waits for it, so concurrent
 * calls queue in order. A 429 that still happens is retried by the worker after `Retry-After`.
 */
export function rateLimited(
  send: ChannelSender,
  key: string,
  messagesPerSecond: number,
  slots: Map<string, number> = new Map(),
  clock: () => number = Date.now
): ChannelSender {
  const gapMs = 1000 / messagesPerSecond;
  const limited: ChannelSender = async (payload, signal, meta) => {
    const now = clock();
    const at = Math.max(now, slots.get(key) ?? 0);
    slots.set(key, at + gapMs);
    if (at > now) {
      const waited = await sleep(at - now, signal);
      if (!waited) {
        return { ok: false, retryable: true, error: 'slack: aborted' };
      }
    }
    return send(payload, signal, meta);
  };
  limited.acceptsPayloadText = send.acceptsPayloadText;
  return limited;
}

/** Waits `ms`; resolves false when `signal` aborts first. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) {
    return Promise.resolve(false);
  }
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * One sender per channel name. Two Slack channels posting to the same webhook share its rate slot
 * (Slack limits the webhook, not Vigil's channel).
 */
export function createChannelSenders(
  cfg: NotifyConfig,
  opts: ChannelSendersOptions = {}
): Record<string, ChannelSender> {
  const slackSlots = new Map<string, number>();
  const out: Record<string, ChannelSender> = {};
  for (const ch of cfg.channels) {
    switch (ch.type) {
      case 'pagerduty':
        out[ch.name] = createSender({ kind: 'pagerduty', url: ch.url, routingKey: ch.routingKey }, opts);
        break;
      case 'slack':
        out[ch.name] = rateLimited(
          createSender({ kind: 'slack', webhookURL: ch.webhookURL }, opts),
          ch.webhookURL,
          ch.messagesPerSecond,
          slackSlots
        );
        break;
      case 'email':
        out[ch.name] = createEmailSender(ch, opts);
        break;
      case 'webhook':
        out[ch.name] = createSender({ kind: 'webhook', url: ch.url, secret: ch.secret }, opts);
        break;
    }
  }
  return out;
}

/** Host (and port when given) of a URL: never its path or query, which hold Slack's and webhooks' secrets. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'invalid URL';
  }
}

/** What the API shows of a channel. */
export interface ChannelTargetView {
  name: string;
  type: ChannelConfig['type'];
  /** Where it delivers, without secrets (see `ChannelView.target`). */
  target: string;
  sendResolved: boolean;
}

/**
 * The masked target of a channel (`ChannelView.target`): PagerDuty's and Slack's host, a webhook's
 * host, `smtp-host:port → recipients` for email. Never a routing key, a webhook path or query, a
 * password or user information of a URL.
 */
export function channelTargetView(channel: ChannelConfig): ChannelTargetView {
  let target: string;
  switch (channel.type) {
    case 'pagerduty':
      target = hostOf(channel.url);
      break;
    case 'slack':
      target = hostOf(channel.webhookURL) + (channel.channel ? ` → ${channel.channel}` : '');
      break;
    case 'email':
      target = `${channel.smtp.host}:${channel.smtp.port} → ${channel.to.join(', ')}`;
      break;
    case 'webhook':
      target = hostOf(channel.url);
      break;
  }
  return { name: channel.name, type: channel.type, target, sendResolved: channel.sendResolved };
}

/** Alert name of {@link testNotification}. */
export const TEST_ALERTNAME = 'VigilTestNotification';

/**
 * A synthetic firing info-severity alert for `channel`, sent by `user` at `now` (epoch ms), so a
 * test-send exercises the channel's real payload (templates included). Its group key is fixed per
 * channel, so PagerDuty folds repeated tests into one incident instead of opening one per click.
 */
export function testNotification(channel: ChannelConfig, now: number, user: string, externalURL = ''): Notification {
  const labels = { alertname: TEST_ALERTNAME, severity: 'info', service: 'vigil', channel: channel.name };
  const annotations = {
    summary: `Test notification for channel "${channel.name}", sent by ${user || 'unknown user'}`,
    description: 'This is a test of the notification channel from Vigil. No action is needed.',
  };
  const fingerprint = createHash('sha256').update(JSON.stringify(labels)).digest('hex').slice(0, 16);
  return {
    groupKey: `{}/vigil-test:{channel=${JSON.stringify(channel.name)}}`,
    status: 'firing',
    receiver: channel.name,
    groupLabels: { alertname: TEST_ALERTNAME },
    commonLabels: labels,
    commonAnnotations: annotations,
    alerts: [
      {
        status: 'firing',
        labels,
        annotations,
        startsAt: new Date(now).toISOString(),
        endsAt: null,
        fingerprint,
        value: null,
        threshold: null,
      },
    ],
    externalURL,
  };
}
