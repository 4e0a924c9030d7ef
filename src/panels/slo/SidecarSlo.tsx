import React from 'react';
import type { PanelProps } from '@grafana/data';
import { PanelState } from '../../components/PanelState/PanelState';
import { testIds } from '../../testIds';
import { formatBurnRate, formatSpan, formatTimeToExhaustion } from '../../pages/slos/sloRows';
import type { SloView } from '../../api/slos';
import { BudgetDisplay } from './BudgetDisplay';
import type { SloOptions } from './types';
import { useSidecarSlo } from './useSidecarSlo';

const ids = testIds.sloPanel;

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
            <td>{b.firing ? 'firing' : b.lowTraffic ? 'low traffic' : 'no'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The panel on an SLO the sidecar evaluates (`sloId`, through the app's plugin proxy): its budget as
 * the sidecar computed it over the SLO's own window, and its burn-rate alerts. Refreshes with the
 * dashboard.
 */
export function SidecarSlo({ options, width, height, timeRange }: PanelProps<SloOptions>) {
  const refreshKey = `${timeRange?.from?.valueOf() ?? ''}-${timeRange?.to?.valueOf() ?? ''}`;
  const state = useSidecarSlo(options.sloId, refreshKey);
  if (state.status === 'off') {
    return (
      <PanelState
        kind="empty"
        testId={ids.empty}
        message="Pick an SLO of the Vigil sidecar in the panel options."
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
        note: `${slo.window} · exhaustion ${formatTimeToExhaustion(s)}`,
        noteTitle: slo.name,
      }}
    >
      <BurnRates slo={slo} />
    </BudgetDisplay>
  );
}
