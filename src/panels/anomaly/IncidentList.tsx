import React, { useState } from 'react';
import { css } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { incidentUrls } from '../../pages/incidents/urls';
import { testIds } from '../../testIds';
import type { Incident } from './incidents';

/** Height of one row of the list, in pixels (the panel sizes the chart around the list). */
export const INCIDENT_ROW_HEIGHT = 20;

/** Props of {@link IncidentList}. */
export interface IncidentListProps {
  incidents: Incident[];
  timeZone: string;
  height: number;
}

/** Rows drawn beyond those that fit in the list's height before it is scrolled. */
const EXTRA_ROWS = 4;

const percent = (x: number) => (Number.isFinite(x) ? `${Math.round(x * 100)}%` : '—');

/**
 * The anomalies under the chart, one row per incident, newest first: when, what type, the guide's
 * "Anomaly in X: current=…, expected=…±…" message for its peak, and the detector's confidence.
 * A long list (a week of a noisy series) draws the rows that fit, and the rest once it is scrolled
 * (a spacer keeps the scroll bar's length meanwhile).
 */
export function IncidentList({ incidents, timeZone, height }: IncidentListProps) {
  const styles = useStyles2(getStyles);
  const ids = testIds.anomalyPanel;
  const [scrolled, setScrolled] = useState(false);
  const shown = scrolled ? incidents.length : Math.ceil(height / INCIDENT_ROW_HEIGHT) + EXTRA_ROWS;
  const newestFirst = incidents.slice(Math.max(0, incidents.length - shown)).reverse();
  const hidden = incidents.length - newestFirst.length;
  return (
    <ul
      className={styles.list}
      style={{ maxHeight: height }}
      data-testid={ids.incidentList}
      aria-label="Anomalies"
      onScroll={hidden > 0 ? () => setScrolled(true) : undefined}
    >
      {newestFirst.map((inc) => {
        const when = dateTimeFormat(inc.start, { timeZone, format: 'YYYY-MM-DD HH:mm:ss' });
        const points = inc.points > 1 ? ` · ${inc.points} points` : '';
        return (
          <li
            key={`${inc.metric}-${inc.start}`}
            className={styles.row}
            style={{ minHeight: INCIDENT_ROW_HEIGHT }}
            data-testid={ids.incident}
            data-anomaly-type={inc.peak.type}
          >
            <span className={styles.time}>{when}</span>
            <span className={styles.type}>{inc.peak.type.replace(/_/g, ' ')}</span>
            <span className={styles.message} title={inc.peak.message}>
              {inc.peak.message}
            </span>
            <span className={styles.meta}>
              confidence {percent(inc.confidence)}
              {points}
            </span>
            <a
              className={styles.link}
              href={incidentUrls.list()}
              data-testid={ids.incidentLink}
              title="Vigil's incidents: the sidecar's detector raises one for this series' anomalies"
            >
              incidents
            </a>
          </li>
        );
      })}
      {hidden > 0 ? <li aria-hidden style={{ height: hidden * INCIDENT_ROW_HEIGHT }} /> : null}
    </ul>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  list: css({
    listStyle: 'none',
    margin: 0,
    padding: theme.spacing(0, 1),
    overflowY: 'auto',
    fontSize: theme.typography.bodySmall.fontSize,
    borderTop: `1px solid ${theme.colors.border.weak}`,
  }),
  // In a narrow panel the message, then the confidence shrink (with an ellipsis); the time, the type
  // and the link keep their width (they overflowed the panel, the link cut to "in").
  row: css({ display: 'flex', gap: theme.spacing(1), alignItems: 'center', whiteSpace: 'nowrap' }),
  time: css({ color: theme.colors.text.secondary, fontVariantNumeric: 'tabular-nums', flexShrink: 0 }),
  type: css({ color: theme.colors.error.text, fontWeight: theme.typography.fontWeightMedium, flexShrink: 0 }),
  message: css({ overflow: 'hidden', textOverflow: 'ellipsis', minWidth: 0, flex: '1 1 auto' }),
  meta: css({
    color: theme.colors.text.secondary,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    minWidth: 0,
    flex: '0 1 auto',
  }),
  link: css({ color: theme.colors.text.link, flexShrink: 0 }),
});
