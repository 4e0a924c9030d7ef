import React, { useLayoutEffect, useRef } from 'react';
import type { DataFrame } from '@grafana/data';
import type { UPlotConfigBuilder } from '@grafana/ui';
import type uPlot from 'uplot';
import { rangeOf } from './chartFields';
import { drawAnomalies, drawBands, type OverlayColors, type SeriesIndex, type SeriesOverlay } from './drawOverlay';

/** Props of {@link OverlayLayer}. */
export interface OverlayLayerProps {
  /** The chart's uPlot config (TimeSeries hands it to its children before the plot is created). */
  config: UPlotConfigBuilder;
  /** The frame the chart draws (TimeSeries' second argument to its children): field i is series i. */
  alignedFrame: DataFrame;
  overlays: SeriesOverlay[];
  colors: OverlayColors;
}

/**
 * Draws the overlay (bands, expected values, anomaly points) into the time series chart's own canvas
 * through uPlot hooks, as Grafana's own chart plugins do (its annotations and events layers): children
 * of `TimeSeries` run their layout effects before the plot is built, so the hooks are in its config.
 * Renders nothing itself.
 */
export function OverlayLayer({ config, alignedFrame, overlays, colors }: OverlayLayerProps) {
  // the hooks read the latest overlay: a new config (new frames) adds them anew, a redraw reads this
  const latest = useRef({ overlays, colors, index: seriesIndex(alignedFrame) });
  // the plot built from `config` (null until uPlot has been created, and after it is destroyed)
  const plot = useRef<{ u: uPlot; config: UPlotConfigBuilder } | null>(null);
  useLayoutEffect(() => {
    latest.current = { overlays, colors, index: seriesIndex(alignedFrame) };
  });
  useLayoutEffect(() => {
    // overlays that arrive after the plot drew (the panel's worker answered): draw them into it,
    // the series' paths reused; a band beyond a y axis widens that axis (a full redraw)
    // (a plot of an older config is about to be replaced: the new one draws them)
    const p = plot.current;
    if (p && p.config === config && !widenScales(p.u, latest.current.index, overlays)) {
      p.u.redraw(false);
    }
    // a new config alone draws nothing here: its plot is not built yet (and draws the overlays itself)
  }, [overlays, config]);
  useLayoutEffect(() => {
    config.addHook('init', (u) => {
      plot.current = { u, config };
    });
    config.addHook('destroy', (u) => {
      if (plot.current?.u === u) {
        plot.current = null;
      }
    });
    config.addHook('drawClear', (u) => {
      const { index, overlays, colors } = latest.current;
      drawBands(u, index, overlays, colors);
    });
    config.addHook('draw', (u) => {
      const { index, overlays, colors } = latest.current;
      drawAnomalies(u, index, overlays, colors);
    });
  }, [config]);
  return null;
}

/**
 * Widens each y scale to take in the bands drawn on it (a band that came after the plot was built,
 * so Grafana's soft min/max did not see it); whether any scale changed (uPlot then redraws).
 */
function widenScales(u: uPlot, index: (label: string) => number, overlays: SeriesOverlay[]): boolean {
  let changed = false;
  for (const o of overlays) {
    const key = o.band ? u.series[index(o.label)]?.scale : undefined;
    const scale = key ? u.scales[key] : undefined;
    if (!key || !scale || scale.min == null || scale.max == null) {
      continue;
    }
    const r = o.band!.range ?? rangeOf(o.band!.lower, o.band!.upper);
    if (r.max > r.min && (r.min < scale.min || r.max > scale.max)) {
      u.setScale(key, { min: Math.min(scale.min, r.min), max: Math.max(scale.max, r.max) });
      changed = true;
    }
  }
  return changed;
}

/** Field index by display name in the chart's frame (the panel sets each metric's `displayName`). */
function seriesIndex(frame: DataFrame): SeriesIndex {
  const byName = new Map<string, number>();
  frame.fields.forEach((f, i) => {
    const name = f.config.displayName ?? f.name;
    if (i > 0 && !byName.has(name)) {
      byName.set(name, i);
    }
  });
  return (label) => byName.get(label) ?? -1;
}

/** Props of {@link OverlayKey}. */
export interface OverlayKeyProps {
  colors: OverlayColors;
  /** Whether a band is drawn (else only the anomaly marks are keyed). */
  band: boolean;
}

/** The overlay's legend, beside the chart's own (which lists the metric lines). */
export function OverlayKey({ colors, band }: OverlayKeyProps) {
  const swatch = (style: React.CSSProperties) => (
    <span aria-hidden style={{ display: 'inline-block', width: 14, height: 8, marginRight: 4, ...style }} />
  );
  return (
    <span style={{ marginLeft: 'auto', whiteSpace: 'nowrap' }}>
      {band ? (
        <>
          {swatch({ background: colors.band, opacity: 0.35 })}expected band{' '}
          {swatch({ borderTop: `1px dashed ${colors.expected}`, height: 0, marginBottom: 3 })}expected{' '}
        </>
      ) : null}
      {swatch({ background: colors.anomaly, borderRadius: 4, width: 8 })}anomalies
    </span>
  );
}
