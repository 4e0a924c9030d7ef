import React, { useMemo } from 'react';
import { css } from '@emotion/css';
import { type GrafanaTheme2, LoadingState, type PanelProps } from '@grafana/data';
import { LegendDisplayMode } from '@grafana/schema';
import { TimeSeries, useStyles2, useTheme2 } from '@grafana/ui';
import { dataErrorMessage, PanelState } from '../../components/PanelState/PanelState';
import { testIds } from '../../testIds';
import { overlayFrames } from './overlayFrames';
import { defaultAnomalyOptions, type AnomalyOptions } from './types';

const HEADER_HEIGHT = 22;

/**
 * The anomaly overlay panel: the queried series as a time series, with the expected band and the
 * anomalies marked when the frames carry `expected`, `lower`/`upper` and `anomaly` fields.
 */
export function AnomalyPanel({ data, options, width, height, timeRange, timeZone }: PanelProps<AnomalyOptions>) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const overlay = useMemo(() => overlayFrames(data.series, theme), [data.series, theme]);
  const opts = { ...defaultAnomalyOptions, ...options };
  const ids = testIds.anomalyPanel;

  const queryError = dataErrorMessage(data);
  if (data.state === LoadingState.Error || queryError) {
    return (
      <PanelState
        kind="error"
        testId={ids.error}
        message={queryError ?? 'the query failed'}
        width={width}
        height={height}
      />
    );
  }
  if (data.state === LoadingState.Loading && data.series.length === 0) {
    return <PanelState kind="loading" testId={ids.loading} message="Loading series…" width={width} height={height} />;
  }
  if (!(opts.sensitivity > 0) || !(opts.window >= 2)) {
    const message = `options: sensitivity must be above 0 (got ${opts.sensitivity}) and window at least 2 points (got ${opts.window})`;
    return <PanelState kind="error" testId={ids.error} message={message} width={width} height={height} />;
  }
  if (overlay.frames.length === 0) {
    return (
      <PanelState
        kind="empty"
        testId={ids.empty}
        message="No time series: the query returned no numeric values over time"
        width={width}
        height={height}
      />
    );
  }

  const { anomalyCount } = overlay;
  return (
    <div className={styles.container} style={{ width, height }} data-testid={ids.container}>
      <div className={styles.header} style={{ height: HEADER_HEIGHT }}>
        <span data-testid={ids.anomalyCount} className={anomalyCount > 0 ? styles.alert : undefined}>
          {anomalyCount} {anomalyCount === 1 ? 'anomaly' : 'anomalies'}
        </span>
        <span>
          {opts.sensitivity}σ over {opts.window} points{overlay.hasBand ? '' : ' · no expected band in the data'}
        </span>
      </div>
      <div data-testid={ids.chart}>
        <TimeSeries
          frames={overlay.frames}
          timeRange={timeRange}
          timeZone={timeZone}
          width={width}
          height={Math.max(0, height - HEADER_HEIGHT)}
          legend={{ showLegend: true, displayMode: LegendDisplayMode.List, placement: 'bottom', calcs: [] }}
        />
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  container: css({ display: 'flex', flexDirection: 'column', overflow: 'hidden' }),
  header: css({
    display: 'flex',
    gap: theme.spacing(2),
    alignItems: 'center',
    padding: theme.spacing(0, 1),
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
  }),
  alert: css({ color: theme.colors.error.text, fontWeight: theme.typography.fontWeightMedium }),
});
