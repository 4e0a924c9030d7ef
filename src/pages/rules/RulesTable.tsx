import React, { useState } from 'react';
import { Badge, type BadgeColor, Button, Icon, Stack, Text, Tooltip } from '@grafana/ui';
import type { RuleHealth, Severity } from '@vigil/core';
import { testIds } from '../../testIds';
import type { RuleRow, RuleState } from './ruleRows';
import { RuleInstances } from './RuleInstances';

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

/**
 * The rules table: state, name (with a "file" badge on read-only rules), severity, evaluation, actions.
 * Each row expands (toggle button, `aria-expanded`) to list the rule's alert instances and their history.
 */
export function RulesTable({ rows, actions }: { rows: RuleRow[]; actions: RuleActions }) {
  const ids = testIds.rules;
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) =>
    setExpanded((prev) => {
      const next = new Set(prev);
      if (!next.delete(id)) {
        next.add(id);
      }
      return next;
    });
  return (
    <table className="filter-table" data-testid={ids.list}>
      <thead>
        <tr>
          <th aria-label="Expand" />
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
          <React.Fragment key={row.id}>
            <tr
              data-testid={ids.row}
              data-rule-id={row.id}
              data-severity={row.severity}
              data-state={row.state}
              data-origin={row.origin}
            >
              <td>
                <Button
                  size="sm"
                  variant="secondary"
                  fill="text"
                  icon={expanded.has(row.id) ? 'angle-down' : 'angle-right'}
                  data-testid={ids.expand}
                  aria-expanded={expanded.has(row.id)}
                  aria-controls={`vigil-instances-${row.id}`}
                  aria-label={`${expanded.has(row.id) ? 'Hide' : 'Show'} alert instances of ${row.name}`}
                  onClick={() => toggle(row.id)}
                />
              </td>
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
            {expanded.has(row.id) ? (
              <tr id={`vigil-instances-${row.id}`}>
                <td colSpan={8}>
                  <RuleInstances ruleId={row.id} />
                </td>
              </tr>
            ) : null}
          </React.Fragment>
        ))}
      </tbody>
    </table>
  );
}
