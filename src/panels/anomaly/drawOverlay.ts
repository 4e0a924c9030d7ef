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
  /** The lowest and highest edge value, when already known (measured while the edges were built). */
  range?: { min: number; max: number };
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

/** One run of a line or band reduced to pixel columns: each column's x, lowest and highest value. */
interface Envelope {
  x: number[];
  min: number[];
  max: number[];
}

/**
 * The runs of points with a value (a NaN in `lo` or `hi` ends a run), each reduced to one entry per
 * pixel column of the canvas: the column's x and the lowest `lo` and highest `hi` value in it. A dense
 * run (a 50,000-point band from the sidecar) is drawn as its envelope, one column wide, instead of
 * tens of points per pixel. One pass over the points, no call per point.
 */
function envelopes(t: Float64Array, lo: Float64Array, hi: Float64Array, s: Scaler): Envelope[] {
  const n = t.length;
  const out: Envelope[] = [];
  if (n === 0) {
    return out;
  }
  // time is linear on the x axis: one multiply-add per point instead of a scale call (measured
  // between the first and last points with a time: a point without one has NaN values, skipped)
  let first = 0;
  let last = n - 1;
  while (first < last && t[first] !== t[first]) {
    first++;
  }
  while (last > first && t[last] !== t[last]) {
    last--;
  }
  const t0 = t[first];
  const x0 = s.x(t0);
  const per = t[last] !== t0 ? (s.x(t[last]) - x0) / (t[last] - t0) : 0;
  let run: Envelope | null = null;
  let col = Number.NaN;
  let k = -1;
  for (let i = 0; i < n; i++) {
    const l = lo[i];
    const h = hi[i];
    if (l !== l || h !== h) {
      run = null;
      continue;
    }
    const px = Math.round(x0 + (t[i] - t0) * per);
    if (run === null) {
      run = { x: [px], min: [l], max: [h] };
      out.push(run);
      col = px;
      k = 0;
    } else if (px !== col) {
      col = px;
      k++;
      run.x.push(px);
      run.min.push(l);
      run.max.push(h);
    } else {
      if (l < run.min[k]) {
        run.min[k] = l;
      }
      if (h > run.max[k]) {
        run.max[k] = h;
      }
    }
  }
  return out;
}

/** Fills each run of the band between its upper and lower edges. */
function fillBand(ctx: CanvasRenderingContext2D, band: BandPolygon, s: Scaler): void {
  for (const c of envelopes(band.t, band.lower, band.upper, s)) {
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
}

/** Strokes a line run by run (a column holding several points: from its lowest to its highest). */
function strokeLine(ctx: CanvasRenderingContext2D, line: Polyline, s: Scaler): void {
  for (const c of envelopes(line.t, line.v, line.v, s)) {
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
