/**
 * The backtest chart's geometry, apart from drawing: which lines (series, threshold in force) and which
 * shaded intervals (pending, firing) to draw, the axes' ranges and ticks, and the mapping to pixels.
 * Pure, so the numbers are tested without a canvas.
 */
import type { PreviewInterval, PreviewResponse } from '@vigil/core';

/** A drawn line: points in data space; null breaks the line (no value at that step). */
export interface ChartLine {
  kind: 'series' | 'threshold';
  /** Index of the series it belongs to (its colour). */
  series: number;
  label: string;
  points: Array<[number, number | null]>;
}

/** Everything the canvas draws, in data space. */
export interface ChartModel {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
  lines: ChartLine[];
  intervals: Array<Pick<PreviewInterval, 'state' | 'from' | 'to'>>;
  /** Series left out to keep the chart readable. */
  hiddenSeries: number;
  /** Baseline conditions plot the % change (what is compared with the threshold), not the raw value. */
  unit: 'value' | 'percent';
}

/** Label set as Prometheus writes it: `{a="1", b="2"}` (`{}` when empty). */
export function labelText(labels: Record<string, string>): string {
  const parts = Object.keys(labels)
    .sort()
    .map((k) => `${k}="${labels[k]}"`);
  return `{${parts.join(', ')}}`;
}

/**
 * The chart of a backtest: up to `maxSeries` series, each with its threshold line; the intervals of
 * every instance (a shaded stretch means "some instance was pending / firing here"). The y range holds
 * every value and threshold with 5% headroom; a flat range is widened so the line is visible.
 */
export function buildChartModel(preview: PreviewResponse, maxSeries = 6): ChartModel {
  const shown = preview.series.slice(0, maxSeries);
  const percent = shown.some((s) => Array.isArray(s.compared));
  const lines: ChartLine[] = [];
  shown.forEach((s, i) => {
    const label = labelText(s.labels);
    lines.push({ kind: 'series', series: i, label, points: percent && s.compared ? s.compared : s.points });
    lines.push({ kind: 'threshold', series: i, label: `threshold ${label}`, points: s.thresholds });
  });
  let yMin = Infinity;
  let yMax = -Infinity;
  for (const line of lines) {
    for (const [, y] of line.points) {
      if (y !== null && Number.isFinite(y)) {
        yMin = Math.min(yMin, y);
        yMax = Math.max(yMax, y);
      }
    }
  }
  if (!Number.isFinite(yMin)) {
    yMin = 0;
    yMax = 1;
  } else if (yMin === yMax) {
    const pad = Math.abs(yMin) * 0.1 || 1;
    yMin -= pad;
    yMax += pad;
  } else {
    const pad = (yMax - yMin) * 0.05;
    yMin -= pad;
    yMax += pad;
  }
  return {
    xMin: preview.from,
    xMax: Math.max(preview.to, preview.from + 1),
    yMin,
    yMax,
    lines,
    intervals: preview.intervals
      .filter((iv) => iv.state === 'pending' || iv.state === 'firing' || iv.state === 'recovering')
      .map(({ state, from, to }) => ({ state, from: Math.max(from, preview.from), to: Math.min(to, preview.to) }))
      .filter((iv) => iv.to > iv.from),
    hiddenSeries: Math.max(0, preview.series.length - shown.length),
    unit: percent ? 'percent' : 'value',
  };
}

/** A linear map from [d0, d1] to [r0, r1]. */
export function linear(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}

/** About `count` round tick values (1, 2, 5 × 10^n steps) inside [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min) || count < 1) {
    return [min];
  }
  const raw = (max - min) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) {
    out.push(Number(v.toPrecision(12)));
  }
  return out;
}

const HOUR = 3_600_000;
const TIME_STEPS = [
  5 * 60_000,
  15 * 60_000,
  30 * 60_000,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  24 * HOUR,
  48 * HOUR,
];

/** Time ticks on round UTC boundaries, about `count` of them: `HH:mm` within a day, `MM-DD` across days. */
export function timeTicks(from: number, to: number, count = 6): Array<{ at: number; label: string }> {
  if (!(to > from)) {
    return [];
  }
  const step = TIME_STEPS.find((s) => (to - from) / s <= count) ?? TIME_STEPS[TIME_STEPS.length - 1];
  const days = step >= 24 * HOUR;
  const out: Array<{ at: number; label: string }> = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) {
    const iso = new Date(t).toISOString();
    out.push({ at: t, label: days ? iso.slice(5, 10) : iso.slice(11, 16) });
  }
  return out;
}
