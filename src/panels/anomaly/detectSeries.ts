import {
  type AnomalyIncident,
  anomalyMessage,
  type AnomalyType,
  DEFAULT_CLOSE_AFTER,
  type DetectionResult,
  type DetectorOptions,
  incidentGapMs,
  IncidentTracker,
  resolveDetectorOptions,
  StreamingDetector,
} from '@vigil/core';
import type { AnomalyOptions } from './types';

/** A chart value: a number, or null where there is nothing to draw. */
export type Value = number | null;

/** One anomalous point, with what the detector says about it. */
export interface AnomalyPoint {
  /** Index of the point in its series. */
  index: number;
  /** Timestamp, ms since the epoch. */
  time: number;
  value: number;
  expected: number;
  /** Standard deviation of the baseline: the ± of the guide's message. */
  stddev: number;
  type: AnomalyType;
  /** Core's confidence: the guide's min(|z| / sensitivity, 1), at least the score for an anomaly. */
  confidence: number;
  /** Anomaly score in [0, 1]. */
  score: number;
  /** The guide's "Anomaly in X: current=…, expected=…±…". */
  message: string;
}

/** The detector's verdicts over one series, as chart columns (null where it gave no verdict). */
export interface SeriesDetection {
  expected: Value[];
  lower: Value[];
  upper: Value[];
  /** The value where the point is an anomaly, null elsewhere. */
  anomaly: Value[];
  anomalies: AnomalyPoint[];
  /** Whether any point got a verdict (enough points were seen). */
  scored: boolean;
  /**
   * Time of the first point that can be marked as an anomaly (after `minSamples` points, and in
   * `likelihood` scoring after its learning period); null when the series is shorter than that.
   */
  marksFrom: number | null;
  /**
   * The series' incidents as the sidecar's IncidentTracker (@vigil/core) groups them, oldest first,
   * the last one open (`endedAt` null) when the series ends inside it.
   */
  incidents: AnomalyIncident[];
  /** The incidents' points by timestamp (to place a peak on the chart). */
  indexOf: Map<number, number>;
  /** Points the detector learned (the sidecar's detector has also learned its lookback of history). */
  learned: number;
}

/** How the panel groups anomalies into incidents (the sidecar detector's `closeAfter`; the step is the series'). */
export interface IncidentOptions {
  /** Normal points after which an incident closes (default: the sidecar's, 3). */
  closeAfter?: number;
}

/** The series' usual spacing: the median gap between consecutive timestamps (0 with fewer than two). */
export function seriesStepMs(times: ArrayLike<unknown>): number {
  const gaps: number[] = [];
  let last: number | null = null;
  for (let i = 0; i < times.length; i++) {
    const t = times[i];
    if (typeof t === 'number') {
      if (last !== null && t > last) {
        gaps.push(t - last);
      }
      last = t;
    }
  }
  gaps.sort((a, b) => a - b);
  return gaps.length > 0 ? gaps[gaps.length >> 1] : 0;
}

/**
 * The detector options of the panel options; throws a RangeError naming the bad option (core's
 * validation: the panel accepts exactly what the sidecar accepts).
 */
export function panelDetectorOptions(o: AnomalyOptions): DetectorOptions {
  const options: DetectorOptions = { sensitivity: o.sensitivity, windowSize: o.window, scoring: o.scoring };
  resolveDetectorOptions(options);
  return options;
}

/** Learned points a detector with these options needs before it can flag any point (core's warm-up). */
export function warmUpPoints(options: DetectorOptions): number {
  return new StreamingDetector(options).warmUpPoints;
}

/** Points a detector with these options learns before its full scoring applies (core's learning period). */
export function learningPeriod(options: DetectorOptions): number {
  return new StreamingDetector(options).learningPeriod;
}

/**
 * Runs one @vigil/core StreamingDetector over a series, oldest point first, exactly as the sidecar
 * does: each point is judged against the points before it, then learned, and fed to core's
 * IncidentTracker (the sidecar's, with its gap rule on the series' own step). Points that are not
 * finite numbers (gaps) are skipped by the detector and drawn as gaps.
 */
export function detectSeries(
  metric: string,
  times: ArrayLike<unknown>,
  values: ArrayLike<unknown>,
  options: DetectorOptions,
  grouping: IncidentOptions = {}
): SeriesDetection {
  const detector = new StreamingDetector(options);
  const closeAfter = grouping.closeAfter ?? DEFAULT_CLOSE_AFTER;
  const step = seriesStepMs(times);
  let ids = 0;
  const tracker = new IncidentTracker(
    closeAfter,
    step > 0 ? incidentGapMs(closeAfter, step) : Number.POSITIVE_INFINITY,
    () => `${metric}#${++ids}`
  );
  const incidents: AnomalyIncident[] = [];
  const indexOf = new Map<number, number>();
  // learned points before the detector can flag any point (core's warm-up, whatever the scoring)
  const learning = detector.warmUpPoints;
  let learned = 0;
  let marksFrom: number | null = null;
  const n = Math.min(times.length, values.length);
  const expected: Value[] = new Array(n).fill(null);
  const lower: Value[] = new Array(n).fill(null);
  const upper: Value[] = new Array(n).fill(null);
  const anomaly: Value[] = new Array(n).fill(null);
  const anomalies: AnomalyPoint[] = [];
  let scored = false;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    const t = times[i];
    if (typeof v !== 'number' || typeof t !== 'number') {
      continue;
    }
    const r: DetectionResult = detector.detect(v, t);
    if (r.reason !== 'invalid_value' && r.reason !== 'out_of_order') {
      learned++;
      indexOf.set(t, i);
    }
    // every judged point, as the sidecar's runner feeds its tracker
    for (const c of tracker.observe(r)) {
      if (c.kind === 'open') {
        incidents.push(c.incident);
      }
    }
    if (r.reason !== 'ok') {
      continue;
    }
    scored = true;
    if (marksFrom === null && learned > learning) {
      marksFrom = t;
    }
    expected[i] = r.expected;
    lower[i] = r.lower;
    upper[i] = r.upper;
    if (r.isAnomaly) {
      anomaly[i] = v;
      anomalies.push({
        index: i,
        time: t,
        value: v,
        expected: r.expected,
        stddev: r.baseline ? r.baseline.stddev : 0,
        type: r.anomalyType,
        confidence: r.confidence,
        score: r.anomalyScore,
        message: anomalyMessage(metric, r),
      });
    }
  }
  return { expected, lower, upper, anomaly, anomalies, scored, marksFrom, incidents, indexOf, learned };
}
