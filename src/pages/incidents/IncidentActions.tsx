import React, { useState } from 'react';
import { Alert, Button, Field, Modal, Stack, Text, TextArea } from '@grafana/ui';
import type { IncidentState } from '@vigil/core';
import { acknowledgeIncident, resolveIncident } from '../../api/incidents';
import { testIds } from '../../testIds';

const ids = testIds.incidents;

/** An action on an incident. */
export type IncidentAction = 'acknowledge' | 'resolve';

const WORDS: Record<IncidentAction, { title: string; text: string; button: string; busy: string }> = {
  acknowledge: {
    title: 'Acknowledge this incident?',
    text: 'It shows as acknowledged, by you, to everyone: someone is on it. Its alerts keep their state.',
    button: 'Acknowledge',
    busy: 'Acknowledging…',
  },
  resolve: {
    title: 'Resolve this incident?',
    text: 'It closes now, by you. An alert that correlates with it afterwards opens a new incident.',
    button: 'Resolve',
    busy: 'Resolving…',
  },
};

/** Which actions an incident in `state` offers: acknowledge while open, resolve until resolved. */
export function actionsFor(state: IncidentState): IncidentAction[] {
  if (state === 'open') {
    return ['acknowledge', 'resolve'];
  }
  return state === 'acknowledged' ? ['resolve'] : [];
}

/** Asks before acknowledging or resolving, with an optional comment that goes into the timeline. */
function ActionModal({
  action,
  busy,
  onConfirm,
  onDismiss,
}: {
  action: IncidentAction;
  busy: boolean;
  onConfirm(comment: string): void;
  onDismiss(): void;
}) {
  const [comment, setComment] = useState('');
  const words = WORDS[action];
  return (
    <Modal title={words.title} isOpen onDismiss={onDismiss}>
      <Stack direction="column" gap={1}>
        <Text>{words.text}</Text>
        <Field label="Comment (optional)" noMargin>
          <TextArea
            id="incident-action-comment"
            data-testid={ids.comment}
            rows={2}
            placeholder="What you found, a ticket or a chat link"
            value={comment}
            onChange={(e) => setComment(e.currentTarget.value)}
          />
        </Field>
      </Stack>
      <Modal.ButtonRow>
        <Button variant="secondary" onClick={onDismiss}>
          Cancel
        </Button>
        <Button data-testid={ids.confirmAction} onClick={() => onConfirm(comment)} disabled={busy}>
          {busy ? words.busy : words.button}
        </Button>
      </Modal.ButtonRow>
    </Modal>
  );
}

/** Props of {@link IncidentActions}. */
export interface IncidentActionsProps {
  incidentId: string;
  state: IncidentState;
  /** False for Viewers: no buttons (the plugin proxy refuses their writes anyway). */
  canWrite: boolean;
  /** Called after the sidecar accepted an action. */
  onDone(): void;
}

/** Acknowledge and Resolve for Editors, each through a confirmation dialog; a failure is shown, not swallowed. */
export function IncidentActions({ incidentId, state, canWrite, onDone }: IncidentActionsProps) {
  const [asking, setAsking] = useState<IncidentAction | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const actions = actionsFor(state);
  if (!canWrite || (actions.length === 0 && !error)) {
    return null;
  }
  const confirm = async (comment: string) => {
    if (!asking) {
      return;
    }
    setBusy(true);
    try {
      await (asking === 'acknowledge' ? acknowledgeIncident : resolveIncident)(incidentId, comment);
      setError(null);
      onDone();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
      setAsking(null);
    }
  };
  return (
    <Stack direction="column" gap={1}>
      <Stack gap={1}>
        {actions.includes('acknowledge') ? (
          <Button icon="check" data-testid={ids.acknowledge} onClick={() => setAsking('acknowledge')}>
            Acknowledge
          </Button>
        ) : null}
        {actions.includes('resolve') ? (
          <Button
            variant="secondary"
            icon="check-circle"
            data-testid={ids.resolve}
            onClick={() => setAsking('resolve')}
          >
            Resolve
          </Button>
        ) : null}
      </Stack>
      {error ? (
        <div data-testid={ids.actionError}>
          <Alert severity="error" title="The sidecar did not take the action" onRemove={() => setError(null)}>
            {error}
          </Alert>
        </div>
      ) : null}
      {asking ? (
        <ActionModal action={asking} busy={busy} onConfirm={confirm} onDismiss={() => setAsking(null)} />
      ) : null}
    </Stack>
  );
}
