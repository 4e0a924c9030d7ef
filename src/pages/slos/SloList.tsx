import React from 'react';
import { Badge, Icon, Stack, Text, Tooltip, useTheme2 } from '@grafana/ui';
import type { SloView } from '../../api/slos';
import { PageEmpty } from '../../components/PageState/PageState';
import { testIds } from '../../testIds';
import { AppLink } from '../incidents/AppLink';
import {
  BUDGET_COLOURS,
  firingAlerts,
  formatBurnRate,
  formatRatio,
  formatTimeToExhaustion,
  sortSlos,
  statusOf,
} from './sloRows';
import { sloUrls } from './urls';

const ids = testIds.slos;

/**
 * An SLO's budget status as a coloured pill: healthy green, warning orange, critical red, exhausted
 * dark red (Grafana's named colours, so both themes get their shade); `pending` and `error` grey.
 */
export function BudgetBadge({ slo, text }: { slo: Pick<SloView, 'status'>; text?: string }) {
  const theme = useTheme2();
  const status = statusOf(slo);
  const named = status === 'pending' || status === 'error' ? undefined : BUDGET_COLOURS[status];
  const colour = named ? theme.visualization.getColorByName(named) : theme.colors.text.secondary;
  return (
    <span
      data-testid={ids.budget}
      data-budget-status={status}
      style={{
        color: theme.colors.getContrastText(colour),
        background: colour,
        borderRadius: theme.shape.radius.pill,
        padding: theme.spacing(0.25, 1),
        fontWeight: theme.typography.fontWeightMedium,
        whiteSpace: 'nowrap',
      }}
    >
      {text ?? status}
    </span>
  );
}

/** The SLO list, least budget remaining first. */
export function SloTable({ slos }: { slos: readonly SloView[] }) {
  if (slos.length === 0) {
    return (
      <PageEmpty title="No SLOs yet">
        Create one with New SLO, or load a spec file with the sidecar&apos;s <code>vigil slo</code> commands.
      </PageEmpty>
    );
  }
  return (
    <table className="filter-table" data-testid={ids.list}>
      <thead>
        <tr>
          <th>Name</th>
          <th>Service</th>
          <th>Target</th>
          <th>Window</th>
          <th>SLI</th>
          <th>Budget remaining</th>
          <th>Burn rate</th>
          <th>Time to exhaustion</th>
          <th>Firing</th>
        </tr>
      </thead>
      <tbody>
        {sortSlos(slos).map((slo) => {
          const s = slo.status;
          const firing = firingAlerts(slo);
          return (
            <tr key={slo.id} data-testid={ids.row} data-slo-id={slo.id} data-budget-status={statusOf(slo)}>
              <td>
                <AppLink to={sloUrls.detail(slo.id)} data-testid={ids.open}>
                  {slo.name}
                </AppLink>
              </td>
              <td>{slo.service}</td>
              <td>{slo.target}%</td>
              <td>{slo.window}</td>
              <td data-testid={ids.sli}>{formatRatio(s?.sli, 3)}</td>
              <td>
                <Stack gap={1} alignItems="center">
                  <BudgetBadge
                    slo={slo}
                    text={s?.error || s?.budgetRemaining == null ? statusOf(slo) : formatRatio(s.budgetRemaining, 1)}
                  />
                  {s?.error ? (
                    <Tooltip content={s.error}>
                      <Icon name="exclamation-triangle" aria-label={`Last evaluation failed: ${s.error}`} />
                    </Tooltip>
                  ) : null}
                </Stack>
              </td>
              <td data-testid={ids.burnRate}>{formatBurnRate(s?.burnRate)}</td>
              <td data-testid={ids.timeToExhaustion}>{formatTimeToExhaustion(s)}</td>
              <td data-testid={ids.firing}>
                {firing.length === 0 ? (
                  <Text color="secondary">none</Text>
                ) : (
                  <Stack gap={0.5} wrap="wrap">
                    {firing.map((name) => (
                      <Badge key={name} text={name} color="red" icon="fire" />
                    ))}
                  </Stack>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
