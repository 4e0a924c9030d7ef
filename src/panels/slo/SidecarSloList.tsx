/** The SLO panel's list of sidecar SLOs: one line each, the closest to running out of budget first. */
import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2, PanelProps } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import type { SloView } from '../../api/slos';
import { PanelState } from '../../components/PanelState/PanelState';
import { formatRatio, formatTimeToExhaustion, sortSlos, statusOf } from '../../pages/slos/sloRows';
import { testIds } from '../../testIds';
import { STATUS_COLOR } from './BudgetDisplay';
import type { SloOptions } from './types';
import { refreshKeyOf, useSidecarSloList } from './useSidecarSlo';

const ids = testIds.sloPanel;

/** Budget remaining as the list shows it: the figure, or why there is none (`pending`, `error`). */
export function listBudgetText(slo: SloView): string {
  const s = slo.status;
  return s && !s.error && s.budgetRemaining !== null ? formatRatio(s.budgetRemaining, 1) : statusOf(slo);
}

function Row({ slo }: { slo: SloView }) {
  const theme = useTheme2();
  const status = statusOf(slo);
  const s = slo.status;
  const named = status === 'pending' || status === 'error' ? undefined : STATUS_COLOR[status];
  const color = named ? theme.visualization.getColorByName(named) : theme.colors.text.secondary;
  return (
    <tr data-testid={ids.listRow} data-slo-id={slo.id} data-budget-status={status} title={s?.error ?? undefined}>
      <td data-testid={ids.listName}>{slo.name}</td>
      <td data-testid={ids.listSli}>{formatRatio(s?.sli, 3)}</td>
      <td data-testid={ids.listObjective}>{slo.target}%</td>
      <td data-testid={ids.listBudget} style={{ color, fontWeight: 600 }}>
        {listBudgetText(slo)}
      </td>
      <td style={{ color }}>{status}</td>
      <td data-testid={ids.listTimeToExhaustion}>{formatTimeToExhaustion(s)}</td>
    </tr>
  );
}

/**
 * The sidecar's SLOs (only `options.service`'s when set) with SLI against objective, budget remaining
 * in its status colour and time to exhaustion; sorted as the SLOs page sorts them.
 */
export function SidecarSloList({ options, width, height, timeRange }: PanelProps<SloOptions>) {
  const styles = useStyles2(getStyles);
  const service = options.service?.trim() ?? '';
  const state = useSidecarSloList(service, refreshKeyOf(timeRange));
  if (state.status === 'loading') {
    return (
      <PanelState
        kind="loading"
        testId={ids.loading}
        message="Loading SLOs from the Vigil sidecar…"
        width={width}
        height={height}
      />
    );
  }
  if (state.status === 'error') {
    return <PanelState kind="error" testId={ids.error} message={state.error.message} width={width} height={height} />;
  }
  if (state.value.length === 0) {
    const message = service
      ? `The Vigil sidecar has no SLO for the service "${service}".`
      : 'The Vigil sidecar has no SLOs yet.';
    return <PanelState kind="empty" testId={ids.empty} message={message} width={width} height={height} />;
  }
  return (
    <div className={styles.container} style={{ width, height }} data-testid={ids.container}>
      <table className={`filter-table ${styles.table}`} data-testid={ids.list}>
        <thead>
          <tr>
            <th>SLO</th>
            <th>SLI</th>
            <th>Objective</th>
            <th>Budget</th>
            <th>Status</th>
            <th>Exhaustion</th>
          </tr>
        </thead>
        <tbody>
          {sortSlos(state.value).map((slo) => (
            <Row key={slo.id} slo={slo} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  container: css({ overflow: 'auto', padding: theme.spacing(0.5) }),
  table: css({ width: '100%', fontSize: theme.typography.bodySmall.fontSize }),
});
