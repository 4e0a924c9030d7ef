import React from 'react';
import type { PanelProps } from '@grafana/data';
import { useTheme2 } from '@grafana/ui';
import { PanelState } from '../../components/PanelState/PanelState';
import { testIds } from '../../testIds';
import { formatBurnRate, formatSpan, formatTimeToExhaustion } from '../../pages/slos/sloRows';
import type { SloBurnRateView, SloView } from '../../api/slos';
import { BudgetDisplay, STATUS_COLOR } from './BudgetDisplay';
import { PanelBurnDown } from './PanelBurnDown';
import { SidecarSloList } from './SidecarSloList';
import type { SloOptions } from './types';
import { refreshKeyOf, useSidecarSlo } from './useSidecarSlo';

const ids = testIds.sloPanel;

/** Whether the SLO's spec turns its `kind` alerts off (`alerting: { page: false }`): evaluated, never raised. */
export function alertingOff(slo: Pick<SloView, 'spec'>, kind: SloBurnRateView['kind']): boolean {
  const alerting = slo.spec.alerting as Partial<Record<SloBurnRateView['kind'], unknown>> | undefined;
  return alerting?.[kind] === false;
}

/** The Firing cell: an alert turned off says it would fire rather than claim it does. */
export function firingText(b: Pick<SloBurnRateView, 'firing' | 'lowTraffic'>, off: boolean): string {
  if (b.firing) {
    return off ? 'would fire (off)' : 'firing';
  }
  return b.lowTraffic ? 'low traffic' : off ? 'no (off)' : 'no';
}

/** The SLO's burn-rate alerts, compact: alert, windows, factor, long / short rate, firing. */
function BurnRates({ slo }: { slo: SloView }) {
  const rows = slo.status?.burnRates ?? [];
  if (rows.length === 0) {
    return null;
  }
  return (
    <table className="filter-table" data-testid={ids.burnRates} style={{ fontSize: '0.85em' }}>
      <thead>
        <tr>
          <th>Alert</th>
          <th>Windows</th>
          <th>Factor</th>
          <th>Long</th>
          <th>Short</th>
          <th>Firing</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((b) => (
          <tr key={b.name} data-testid={ids.burnRateRow} data-alert={b.name} data-firing={String(b.firing)}>
            <td>{b.name}</td>
            <td>
              {formatSpan(b.longWindowMs)} / {formatSpan(b.shortWindowMs)}
            </td>
            <td>{formatBurnRate(b.factor)}</td>
            <td>{formatBurnRate(b.longRate)}</td>
            <td>{formatBurnRate(b.shortRate)}</td>
            <td>{firingText(b, alertingOff(slo, b.kind))}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Height of the budget figures above the burn-down, and of one burn-rate table row (px). */
const FIGURES_PX = 150;
const ROW_PX = 24;

/**
 * The panel on the Vigil sidecar (through the app's plugin proxy): one SLO (`sloId`) — its budget as
 * the sidecar computed it over the SLO's own window, time to exhaustion, burn-down and burn-rate
 * alerts — or (`sidecarShow: list`) a list of SLOs. Refreshes with the dashboard.
 */
export function SidecarSlo(props: PanelProps<SloOptions>) {
  if (props.options.sidecarShow === 'list') {
    return <SidecarSloList {...props} />;
  }
  return <SidecarSloOne {...props} />;
}

function SidecarSloOne({ options, width, height, timeRange }: PanelProps<SloOptions>) {
  const theme = useTheme2();
  const refreshKey = refreshKeyOf(timeRange);
  const state = useSidecarSlo(options.sloId, refreshKey);
  if (state.status === 'off') {
    return (
      <PanelState
        kind="empty"
        testId={ids.empty}
        message="Pick an SLO of the Vigil sidecar in the panel options, or show the list."
        width={width}
        height={height}
      />
    );
  }
  if (state.status === 'loading') {
    return (
      <PanelState
        kind="loading"
        testId={ids.loading}
        message="Loading the SLO from the Vigil sidecar…"
        width={width}
        height={height}
      />
    );
  }
  if (state.status === 'error') {
    return <PanelState kind="error" testId={ids.error} message={state.error.message} width={width} height={height} />;
  }
  const { slo } = state;
  const s = slo.status;
  if (!s || s.error || s.budgetRemaining === null || s.budgetStatus === null) {
    const why = s?.error
      ? `its last evaluation failed: ${s.error}`
      : 'the sidecar has not evaluated it yet (once a minute)';
    return <PanelState kind="empty" testId={ids.empty} message={`${slo.name}: ${why}`} width={width} height={height} />;
  }
  // The burn-down takes what the figures and the table leave, within reason.
  const tableRows = s.burnRates.length > 0 ? s.burnRates.length + 1 : 0;
  const lineHeight = Math.max(40, Math.min(120, height - FIGURES_PX - tableRows * ROW_PX));
  return (
    <BudgetDisplay
      width={width}
      height={height}
      figures={{
        remaining: s.budgetRemaining,
        consumed: s.budgetConsumed ?? 1 - s.budgetRemaining,
        status: s.budgetStatus,
        sli: s.sli,
        objective: slo.target,
        note: `${slo.name} · ${slo.window}`,
        noteTitle: slo.description ?? slo.name,
      }}
      facts={
        <span>
          Exhaustion <strong data-testid={ids.timeToExhaustion}>{formatTimeToExhaustion(s)}</strong>
        </span>
      }
    >
      <PanelBurnDown
        id={slo.id}
        refreshKey={`${refreshKey}-${s.evaluatedAt}`}
        width={Math.max(100, width - 16)}
        height={lineHeight}
        color={theme.visualization.getColorByName(STATUS_COLOR[s.budgetStatus])}
      />
      <BurnRates slo={slo} />
    </BudgetDisplay>
  );
}
