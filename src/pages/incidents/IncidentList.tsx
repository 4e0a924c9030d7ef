import React from 'react';
import { Badge, type BadgeColor, RadioButtonGroup, Stack, Text, Tooltip } from '@grafana/ui';
import type { IncidentState, IncidentView } from '@vigil/core';
import { PageEmpty } from '../../components/PageState/PageState';
import { TestIdBox } from '../../components/TestIdBox/TestIdBox';
import { testIds } from '../../testIds';
import { AppLink } from './AppLink';
import { SEVERITY_COLOR } from '../rules/RulesTable';
import { INCIDENT_FILTERS, type IncidentFilter, toIncidentRows } from './incidentRows';
import { incidentUrls } from './urls';

const ids = testIds.incidents;
// Long texts wrap between words (break-word, not anywhere: a column stays as wide as its longest word).
const WRAP = { whiteSpace: 'normal', overflowWrap: 'break-word' } as const;

/** Incident state colours: what still needs someone is red, what someone is on orange. */
export const INCIDENT_STATE_COLOR: Record<IncidentState, BadgeColor> = {
  open: 'red',
  acknowledged: 'orange',
  resolved: 'green',
};

/** The state filter above the list. */
export function IncidentFilterBar({ value, onChange }: { value: IncidentFilter; onChange(v: IncidentFilter): void }) {
  return (
    <TestIdBox testId={ids.filter}>
      <RadioButtonGroup
        id="incidents-filter"
        aria-label="Incidents to show"
        options={INCIDENT_FILTERS.map((f) => ({ ...f }))}
        value={value}
        onChange={onChange}
      />
    </TestIdBox>
  );
}

const EMPTY: Record<IncidentFilter, string> = {
  active: 'No active incidents',
  open: 'No open incidents',
  acknowledged: 'No acknowledged incidents',
  resolved: 'No resolved incidents',
  all: 'No incidents yet',
};

/**
 * The incidents: state and who handled it, severity, title (a link to the detail) and services, likely
 * root cause and why, when it opened, its alerts.
 */
export function IncidentTable({
  incidents,
  now,
  filter,
}: {
  incidents: readonly IncidentView[];
  now: number;
  filter: IncidentFilter;
}) {
  if (incidents.length === 0) {
    return (
      <PageEmpty title={EMPTY[filter]}>
        Alerts that share a service, a dependency or a related symptom within the correlation window form an incident.
      </PageEmpty>
    );
  }
  const rows = toIncidentRows(incidents, now);
  return (
    <table className="filter-table" data-testid={ids.incidentList}>
      <thead>
        <tr>
          <th>State</th>
          <th>Severity</th>
          <th>Incident</th>
          <th>Likely root cause</th>
          <th>Opened</th>
          <th>Alerts</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr
            key={r.id}
            data-testid={ids.incident}
            data-incident-id={r.id}
            data-state={r.state}
            data-severity={r.severity}
          >
            <td>
              <Stack direction="column" gap={0.5} alignItems="flex-start">
                <Badge text={r.state} color={INCIDENT_STATE_COLOR[r.state]} />
                {r.handledBy ? (
                  <Text color="secondary" variant="bodySmall">
                    {r.handledBy}
                  </Text>
                ) : null}
              </Stack>
            </td>
            <td>
              <Badge text={r.severity} color={SEVERITY_COLOR[r.severity]} />
            </td>
            <td style={{ ...WRAP, minWidth: 220 }}>
              <Stack direction="column" gap={0.5}>
                <AppLink data-testid={ids.open} to={incidentUrls.detail(r.id)}>
                  {r.title}
                </AppLink>
                <Text color="secondary" variant="bodySmall">
                  {r.services.join(', ')}
                </Text>
              </Stack>
            </td>
            <td style={WRAP} data-testid={ids.rootCause}>
              <div>
                <strong>{r.rootCauseService}</strong>
              </div>
              <Text color="secondary" variant="bodySmall">
                {r.rootCauseReason}
              </Text>
            </td>
            <td>
              <Tooltip content={r.openedUtc}>
                <span>
                  <Stack direction="column" gap={0}>
                    <span>{r.openedAgo}</span>
                    <Text color="secondary" variant="bodySmall">
                      {r.duration}
                    </Text>
                  </Stack>
                </span>
              </Tooltip>
            </td>
            <td>{r.alerts}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
