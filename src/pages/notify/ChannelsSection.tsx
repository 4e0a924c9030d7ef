import React, { useState } from 'react';
import { Badge, type BadgeColor, Button, Stack, Text, Tooltip } from '@grafana/ui';
import type { ChannelsResponse, TestSendResponse } from '@vigil/core';
import { testSendChannel } from '../../api/notify';
import { testIds } from '../../testIds';
import { type ChannelRow, toChannelRows } from './channelRows';

const ids = testIds.notify;

/** Delivery status colours (the outbox's states, plus "never" before a first delivery). */
export const DELIVERY_COLOR: Record<ChannelRow['lastStatus'], BadgeColor> = {
  sent: 'green',
  pending: 'blue',
  sending: 'blue',
  failed: 'red',
  never: 'darkgrey',
};

type TestState =
  { status: 'sending' } | { status: 'done'; result: TestSendResponse } | { status: 'error'; message: string };

/** A channel's "Send test" button and what the channel answered. */
function TestSend({ row, canWrite }: { row: ChannelRow; canWrite: boolean }) {
  const [state, setState] = useState<TestState | null>(null);
  const send = async () => {
    setState({ status: 'sending' });
    try {
      setState({ status: 'done', result: await testSendChannel(row.name) });
    } catch (e) {
      setState({ status: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  };
  const button = (
    <Button
      size="sm"
      variant="secondary"
      icon="message"
      data-testid={ids.testSend}
      disabled={!canWrite || state?.status === 'sending'}
      onClick={send}
    >
      {state?.status === 'sending' ? 'Sending…' : 'Send test'}
    </Button>
  );
  let result: React.ReactNode = null;
  if (state?.status === 'done') {
    const { ok, error, durationMs } = state.result;
    result = (
      <span data-testid={ids.testResult} data-ok={String(ok)} role="status">
        <Text color={ok ? 'success' : 'error'}>
          {ok ? `Delivered in ${Math.round(durationMs)} ms` : `Failed: ${error ?? 'no reason given'}`}
        </Text>
      </span>
    );
  } else if (state?.status === 'error') {
    result = (
      <span data-testid={ids.testResult} data-ok="false" role="status">
        <Text color="error">{state.message}</Text>
      </span>
    );
  }
  return (
    <Stack direction="column" gap={0.5} alignItems="flex-start">
      {canWrite ? button : <Tooltip content="Editors can send a test notification">{button}</Tooltip>}
      {result}
    </Stack>
  );
}

/**
 * The configured channels: name, type, where they deliver (secrets masked by the sidecar), the last
 * delivery (time, status, error), what waits or failed, and a "Send test" button with its result.
 */
export function ChannelsSection({
  response,
  now,
  canWrite,
}: {
  response: ChannelsResponse;
  now: number;
  canWrite: boolean;
}) {
  const rows = toChannelRows(response.channels, now);
  if (rows.length === 0) {
    return (
      <Text color="secondary">
        No channels configured: add them to the <code>notify.channels</code> section of the sidecar&apos;s
        configuration.
      </Text>
    );
  }
  return (
    <table className="filter-table" data-testid={ids.channels}>
      <thead>
        <tr>
          <th>Name</th>
          <th>Type</th>
          <th>Target</th>
          <th>Last delivery</th>
          <th>Pending</th>
          <th>Failed</th>
          <th aria-label="Test" />
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr
            key={r.name}
            data-testid={ids.channel}
            data-channel={r.name}
            data-type={r.type}
            data-last-status={r.lastStatus}
          >
            <td>
              <Text weight="medium">{r.name}</Text>
              {r.sendResolved ? null : (
                <Text color="secondary" variant="bodySmall">
                  {' '}
                  (no resolved notifications)
                </Text>
              )}
            </td>
            <td>{r.type}</td>
            <td>
              <code>{r.target}</code>
            </td>
            <td style={{ whiteSpace: 'normal', overflowWrap: 'anywhere' }}>
              <Stack direction="column" gap={0.5}>
                <Stack gap={1} alignItems="center">
                  <Badge text={r.lastStatus} color={DELIVERY_COLOR[r.lastStatus]} />
                  {r.lastStatus === 'never' ? null : (
                    <Tooltip content={r.lastAtUtc}>
                      <span>
                        <Text color="secondary">{r.lastAgo}</Text>
                      </span>
                    </Tooltip>
                  )}
                </Stack>
                {r.lastError ? <Text color="error">{r.lastError}</Text> : null}
              </Stack>
            </td>
            <td>{r.pending}</td>
            <td>{r.failed ? <Text color="error">{r.failed}</Text> : 0}</td>
            <td>
              <TestSend row={r} canWrite={canWrite} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
