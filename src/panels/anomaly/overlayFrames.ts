import {
  type DataFrame,
  type Field,
  FieldColorModeId,
  FieldType,
  getDisplayProcessor,
  getFieldDisplayName,
  type GrafanaTheme2,
} from '@grafana/data';
import {
  type ChartParts,
  chartFrames,
  columnsOverlay,
  detectionOverlay,
  metricField,
  numbers,
  type OverlayColumns,
  rangeOf,
} from './chartFields';
import { detectSeries, panelDetectorOptions, type Value } from './detectSeries';
import type { SeriesOverlay } from './drawOverlay';
import { groupIncidents, type Incident, markedPoints, trackedIncidents } from './incidents';
import { defaultAnomalyOptions, type DetectorSettings } from './types';

/**
 * Field names with a meaning in the overlay (matched case-insensitively): the detector's expected
 * value and band, and its anomaly marks. `score`, `confidence` and `anomaly_type` are the detector's
 * other outputs and are not drawn.
 */
export const OVERLAY_FIELDS = ['expected', 'lower', 'upper', 'anomaly', 'score', 'confidence', 'anomaly_type'] as const;

/** Frames ready for the time series chart (the metric lines), the overlay drawn over them, and what they contain. */
export interface OverlayFrames {
  frames: DataFrame[];
  /** Each metric's expected value, band and anomalies, drawn over its line (drawOverlay.ts). */
  overlays: SeriesOverlay[];
  /** How many metric series are drawn. */
  seriesCount: number;
  /** How many points are marked as anomalies. */
  anomalyCount: number;
  /** Whether an expected band (lower/upper) is drawn. */
  hasBand: boolean;
  /** Whether the panel ran the detector itself (some frame came without expected/lower/upper/anomaly). */
  detected: boolean;
  /**
   * When the panel ran the detector: the time from which every detected series can have marks
   * (see SeriesDetection.marksFrom); null when some series is too short for any.
   */
  marksFrom: number | null;
  /**
   * Incidents per series, oldest first: for series the panel ran the detector on, as the sidecar's
   * IncidentTracker (@vigil/core) groups them; for frames that came marked, consecutive marks.
   */
  incidents: Incident[];
  /**
   * When the panel ran the detector: the fewest points it learned on any series (the sidecar's
   * detector also learns its lookback of history, so near the start of a short range the two may
   * differ); null otherwise.
   */
  learnedPoints: number | null;
}

function isOverlay(field: Field): boolean {
  return (OVERLAY_FIELDS as readonly string[]).includes(field.name.toLowerCase());
}

/** A metric the overlay draws: a number field that is not one of the detector's outputs. */
function isMetric(field: Field): boolean {
  return field.type === FieldType.number && !isOverlay(field);
}

function named(frame: DataFrame, name: string): Field | undefined {
  return frame.fields.find((f) => f.name.toLowerCase() === name);
}

/**
 * The marked points of an anomaly field. Marks come either as flags (boolean, or only 0/1 values:
 * mark the metric's value) or as the anomalous values themselves with nulls elsewhere. One pass
 * over the field, keeping only the candidates (a long frame has a handful of marks).
 */
function anomalyMarks(anomaly: Field, metric: Value[] | undefined): { at: number[]; values: number[] } {
  const values = anomaly.values as ArrayLike<unknown>;
  let flags = anomaly.type === FieldType.boolean;
  let allFlags = true;
  const at: number[] = [];
  const given: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    const v = typeof x === 'number' && x - x === 0 ? x : typeof x === 'boolean' ? Number(x) : null;
    if (v === null) {
      continue;
    }
    allFlags = allFlags && (v === 0 || v === 1);
    if (v !== 0) {
      at.push(i);
      given.push(v);
    }
  }
  flags = flags || allFlags;
  if (!flags) {
    // the anomalous values themselves (a 0 among them is one too)
    return zeroesToo(values, at, given);
  }
  const out = { at: [] as number[], values: [] as number[] };
  at.forEach((i, k) => {
    const m = metric?.[i];
    if (given[k] === 1 && m !== undefined && m !== null) {
      out.at.push(i);
      out.values.push(m);
    }
  });
  return out;
}

/** Values-as-marks: every finite value is a mark, zeroes included (skipped by the flag pass). */
function zeroesToo(values: ArrayLike<unknown>, at: number[], given: number[]): { at: number[]; values: number[] } {
  const out = { at: [] as number[], values: [] as number[] };
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    if (k < at.length && at[k] === i) {
      out.at.push(i);
      out.values.push(given[k++]);
    } else if (values[i] === 0 || values[i] === false) {
      out.at.push(i);
      out.values.push(0);
    }
  }
  return out;
}

/** The overlay columns a frame carries, as its fields hold them; anomaly flags mark the metric's values. */
function markedColumns(frame: DataFrame, metric: Value[] | undefined): OverlayColumns {
  const anomaly = named(frame, 'anomaly');
  return {
    expected: named(frame, 'expected')?.values,
    lower: named(frame, 'lower')?.values,
    upper: named(frame, 'upper')?.values,
    anomaly: anomaly ? anomalyMarks(anomaly, metric) : undefined,
  };
}

/** Marked points as a full-length column (null elsewhere). */
function spread(marks: { at: number[]; values: number[] }, n: number): Value[] {
  const out = new Array<Value>(n).fill(null);
  marks.at.forEach((i, k) => (out[i] = marks.values[k]));
  return out;
}

/**
 * Widens the y axis of the metrics that have a band to take the band in (Grafana's soft min and max:
 * the data can still go beyond). One range per unit, so metrics that shared an axis still share it.
 */
