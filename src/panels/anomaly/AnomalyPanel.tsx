import React, { useEffect, useMemo, useState } from 'react';
import { css, cx } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2, type PanelProps } from '@grafana/data';
import { LegendDisplayMode, type VizLegendOptions } from '@grafana/schema';
import { TimeSeries, useStyles2, useTheme2 } from '@grafana/ui';
import { PanelState, queryState } from '../../components/PanelState/PanelState';
import { testIds } from '../../testIds';
import { INCIDENT_ROW_HEIGHT, IncidentList } from './IncidentList';
import { OverlayKey, OverlayLayer } from './OverlayLayer';
import { learningPeriod, type SeriesDetection, warmUpPoints } from './detectSeries';
import { detectOffThread, WORKER_MIN_POINTS, workerAvailable } from './detectWorker';
import { type OverlayFrames, overlayFrames, withDetections } from './overlayFrames';
import { defaultAnomalyOptions, type AnomalyOptions } from './types';

const HEADER_HEIGHT = 22;
const NOTE_HEIGHT = 18;
/** Below this width the header leaves out the band/expected/anomalies key (the legend names the series). */
const KEY_MIN_WIDTH = 560;
/** The incident list takes at most this share of the panel's height; it scrolls beyond. */
const MAX_LIST_SHARE = 0.35;

/** Runs the overlay transform; bad options become a message instead of an exception. */
function overlayOrError(...args: Parameters<typeof overlayFrames>): OverlayFrames | { error: string } {
  try {
    return overlayFrames(...args);
  } catch (e) {
    if (e instanceof RangeError) {
      return { error: `options: ${e.message}` };
    }
    throw e;
  }
}

/** The chart's legend (one object: a new one on each render would be a change of the chart's props). */
const LEGEND: VizLegendOptions = {
  showLegend: true,
  displayMode: LegendDisplayMode.List,
  placement: 'bottom',
  calcs: [],
};

/**
 * The overlay with its pending series detected off the main thread (detectWorker.ts): the chart
 * draws the lines meanwhile, and the band, marks and incidents are added when the worker answers.
 */
function useDetections(base: OverlayFrames | { error: string }): OverlayFrames | { error: string } {
  const [answer, setAnswer] = useState<{ base: OverlayFrames; detections: SeriesDetection[] } | null>(null);
  useEffect(() => {
    if ('error' in base || base.pending.length === 0) {
      return;
    }
    let live = true;
    void detectOffThread(base.pending, base.detectorOptions).then((detections) => {
      if (live) {
        setAnswer({ base, detections });
      }
    });
    return () => {
      live = false;
    };
  }, [base]);
  return useMemo(
    () => ('error' in base || answer?.base !== base ? base : withDetections(base, answer.detections)),
    [base, answer]
  );
}

/**
 * The anomaly overlay panel: the queried series as a time series with the expected band and the
 * anomalies marked, and the anomalies listed as incidents under the chart. The band and marks come
 * from the frames when they carry `expected`, `lower`/`upper` and `anomaly` fields; otherwise the
 * panel runs @vigil/core's streaming detector (the sidecar's) over each series.
 */
