import React, { useMemo } from 'react';
import { css } from '@emotion/css';
import { type GrafanaTheme2, type PanelProps } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { PanelState, queryState } from '../../components/PanelState/PanelState';
import { incidentUrls } from '../../pages/incidents/urls';
import { ruleUrls } from '../../pages/rules/urls';
import { testIds } from '../../testIds';
import { fromSidecarAlerts } from './fromSidecar';
import { groupAlerts } from './groups';
import { type AlertItem, SEVERITIES, type Severity, summarizeAlerts } from './summarize';
import { defaultAlertsOptions, type AlertsOptions } from './types';
import { useSidecarAlerts } from './useSidecarAlerts';

const SEVERITY_COLOR: Record<Severity, string> = {
  critical: 'red',
  error: 'orange',
  warning: 'yellow',
  info: 'blue',
  other: 'text',
};

/** Options may be missing or hand-edited in a saved dashboard: fall back rather than show nothing. */
function cleanOptions(options: Partial<AlertsOptions> | undefined): AlertsOptions {
  const requested = Number(options?.maxItems);
  return {
    source: options?.source === 'sidecar' ? 'sidecar' : 'frames',
    severities: Array.isArray(options?.severities) ? options.severities : defaultAlertsOptions.severities,
    maxItems: Number.isFinite(requested) && requested >= 1 ? Math.floor(requested) : defaultAlertsOptions.maxItems,
    groupBy:
      options?.groupBy === 'service' || options?.groupBy === 'none' ? options.groupBy : defaultAlertsOptions.groupBy,
  };
}

/**
 * The alert summary panel: active alerts counted per severity, and the most urgent ones listed,
 * grouped by severity or service. Reads the panel's frames (Prometheus `ALERTS`, alert tables) or the
 * Vigil sidecar's alert instances.
 */
export function AlertsPanel({ data, options, width, height }: PanelProps<AlertsOptions>) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const opts = cleanOptions(options);
  const ids = testIds.alertsPanel;
  const sidecar = opts.source === 'sidecar';
  const range = data.timeRange;
  const remote = useSidecarAlerts(sidecar, `${range?.from?.valueOf() ?? ''}-${range?.to?.valueOf() ?? ''}`);
  const items: AlertItem[] | undefined = useMemo(() => {
    if (!sidecar) {
      return summarizeAlerts(data.series).alerts;
    }
    return remote.status === 'done' ? fromSidecarAlerts(remote.alerts) : undefined;
  }, [sidecar, data.series, remote]);
  const grouped = useMemo(() => (items ? groupAlerts(items, cleanOptions(options)) : undefined), [items, options]);

  if (!sidecar) {
    const fromQuery = queryState(data, ids, 'Loading alerts…', width, height);
    if (fromQuery) {
      return fromQuery;
    }
  } else if (remote.status === 'loading') {
    return (
      <PanelState
        kind="loading"
        testId={ids.loading}
        message="Loading alerts from the Vigil sidecar…"
        width={width}
        height={height}
      />
    );
  } else if (remote.status === 'error') {
    return <PanelState kind="error" testId={ids.error} message={remote.error.message} width={width} height={height} />;
  }
  if (!grouped || grouped.summary.total === 0) {
    const filtered = opts.severities.length > 0 ? ` (${opts.severities.join(', ')})` : '';
    return (
      <PanelState
        kind="empty"
        testId={ids.empty}
        message={`No active alerts${filtered}`}
        width={width}
        height={height}
      />
    );
  }

  const { summary, groups, shown } = grouped;
  const color = (s: Severity) =>
    s === 'other' ? theme.colors.text.secondary : theme.visualization.getColorByName(SEVERITY_COLOR[s]);
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
        {groups.map((g) => (
          <li key={g.key} data-testid={ids.group} data-group={g.key}>
            {g.title !== null ? <div className={styles.groupTitle}>{g.title}</div> : null}
            <ul className={styles.list}>
              {g.items.map((a, i) => (
                <li key={`${a.name}-${i}`} className={styles.item} data-testid={ids.item}>
                  <span className={styles.dot} style={{ background: color(a.severity) }} />
                  <span className={styles.name}>{a.name}</span>
                  <span className={styles.muted}>
                    {a.severity} · {a.state}
                    {a.labels.service && opts.groupBy !== 'service' ? ` · ${a.labels.service}` : ''}
                  </span>
                  <span className={styles.links}>
                    <a
                      className={styles.link}
                      href={a.ruleId ? ruleUrls.edit(a.ruleId) : ruleUrls.search(a.name)}
                      data-testid={ids.ruleLink}
                      title={a.ruleId ? 'Open its rule in Vigil' : `Find the rule "${a.name}" in Vigil`}
                    >
                      rule
                    </a>
                    <a
                      className={styles.link}
                      href={incidentUrls.list()}
                      data-testid={ids.incidentLink}
                      title="Vigil's incidents: the alert's correlated incident"
                    >
                      incidents
                    </a>
                  </span>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
      {summary.total > shown ? <div className={styles.muted}>and {summary.total - shown} more</div> : null}
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
  groupTitle: css({
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
    textTransform: 'uppercase',
    marginTop: theme.spacing(0.5),
  }),
  item: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(1), padding: theme.spacing(0.25, 0) }),
  dot: css({ width: 8, height: 8, borderRadius: '50%', flexShrink: 0 }),
  name: css({ fontWeight: theme.typography.fontWeightMedium }),
  muted: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  links: css({ marginLeft: 'auto', display: 'flex', gap: theme.spacing(1), flexShrink: 0 }),
  link: css({ color: theme.colors.text.link, fontSize: theme.typography.bodySmall.fontSize }),
});
