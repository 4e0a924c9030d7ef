import React, { useMemo } from 'react';
import type { PanelProps } from '@grafana/data';
import { PanelState, queryState } from '../../components/PanelState/PanelState';
import { testIds } from '../../testIds';
import { BudgetDisplay } from './BudgetDisplay';
import { SidecarSlo } from './SidecarSlo';
import { sloFromFrames } from './sloFromFrames';
import { defaultSloOptions, type SloOptions } from './types';

export { formatPercent } from './BudgetDisplay';

/**
 * The SLO / error budget panel: current SLI, objective, budget remaining and its status — from the
 * panel's own query, or (source `sidecar`) an SLO the Vigil sidecar evaluates, with its burn-rate alerts.
 */
export function SloPanel(props: PanelProps<SloOptions>) {
  if (props.options?.source === 'sidecar') {
    return <SidecarSlo {...props} />;
  }
  return <QuerySlo {...props} />;
}

/** The panel on its own query's SLI series. */
function QuerySlo({ data, options, width, height }: PanelProps<SloOptions>) {
  // Grafana fills in option defaults; a host page or an old dashboard may not.
  const view = useMemo(() => sloFromFrames(data.series, { ...defaultSloOptions, ...options }), [data.series, options]);
  const ids = testIds.sloPanel;

  const fromQuery = queryState(data, ids, 'Loading SLI…', width, height);
  if (fromQuery) {
    return fromQuery;
  }
  if (view.kind === 'error') {
    return <PanelState kind="error" testId={ids.error} message={view.message} width={width} height={height} />;
  }
  if (view.kind === 'empty') {
    return <PanelState kind="empty" testId={ids.empty} message={view.message} width={width} height={height} />;
  }
  const { budget } = view;
  return (
    <BudgetDisplay
      width={width}
      height={height}
      figures={{
        remaining: budget.remaining,
        consumed: budget.consumed,
        status: budget.status,
        sli: budget.sli,
        objective: view.objective,
        note: `${view.points} points`,
        noteTitle: view.name,
      }}
    />
  );
}