export function AnomalyPanel({ data, options, width, height, timeRange, timeZone }: PanelProps<AnomalyOptions>) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const { sensitivity, window, scoring, showIncidents } = { ...defaultAnomalyOptions, ...options };
  // The detector runs once per data or option change, not on every render (resize, hover); on
  // many points in a worker, while the chart draws the lines.
  const base = useMemo(
    () =>
      overlayOrError(
        data.series,
        theme,
        { sensitivity, window, scoring },
        { deferFrom: workerAvailable() ? WORKER_MIN_POINTS : undefined }
      ),
    [data.series, theme, sensitivity, window, scoring]
  );
  const overlay = useDetections(base);
  const ids = testIds.anomalyPanel;
  const colors = useMemo(
    () => ({
      band: theme.visualization.getColorByName('blue'),
      expected: theme.visualization.getColorByName('text'),
      anomaly: theme.visualization.getColorByName('red'),
    }),
    [theme]
  );

  const fromQuery = queryState(data, ids, 'Loading series…', width, height);
  if (fromQuery) {
    return fromQuery;
  }
  if ('error' in overlay) {
    return <PanelState kind="error" testId={ids.error} message={overlay.error} width={width} height={height} />;
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
  const detecting = overlay.pending.length > 0;
  const incidents = showIncidents ? overlay.incidents : [];
  // while the worker detects, the list's largest space is kept (a long series has incidents)
  const listHeight =
    incidents.length > 0 || (detecting && showIncidents)
      ? Math.min(
          detecting ? Number.POSITIVE_INFINITY : incidents.length * INCIDENT_ROW_HEIGHT + 2,
          Math.floor(height * MAX_LIST_SHARE)
        )
      : 0;
  // The detector learns from a series' first points before it can mark any: say from when it can.
  let learning = '';
  if (overlay.detected && !detecting) {
    learning =
      overlay.marksFrom === null
        ? ` · learning: marks from point ${warmUpPoints({ sensitivity, windowSize: window, scoring }) + 1}`
        : ` · marks from ${dateTimeFormat(overlay.marksFrom, { timeZone, format: 'HH:mm' })}`;
  }
  // The sidecar's detector on this series has also learned its lookback of history; the panel's only
  // the range shown. While the panel's is still learning, their verdicts can differ: say so.
  const period = overlay.detected ? learningPeriod({ sensitivity, windowSize: window, scoring }) : 0;
  const windowNote =
    overlay.learnedPoints !== null && overlay.learnedPoints < period
      ? `Computed here from the ${overlay.learnedPoints} points shown (the detector learns from ${period}); ` +
        'the sidecar’s detector also learns its lookback of history, so its events may differ'
      : null;
  const detail =
    `${sensitivity}σ over ${window} points` +
    (overlay.detected ? ` · ${scoring} scoring` : '') +
    (overlay.hasBand ? '' : ' · no expected band in the data') +
    learning;
  return (
    <div
      className={styles.container}
      style={{ width, height }}
      data-testid={ids.container}
      data-detection={detecting ? 'pending' : 'done'}
    >
      <div className={styles.header} style={{ height: HEADER_HEIGHT }}>
        <span
          data-testid={ids.anomalyCount}
          className={anomalyCount > 0 ? cx(styles.count, styles.alert) : styles.count}
        >
          {detecting ? 'detecting anomalies…' : `${anomalyCount} ${anomalyCount === 1 ? 'anomaly' : 'anomalies'}`}
        </span>
        <span className={styles.detail} title={detail}>
          {detail}
        </span>
        {/* A narrow panel keeps its one header line for the count and the settings. */}
        {width >= KEY_MIN_WIDTH ? <OverlayKey colors={colors} band={overlay.hasBand} /> : null}
      </div>
      {windowNote ? (
        <div className={styles.note} style={{ height: NOTE_HEIGHT }} data-testid={ids.windowNote} title={windowNote}>
          {windowNote}
        </div>
      ) : null}
      <div data-testid={ids.chart}>
        <TimeSeries
          frames={overlay.frames}
          timeRange={timeRange}
          timeZone={timeZone}
          width={width}
          height={Math.max(0, height - HEADER_HEIGHT - (windowNote ? NOTE_HEIGHT : 0) - listHeight)}
          legend={LEGEND}
        >
          {(config, alignedFrame) => (
            <OverlayLayer config={config} alignedFrame={alignedFrame} overlays={overlay.overlays} colors={colors} />
          )}
        </TimeSeries>
      </div>
      {incidents.length > 0 ? <IncidentList incidents={incidents} timeZone={timeZone} height={listHeight} /> : null}
      {detecting && listHeight > 0 ? <div style={{ height: listHeight }} aria-busy="true" /> : null}
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
    whiteSpace: 'nowrap',
    overflow: 'hidden',
  }),
  count: css({ flexShrink: 0 }),
  detail: css({ flex: '1 1 auto', minWidth: 0, overflow: 'hidden', textOverflow: 'ellipsis' }),
  alert: css({ color: theme.colors.error.text, fontWeight: theme.typography.fontWeightMedium }),
  note: css({
    padding: theme.spacing(0, 1),
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  }),
});
