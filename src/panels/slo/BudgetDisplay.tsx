/** The SLO panel's budget display, shared by its query and sidecar sources. */
import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { testIds } from '../../testIds';
import type { BudgetStatus } from './budget';

/** Budget status colours: healthy green, warning orange, critical red, exhausted dark red. */
export const STATUS_COLOR: Record<BudgetStatus, string> = {
  healthy: 'green',
  warning: 'orange',
  critical: 'red',
  exhausted: 'dark-red',
};

/** Formats a ratio as a percentage with enough decimals to tell 99.9 from 99.95. */
export function formatPercent(ratio: number, decimals = 2): string {
  return `${(ratio * 100).toFixed(decimals)}%`;
}

/** What the budget display shows, from the panel's query or from the sidecar. */
export interface BudgetFigures {
  /** 0..1 */
  remaining: number;
  consumed: number;
  status: BudgetStatus;
  /** The SLI as a ratio. */
  sli: number | null;
  /** Objective in percent. */
  objective: number;
  /** The small print on the right (points read, or the SLO's name and window), and its tooltip. */
  note: string;
  noteTitle?: string;
}

/**
 * Budget remaining (big, in its status colour), the status, a bar, SLI and objective (and `facts`, more
 * of them on that line); `children` below.
 */
export function BudgetDisplay({
  figures,
  width,
  height,
  facts,
  children,
}: {
  figures: BudgetFigures;
  width: number;
  height: number;
  facts?: React.ReactNode;
  children?: React.ReactNode;
}) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const ids = testIds.sloPanel;
  const color = theme.visualization.getColorByName(STATUS_COLOR[figures.status]);
  return (
    <div className={styles.container} style={{ width, height }} data-testid={ids.container}>
      <div className={styles.main}>
        <div className={styles.label}>Error budget remaining</div>
        <div
          className={styles.big}
          style={{ color }}
          data-testid={ids.budgetRemaining}
          data-budget-status={figures.status}
        >
          {formatPercent(figures.remaining, 1)}
        </div>
        <div className={styles.status} style={{ borderColor: color, color }} data-testid={ids.status}>
          {figures.status}
        </div>
      </div>
      <div className={styles.bar} title={`${formatPercent(Math.min(figures.consumed, 1), 1)} of the budget consumed`}>
        <div className={styles.barFill} style={{ width: `${figures.remaining * 100}%`, background: color }} />
      </div>
      <div className={styles.facts}>
        <span>
          SLI <strong data-testid={ids.sli}>{figures.sli === null ? '—' : formatPercent(figures.sli, 3)}</strong>
        </span>
        <span>
          Objective <strong data-testid={ids.objective}>{figures.objective}%</strong>
        </span>
        {facts}
        <span title={figures.noteTitle}>{figures.note}</span>
      </div>
      {children}
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
