import React from 'react';
import { Badge, type BadgeColor, Button, Icon, Stack, Text, Tooltip } from '@grafana/ui';
import type { RuleHealth, Severity } from '@vigil/core';
import { testIds } from '../../testIds';
import type { RuleRow, RuleState } from './ruleRows';

/** Severity colours: the guide's four levels, as the alert-summary panel shows them. */
export const SEVERITY_COLOR: Record<Severity, BadgeColor> = {
  critical: 'red',
  error: 'orange',
  warning: 'orange',
  info: 'blue',
};

/** State colours, as Grafana Alerting shows instance states. */
export const STATE_COLOR: Record<RuleState, BadgeColor> = {
  firing: 'red',
  error: 'red',
  pending: 'orange',
  recovering: 'orange',
  nodata: 'blue',
  normal: 'green',
};

const HEALTH_COLOR: Record<RuleHealth, BadgeColor> = { ok: 'green', error: 'red', nodata: 'blue', unknown: 'darkgrey' };

/** What the table asks of its page: one callback per action. */
export interface RuleActions {
  onEdit(row: RuleRow): void;
  onDuplicate(row: RuleRow): void;
  onDelete(row: RuleRow): void;
}

/** The rules table: state, name (with a "file" badge on read-only rules), severity, evaluation, actions. */
export function RulesTable({ rows, actions }: { rows: RuleRow[]; actions: RuleActions }) {
  const ids = testIds.rules;
  return (
    <table className="filter-table" data-testid={ids.list}>
      <thead>
        <tr>
          <th>State</th>
          <th>Name</th>
          <th>Severity</th>
          <th>Instances</th>
          <th>Last evaluation</th>
          <th>Health</th>
          <th aria-label="Actions" />
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr
            key={row.id}
            data-testid={ids.row}
            data-rule-id={row.id}
            data-severity={row.severity}
            data-state={row.state}
            data-origin={row.origin}
          >
            <td>
              <Badge text={row.state} color={STATE_COLOR[row.state]} />
            </td>
            <td>
              <Stack gap={1} alignItems="center">
                <Text weight="medium">{row.name}</Text>
                {row.readOnly ? (
                  <span data-testid={ids.readOnlyBadge}>
                    <Tooltip content={`Defined in the rule file ${row.file ?? ''}: edit the file to change it`}>
                      <span>
                        <Badge text="file · read-only" color="purple" icon="lock" />
                      </span>
                    </Tooltip>
                  </span>
                ) : null}
              </Stack>
            </td>
            <td>
              <Badge text={row.severity} color={SEVERITY_COLOR[row.severity]} />
            </td>
            <td>{row.states}</td>
            <td>{row.lastEvaluation}</td>
            <td>
              <Stack gap={1} alignItems="center">
                <Badge text={row.health} color={HEALTH_COLOR[row.health] ?? 'darkgrey'} />
                {row.error ? (
                  <Tooltip content={row.error}>
                    <Icon name="exclamation-triangle" aria-label={`Last error: ${row.error}`} />
                  </Tooltip>
                ) : null}
              </Stack>
            </td>
            <td>
              <Stack gap={1} justifyContent="flex-end">
                <Button
                  size="sm"
                  variant="secondary"
                  icon={row.readOnly ? 'eye' : 'pen'}
                  data-testid={ids.edit}
                  aria-label={`${row.readOnly ? 'View' : 'Edit'} ${row.name}`}
                  onClick={() => actions.onEdit(row)}
                >
                  {row.readOnly ? 'View' : 'Edit'}
                </Button>
                <Button
                  size="sm"
                  variant="secondary"
                  icon="copy"
                  data-testid={ids.duplicate}
                  aria-label={`Duplicate ${row.name}`}
                  onClick={() => actions.onDuplicate(row)}
                >
                  Duplicate
                </Button>
                {row.readOnly ? null : (
                  <Button
                    size="sm"
                    variant="destructive"
                    icon="trash-alt"
                    data-testid={ids.delete}
                    aria-label={`Delete ${row.name}`}
                    onClick={() => actions.onDelete(row)}
                  />
                )}
              </Stack>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
