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
import type { SeriesOverlay } from './drawOverlay';

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

/** Full-length chart columns of an overlay, as a frame may carry them (null where there is no value). */
export interface OverlayColumns {
  expected?: Value[];
  lower?: Value[];
  upper?: Value[];
  /** The metric's value where it is an anomaly, null elsewhere. */
  anomaly?: Value[];
}

const num = (v: unknown): number => (typeof v === 'number' ? v : Number.NaN);

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
  // a point without a time breaks the line as a missing value does
  const column = (values: Value[]): Float64Array => {
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const x = values[i];
      v[i] = x === null || x === undefined || t[i] !== t[i] ? Number.NaN : x;
    }
    return v;
  };
  const marked: number[] = [];
  for (let i = 0; c.anomaly && i < n; i++) {
    if (c.anomaly[i] !== null && c.anomaly[i] !== undefined && t[i] === t[i]) {
      marked.push(i);
    }
  }
  const anomaly = c.anomaly ?? [];
  return {
    label,
    expected: c.expected ? { t, v: column(c.expected) } : undefined,
    band: c.lower && c.upper ? { t, lower: column(c.lower), upper: column(c.upper) } : undefined,
    anomalies: { t: Float64Array.from(marked, (i) => t[i]), v: Float64Array.from(marked, (i) => anomaly[i] as number) },
  };
}

/** An overlay from the panel's detector: its band where computed (drawn through), its anomalies. */
export function detectionOverlay(label: string, times: ArrayLike<unknown>, d: SeriesDetection): SeriesOverlay {
  // a NaN index (a gap in the data) gives NaN values: the band and line break there
  const t = Float64Array.from(d.band.index, (i) => (Number.isNaN(i) ? Number.NaN : num(times[i])));
  return {
    label,
    expected: { t, v: Float64Array.from(d.band.expected) },
    band: { t, lower: Float64Array.from(d.band.lower), upper: Float64Array.from(d.band.upper) },
    anomalies: {
      t: Float64Array.from(d.anomalies, (a) => a.time),
      v: Float64Array.from(d.anomalies, (a) => a.value),
    },
  };
}
