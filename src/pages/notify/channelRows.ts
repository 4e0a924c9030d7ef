/**
 * Pure transforms behind the Channels and Failed notifications tables: the sidecar's views (RFC 3339
 * times) as the rows show them, UTC and relative to the time they were read at.
 */
import type { ChannelType, ChannelView, NotificationState, NotificationView } from '@vigil/core';
import { formatDuration, formatUtc } from '../anomalyRows';

const NONE = '—';

/** A channel as the table lists it. */
export interface ChannelRow {
  name: string;
  type: ChannelType;
  /** Where it delivers, secrets masked by the sidecar. */
  target: string;
  sendResolved: boolean;
  /** The last delivery's status, or `never` before the first. */
  lastStatus: NotificationState | 'never';
  /** "2026-01-01 10:00:00 UTC" and "5m ago", "—" before the first delivery. */
  lastAtUtc: string;
  lastAgo: string;
  /** What failed last time, '' when it did not. */
  lastError: string;
  pending: number;
  failed: number;
}

/** A notification of the log as the failed-notification table lists it. */
export interface NotificationRow {
  id: string;
  channel: string;
  status: NotificationState;
  summary: string;
  attempts: number;
  createdUtc: string;
  createdAgo: string;
  lastError: string;
}

/** Epoch ms of an RFC 3339 time, NaN when there is none or it does not parse. */
export function parseTime(t: string | null | undefined): number {
  return typeof t === 'string' ? Date.parse(t) : NaN;
}

/** "5m 10s ago", "in 2h", "just now" (within a second), "—" without a time. */
export function relativeTime(at: number, now: number): string {
  if (!Number.isFinite(at) || !Number.isFinite(now)) {
    return NONE;
  }
  const d = at - now;
  if (Math.abs(d) < 1000) {
    return 'just now';
  }
  return d > 0 ? `in ${formatDuration(d)}` : `${formatDuration(-d)} ago`;
}

/** The channels as rows, in name order (the order of the configuration file is not the reader's). */
export function toChannelRows(channels: readonly ChannelView[], now: number): ChannelRow[] {
  return [...channels]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((c) => {
      const at = parseTime(c.lastDelivery?.at);
      return {
        name: c.name,
        type: c.type,
        target: c.target,
        sendResolved: c.sendResolved,
        lastStatus: c.lastDelivery?.status ?? 'never',
        lastAtUtc: formatUtc(at),
        lastAgo: relativeTime(at, now),
        lastError: c.lastDelivery?.error ?? '',
        pending: c.pending,
        failed: c.failed,
      };
    });
}

/** The notifications as rows, newest first. */
export function toNotificationRows(notifications: readonly NotificationView[], now: number): NotificationRow[] {
  return notifications
    .map((n) => ({ n, at: parseTime(n.createdAt) }))
    .sort((a, b) => (Number.isFinite(b.at) ? b.at : 0) - (Number.isFinite(a.at) ? a.at : 0))
    .map(({ n, at }) => ({
      id: n.id,
      channel: n.channel,
      status: n.status,
      summary: n.summary || n.groupKey,
      attempts: n.attempts,
      createdUtc: formatUtc(at),
      createdAgo: relativeTime(at, now),
      lastError: n.lastError ?? '',
    }));
}
