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
import type { DetectorSettings } from './types';

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

/** The detector's band at the points it was computed at (every k-th point, and every marked point). */
export interface BandPoints {
  /** Index of each point in its series, ascending; NaN (in every column) where the data has a gap. */
  index: number[];
  expected: number[];
  lower: number[];
  upper: number[];
}

/** The detector's verdicts over one series. */
export interface SeriesDetection {
  band: BandPoints;
  /** The anomalous points, oldest first. */
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
  /** Index by timestamp of the points given a full verdict, incidents' points among them (to place a peak). */
  indexOf: Map<number, number>;
  /** Points the detector learned (the sidecar's detector has also learned its lookback of history). */
  learned: number;
  /** The band was computed every `stride`-th point (1: at every point), and at every marked point. */
  stride: number;
  /** The series' usual spacing ({@link seriesStepMs}). */
  stepMs: number;
}

/** How the panel groups anomalies into incidents, and how densely it computes the band. */
export interface IncidentOptions {
  /** Normal points after which an incident closes (default: the sidecar's, 3). */
  closeAfter?: number;
  /** The band is computed every `bandStride`-th point (default {@link bandStride} of the length). */
  bandStride?: number;
}

/**
 * Points per series up to which the band (expected, lower, upper) is computed at every point; above
 * it, every k-th point, so at most this many (and at every marked point and through every incident).
 * The band is a statistic of the detector's last `window` points: on a series dense enough to be
 * sampled (50,000 points: 100 points span 2–3 pixels of a 1,200-pixel chart), it moves on the scale
 * of a few pixels, and the band drawn through a point every 2–3 pixels shows it. Scores, anomalies
 * and incidents stay exact: every point is scored.
 */
export const BAND_POINTS = 512;

/** Every how many points the band is computed on a series of `n` points (1 up to {@link BAND_POINTS}). */
export function bandStride(n: number): number {
  return n <= BAND_POINTS ? 1 : Math.ceil(n / BAND_POINTS);
}

/** Gaps the step is the median of, at most (evenly spaced over the series beyond that). */
const STEP_SAMPLE = 2047;

/**
 * The series' usual spacing: the median gap between consecutive timestamps (0 with fewer than two),
 * over at most {@link STEP_SAMPLE} gaps spread evenly over the series.
 */
export function seriesStepMs(times: ArrayLike<unknown>): number {
  const gaps: number[] = [];
  const every = Math.max(1, Math.floor(times.length / STEP_SAMPLE));
  for (let i = 1; i < times.length; i += every) {
    const a = times[i - 1];
    const b = times[i];
    if (typeof a === 'number' && typeof b === 'number' && b > a) {
      gaps.push(b - a);
    }
  }
  gaps.sort((a, b) => a - b);
  return gaps.length > 0 ? gaps[gaps.length >> 1] : 0;
}

/**
 * The detector options of the panel options; throws a RangeError naming the bad option (core's
 * validation: the panel accepts exactly what the sidecar accepts).
 */
