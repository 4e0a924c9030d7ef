import React from 'react';
import { locationUtil } from '@grafana/data';
import { Badge, Stack, Text, TextLink, useTheme2 } from '@grafana/ui';
import { testIds } from '../../testIds';
import { AppLink } from './AppLink';
import { SEVERITY_COLOR } from '../rules/RulesTable';
import type { IncidentAlertRow, TimelineRow } from './detailRows';

const ids = testIds.incidents;
const WRAP = { whiteSpace: 'normal', overflowWrap: 'anywhere' } as const;

/**
 * A link an alert carries: an absolute URL opens in a new tab (it is another tool); a Grafana path
 * (`/d/<uid>`) is a plain link, which Grafana routes in-app (TextLink would need Grafana's compat router).
 */
function OutLink({ href, testId, children }: { href: string; testId: string; children: string }) {
  const theme = useTheme2();
  return (
    <span data-testid={testId}>
      {href.startsWith('/') ? (
        <a href={locationUtil.assureBaseUrl(href)} style={{ color: theme.colors.text.link }}>
          {children}
        </a>
      ) : (
        <TextLink href={href} external inline={false}>
          {children}
        </TextLink>
      )}
    </span>
  );
}

/** An alert's links: the rule (in-app), its generator, dashboard and runbook (these may be elsewhere). */
function AlertLinksCell({ row }: { row: IncidentAlertRow }) {
  const { rule, source, dashboard, runbook } = row.links;
  return (
    <Stack gap={1} wrap="wrap">
      {rule ? (
        <AppLink data-testid={ids.ruleLink} to={rule}>
          Rule
        </AppLink>
      ) : null}
      {source ? (
        <OutLink href={source} testId={ids.sourceLink}>
          Source
        </OutLink>
      ) : null}
      {dashboard ? (
        <OutLink href={dashboard} testId={ids.dashboardLink}>
          Dashboard
        </OutLink>
      ) : null}
      {runbook ? (
        <OutLink href={runbook} testId={ids.runbookLink}>
          Runbook
        </OutLink>
      ) : null}
    </Stack>
  );
}

/**
 * A table of an incident's alerts: members (notified) or suppressed (recorded, not notified), each with
 * why it joined, why it is suppressed, and its links. The root cause is marked.
 */
export function IncidentAlertTable({ rows, suppressed }: { rows: IncidentAlertRow[]; suppressed: boolean }) {
  if (rows.length === 0) {
    return (
      <Text color="secondary">
        {suppressed ? 'No alert of this incident is suppressed.' : 'No alert of this incident is notified.'}
      </Text>
    );
  }
  return (
    <table className="filter-table" data-testid={suppressed ? ids.suppressed : ids.members}>
      <thead>
        <tr>
          <th>Alert</th>
          <th>Severity</th>
          <th>Status</th>
          <th>Started</th>
          <th>{suppressed ? 'Why suppressed' : 'Why it is here'}</th>
          <th>Links</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr
            key={r.fingerprint}
            data-testid={ids.alert}
            data-role={r.role}
            data-fingerprint={r.fingerprint}
            data-root-cause={String(r.rootCause)}
          >
            <td style={WRAP}>
              <Stack direction="column" gap={0.5}>
                <Stack gap={1} alignItems="center" wrap="wrap">
                  <strong>{r.name}</strong>
                  <Text color="secondary">{r.service}</Text>
                  {r.rootCause ? <Badge text="root cause" color="purple" icon="crosshair" /> : null}
                </Stack>
                {r.summary ? <Text italic>{r.summary}</Text> : null}
                <Stack gap={0.5} wrap="wrap">
                  {r.labels.map((l) => (
                    <code key={l}>{l}</code>
                  ))}
                </Stack>
              </Stack>
            </td>
            <td>
              <Badge text={r.severity} color={SEVERITY_COLOR[r.severity] ?? 'blue'} />
            </td>
            <td>
              <Badge text={r.status} color={r.status === 'firing' ? 'red' : 'green'} />
            </td>
            <td>{r.startedUtc}</td>
            <td style={WRAP}>
              {suppressed ? (
                <Stack direction="column" gap={0.5}>
                  <span data-testid={ids.alertSuppression}>{r.suppression}</span>
                  <Text color="secondary" variant="bodySmall">
                    <span data-testid={ids.alertReason}>{r.reason}</span>
                  </Text>
                </Stack>
              ) : (
                <span data-testid={ids.alertReason}>{r.reason}</span>
              )}
            </td>
            <td>
              <AlertLinksCell row={r} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The incident's timeline, oldest first: when, what, and who (the Grafana user) for people's actions. */
export function IncidentTimeline({ rows }: { rows: TimelineRow[] }) {
  if (rows.length === 0) {
    return <Text color="secondary">No timeline entries yet.</Text>;
  }
  return (
    <table className="filter-table" data-testid={ids.timeline} aria-label="Timeline, oldest first">
      <thead>
        <tr>
          <th>Time (UTC)</th>
          <th>What</th>
          <th>By</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((t) => (
          <tr key={t.key} data-testid={ids.timelineEntry} data-kind={t.kind}>
            <td>
              <Stack direction="column" gap={0}>
                <span>{t.atUtc}</span>
                <Text color="secondary" variant="bodySmall">
                  {t.ago}
                </Text>
              </Stack>
            </td>
            <td style={WRAP}>{t.message}</td>
            <td>{t.user || <Text color="secondary">Vigil</Text>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
