import React from 'react';
import { Badge, type BadgeColor } from '@grafana/ui';
import type { StreamStatus } from '../../api/stream';
import { testIds } from '../../testIds';

const SHOWN: Record<StreamStatus, { text: string; color: BadgeColor; tooltip: string }> = {
  live: { text: 'Live', color: 'green', tooltip: 'Changes appear as the sidecar makes them.' },
  connecting: { text: 'Connecting…', color: 'blue', tooltip: "Opening the sidecar's live stream." },
  polling: {
    text: 'Refreshing every 30 s',
    color: 'orange',
    tooltip: "The sidecar's live stream is unavailable: the page reloads every 30 s and reconnects by itself.",
  },
};

/** Whether the page updates live, and what it does when it cannot. */
export function StreamBadge({ status }: { status: StreamStatus }) {
  const s = SHOWN[status];
  return (
    <span data-testid={testIds.incidents.stream} data-status={status}>
      <Badge text={s.text} color={s.color} icon={status === 'live' ? 'bolt' : 'sync'} tooltip={s.tooltip} />
    </span>
  );
}
