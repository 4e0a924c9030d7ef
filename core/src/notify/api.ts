/**
 * Wire types of the notification API (`/api/v1/notify/*`, `/api/v1/silences`, `/api/v1/notifications`),
 * shared by the sidecar and the Grafana page. Times are RFC 3339 strings as in Alertmanager's API;
 * durations are Prometheus duration strings (`30s`, `4h`).
 */
import type { Matcher } from './matchers';
import type { SilenceState } from './silences';

/** Channel kinds. */
export type ChannelType = 'pagerduty' | 'slack' | 'email' | 'webhook';

/** Delivery states of a notification (the outbox). */
export type NotificationState = 'pending' | 'sending' | 'sent' | 'failed';

/** The last notification a channel handled. */
export interface ChannelDelivery {
  at: string;
  status: NotificationState;
  error: string | null;
}

/** A configured channel, secrets masked. */
export interface ChannelView {
  name: string;
  type: ChannelType;
  /** Where it delivers, without secrets: `events.pagerduty.com`, `hooks.slack.com`, `smtp.example.com:587 → a@b`, a webhook's host. */
  target: string;
  sendResolved: boolean;
  lastDelivery: ChannelDelivery | null;
  /** Notifications waiting (pending or sending) and failed. */
  pending: number;
  failed: number;
}

/** `GET /api/v1/notify/channels`. */
export interface ChannelsResponse {
  channels: ChannelView[];
}

/** `POST /api/v1/notify/channels/:name/test`: the channel's answer to a test notification. */
export interface TestSendResponse {
  ok: boolean;
  /** What failed (no secrets). */
  error?: string;
  durationMs: number;
}

/** A route of the tree, every setting resolved. */
export interface RouteView {
  id: string;
  receiver: string | null;
  /** Matchers in Alertmanager's text syntax, e.g. `severity="critical"`. */
  matchers: string[];
  continue: boolean;
  /** Label names, or `['...']` for all labels. */
  groupBy: string[];
  groupWait: string;
  groupInterval: string;
  repeatInterval: string;
  muteTimeIntervals: string[];
  activeTimeIntervals: string[];
  routes: RouteView[];
}

/** One inhibition rule as text matchers. */
export interface InhibitRuleView {
  sourceMatchers: string[];
  targetMatchers: string[];
  equal: string[];
}

/** `GET /api/v1/notify/routing`: the tree, the inhibition rules, and the time intervals with whether each is active now. */
export interface RoutingResponse {
  route: RouteView;
  inhibitRules: InhibitRuleView[];
  timeIntervals: Array<{ name: string; activeNow: boolean }>;
}

/** An aggregation group (`GET /api/v1/notify/groups`). */
export interface GroupView {
  key: string;
  receiver: string;
  groupLabels: Record<string, string>;
  /** Alerts in the group now. */
  alerts: Array<{ fingerprint: string; status: 'firing' | 'resolved'; labels: Record<string, string>; silencedBy: string[]; inhibited: boolean }>;
  lastNotifiedAt: string | null;
  nextFlushAt: string | null;
}

/** `GET /api/v1/notify/groups`. */
export interface GroupsResponse {
  groups: GroupView[];
}

/** `POST /api/v1/silences` body (create; with `id`, replace an existing silence as Alertmanager does). */
export interface SilenceBody {
  id?: string;
  /** Matcher objects, or one string in Alertmanager's syntax: `{alertname="X", severity=~"crit.*"}`. */
  matchers: Matcher[] | string;
  /** Default: now. */
  startsAt?: string;
  endsAt: string;
  comment: string;
}

/** A stored silence. */
export interface SilenceView {
  id: string;
  matchers: Matcher[];
  startsAt: string;
  endsAt: string;
  /** The Grafana user who created it or last replaced it (expiring keeps it; the change log says who expired it). */
  createdBy: string;
  comment: string;
  state: SilenceState;
  updatedAt: string;
}

/** `GET /api/v1/silences`. */
export interface SilencesResponse {
  silences: SilenceView[];
}

/** A field problem in a silence body (`matchers[0].value`, `endsAt`). */
export interface SilenceFieldErrorView {
  field: string;
  message: string;
}

/** One notification of the outbox (`GET /api/v1/notifications?status=&channel=&limit=`). */
export interface NotificationView {
  id: string;
  channel: string;
  groupKey: string;
  status: NotificationState;
  /** `firing` / `resolved` and the alert name, e.g. `[FIRING:2] HighLatency`. */
  summary: string;
  attempts: number;
  createdAt: string;
  nextAttemptAt: string | null;
  sentAt: string | null;
  lastError: string | null;
}

/** `GET /api/v1/notifications`. */
export interface NotificationsResponse {
  notifications: NotificationView[];
}

/** `POST /api/v1/receivers/alertmanager|grafana` answer. */
export interface ReceiverResponse {
  /** Alerts accepted (queued for routing). */
  accepted: number;
}
