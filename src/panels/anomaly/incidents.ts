import { ANOMALY_TYPES, anomalyMessage, type AnomalyIncident } from '@vigil/core';
import type { AnomalyPoint, Value } from './detectSeries';

/** Consecutive anomalous points of one series: one incident, explained by its peak. */
export interface Incident {
  /** Display name of the series. */
  metric: string;
  /** First and last anomalous point, ms since the epoch. */
  start: number;
  end: number;
  /** Anomalous points in the incident. */
  points: number;
  /** The point furthest from its expected value: its type, value and message describe the incident. */
  peak: AnomalyPoint;
  /** Highest confidence of the incident's points (NaN when the data did not say). */
  confidence: number;
  /** Whether the series ends inside it (only for incidents the panel's detector found). */
  open?: boolean;
}

/**
 * The panel's incidents from those core's IncidentTracker found (the sidecar's grouping: an
 * incident goes on while points are anomalous or outside the band, and closes after `closeAfter`
 * normal points). As the sidecar's event: the type of the point that opened it, the message, value
 * and confidence of its peak (its most confident point). `indexOf` places points on the chart.
 */
export function trackedIncidents(
  metric: string,
  incidents: AnomalyIncident[],
  indexOf: Map<number, number>
): Incident[] {
  return incidents.map((inc) => {
    const r = inc.peak;
    const peak: AnomalyPoint = {
      index: indexOf.get(r.timestamp) ?? -1,
      time: r.timestamp,
      value: r.value,
      expected: r.expected,
      stddev: r.baseline ? r.baseline.stddev : 0,
      type: inc.first.anomalyType,
      confidence: r.confidence,
      score: r.anomalyScore,
      message: anomalyMessage(metric, r),
    };
    return {
      metric,
      start: inc.startedAt,
      end: inc.lastAnomalyAt,
      points: inc.points,
      peak,
      confidence: r.confidence,
      open: inc.endedAt === null,
    };
  });
}

/**
 * Groups anomalous points into incidents: points at consecutive indices of the series belong to one
 * incident (as the sidecar records one event per incident, not one per point). `points` must be in
 * series order.
 */
export function groupIncidents(metric: string, points: AnomalyPoint[]): Incident[] {
  const out: Incident[] = [];
  let current: Incident | undefined;
  let lastIndex = Number.NEGATIVE_INFINITY;
  for (const p of points) {
    if (current && p.index === lastIndex + 1) {
      current.end = p.time;
      current.points++;
      // NaN (the data did not say) yields to any known confidence
      current.confidence =
        p.confidence > current.confidence || Number.isNaN(current.confidence) ? p.confidence : current.confidence;
      if (Math.abs(p.value - p.expected) > Math.abs(current.peak.value - current.peak.expected)) {
        current.peak = p;
      }
    } else {
      current = { metric, start: p.time, end: p.time, points: 1, peak: p, confidence: p.confidence };
      out.push(current);
    }
    lastIndex = p.index;
  }
  return out;
}

/**
 * The guide's anomaly message, for points whose verdict came with the data rather than from the
 * panel's detector; the same text as @vigil/core's `anomalyMessage` (a test checks they agree).
 */
export function guideMessage(metric: string, value: number, expected: number, stddev: number): string {
  return `Anomaly in ${metric}: current=${value.toFixed(2)}, expected=${expected.toFixed(2)}±${stddev.toFixed(2)}`;
}

/** Columns of a frame that already carries the detector's output (see overlayFrames). */
export interface MarkedColumns {
  times: ArrayLike<unknown>;
  values: Value[];
  /**
   * Anomaly marks, already resolved to the anomalous values: one per point (null where none), or,
   * with `at`, one per index of `at`.
   */
  marks: Value[];
  /**
   * The indices of the marked points, ascending, when known (then `marks` holds only theirs): only
   * they are read (a 50,000-point frame has a handful of marks).
   */
  at?: number[];
  /** The band's columns as the frame holds them: a value that is not a finite number counts as missing. */
  expected?: ArrayLike<unknown>;
  lower?: ArrayLike<unknown>;
  upper?: ArrayLike<unknown>;
  /** Per-point anomaly type, when the frame has an `anomaly_type` field. */
  types?: ArrayLike<unknown>;
  /** Per-point confidence and score, when the frame has `confidence` / `score` fields (the detector's own). */
  confidence?: ArrayLike<unknown>;
  scores?: ArrayLike<unknown>;
}

/** A finite number, or null (a missing value, NaN, anything else). */
const finite = (x: unknown): number | null => (typeof x === 'number' && x - x === 0 ? x : null);

/** The types an anomalous point can carry (every anomaly type but `none`). */
const POINT_TYPES = new Set<string>(ANOMALY_TYPES.filter((t) => t !== 'none'));

/**
 * Anomalous points of a frame that came with expected/lower/upper/anomaly fields. The band is
 * expected ± sensitivity·σ (core's contract), so σ = (upper − lower) / (2·sensitivity). The
 * confidence is the frame's own `confidence` field when it has one (the detector's), else the
 * guide's min(|value − expected| / σ / sensitivity, 1) from the band; without a band it is NaN (shown
 * as "confidence —"): a mark never claims 0% for a point it calls an anomaly. Without a type field
 * the type is `unknown`: the data does not say, and the panel does not guess.
 */
export function markedPoints(metric: string, c: MarkedColumns, sensitivity: number): AnomalyPoint[] {
  const out: AnomalyPoint[] = [];
  const point = (mark: Value, i: number) => {
    const time = c.times[i];
    const value = c.values[i] ?? mark;
    if (mark === null || value === null || typeof time !== 'number') {
      return;
    }
    const expected = finite(c.expected?.[i]) ?? value;
    const lo = finite(c.lower?.[i]);
    const hi = finite(c.upper?.[i]);
    const stddev = lo !== null && hi !== null ? Math.abs(hi - lo) / (2 * sensitivity) : 0;
    const fromBand = stddev > 0 ? Math.min(Math.abs(value - expected) / stddev / sensitivity, 1) : Number.NaN;
    const confidence = finite(c.confidence?.[i]) ?? fromBand;
    const given = c.types?.[i];
    out.push({
      index: i,
      time,
      value,
      expected,
      stddev,
      type: typeof given === 'string' && POINT_TYPES.has(given) ? (given as AnomalyPoint['type']) : 'unknown',
      confidence,
      score: finite(c.scores?.[i]) ?? confidence,
      message: guideMessage(metric, value, expected, stddev),
    });
  };
  if (c.at) {
    c.at.forEach((i, k) => point(c.marks[k] ?? null, i));
  } else {
    c.marks.forEach(point);
  }
  return out;
}
