import { channelView, notificationView } from '../../testing/notify';
import { relativeTime, toChannelRows, toNotificationRows } from './channelRows';

const NOW = Date.parse('2026-01-01T10:05:00.000Z');

describe('channel rows', () => {
  test('name order; last delivery in UTC and relative; counts as given', () => {
    const rows = toChannelRows(
      [
        channelView({ name: 'slack-ops', type: 'slack', target: 'hooks.slack.com', pending: 2, failed: 1 }),
        channelView({
          name: 'pager',
          type: 'pagerduty',
          target: 'events.pagerduty.com',
          lastDelivery: { at: '2026-01-01T10:04:30.000Z', status: 'failed', error: 'HTTP 400 invalid routing key' },
        }),
      ],
      NOW
    );
    expect(rows.map((r) => r.name)).toEqual(['pager', 'slack-ops']);
    expect(rows[0]).toMatchObject({
      lastStatus: 'failed',
      lastAtUtc: '2026-01-01 10:04:30 UTC',
      lastAgo: '30s ago',
      lastError: 'HTTP 400 invalid routing key',
    });
    expect(rows[1]).toMatchObject({ lastStatus: 'sent', lastAgo: '5m ago', lastError: '', pending: 2, failed: 1 });
  });

  test('a channel that never delivered says so', () => {
    const [row] = toChannelRows([channelView({ lastDelivery: null })], NOW);
    expect(row).toMatchObject({ lastStatus: 'never', lastAtUtc: '—', lastAgo: '—' });
  });

  test('relative times either side of now', () => {
    expect(relativeTime(NOW + 2 * 3600_000, NOW)).toBe('in 2h');
    expect(relativeTime(NOW - 61_000, NOW)).toBe('1m 1s ago');
    expect(relativeTime(NOW + 500, NOW)).toBe('just now');
    expect(relativeTime(NaN, NOW)).toBe('—');
  });
});

describe('notification rows', () => {
  test('newest first; the summary, or the group key without one', () => {
    const rows = toNotificationRows(
      [
        notificationView({ id: 'old', createdAt: '2026-01-01T08:00:00.000Z' }),
        notificationView({ id: 'new', createdAt: '2026-01-01T10:00:00.000Z', summary: '', lastError: null }),
      ],
      NOW
    );
    expect(rows.map((r) => r.id)).toEqual(['new', 'old']);
    expect(rows[0]).toMatchObject({ summary: '{}:{alertname="HighLatency"}', lastError: '', createdAgo: '5m ago' });
    expect(rows[1]).toMatchObject({ attempts: 5, lastError: 'HTTP 500 from 127.0.0.1:9099' });
  });
});