function fitBands(metrics: Field[], overlays: SeriesOverlay[]): void {
  const byUnit = new Map<string, { min: number; max: number }>();
  const unitOf = (f: Field | undefined) => f?.config.unit ?? '';
  for (const o of overlays) {
    const known = o.band?.range;
    const r = known
      ? { ...known, delta: known.max - known.min }
      : o.band
        ? rangeOf(o.band.lower, o.band.upper)
        : { min: 0, max: 0, delta: 0 };
    const m = metrics.find((f) => f.name === o.label);
    if (!m || r.delta === 0) {
      continue;
    }
    const u = byUnit.get(unitOf(m)) ?? { min: r.min, max: r.max };
    byUnit.set(unitOf(m), { min: Math.min(u.min, r.min), max: Math.max(u.max, r.max) });
  }
  for (const m of metrics) {
    const soft = byUnit.get(unitOf(m));
    if (soft) {
      m.config.custom = { ...m.config.custom, axisSoftMin: soft.min, axisSoftMax: soft.max };
    }
  }
}

/**
 * Turns the panel's frames into chart frames, one line per numeric field, and the overlay drawn over
 * each line: its expected value (dashed), its band lower..upper (filled) and its anomalies (red
 * points), with the anomalies grouped into incidents. A frame that carries `expected`/`lower`/
 * `upper`/`anomaly` fields (e.g. from the sidecar's `/api/v1/detect`) is drawn as it is, for its first
 * metric; otherwise the panel runs @vigil/core's detector, the sidecar's, over each metric. Throws a
 * RangeError on bad options.
 */
export function overlayFrames(
  series: DataFrame[],
  theme: GrafanaTheme2,
  options: DetectorSettings = defaultAnomalyOptions
): OverlayFrames {
  const detectorOptions = panelDetectorOptions(options);
  const parts: ChartParts[] = [];
  const overlays: SeriesOverlay[] = [];
  const incidents: Incident[] = [];
  let seriesCount = 0;
  let anomalyCount = 0;
  let detected = false;
  let marksFrom: number | null = Number.NEGATIVE_INFINITY;
  let learnedPoints: number | null = null;
  const palette = theme.visualization.palette;

  for (const frame of series) {
    const time = frame.fields.find((f) => f.type === FieldType.time);
    if (!time) {
      continue;
    }
    const metrics = frame.fields.filter(isMetric);
    const lines: Field[] = [];
    const marked = ['expected', 'lower', 'upper', 'anomaly'].some((n) => named(frame, n));

    metrics.forEach((m, k) => {
      const name = getFieldDisplayName(m, frame, series);
      const values = numbers(m);
      // a colour chosen in the field config (or an override) wins over the palette
      const fixed = m.config.color?.mode === FieldColorModeId.Fixed ? m.config.color.fixedColor : undefined;
      const color = theme.visualization.getColorByName(fixed ?? palette[seriesCount % palette.length]);
      lines.push(metricField(m, name, values, color, theme, rangeOf(values)));
      seriesCount++;
      if (marked && k === 0) {
        const marks = markedColumns(frame, values);
        overlays.push(columnsOverlay(name, time.values, marks));
        if (marks.anomaly) {
          const confidenceField = named(frame, 'confidence');
          const scoreField = named(frame, 'score');
          const columns = {
            ...marks,
            times: time.values,
            values,
            marks: marks.anomaly.values,
            at: marks.anomaly.at,
            types: named(frame, 'anomaly_type')?.values,
            confidence: confidenceField?.values,
            scores: scoreField?.values,
          };
          incidents.push(...groupIncidents(name, markedPoints(name, columns, options.sensitivity)));
        }
      } else if (!marked) {
        detected = true;
        const d = detectSeries(name, time.values, values, detectorOptions);
        marksFrom = d.marksFrom === null || marksFrom === null ? null : Math.max(marksFrom, d.marksFrom);
        learnedPoints = learnedPoints === null ? d.learned : Math.min(learnedPoints, d.learned);
        if (d.scored) {
          overlays.push(detectionOverlay(name, time.values, d));
          incidents.push(...trackedIncidents(name, d.incidents, d.indexOf));
        }
      }
    });
    if (metrics.length === 0 && marked) {
      // overlay fields without a metric: their band as the line, named after the frame
      const label = frame.name ?? `series ${parts.length + 1}`;
      const marks = markedColumns(frame, undefined);
      const band = named(frame, 'expected') ?? named(frame, 'upper') ?? named(frame, 'lower');
      const values = band ? numbers(band) : marks.anomaly && spread(marks.anomaly, time.values.length);
      if (values) {
        const color = theme.visualization.getColorByName('text');
        const source: Field = { name: label, type: FieldType.number, values, config: {} };
        lines.push(metricField(source, label, values, color, theme, rangeOf(values)));
        overlays.push(columnsOverlay(label, time.values, marks));
      }
    }
    parts.push({
      frame,
      time: { ...time, display: time.display ?? getDisplayProcessor({ field: time, theme }) },
      metrics: lines,
    });
  }
  for (const o of overlays) {
    anomalyCount += o.anomalies.t.length;
  }
  fitBands(
    parts.flatMap((p) => p.metrics),
    overlays
  );
  incidents.sort((a, b) => a.start - b.start);
  return {
    frames: chartFrames(parts),
    overlays,
    seriesCount,
    anomalyCount,
    hasBand: overlays.some((o) => o.band !== undefined),
    detected,
    marksFrom: detected ? marksFrom : null,
    incidents,
    learnedPoints,
  };
}
