import React, { useMemo } from 'react';
import { css } from '@emotion/css';
import { type GrafanaTheme2, type PanelProps } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { PanelState, queryState } from '../../components/PanelState/PanelState';
import { testIds } from '../../testIds';
import type { BudgetStatus } from './budget';
import { sloFromFrames } from './sloFromFrames';
import { defaultSloOptions, type SloOptions } from './types';

const STATUS_COLOR: Record<BudgetStatus, string> = {
  healthy: 'green',
  warning: 'orange',
  critical: 'red',
  exhausted: 'dark-red',
};

/** Formats a ratio as a percentage with enough decimals to tell 99.9 from 99.95. */
export function formatPercent(ratio: number, decimals = 2): string {
  return `${(ratio * 100).toFixed(decimals)}%`;
}

/** The SLO / error budget panel: current SLI, objective, budget remaining and its status. */
export function SloPanel({ data, options, width, height }: PanelProps<SloOptions>) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
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
  const color = theme.visualization.getColorByName(STATUS_COLOR[budget.status]);
  return (
    <div className={styles.container} style={{ width, height }} data-testid={ids.container}>
      <div className={styles.main}>
        <div className={styles.label}>Error budget remaining</div>
        <div className={styles.big} style={{ color }} data-testid={ids.budgetRemaining}>
          {formatPercent(budget.remaining, 1)}
        </div>
        <div className={styles.status} style={{ borderColor: color, color }} data-testid={ids.status}>
          {budget.status}
        </div>
      </div>
      <div className={styles.bar} title={`${formatPercent(Math.min(budget.consumed, 1), 1)} of the budget consumed`}>
        <div className={styles.barFill} style={{ width: `${budget.remaining * 100}%`, background: color }} />
      </div>
      <div className={styles.facts}>
        <span>
          SLI <strong data-testid={ids.sli}>{formatPercent(budget.sli, 3)}</strong>
        </span>
        <span>
          Objective <strong data-testid={ids.objective}>{view.objective}%</strong>
        </span>
        <span title={view.name}>{view.points} points</span>
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  container: css({
    display: 'flex',
    flexDirection: 'column',
    justifyContent: 'center',
    gap: theme.spacing(1),
    padding: theme.spacing(1),
    overflow: 'hidden',
  }),
  main: css({ display: 'flex', flexDirection: 'column', alignItems: 'center', gap: theme.spacing(0.5) }),
  label: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  big: css({ fontSize: theme.typography.h1.fontSize, fontWeight: theme.typography.fontWeightMedium, lineHeight: 1.1 }),
  status: css({
    border: '1px solid',
    borderRadius: theme.shape.radius.pill,
    padding: theme.spacing(0, 1),
    textTransform: 'uppercase',
    fontSize: theme.typography.bodySmall.fontSize,
  }),
  bar: css({ height: 6, background: theme.colors.background.secondary, borderRadius: 3, overflow: 'hidden' }),
  barFill: css({ height: '100%' }),
  facts: css({
    display: 'flex',
    justifyContent: 'space-around',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
  }),
});
