import {
  type DataFrame,
  type Field,
  FieldColorModeId,
  FieldType,
  getDisplayProcessor,
  type GrafanaTheme2,
} from '@grafana/data';
import { GraphDrawStyle, VisibilityMode } from '@grafana/schema';
import type { SeriesDetection, Value } from './detectSeries';
import type { BandPolygon, SeriesOverlay } from './drawOverlay';

/** A value range, as Grafana keeps it in `field.state.range`. */
export interface Range {
  min: number;
  max: number;
  delta: number;
}

/**
 * A field's values as chart values: finite numbers, booleans as 0/1, null elsewhere. The field's own
 * array when it holds only finite numbers already (a query's usual result: no copy).
 */
export function numbers(field: Field): Value[] {
  const values = field.values as ArrayLike<unknown>;
  let clean = Array.isArray(values);
  for (let i = 0; clean && i < values.length; i++) {
    const v = values[i];
    clean = typeof v === 'number' && v - v === 0;
  }
  if (clean) {
    return values as Value[];
  }
  const out: Value[] = new Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'boolean' ? Number(v) : null;
  }
  return out;
}

/** The range of chart values (min = max = 0 without any; nulls and NaN skipped). */
export function rangeOf(...columns: Array<ArrayLike<number | null> | undefined>): Range {
  let min = Infinity;
  let max = -Infinity;
  for (const values of columns) {
    for (let i = 0; values && i < values.length; i++) {
      const v = values[i];
      if (v !== null && v === v) {
        min = v < min ? v : min;
        max = v > max ? v : max;
      }
    }
  }
  return min <= max ? { min, max, delta: max - min } : { min: 0, max: 0, delta: 0 };
}

/**
 * A metric's line: its own config (unit, decimals, min/max, thresholds… from the field config and
 * overrides), a fixed palette colour, and its display processor. The range is given: without one,
 * Grafana's processor scans every value for min and max.
 */
export function metricField(
  source: Field,
  name: string,
  values: Value[],
  color: string,
  theme: GrafanaTheme2,
  range: Range
): Field {
  const f: Field = {
    name,
    type: FieldType.number,
    values,
    labels: source.labels,
    config: {
      ...source.config,
      displayName: name,
      color: { mode: FieldColorModeId.Fixed, fixedColor: color },
      custom: {
        drawStyle: GraphDrawStyle.Line,
        lineWidth: 1,
        fillOpacity: 0,
        showPoints: VisibilityMode.Never,
        spanNulls: false,
        ...source.config.custom,
      },
    },
    state: { range },
  };
  f.display = getDisplayProcessor({ field: f, theme });
  return f;
}

/** Whether two time columns hold the same timestamps (Prometheus' series of one query do). */
export function sameTimes(a: ArrayLike<unknown>, b: ArrayLike<unknown>): boolean {
  if (a === b) {
    return true;
  }
  if (a.length !== b.length) {
    return false;
  }
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) {
      return false;
    }
  }
  return true;
}

/** One input frame's chart fields: its time and its metric lines. */
export interface ChartParts {
  frame: DataFrame;
  time: Field;
  metrics: Field[];
}

/**
 * The chart frames: one frame when every frame has the same time column (the chart then draws them
 * without joining them on time: Grafana's outer join of ten frames of 50,000 points costs more than
 * drawing them); otherwise one frame per input frame, which the chart joins.
 */
export function chartFrames(parts: ChartParts[]): DataFrame[] {
  const drawn = parts.filter((p) => p.metrics.length > 0);
  const first = drawn[0];
  if (drawn.length > 1 && drawn.every((p) => sameTimes(p.time.values, first.time.values))) {
    return [
      {
        refId: first.frame.refId,
        length: first.time.values.length,
        fields: [first.time, ...drawn.flatMap((p) => p.metrics)],
      },
    ];
  }
  return drawn.map((p) => ({
    name: p.frame.name,
    refId: p.frame.refId,
    length: p.time.values.length,
    fields: [p.time, ...p.metrics],
  }));
}

