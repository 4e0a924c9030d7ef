// Helpers of the notification tests and benchmark that talk to a running sidecar: the `notify` config
// section (the guide's severity tree with short timers), Alertmanager-v4 and Grafana webhook bodies for
// the receivers, the outbox log and `/metrics`.
import {
  defaultRouteTree,
  formatMatcher,
  type NotificationsResponse,
  type NotificationView,
  type RouteConfig,
} from '@vigil/core';
import { parseMetrics, sumOf } from '../../bench/rules/metricsText';
import { sidecarFetch, type SidecarHandle } from './sidecar';
import { waitFor } from './wait';

/** Timers of a route in the config's text form. */
export interface RouteTimers {
  groupWait: string;
  groupInterval: string;
  repeatInterval?: string;
}

/** A route as the `notify.route` YAML takes it (matchers as text, durations as text). */
export interface RouteYaml {
  receiver?: string;
  matchers?: string[];
  continue?: boolean;
  groupBy?: string[];
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
  routes?: RouteYaml[];
}

function toYaml(r: RouteConfig): RouteYaml {
  const out: RouteYaml = {};
  if (r.receiver) {
    out.receiver = r.receiver;
  }
  if (r.matchers?.length) {
    out.matchers = r.matchers.map(formatMatcher);
  }
  if (r.continue) {
    out.continue = true;
  }
  if (r.groupBy) {
    out.groupBy = r.groupBy;
  }
  if (r.routes?.length) {
    out.routes = r.routes.map(toYaml);
  }
  return out;
}

/**
 * The guide's escalation tree (core's `defaultRouteTree`: critical → PagerDuty + Slack + email, …) as
 * `notify.route` YAML, with the timers given at the root: the default tree keeps Alertmanager's
 * 30 s group_wait, which would make tests wait for nothing.
 */
export function guideRoute(
  channels: { pagerduty?: string; slack?: string; email?: string },
  timers: RouteTimers
): RouteYaml {
  return { ...toYaml(defaultRouteTree(channels)), repeatInterval: '1h', ...timers };
}

/** One alert of an Alertmanager webhook (version 4) body, as the receivers take it. */
export interface WebhookAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt: string;
  endsAt?: string;
  fingerprint?: string;
  generatorURL?: string;
}

/** Go's zero time: Alertmanager's `endsAt` of a firing alert. */
const ZERO = '0001-01-01T00:00:00Z';

/** An Alertmanager webhook v4 body (what Alertmanager POSTs to a webhook receiver) for these alerts. */
export function alertmanagerWebhookBody(alerts: readonly WebhookAlert[], receiver = 'vigil'): Record<string, unknown> {
  const firing = alerts.some((a) => a.status === 'firing');
  const common = (pick: (a: WebhookAlert) => Record<string, string>): Record<string, string> => {
    const [first, ...rest] = alerts.map(pick);
    return Object.fromEntries(Object.entries(first ?? {}).filter(([k, v]) => rest.every((o) => o[k] === v)));
  };
  const commonLabels = common((a) => a.labels);
  return {
    version: '4',
    groupKey: `{}:{alertname=${JSON.stringify(commonLabels.alertname ?? '')}}`,
    truncatedAlerts: 0,
    status: firing ? 'firing' : 'resolved',
    receiver,
    groupLabels: commonLabels.alertname ? { alertname: commonLabels.alertname } : {},
    commonLabels,
    commonAnnotations: common((a) => a.annotations ?? {}),
    externalURL: 'http://127.0.0.1:9093',
    alerts: alerts.map((a) => ({
      annotations: {},
      generatorURL: '',
      ...a,
      endsAt: a.endsAt ?? ZERO,
    })),
  };
}

/** POSTs a body to `/api/v1/receivers/<kind>` with the sidecar's token. */
export async function postToReceiver(
  sc: Pick<SidecarHandle, 'url' | 'token'>,
  kind: 'alertmanager' | 'grafana',
  body: unknown
): Promise<{ status: number; body: unknown }> {
  return sidecarFetch(sc, `/api/v1/receivers/${kind}`, { method: 'POST', body });
}

/** The outbox log (`GET /api/v1/notifications`), optionally of one status. */
export async function listNotifications(
  sc: Pick<SidecarHandle, 'url' | 'token'>,
  query: { status?: string; channel?: string; limit?: number } = {}
): Promise<NotificationView[]> {
  const q = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]));
  const res = await sidecarFetch<NotificationsResponse>(sc, `/api/v1/notifications?${q}`);
  if (res.status !== 200) {
    throw new Error(`GET /api/v1/notifications?${q}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res.body.notifications;
}

/**
 * Waits until the outbox has nothing pending or sending: every notification made so far reached its
 * channel (or failed). Counts on the receiving side are final only then.
 */
export async function waitOutboxSettled(sc: Pick<SidecarHandle, 'url' | 'token'>, timeoutMs = 30_000): Promise<void> {
  await waitFor(
    'the outbox to have nothing pending or sending',
    async () => {
      const [pending, sending] = await Promise.all([
        listNotifications(sc, { status: 'pending', limit: 1 }),
        listNotifications(sc, { status: 'sending', limit: 1 }),
      ]);
      return pending.length === 0 && sending.length === 0;
    },
    timeoutMs,
    200
  );
}

/** Sum of a metric's samples with these labels on the sidecar's `/metrics`. */
export async function sidecarMetric(
  sc: Pick<SidecarHandle, 'url' | 'token'>,
  name: string,
  labels: Record<string, string> = {}
): Promise<number> {
  const res = await fetch(`${sc.url}/metrics`, { headers: { Authorization: `Bearer ${sc.token}` } });
  if (!res.ok) {
    throw new Error(`GET /metrics: HTTP ${res.status}`);
  }
  return sumOf(parseMetrics(await res.text()), name, labels);
}
