import React, { useMemo } from 'react';
import { css } from '@emotion/css';
import { type GrafanaTheme2, type PanelProps } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { PanelState, queryState } from '../../components/PanelState/PanelState';
import { testIds } from '../../testIds';
import { SEVERITIES, type Severity, summarizeAlerts } from './summarize';
import { defaultAlertsOptions, type AlertsOptions } from './types';

const SEVERITY_COLOR: Record<Severity, string> = {
  critical: 'red',
  error: 'orange',
  warning: 'yellow',
  info: 'blue',
  other: 'text',
};

/** The alert summary panel: active alerts counted per severity, and the most urgent ones listed. */
export function AlertsPanel({ data, options, width, height }: PanelProps<AlertsOptions>) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const summary = useMemo(() => summarizeAlerts(data.series), [data.series]);
  // Options may be missing or hand-edited in a saved dashboard: fall back rather than show nothing.
  const requested = Number(options?.maxItems);
  const maxItems = Number.isFinite(requested) && requested >= 1 ? Math.floor(requested) : defaultAlertsOptions.maxItems;
  const ids = testIds.alertsPanel;

  const fromQuery = queryState(data, ids, 'Loading alerts…', width, height);
  if (fromQuery) {
    return fromQuery;
  }
  if (summary.total === 0) {
    return <PanelState kind="empty" testId={ids.empty} message="No active alerts" width={width} height={height} />;
  }

  const color = (s: Severity) =>
    s === 'other' ? theme.colors.text.secondary : theme.visualization.getColorByName(SEVERITY_COLOR[s]);
  const shown = summary.alerts.slice(0, maxItems);
  return (
    <div className={styles.container} style={{ width, height }} data-testid={ids.container}>
      <div className={styles.header}>
        <span className={styles.total} data-testid={ids.count}>
          {summary.total}
        </span>
        <span className={styles.muted}>active alert{summary.total === 1 ? '' : 's'}</span>
        {SEVERITIES.filter((s) => summary.bySeverity[s] > 0).map((s) => (
          <span
            key={s}
            className={styles.chip}
            style={{ borderColor: color(s), color: color(s) }}
            data-testid={ids.severityCount}
            data-severity={s}
          >
            {s} {summary.bySeverity[s]}
          </span>
        ))}
      </div>
      <ul className={styles.list} data-testid={ids.list}>
        {shown.map((a, i) => (
          <li key={`${a.name}-${i}`} className={styles.item} data-testid={ids.item}>
            <span className={styles.dot} style={{ background: color(a.severity) }} />
            <span className={styles.name}>{a.name}</span>
            <span className={styles.muted}>
              {a.severity} · {a.state}
              {a.labels.service ? ` · ${a.labels.service}` : ''}
            </span>
          </li>
        ))}
      </ul>
      {summary.total > shown.length ? (
        <div className={styles.muted}>and {summary.total - shown.length} more</div>
      ) : null}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  container: css({
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
    padding: theme.spacing(1),
    overflow: 'auto',
  }),
  header: css({ display: 'flex', alignItems: 'baseline', flexWrap: 'wrap', gap: theme.spacing(1) }),
  total: css({ fontSize: theme.typography.h2.fontSize, fontWeight: theme.typography.fontWeightMedium }),
  chip: css({
    border: '1px solid',
    borderRadius: theme.shape.radius.pill,
    padding: theme.spacing(0, 1),
    fontSize: theme.typography.bodySmall.fontSize,
  }),
  list: css({ listStyle: 'none', margin: 0, padding: 0 }),
  item: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(1), padding: theme.spacing(0.25, 0) }),
  dot: css({ width: 8, height: 8, borderRadius: '50%', flexShrink: 0 }),
  name: css({ fontWeight: theme.typography.fontWeightMedium }),
  muted: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
});