/**
 * An overlay's columns as a frame carries them: the band's full-length columns as the fields hold
 * them (a value that is not a finite number is missing), and the marked points.
 */
export interface OverlayColumns {
  expected?: ArrayLike<unknown>;
  lower?: ArrayLike<unknown>;
  upper?: ArrayLike<unknown>;
  /** The marked points: their indices in the frame, ascending, and the (metric's) value at each. */
  anomaly?: { at: number[]; values: number[] };
}

const num = (v: unknown): number => (typeof v === 'number' ? v : Number.NaN);

/**
 * One pass over a column, straight into a typed array: NaN where the value is not a finite number
 * or the point has no time (a missing value breaks the line); widens `range` to its values. Min and
 * max are locals, written back once: a double a closure writes lives boxed on the heap, one
 * allocation per write.
 */
function chartColumn(values: ArrayLike<unknown>, t: Float64Array, range: { min: number; max: number }): Float64Array {
  const n = t.length;
  const v = new Float64Array(n);
  let min = range.min;
  let max = range.max;
  for (let i = 0; i < n; i++) {
    const x = values[i];
    if (typeof x === 'number' && x - x === 0 && t[i] === t[i]) {
      v[i] = x;
      min = x < min ? x : min;
      max = x > max ? x : max;
    } else {
      v[i] = Number.NaN;
    }
  }
  range.min = min;
  range.max = max;
  return v;
}

/**
 * An overlay from full-length columns (a frame that carries its verdicts): the points with a value,
 * a null between two of them breaking the line or band as the chart breaks the metric's line.
 */
export function columnsOverlay(label: string, times: ArrayLike<unknown>, c: OverlayColumns): SeriesOverlay {
  const n = times.length;
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    t[i] = num(times[i]);
  }
  // the band's range, measured on the way (the y axis takes the band in: overlayFrames' fitBands)
  const range = { min: Infinity, max: -Infinity };
  const column = (values: ArrayLike<unknown>) => chartColumn(values, t, range);
  const at: number[] = [];
  const vs: number[] = [];
  c.anomaly?.at.forEach((i, k) => {
    if (t[i] === t[i]) {
      at.push(t[i]);
      vs.push(c.anomaly!.values[k]);
    }
  });
  return {
    label,
    // (the expected line's range is not the band's)
    expected: c.expected ? { t, v: chartColumn(c.expected, t, { min: Infinity, max: -Infinity }) } : undefined,
    band: c.lower && c.upper ? bandOf(t, column(c.lower), column(c.upper), range) : undefined,
    anomalies: { t: Float64Array.from(at), v: Float64Array.from(vs) },
  };
}

function bandOf(
  t: Float64Array,
  lower: Float64Array,
  upper: Float64Array,
  { min, max }: { min: number; max: number }
): BandPolygon {
  // the range is read after both edges were built (the arguments are evaluated first)
  return { t, lower, upper, range: min <= max ? { min, max } : { min: 0, max: 0 } };
}

/** An overlay from the panel's detector: its band where computed (drawn through), its anomalies. */
export function detectionOverlay(label: string, times: ArrayLike<unknown>, d: SeriesDetection): SeriesOverlay {
  // plain loops (a mapping Float64Array.from calls a function per value)
  const m = d.band.index.length;
  const t = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    // a NaN index (a gap in the data) gives NaN values: the band and line break there
    const i = d.band.index[k];
    t[k] = i === i ? num(times[i]) : Number.NaN;
  }
  const a = d.anomalies;
  const at = new Float64Array(a.length);
  const av = new Float64Array(a.length);
  for (let k = 0; k < a.length; k++) {
    at[k] = a[k].time;
    av[k] = a[k].value;
  }
  return {
    label,
    expected: { t, v: Float64Array.from(d.band.expected) },
    band: { t, lower: Float64Array.from(d.band.lower), upper: Float64Array.from(d.band.upper) },
    anomalies: { t: at, v: av },
  };
}
