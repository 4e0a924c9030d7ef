import { z } from 'zod';
import { parseDuration, type InhibitRule, type RouteConfig, type TimeInterval } from '@vigil/core';

/**
 * The `notify` section: channels, the routing tree, inhibition rules, time intervals and delivery
 * settings. Names follow Alertmanager's configuration in camelCase (`groupWait`, `sendResolved`,
 * `muteTimeIntervals`); matchers use Alertmanager's text syntax (`severity=~"critical|error"`).
 * A secret is given inline, as a file (`…File`) or as the name of an environment variable (`…Env`),
 * exactly one of the three; `notifyResolve.ts` resolves them.
 */

const nonEmpty = z.string().min(1, 'must not be empty');
const channelName = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'expected 1-64 letters, digits, "_", "." or "-"');

/** A Prometheus duration (`30s`, `5m`, `0s` allowed for group_wait), kept as text; resolved to ms later. */
export const durationText = z.string().refine(
  (s) => {
    try {
      parseDuration(s);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'expected a duration such as "30s", "5m" or "4h"' }
);

/** `key`, `keyFile`, `keyEnv`: at most one; `required` channels check that one is set. */
function secret<K extends string>(key: K) {
  return {
    [key]: nonEmpty.optional(),
    [`${key}File`]: nonEmpty.optional(),
    [`${key}Env`]: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name').optional(),
  } as Record<K | `${K}File` | `${K}Env`, z.ZodOptional<z.ZodString>>;
}

const channelCommon = {
  name: channelName,
  /** Send a notification when the group resolves (Alertmanager's send_resolved). */
  sendResolved: z.boolean().default(true),
  /** Title template (`{{name}}`, fields in notify/fields.ts): PagerDuty summary, Slack header, email subject. */
  title: z.string().max(1024).optional(),
  /** Body template: Slack description, email text intro, PagerDuty custom_details.description. */
  body: z.string().max(8192).optional(),
};

const pagerdutyChannel = z.strictObject({
  ...channelCommon,
  type: z.literal('pagerduty'),
  url: z.url({ protocol: /^https?$/ }).default('https://events.pagerduty.com/v2/enqueue'),
  ...secret('routingKey'),
});

const slackChannel = z.strictObject({
  ...channelCommon,
  type: z.literal('slack'),
  ...secret('webhookURL'),
  /** Overrides the webhook's default channel (`#alerts`). */
  channel: z.string().optional(),
  /** Slack allows about one message per second per incoming webhook. */
  messagesPerSecond: z.number().positive().max(100).default(1),
});

const emailChannel = z.strictObject({
  ...channelCommon,
  type: z.literal('email'),
  from: nonEmpty,
  to: z.array(nonEmpty).min(1, 'at least one recipient'),
  smtp: z.strictObject({
    host: nonEmpty,
    port: z.number().int().min(1).max(65535).default(587),
    /** Implicit TLS (port 465); otherwise STARTTLS when the server offers it. */
    secure: z.boolean().default(false),
    /** Refuse to send unless STARTTLS succeeds. */
    requireTLS: z.boolean().default(false),
    /** Verify the server's certificate (turn off only for a test server with a self-signed one). */
    rejectUnauthorized: z.boolean().default(true),
    username: nonEmpty.optional(),
    ...secret('password'),
  }),
});

const webhookChannel = z.strictObject({
  ...channelCommon,
  type: z.literal('webhook'),
  ...secret('url'),
  /** HMAC-SHA256 key of the `X-Vigil-Signature` header. */
  ...secret('secret'),
  /** Alerts per message, 0 for all (Alertmanager's max_alerts). */
  maxAlerts: z.number().int().min(0).default(0),
});

/** One channel (Alertmanager: receiver). */
export const channelSchema = z.discriminatedUnion('type', [pagerdutyChannel, slackChannel, emailChannel, webhookChannel], {
  error: 'expected type "pagerduty", "slack", "email" or "webhook"',
});

/** A route as configured; children inherit unset settings. */
export interface RouteInput {
  receiver?: string;
  matchers?: string[];
  continue?: boolean;
  groupBy?: string[];
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
  muteTimeIntervals?: string[];
  activeTimeIntervals?: string[];
  routes?: RouteInput[];
}

export const routeSchema: z.ZodType<RouteInput> = z.lazy(() =>
  z.strictObject({
    receiver: channelName.optional(),
    matchers: z.array(nonEmpty).optional(),
    continue: z.boolean().optional(),
    groupBy: z.array(nonEmpty).optional(),
    groupWait: durationText.optional(),
    groupInterval: durationText.optional(),
    repeatInterval: durationText.optional(),
    muteTimeIntervals: z.array(nonEmpty).optional(),
    activeTimeIntervals: z.array(nonEmpty).optional(),
    routes: z.array(routeSchema).optional(),
  })
);

const timeRange = z.strictObject({ startTime: nonEmpty, endTime: nonEmpty });
const timeIntervalSpec = z.strictObject({
  times: z.array(timeRange).optional(),
  weekdays: z.array(nonEmpty).optional(),
  daysOfMonth: z.array(nonEmpty).optional(),
  months: z.array(nonEmpty).optional(),
  years: z.array(nonEmpty).optional(),
  /** IANA time zone, default UTC. */
  location: nonEmpty.optional(),
});

/** The whole `notify` section. */
export const notifySchema = z
  .strictObject({
    /** Where links in notifications point (the Grafana app's URL); default: none. */
    externalURL: z.url({ protocol: /^https?$/ }).optional(),
    channels: z.array(channelSchema).default([]),
    /** The routing tree; default: the guide's escalation by severity over the first channel of each type. */
    route: routeSchema.optional(),
    inhibitRules: z
      .array(
        z.strictObject({
          sourceMatchers: z.array(nonEmpty).min(1, 'at least one matcher'),
          targetMatchers: z.array(nonEmpty).min(1, 'at least one matcher'),
          equal: z.array(nonEmpty).default([]),
        })
      )
      .default([]),
    /** Named time intervals for `muteTimeIntervals` / `activeTimeIntervals` (maintenance windows). */
    timeIntervals: z.array(z.strictObject({ name: nonEmpty, timeIntervals: z.array(timeIntervalSpec).min(1) })).default([]),
    delivery: z
      .strictObject({
        /** A notification not delivered within this is marked failed. */
        maxAge: durationText.default('1h'),
        /** Per-request timeout of a channel. */
        timeout: durationText.default('10s'),
      })
      .prefault({}),
  })
  .prefault({});

/** The parsed section (secrets possibly still as files or env names). */
export type RawNotifyConfig = z.infer<typeof notifySchema>;
/** One parsed channel. */
export type RawChannelConfig = RawNotifyConfig['channels'][number];

type Common = { name: string; sendResolved: boolean; title?: string; body?: string };

/** A channel with its secrets resolved (plain strings) — what `Config.notify.channels` holds. */
export type ChannelConfig =
  | (Common & { type: 'pagerduty'; url: string; routingKey: string })
  | (Common & { type: 'slack'; webhookURL: string; channel?: string; messagesPerSecond: number })
  | (Common & {
      type: 'email';
      from: string;
      to: string[];
      smtp: {
        host: string;
        port: number;
        secure: boolean;
        requireTLS: boolean;
        rejectUnauthorized: boolean;
        username?: string;
        password?: string;
      };
    })
  | (Common & { type: 'webhook'; url: string; secret?: string; maxAlerts: number });

/** The resolved `notify` section: secrets read, durations in ms, matchers parsed, names checked. */
export interface NotifyConfig {
  externalURL?: string;
  channels: ChannelConfig[];
  /** The routing tree in core's shape (build it with `buildRouteTree`). */
  route: RouteConfig;
  inhibitRules: InhibitRule[];
  /** Time intervals by name. */
  timeIntervals: Record<string, TimeInterval[]>;
  delivery: { maxAgeMs: number; timeoutMs: number };
}
