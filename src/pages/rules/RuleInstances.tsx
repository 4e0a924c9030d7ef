import React, { useState } from 'react';
import { locationUtil } from '@grafana/data';
import { Badge, Button, LinkButton, Stack, Text, Tooltip } from '@grafana/ui';
import { alertHistory, listAlerts } from '../../api/rules';
import { PageEmpty, PageError, PageLoading } from '../../components/PageState/PageState';
import { useAsync } from '../../hooks/useAsync';
import { testIds } from '../../testIds';
import { notifyUrls } from '../notify/urls';
import { type InstanceRow, toInstanceRows, toTransitionRows } from './instanceRows';
import { STATE_COLOR } from './RulesTable';

const ids = testIds.rules;

/**
 * The transitions of one instance, newest first, loaded when its "History" toggle opens. Mounted per
 * fingerprint (the list keys instances by it), so the first render's `fingerprint` is the one to load.
 */
export function InstanceHistory({ fingerprint }: { fingerprint: string }) {
  const [state, retry] = useAsync(() => alertHistory(fingerprint));
  if (state.status === 'loading') {
    return <PageLoading text="Loading history…" />;
  }
  if (state.status === 'error') {
    return <PageError title="Could not load the instance's history" error={state.error} onRetry={retry} />;
  }
  const rows = toTransitionRows(state.value.history);
  if (rows.length === 0) {
    return <PageEmpty title="No transitions recorded for this instance" />;
  }
  return (
    <table className="filter-table" data-testid={ids.history} aria-label="Transitions, newest first">
      <thead>
        <tr>
          <th>Time (UTC)</th>
          <th>Transition</th>
          <th>Event</th>
          <th>Value</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((t) => (
          <tr key={t.key} data-testid={ids.transition} data-from={t.from} data-to={t.to} data-event={t.event}>
            <td>{t.at}</td>
            <td>
              <Stack gap={0.5} alignItems="center">
                <Badge text={t.from} color={STATE_COLOR[t.from]} />
                <span aria-label="to">→</span>
                <Badge text={t.to} color={STATE_COLOR[t.to]} />
              </Stack>
            </td>
            <td>{t.event}</td>
            <td>{t.value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * One instance: state, label chips, value vs threshold, since, summary, its history toggle, and a
 * "Silence" link that opens the Notifications page's silence form with the instance's labels.
 */
function Instance({ row, labels }: { row: InstanceRow; labels: Record<string, string> }) {
  const [open, setOpen] = useState(false);
  const historyId = `vigil-history-${row.fingerprint}`;
  return (
    <li data-testid={ids.instance} data-state={row.state} data-fingerprint={row.fingerprint}>
      <Stack direction="column" gap={1}>
        <Stack gap={1} alignItems="center" wrap="wrap">
          <Badge text={row.state} color={STATE_COLOR[row.state]} />
          {row.labels.map((l) => (
            <code key={l}>{l}</code>
          ))}
        </Stack>
        <Stack gap={2} alignItems="center" wrap="wrap">
          <Text>
            Value <strong>{row.value}</strong> (threshold {row.threshold})
          </Text>
          <Tooltip content={row.sinceUtc}>
            <span>
              <Text color="secondary">
                {row.state} since {row.sinceRelative} ({row.sinceUtc})
              </Text>
            </span>
          </Tooltip>
          <Button
            size="sm"
            variant="secondary"
            fill="text"
            icon={open ? 'angle-down' : 'angle-right'}
            data-testid={ids.historyToggle}
            aria-expanded={open}
            aria-controls={historyId}
            onClick={() => setOpen((o) => !o)}
          >
            History
          </Button>
          <LinkButton
            size="sm"
            variant="secondary"
            fill="text"
            icon="bell-slash"
            data-testid={ids.silence}
            // A real link (open in a new tab works); Grafana routes it in-app. assureBaseUrl adds Grafana's
            // sub-path when it is served under one.
            href={locationUtil.assureBaseUrl(notifyUrls.silence(labels))}
            tooltip="Create a silence matching this instance's labels"
          >
            Silence
          </LinkButton>
        </Stack>
        {row.summary ? <Text italic>{row.summary}</Text> : null}
        {row.error ? <Text color="error">{row.error}</Text> : null}
        {open ? (
          <div id={historyId}>
            <InstanceHistory fingerprint={row.fingerprint} />
          </div>
        ) : null}
      </Stack>
    </li>
  );
}

/** The rule's instances, with the time they were read at ("since" is shown relative to it). */
async function loadInstances(ruleId: string) {
  const { alerts } = await listAlerts({ rule: ruleId });
  return { alerts, now: Date.now() };
}

/**
 * A rule's active alert instances (which series fire, their values, since when), loaded on expand.
 * Mounted per rule (the table keys rows by id), so the first render's `ruleId` is the one to load.
 */
export function RuleInstances({ ruleId }: { ruleId: string }) {
  const [state, retry] = useAsync(() => loadInstances(ruleId));
  let body: React.ReactNode;
  if (state.status === 'loading') {
    body = <PageLoading text="Loading alert instances…" />;
  } else if (state.status === 'error') {
    body = <PageError title="Could not load the rule's alert instances" error={state.error} onRetry={retry} />;
  } else {
    const rows = toInstanceRows(state.value.alerts, state.value.now);
    const labelsOf = new Map(state.value.alerts.map((a) => [a.fingerprint, a.labels ?? {}]));
    body =
      rows.length === 0 ? (
        <PageEmpty title="No active instances">Every series is Normal.</PageEmpty>
      ) : (
        <ul style={{ listStyle: 'none', padding: 0, margin: 0, display: 'grid', gap: 16 }}>
          {rows.map((r) => (
            <Instance key={r.fingerprint} row={r} labels={labelsOf.get(r.fingerprint) ?? {}} />
          ))}
        </ul>
      );
  }
  return (
    <div data-testid={ids.instances} data-rule-id={ruleId}>
      {body}
    </div>
  );
}
