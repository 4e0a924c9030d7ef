/**
 * Typed calls of the sidecar's notification API: channels and their test-send (`/api/v1/notify/channels`),
 * the routing tree and aggregation groups (`/api/v1/notify/routing|groups`), silences (`/api/v1/silences`)
 * and the notification log (`/api/v1/notifications`). Wire types come from @vigil/core
 * (`core/src/notify/api.ts`). Each answer is shape-checked as in `rules.ts`, so a sidecar of another
 * version (or a proxy answering HTML) fails here with a message that says so.
 */
import type {
  ChannelsResponse,
  GroupsResponse,
  NotificationState,
  NotificationsResponse,
  NotificationView,
  RoutingResponse,
  SilenceBody,
  SilencesResponse,
  SilenceState,
  SilenceView,
  TestSendResponse,
} from '@vigil/core';
import { sidecarRequest, SidecarError } from './client';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Fails with "the answer is not <what>" when `ok` is false. */
function expectShape<T>(method: string, path: string, body: unknown, ok: boolean, what: string): T {
  if (!ok) {
    throw new SidecarError(`sidecar ${method} ${path}: the answer is not ${what}`, { retryable: false });
  }
  return body as T;
}

/** `/<prefix>/<name or id>/<suffix>`, the name encoded so that no value can change the path. */
function itemPath(prefix: string, what: string, key: string, suffix = ''): string {
  if (typeof key !== 'string' || key === '') {
    throw new Error(`${what} must be a non-empty string: got ${JSON.stringify(key)}`);
  }
  return `${prefix}/${encodeURIComponent(key)}${suffix}`;
}

function isSilence(v: unknown): v is SilenceView {
  return (
    isObject(v) &&
    typeof v.id === 'string' &&
    Array.isArray(v.matchers) &&
    typeof v.startsAt === 'string' &&
    typeof v.endsAt === 'string' &&
    typeof v.state === 'string'
  );
}

function isNotification(v: unknown): v is NotificationView {
  return isObject(v) && typeof v.id === 'string' && typeof v.channel === 'string' && typeof v.status === 'string';
}

function isRoute(v: unknown, depth = 0): boolean {
  // The tree is small; the depth bound only keeps a hostile answer from recursing forever.
  return (
    depth < 64 &&
    isObject(v) &&
    typeof v.id === 'string' &&
    Array.isArray(v.matchers) &&
    Array.isArray(v.routes) &&
    v.routes.every((r) => isRoute(r, depth + 1))
  );
}

/** The configured channels, secrets masked, with their last delivery and queue counts. */
export async function listChannels(): Promise<ChannelsResponse> {
  const path = '/notify/channels';
  const body = await sidecarRequest<unknown>(path);
  const ok =
    isObject(body) &&
    Array.isArray(body.channels) &&
    body.channels.every((c) => isObject(c) && typeof c.name === 'string' && typeof c.type === 'string');
  return expectShape<ChannelsResponse>('GET', path, body, ok, 'a channel list');
}

/**
 * Sends a test notification through one channel (`POST /api/v1/notify/channels/:name/test`) and returns
 * the channel's answer: `ok: false` with `error` is a delivery that failed, not a failed call.
 */
export async function testSendChannel(name: string): Promise<TestSendResponse> {
  const path = itemPath('/notify/channels', 'channel name', name, '/test');
  const body = await sidecarRequest<unknown>(path, { method: 'POST', body: {} });
  const ok = isObject(body) && typeof body.ok === 'boolean';
  return expectShape<TestSendResponse>('POST', path, body, ok, 'a test-send result');
}

/** The routing tree, the inhibition rules and the time intervals (`GET /api/v1/notify/routing`). */
export async function getRouting(): Promise<RoutingResponse> {
  const path = '/notify/routing';
  const body = await sidecarRequest<unknown>(path);
  const ok =
    isObject(body) &&
    isRoute(body.route) &&
    Array.isArray(body.inhibitRules) &&
    Array.isArray(body.timeIntervals) &&
    body.timeIntervals.every((t) => isObject(t) && typeof t.name === 'string' && typeof t.activeNow === 'boolean');
  return expectShape<RoutingResponse>('GET', path, body, ok, 'a routing tree');
}

/** The aggregation groups with their alerts (`GET /api/v1/notify/groups`). */
export async function listGroups(): Promise<GroupsResponse> {
  const path = '/notify/groups';
  const body = await sidecarRequest<unknown>(path);
  const ok =
    isObject(body) && Array.isArray(body.groups) && body.groups.every((g) => isObject(g) && typeof g.key === 'string');
  return expectShape<GroupsResponse>('GET', path, body, ok, 'a group list');
}

/** Silences, optionally of one state (`GET /api/v1/silences?state=`). */
export async function listSilences(filter: { state?: SilenceState } = {}): Promise<SilencesResponse> {
  const path = '/silences';
  const body = await sidecarRequest<unknown>(path, filter.state ? { params: { state: filter.state } } : undefined);
  const ok = isObject(body) && Array.isArray(body.silences) && body.silences.every(isSilence);
  return expectShape<SilencesResponse>('GET', path, body, ok, 'a silence list');
}

/**
 * Creates a silence (`POST /api/v1/silences`); the sidecar records the Grafana user the proxy names as
 * its author. A 400 rejects with a {@link SidecarError} whose `fields` name each problem
 * (`matchers[0].value`, `endsAt`, `comment`).
 */
export async function createSilence(silence: SilenceBody): Promise<SilenceView> {
  const path = '/silences';
  const body = await sidecarRequest<unknown>(path, { method: 'POST', body: silence });
  return expectShape<SilenceView>('POST', path, body, isSilence(body), 'a silence');
}

/** Expires a silence now (`DELETE /api/v1/silences/:id`) and returns it, expired. */
export async function expireSilence(id: string): Promise<SilenceView> {
  const path = itemPath('/silences', 'silence id', id);
  const body = await sidecarRequest<unknown>(path, { method: 'DELETE' });
  return expectShape<SilenceView>('DELETE', path, body, isSilence(body), 'a silence');
}

/** The notification log, optionally of one status and channel (`GET /api/v1/notifications`). */
export async function listNotifications(
  filter: { status?: NotificationState; channel?: string; limit?: number } = {}
): Promise<NotificationsResponse> {
  const path = '/notifications';
  const params: Record<string, string | number> = {};
  if (filter.status) {
    params.status = filter.status;
  }
  if (filter.channel) {
    params.channel = filter.channel;
  }
  if (filter.limit !== undefined) {
    params.limit = filter.limit;
  }
  const body = await sidecarRequest<unknown>(path, Object.keys(params).length ? { params } : undefined);
  const ok = isObject(body) && Array.isArray(body.notifications) && body.notifications.every(isNotification);
  return expectShape<NotificationsResponse>('GET', path, body, ok, 'a notification list');
}

/**
 * Puts a failed notification back in the queue (`POST /api/v1/notifications/:id/retry`). Returns the
 * notification as the sidecar answers it, or undefined when it answers without a body.
 */
export async function retryNotification(id: string): Promise<NotificationView | undefined> {
  const path = itemPath('/notifications', 'notification id', id, '/retry');
  const body = await sidecarRequest<unknown>(path, { method: 'POST', body: {} });
  return isNotification(body) ? body : undefined;
}
