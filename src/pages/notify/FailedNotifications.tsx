import React, { useState } from 'react';
import { Alert, Button, Stack, Text, Tooltip } from '@grafana/ui';
import type { NotificationsResponse } from '@vigil/core';
import { retryNotification } from '../../api/notify';
import { testIds } from '../../testIds';
import { toNotificationRows } from './channelRows';

const ids = testIds.notify;
// Long texts (summaries, errors) wrap instead of pushing the table past the page.
const WRAP = { whiteSpace: 'normal', overflowWrap: 'anywhere' } as const;

/** Props of {@link FailedNotifications}. */
export interface FailedNotificationsProps {
  response: NotificationsResponse;
  now: number;
  canWrite: boolean;
  onReload(): void;
}

/**
 * The notifications the outbox gave up on (refused by the channel, or undelivered past the maximum
 * age), newest first, each with a Retry button that puts it back in the queue.
 */
export function FailedNotifications({ response, now, canWrite, onReload }: FailedNotificationsProps) {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const rows = toNotificationRows(response.notifications, now);

  const retry = async (id: string) => {
    setBusy(id);
    try {
      await retryNotification(id);
      setError(null);
      onReload();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Stack direction="column" gap={1}>
      {error ? (
        <Alert severity="error" title="Could not retry the notification" onRemove={() => setError(null)}>
          {error}
        </Alert>
      ) : null}
      {rows.length === 0 ? (
        <Text color="secondary">No failed notifications: everything queued was delivered or is still being tried.</Text>
      ) : (
        <table className="filter-table" data-testid={ids.failed}>
          <thead>
            <tr>
              <th>Created</th>
              <th>Channel</th>
              <th>Notification</th>
              <th>Attempts</th>
              <th>Last error</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-testid={ids.notification} data-notification-id={r.id} data-status={r.status}>
                <td>
                  <Tooltip content={r.createdUtc}>
                    <span>{r.createdAgo}</span>
                  </Tooltip>
                </td>
                <td>{r.channel}</td>
                <td style={WRAP}>{r.summary}</td>
                <td>{r.attempts}</td>
                <td style={WRAP}>{r.lastError ? <Text color="error">{r.lastError}</Text> : '—'}</td>
                <td>
                  {canWrite ? (
                    <Button
                      size="sm"
                      variant="secondary"
                      icon="sync"
                      data-testid={ids.retry}
                      disabled={busy !== null}
                      onClick={() => retry(r.id)}
                    >
                      {busy === r.id ? 'Retrying…' : 'Retry'}
                    </Button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Stack>
  );
}
