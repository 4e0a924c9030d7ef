import React, { useState } from 'react';
import { Alert, Badge, type BadgeColor, Button, Modal, Stack, Text, Tooltip } from '@grafana/ui';
import type { SilenceState, SilencesResponse } from '@vigil/core';
import { expireSilence } from '../../api/notify';
import { testIds } from '../../testIds';
import { type SilenceRow, toSilenceRows } from './silenceRows';

const ids = testIds.notify;

/** Silence state colours, as Grafana Alerting shows them. */
export const SILENCE_COLOR: Record<SilenceState, BadgeColor> = {
  active: 'green',
  pending: 'blue',
  expired: 'darkgrey',
};

/** Asks before expiring: matching alerts notify again from the next flush of their group. */
function ExpireModal({
  row,
  busy,
  onConfirm,
  onDismiss,
}: {
  row: SilenceRow;
  busy: boolean;
  onConfirm(): void;
  onDismiss(): void;
}) {
  return (
    <Modal title="Expire this silence?" isOpen onDismiss={onDismiss}>
      <Stack direction="column" gap={1}>
        <Stack gap={1} wrap="wrap">
          {row.matchers.map((m) => (
            <code key={m}>{m}</code>
          ))}
        </Stack>
        <Text>It ends now: alerts it muted notify again. An expired silence cannot be restarted.</Text>
      </Stack>
      <Modal.ButtonRow>
        <Button variant="secondary" onClick={onDismiss}>
          Cancel
        </Button>
        <Button variant="destructive" data-testid={ids.confirmExpire} onClick={onConfirm} disabled={busy}>
          {busy ? 'Expiring…' : 'Expire'}
        </Button>
      </Modal.ButtonRow>
    </Modal>
  );
}

/** Props of {@link SilencesSection}. */
export interface SilencesSectionProps {
  response: SilencesResponse;
  now: number;
  canWrite: boolean;
  onReload(): void;
}

/** The silences (state, matchers, ends, author, comment), active first, each with an Expire button. */
export function SilencesSection({ response, now, canWrite, onReload }: SilencesSectionProps) {
  const [expiring, setExpiring] = useState<SilenceRow | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const rows = toSilenceRows(response.silences, now);

  const confirm = async () => {
    if (!expiring) {
      return;
    }
    setBusy(true);
    try {
      await expireSilence(expiring.id);
      setError(null);
      onReload();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
      setExpiring(null);
    }
  };

  return (
    <Stack direction="column" gap={1}>
      {error ? (
        <Alert severity="error" title="Could not expire the silence" onRemove={() => setError(null)}>
          {error}
        </Alert>
      ) : null}
      {rows.length === 0 ? (
        <Text color="secondary">No silences: every alert that routes to a channel notifies.</Text>
      ) : (
        <table className="filter-table" data-testid={ids.silences}>
          <thead>
            <tr>
              <th>State</th>
              <th>Matchers</th>
              <th>Ends</th>
              <th>Created by</th>
              <th>Comment</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-testid={ids.silence} data-silence-id={r.id} data-state={r.state}>
                <td>
                  <Badge text={r.state} color={SILENCE_COLOR[r.state]} />
                </td>
                <td>
                  <Stack gap={0.5} wrap="wrap">
                    {r.matchers.map((m) => (
                      <code key={m}>{m}</code>
                    ))}
                  </Stack>
                </td>
                <td>
                  <Tooltip content={`${r.startsUtc} → ${r.endsUtc}`}>
                    <span>
                      <Stack direction="column" gap={0}>
                        <span>{r.endsUtc}</span>
                        <Text color="secondary">{r.endsRelative}</Text>
                      </Stack>
                    </span>
                  </Tooltip>
                </td>
                <td data-testid={ids.silenceAuthor}>{r.createdBy}</td>
                <td style={{ whiteSpace: 'normal', overflowWrap: 'anywhere' }}>{r.comment}</td>
                <td>
                  {r.expirable && canWrite ? (
                    <Button
                      size="sm"
                      variant="secondary"
                      icon="times"
                      data-testid={ids.expire}
                      aria-label={`Expire silence ${r.id}`}
                      onClick={() => setExpiring(r)}
                    >
                      Expire
                    </Button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {expiring ? (
        <ExpireModal row={expiring} busy={busy} onConfirm={confirm} onDismiss={() => setExpiring(null)} />
      ) : null}
    </Stack>
  );
}
