import type uPlot from 'uplot';

/** A line in chart coordinates: times and values; a NaN value breaks it. */
export interface Polyline {
  t: Float64Array;
  v: Float64Array;
}

/** A band in chart coordinates: times, lower and upper edges; a NaN edge breaks it. */
export interface BandPolygon {
  t: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
}

/**
 * One metric's overlay as the chart draws it over the metric's line: its expected value (dashed),
 * its band (filled) and its anomalies (red points), kept to the points drawn (a band computed every
 * k-th point of a 50,000-point series is a few hundred points, not 50,000 with nulls between).
 */
export interface SeriesOverlay {
  /** The metric line's display name: the chart series the overlay belongs to (its y scale, its visibility). */
  label: string;
  expected?: Polyline;
  band?: BandPolygon;
  /** The anomalous points (time, the metric's value). */
  anomalies: Polyline;
}

/** Colours of the overlay (theme colours, resolved by the panel). */
export interface OverlayColors {
  band: string;
  expected: string;
  anomaly: string;
}

const BAND_ALPHA = 0.15;
const POINT_RADIUS = 4.5;

type Scaler = { x: (t: number) => number; y: (v: number) => number };

/**
 * Where each metric line is among the chart's series: uPlot's series i is the chart frame's field i
 * (field 0 is time), and the panel names each metric's field with its display name.
 */
export type SeriesIndex = (label: string) => number;

/** The scalers (canvas pixels) of the uPlot series drawn for `label`; null when hidden or absent. */
function scalerFor(u: uPlot, index: SeriesIndex, label: string): Scaler | null {
  const s = u.series[index(label)];
  if (!s || index(label) < 1 || s.show === false || !s.scale) {
    return null;
  }
  const key = s.scale;
  return { x: (t) => u.valToPos(t, 'x', true), y: (v) => u.valToPos(v, key, true) };
}

/** Calls `segment(a, b)` for each run [a, b] of `ok` indices of 0..n-1 (a non-ok index ends a run). */
function eachRun(n: number, ok: (i: number) => boolean, segment: (a: number, b: number) => void): void {
  let start = -1;
  for (let i = 0; i <= n; i++) {
    if (i < n && ok(i)) {
      start = start < 0 ? i : start;
    } else if (start >= 0) {
      segment(start, i - 1);
      start = -1;
    }
  }
}

/**
 * A run a..b per pixel column of the canvas: each column's x, and the lowest `lo` and highest `hi`
 * value in it. A dense run (a 50,000-point band from the sidecar) is drawn as its envelope, one
 * column wide, instead of tens of points per pixel.
 */
function columns(t: Float64Array, lo: Float64Array, hi: Float64Array, a: number, b: number, s: Scaler) {
  const x: number[] = [];
  const min: number[] = [];
  const max: number[] = [];
  // time is linear on the x axis: one multiply-add per point instead of a scale call
  const t0 = t[a];
  const x0 = s.x(t0);
  const per = t[b] !== t0 ? (s.x(t[b]) - x0) / (t[b] - t0) : 0;
  let col = Number.NaN;
  let k = -1;
  for (let i = a; i <= b; i++) {
    const px = Math.round(x0 + (t[i] - t0) * per);
    if (px !== col) {
      col = px;
      k++;
      x.push(px);
      min.push(lo[i]);
      max.push(hi[i]);
    } else {
      min[k] = lo[i] < min[k] ? lo[i] : min[k];
      max[k] = hi[i] > max[k] ? hi[i] : max[k];
    }
  }
  return { x, min, max };
}

/** Fills each run of the band between its upper and lower edges. */
function fillBand(ctx: CanvasRenderingContext2D, band: BandPolygon, s: Scaler): void {
  const { t, lower, upper } = band;
  eachRun(
    t.length,
    (i) => lower[i] === lower[i] && upper[i] === upper[i],
    (a, b) => {
      const c = columns(t, lower, upper, a, b, s);
      ctx.beginPath();
      ctx.moveTo(c.x[0], s.y(c.max[0]));
      for (let k = 1; k < c.x.length; k++) {
        ctx.lineTo(c.x[k], s.y(c.max[k]));
      }
      for (let k = c.x.length - 1; k >= 0; k--) {
        ctx.lineTo(c.x[k], s.y(c.min[k]));
      }
      ctx.closePath();
      ctx.fill();
    }
  );
}

/** Strokes a line run by run (a column holding several points: from its lowest to its highest). */
function strokeLine(ctx: CanvasRenderingContext2D, line: Polyline, s: Scaler): void {
  const { t, v } = line;
  eachRun(
    t.length,
    (i) => v[i] === v[i],
    (a, b) => {
      const c = columns(t, v, v, a, b, s);
      ctx.beginPath();
      ctx.moveTo(c.x[0], s.y(c.min[0]));
      for (let k = 0; k < c.x.length; k++) {
        ctx.lineTo(c.x[k], s.y(c.min[k]));
        if (c.max[k] !== c.min[k]) {
          ctx.lineTo(c.x[k], s.y(c.max[k]));
        }
      }
      ctx.stroke();
    }
  );
}

/** Clips to the plot area, draws, restores. */
function inPlot(u: uPlot, draw: (ctx: CanvasRenderingContext2D) => void): void {
  const { ctx, bbox } = u;
  ctx.save();
  ctx.beginPath();
  ctx.rect(bbox.left, bbox.top, bbox.width, bbox.height);
  ctx.clip();
  draw(ctx);
  ctx.restore();
}

/**
 * Under the series (uPlot's `drawClear` hook): each visible metric's band and expected value, on the
 * metric's own y scale. Drawn by the panel rather than as chart series, so the chart works on the
 * metric lines only (four fewer series per metric to align, scale and path).
 */
export function drawBands(u: uPlot, index: SeriesIndex, overlays: SeriesOverlay[], colors: OverlayColors): void {
  inPlot(u, (ctx) => {
    const px = devicePixelRatio();
    for (const o of overlays) {
      const s = scalerFor(u, index, o.label);
      if (!s) {
        continue;
      }
      if (o.band) {
        ctx.globalAlpha = BAND_ALPHA;
        ctx.fillStyle = colors.band;
        fillBand(ctx, o.band, s);
        ctx.globalAlpha = 1;
      }
      if (o.expected) {
        ctx.strokeStyle = colors.expected;
        ctx.lineWidth = px;
        ctx.setLineDash([6 * px, 4 * px]);
        strokeLine(ctx, o.expected, s);
        ctx.setLineDash([]);
      }
    }
  });
}

/** Over the series (uPlot's `draw` hook): each visible metric's anomalies as red points. */
export function drawAnomalies(u: uPlot, index: SeriesIndex, overlays: SeriesOverlay[], colors: OverlayColors): void {
  inPlot(u, (ctx) => {
    const r = POINT_RADIUS * devicePixelRatio();
    ctx.fillStyle = colors.anomaly;
    for (const o of overlays) {
      const { t, v } = o.anomalies;
      const s = t.length > 0 ? scalerFor(u, index, o.label) : null;
      for (let i = 0; s && i < t.length; i++) {
        ctx.beginPath();
        ctx.arc(s.x(t[i]), s.y(v[i]), r, 0, 2 * Math.PI);
        ctx.fill();
      }
    }
  });
}

function devicePixelRatio(): number {
  return typeof window !== 'undefined' && window.devicePixelRatio > 0 ? window.devicePixelRatio : 1;
}
