import { linearRegression, max, mean, min, quantile, sampleStandardDeviation } from 'simple-statistics';
import { resolveDetectorOptions } from './options';
import type { SeasonalityKind } from './seasonal';
import { flatTolerance } from './trend';
import type { AnomalyType, DetectionResult, DetectorOptions } from './types';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * The guide's AdvancedAnomalyDetector written the straightforward way: on every point the window
 * statistics, the hour-of-day and day-of-week buckets and the trend regressions are recomputed from
 * the raw window with simple-statistics, exactly as the guide's Python does. It is the oracle for
 * the streaming detector's tests (same verdicts in `guide` scoring mode) and the baseline of
 * `npm run bench:detect`. O(window) time per point, and allocates on every point.
 */
export class ReferenceDetector {
  private readonly o: ReturnType<typeof resolveDetectorOptions>;
  private readonly window: Array<{ v: number; t: number }> = [];
  private readonly trendInputs: number[] = [];

  constructor(options: DetectorOptions = {}) {
    this.o = resolveDetectorOptions({ ...options, scoring: 'guide' });
  }

  /** Judges a point against the window before it, then adds it (as the streaming detector does). */
  detect(value: number, timestamp: number): DetectionResult {
    const o = this.o;
    const values = this.window.map((p) => p.v);
    const n = values.length;
    const m = n > 0 ? mean(values) : value;
    const sd = n > 1 ? sampleStandardDeviation(values) : 0;
    const { offset, kind } = this.seasonal(timestamp, m);
    const residual = value - m - offset;
    this.trendInputs.push(kind === 'none' ? value : residual);
    if (this.trendInputs.length > o.trendLength) {
      this.trendInputs.shift();
    }
    const trend = this.trendAnalysis(n);
    let r: DetectionResult;
    if (n < o.minSamples || sd === 0) {
      r = {
        timestamp,
        value,
        isAnomaly: false,
        anomalyScore: 0,
        confidence: 0,
        zScore: 0,
        expected: m,
        lower: m - o.sensitivity * sd,
        upper: m + o.sensitivity * sd,
        anomalyType: 'none',
        reason: n < o.minSamples ? 'insufficient_data' : 'zero_variance',
        seasonality: 'none',
        baseline: n < o.minSamples ? null : this.baseline(values, m, sd),
        trend,
      };
    } else {
      const z = (value - m) / sd;
      const az = residual / sd;
      const useSeasonal = kind !== 'none' && Math.abs(az) < Math.abs(z) * 0.7;
      const zz = useSeasonal ? az : z;
      const expected = useSeasonal ? m + offset : m;
      const zConf = Math.min(Math.abs(zz) / o.sensitivity, 1);
      const confidence = trend.isAnomaly && trend.confidence > zConf ? trend.confidence : zConf;
      const isAnomaly = Math.abs(zz) > o.sensitivity || trend.isAnomaly;
      const baseline = this.baseline(values, m, sd);
      r = {
        timestamp,
        value,
        isAnomaly,
        anomalyScore: confidence,
        confidence,
        zScore: zz,
        expected,
        lower: expected - o.sensitivity * sd,
        upper: expected + o.sensitivity * sd,
        anomalyType: isAnomaly ? classify(value, expected, sd, baseline.p99, trend.isAnomaly, trend.slope) : 'none',
        reason: 'ok',
        seasonality: useSeasonal ? kind : 'none',
        baseline,
        trend,
      };
    }
    this.window.push({ v: value, t: timestamp });
    if (this.window.length > o.windowSize) {
      this.window.shift();
    }
    return r;
  }

  private baseline(values: number[], m: number, sd: number) {
    return {
      count: values.length,
      mean: m,
      stddev: sd,
      median: quantile(values, 0.5),
      p95: quantile(values, 0.95),
      p99: quantile(values, 0.99),
      min: min(values),
      max: max(values),
    };
  }

  /** The guide's `_detect_seasonal_patterns` + `_get_seasonal_adjustment`, re-bucketing the window. */
  private seasonal(ts: number, m: number): { offset: number; kind: SeasonalityKind } {
    if (this.window.length < 50) {
      return { offset: 0, kind: 'none' };
    }
    const off = this.o.utcOffsetMinutes * 60_000;
    const hourOf = (t: number) => ((Math.floor((t + off) / HOUR_MS) % 24) + 24) % 24;
    const dayOf = (t: number) => (((Math.floor((t + off) / DAY_MS) + 4) % 7) + 7) % 7;
    const hours = new Map<number, number[]>();
    const days = new Map<number, number[]>();
    for (const p of this.window) {
      const h = hourOf(p.t);
      const d = dayOf(p.t);
      hours.set(h, [...(hours.get(h) ?? []), p.v]);
      days.set(d, [...(days.get(d) ?? []), p.v]);
    }
    const pattern = (b: Map<number, number[]>) =>
      new Map([...b].filter(([, vs]) => vs.length >= 3).map(([k, vs]) => [k, mean(vs)]));
    const hp = pattern(hours);
    const dp = pattern(days);
    let offset = 0;
    const hourly = hp.size >= 12 && hp.has(hourOf(ts));
    const daily = !hourly && dp.size >= 7 && dp.has(dayOf(ts));
    if (hourly) {
      offset += hp.get(hourOf(ts))! - m;
    }
    if (daily) {
      offset += dp.get(dayOf(ts))! - m;
    }
    return { offset, kind: hourly ? 'hour_of_day' : daily ? 'day_of_week' : 'none' };
  }

  /** The guide's `_detect_trend_anomaly`, with linear regressions over the last points. */
  private trendAnalysis(n: number) {
    const L = this.o.trendLength;
    const ys = this.trendInputs;
    if (n < L || ys.length < L) {
      return { isAnomaly: false, confidence: 0, slope: 0, change: 0, direction: 'decreasing' as const };
    }
    const half = L / 2;
    const slope = (part: number[]) => linearRegression(part.map((y, x) => [x, y])).m;
    const s = slope(ys);
    const change = Math.abs(slope(ys.slice(half)) - slope(ys.slice(0, half)));
    const threshold = sampleStandardDeviation(ys) * 0.5;
    const flat = threshold <= flatTolerance(ys[0]);
    const isAnomaly = !flat && change > threshold;
    const confidence = flat ? 0 : Math.min(change / threshold, 1);
    const sl = flat ? 0 : s;
    return {
      isAnomaly,
      confidence,
      slope: sl,
      change: flat ? 0 : change,
      direction: sl > 0 ? ('increasing' as const) : ('decreasing' as const),
    };
  }
}

/** The guide's `_classify_anomaly_type` (see StreamingDetector.classify). */
function classify(v: number, e: number, sd: number, p99: number, trend: boolean, slope: number): AnomalyType {
  if (v > p99) {
    return 'extreme_high';
  }
  if (v < e - 3 * sd) {
    return 'extreme_low';
  }
  if (trend) {
    return slope > 0 ? 'trend_change_increasing' : 'trend_change_decreasing';
  }
  if (v > e + 2 * sd) {
    return 'statistical_high';
  }
  if (v < e - 2 * sd) {
    return 'statistical_low';
  }
  return 'unknown';
}
