import React from 'react';
import { Badge, type BadgeColor, Stack, Text } from '@grafana/ui';
import type { AnomaliesResponse, AnomalyEvent } from '../../api/types';
import { PageEmpty } from '../../components/PageState/PageState';
import { testIds } from '../../testIds';
import { type AnomalyRow, formatUtc, type RowSeverity, toAnomalyRows } from '../anomalyRows';

const SEVERITY_COLOR: Record<RowSeverity, BadgeColor> = {
  error: 'red',
  warning: 'orange',
  info: 'blue',
  unknown: 'darkgrey',
};

/** The table of anomaly events, newest first. */
export function AnomalyTable({ rows }: { rows: AnomalyRow[] }) {
  return (
    <table className="filter-table" data-testid={testIds.incidents.list}>
      <thead>
        <tr>
          <th>Severity</th>
          <th>Status</th>
          <th>Started</th>
          <th>Duration</th>
          <th>Detector / series</th>
          <th>Type</th>
          <th>Message</th>
          <th>Confidence</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id} data-testid={testIds.incidents.row} data-severity={row.severity} data-status={row.status}>
            <td>
              <Badge text={row.severity} color={SEVERITY_COLOR[row.severity]} />
            </td>
            <td>
              <Badge text={row.status} color={row.status === 'open' ? 'red' : 'green'} />
            </td>
            <td>{row.started}</td>
            <td>{row.duration}</td>
            <td>
              <div>{row.detector}</div>
              <Text color="secondary" variant="bodySmall">
                {row.seriesKey}
              </Text>
            </td>
            <td>{row.anomalyType}</td>
            <td style={{ whiteSpace: 'normal', overflowWrap: 'anywhere' }}>{row.message}</td>
            <td>{row.confidence}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The loaded window: a summary line and the table, or the empty state. */
export function AnomalyList({ response }: { response: AnomaliesResponse }) {
  if (response.anomalies.length === 0) {
    return (
      <PageEmpty title="No anomalies in the last 24 hours">
        Anomaly events appear here when a detector configured in the sidecar finds one.
      </PageEmpty>
    );
  }
  const rows = toAnomalyRows(response.anomalies, response.to);
  const open = rows.filter((r) => r.status === 'open').length;
  return (
    <Stack direction="column" gap={2}>
      <span data-testid={testIds.incidents.summary}>
        <Text color="secondary">
          {rows.length} {rows.length === 1 ? 'anomaly' : 'anomalies'} ({open} open) from {formatUtc(response.from)} to{' '}
          {formatUtc(response.to)}
        </Text>
      </span>
      <AnomalyTable rows={rows} />
    </Stack>
  );
}

/** The anomaly events of an incident's services around its time (context, not members). */
export function ContextAnomalies({ events, now }: { events: AnomalyEvent[]; now: number }) {
  return (
    <div data-testid={testIds.incidents.contextAnomalies}>
      {events.length === 0 ? (
        <Text color="secondary">No anomaly of its services around this incident.</Text>
      ) : (
        <AnomalyTable rows={toAnomalyRows(events, now)} />
      )}
    </div>
  );
}
