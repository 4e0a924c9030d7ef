/**
 * What each channel type stores in the outbox for a notification: the channel's body without secrets
 * (the sender adds PagerDuty's routing key, the Slack/webhook URL, the HMAC signature and the mail
 * envelope at send time). The dispatcher and the test-send endpoint both build bodies here.
 *
 * A channel's `title` and `body` templates (fields of notify/fields.ts, checked by the config loader)
 * shape the human-readable parts: PagerDuty's summary and `custom_details.description`, Slack's header
 * and description, the email subject and intro. Webhooks carry Alertmanager's data and no templates.
 */
import type { ChannelConfig } from '../config/notifySchema';
import { buildEmail } from './email/payload';
import { buildPagerDutyEvent } from './pagerduty/payload';
import { withoutRoutingKey } from './sender';
import { buildSlackMessage } from './slack/payload';
import type { Notification } from './types';
import { buildWebhookMessage } from './webhook/payload';

/** The outbox body of notification `n` for `channel` at `now` (epoch ms). */
export function channelPayload(channel: ChannelConfig, n: Notification, now: number): unknown {
  switch (channel.type) {
    case 'pagerduty':
      // A placeholder key satisfies the builder's check; it is stripped here and the sender adds the real one.
      return withoutRoutingKey(
        buildPagerDutyEvent(n, { routingKey: '-', now, titleTemplate: channel.title, bodyTemplate: channel.body })
      );
    case 'slack':
      return buildSlackMessage(n, {
        now,
        channel: channel.channel,
        titleTemplate: channel.title,
        bodyTemplate: channel.body,
      });
    case 'email':
      return buildEmail(n, { now, subjectTemplate: channel.title, bodyTemplate: channel.body });
    case 'webhook':
      return buildWebhookMessage(n, channel.maxAlerts);
  }
}