export function panelDetectorOptions(o: DetectorSettings): DetectorOptions {
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

/** Points between two saved copies of the detector's state (a replay starts from the last one). */
const CHECKPOINT_EVERY = 64;
/** Points pushed in one call at most: a flagged point is replayed from at most this far back. */
const MAX_RUN = 1024;

/**
 * Runs one @vigil/core StreamingDetector over a series, oldest point first, exactly as the sidecar
 * does: each point is judged against the points before it, then learned, and fed to core's
 * IncidentTracker (the sidecar's, with its gap rule on the series' own step). Points that are not
 * finite numbers (gaps) are skipped by the detector and drawn as gaps.
 *
 * As the sidecar's runner, it scores most points on core's fast path (`push()`, no result object)
 * and asks for the full verdict (`detect()`, the same arithmetic: core's fastPath.test.ts) only where
 * it is read: every `bandStride`-th point (the band), every point while an incident is open (the
 * tracker reads the band), and until marks are possible. A point the fast path flags is judged again
 * from a copy of the state saved at most {@link CHECKPOINT_EVERY} points earlier, replayed up to it.
 */
export function detectSeries(
  metric: string,
  times: ArrayLike<unknown>,
  values: ArrayLike<unknown>,
  options: DetectorOptions,
  grouping: IncidentOptions = {}
): SeriesDetection {
  const first = new StreamingDetector(options);
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
  const learning = first.warmUpPoints;
  let learned = 0;
  let marksFrom: number | null = null;
  const n = Math.min(times.length, values.length);
  const stride = Math.max(1, Math.floor(grouping.bandStride ?? bandStride(n)));
  const band: BandPoints = { index: [], expected: [], lower: [], upper: [] };
  const anomalies: AnomalyPoint[] = [];
  let scored = false;
  // The detector's whole state is one Float64Array (core's slab): a copy of it is a checkpoint, and
  // a detector made on a copy continues exactly where the copy was taken.
  let detector = first;
  const checkpoint = Float64Array.from(detector.state);
  let checkpointAt = 0;
  const saveCheckpoint = (next: number) => {
    if (next - checkpointAt >= CHECKPOINT_EVERY) {
      checkpoint.set(detector.state);
      checkpointAt = next;
    }
  };
  // the columns as core's fast path reads them (NaN in a gap: skipped and not learned, as below);
  // columns that are Float64Arrays already (the worker's) are read as they are
  const vs = values instanceof Float64Array && values.length === n ? values : new Float64Array(n);
  const ts = times instanceof Float64Array && times.length === n ? times : new Float64Array(n);
  // Which points the detector learns (finite, later than the last one learned: core's rule, which
  // depends on the series alone) and which are missing values, as counts before each index: a run
  // of points pushed in one call adds up its learned points and gaps in O(1).
  const learnedBefore = new Int32Array(n + 1);
  const gapsBefore = new Int32Array(n + 1);
  let lastTs = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    const t = times[i];
    const x = typeof v === 'number' ? v : Number.NaN;
    const y = typeof t === 'number' ? t : Number.NaN;
    if (vs !== values) {
      vs[i] = x;
    }
    if (ts !== times) {
      ts[i] = y;
    }
    const ok = x - x === 0 && y - y === 0 && y > lastTs;
    lastTs = ok ? y : lastTs;
    learnedBefore[i + 1] = learnedBefore[i] + (ok ? 1 : 0);
    gapsBefore[i + 1] = gapsBefore[i] + (x - x === 0 ? 0 : 1);
  }
  /** Judges point i afresh: the checkpoint's state, the points since pushed, then detect(i). */
  const replay = (i: number): DetectionResult => {
    detector = new StreamingDetector(options, {}, Float64Array.from(checkpoint), 0, false);
    detector.pushMany(vs.subarray(checkpointAt, i), ts.subarray(checkpointAt, i));
    return detector.detect(vs[i], ts[i]);
  };
  // With likelihood scoring an anomaly scores at least alertThreshold: a run of points all below it
  // holds none (guide scoring can flag a trend change below it, so it goes point by point).
  const alertAt = first.scoring === 'likelihood' ? first.options.alertThreshold : Number.NaN;
  const scores = new Float64Array(Math.min(stride, MAX_RUN));
  // a missing value since the last band point
  let gap = false;
  let i = 0;
  while (i < n) {
    const full = stride === 1 || marksFrom === null || tracker.current !== null || i % stride === 0;
    if (!full && alertAt === alertAt) {
      // the points up to the next band point on the fast path, in one call
      const end = Math.min(n, (Math.floor(i / stride) + 1) * stride, i + MAX_RUN);
      detector.pushMany(vs.subarray(i, end), ts.subarray(i, end), scores);
      let flagged = end;
      for (let j = i; j < end; j++) {
        if (scores[j - i] >= alertAt) {
          flagged = j;
          break;
        }
      }
      learned += learnedBefore[flagged] - learnedBefore[i];
      gap = gap || gapsBefore[flagged] > gapsBefore[i];
      if (flagged === end) {
        saveCheckpoint(end);
        i = end;
        continue;
      }
      // a point that may be an anomaly: judged again, and the series goes on from it
      i = flagged;
    }
    const v = vs[i];
    const t = ts[i];
    // gaps, non-finite values and points out of order are skipped and not learned (core's rule)
    if (learnedBefore[i + 1] === learnedBefore[i]) {
      gap = gap || v - v !== 0;
      i++;
      continue;
    }
    let r: DetectionResult | null = null;
    if (!full && alertAt === alertAt) {
      r = replay(i);
    } else if (full) {
      r = detector.detect(v, t);
    } else {
      detector.push(v, t);
      if (detector.lastIsAnomaly) {
        r = replay(i);
      }
    }
    learned++;
    const at = i++;
    saveCheckpoint(i);
    if (r === null) {
      // an ordinary point between band points, no incident open: nothing reads its verdict
      continue;
    }
    indexOf.set(t, at);
    // every point the tracker could act on, as the sidecar's runner feeds it
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
    if (gap && band.index.length > 0) {
      // a gap in the data since the last band point: the band breaks there as the line does
      band.index.push(Number.NaN);
      band.expected.push(Number.NaN);
      band.lower.push(Number.NaN);
      band.upper.push(Number.NaN);
    }
    gap = false;
    band.index.push(at);
    band.expected.push(r.expected);
    band.lower.push(r.lower);
    band.upper.push(r.upper);
    if (r.isAnomaly) {
      anomalies.push({
        index: at,
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
  return {
    band,
    anomalies,
    scored,
    marksFrom,
    incidents,
    indexOf,
    learned,
    stride,
    stepMs: step,
  };
}

/** A band as full-length chart columns (null where it was not computed), e.g. to compare two runs. */
export function bandColumns(band: BandPoints, n: number): { expected: Value[]; lower: Value[]; upper: Value[] } {
  const out = {
    expected: new Array<Value>(n).fill(null),
    lower: new Array<Value>(n).fill(null),
    upper: new Array<Value>(n).fill(null),
  };
  band.index.forEach((i, k) => {
    if (Number.isNaN(i)) {
      return;
    }
    out.expected[i] = band.expected[k];
    out.lower[i] = band.lower[k];
    out.upper[i] = band.upper[k];
  });
  return out;
}
