import { RollingWindow, type RollingWindowState } from './rollingWindow';
import { SeasonalProfile, type SeasonalState, type SeasonalityKind } from './seasonal';
import { TrendTracker, type TrendState } from './trend';
import { LikelihoodScorer, type LikelihoodState, type ScorerParams } from './scoring';
import type { AnomalyType, DetectionReason, DetectionResult, DetectorOptions, ScoringMode } from './types';
import { resolveDetectorOptions, type ResolvedDetectorOptions } from './options';

/** Plain, JSON-safe state of a {@link StreamingDetector}; `StreamingDetector.fromJSON` restores it. */
export interface DetectorState {
  version: 1;
  options: ResolvedDetectorOptions;
  lastTimestamp: number;
  window: RollingWindowState;
  seasonal: SeasonalState;
  trend: TrendState;
  scorer: LikelihoodState;
}

/**
 * The guide's AdvancedAnomalyDetector for one series, made streaming: every statistic it recomputes
 * over the window on each point is kept incrementally, so a point costs O(1) (plus an O(window)
 * element shift of a sorted copy, bounded by the window length; see RollingWindow). Each point is
 * judged against the baseline of the points before it, then learned.
 *
 * Hot path: {@link push} returns the anomaly score and allocates nothing; {@link detect} returns the
 * full explainable verdict (and allocates it).
 */
export class StreamingDetector {
  readonly options: ResolvedDetectorOptions;
  private window: RollingWindow;
  private seasonal: SeasonalProfile;
  private trend: TrendTracker;
  private scorer: LikelihoodScorer;
  private lastTs = Number.NEGATIVE_INFINITY;
  // verdict of the last point (fields, not an object, so that push() allocates nothing)
  private ts = 0;
  private value = 0;
  private isAnomaly = false;
  private score = 0;
  private confidence = 0;
  private z = 0;
  private expected = 0;
  private sd = 0;
  private reason: DetectionReason = 'insufficient_data';
  private kind: SeasonalityKind = 'none';
  private trendAnomaly = false;
  private trendPending = false;
  private readonly guide: boolean;

  /** `scorerParams` is for tuning experiments only (bench/); production uses the defaults. */
  constructor(options: DetectorOptions = {}, scorerParams: Partial<ScorerParams> = {}) {
    this.options = resolveDetectorOptions(options);
    this.guide = this.options.scoring === 'guide';
    const o = this.options;
    this.window = new RollingWindow(o.windowSize);
    this.seasonal = new SeasonalProfile(o.windowSize, o.utcOffsetMinutes);
    this.trend = new TrendTracker(o.trendLength);
    this.scorer = new LikelihoodScorer(scorerParams);
  }

  /** Scoring mode in use. */
  get scoring(): ScoringMode {
    return this.options.scoring;
  }

  /**
   * Judges one point (value, timestamp in ms) against the baseline so far, then learns it, and
   * returns its anomaly score in [0, 1]. Allocates nothing of its own. Non-finite values are skipped.
   */
  push(value: number, timestamp: number): number {
    // internal steps pass doubles through fields: V8 boxes doubles passed to calls it does not inline
    this.value = value;
    this.ts = timestamp;
    this.judge();
    this.learn();
    return this.score;
  }

  /** As {@link push}, returning the full explainable verdict (the guide's `detect_anomaly` output). */
  detect(value: number, timestamp: number): DetectionResult {
    this.value = value;
    this.ts = timestamp;
    this.judge();
    const r = this.build();
    this.learn();
    return r;
  }

  /** JSON-safe state, for persistence and warm starts; see {@link StreamingDetector.fromJSON}. */
  toJSON(): DetectorState {
    return {
      version: 1,
      options: { ...this.options },
      lastTimestamp: this.lastTs,
      window: this.window.toJSON(),
      seasonal: this.seasonal.toJSON(),
      trend: this.trend.toJSON(),
      scorer: this.scorer.toJSON(),
    };
  }

  /** Restores a detector from {@link toJSON} output (e.g. after JSON.parse); it continues identically. */
  static fromJSON(state: DetectorState): StreamingDetector {
    if (!state || state.version !== 1) {
      throw new TypeError(`detector state: unsupported version ${state ? String(state.version) : state}`);
    }
    const d = new StreamingDetector(state.options);
    d.window = RollingWindow.fromJSON(state.window);
    d.seasonal = SeasonalProfile.fromJSON(state.seasonal);
    d.trend = TrendTracker.fromJSON(state.trend);
    d.scorer = LikelihoodScorer.fromJSON(state.scorer);
    d.lastTs = state.lastTimestamp ?? Number.NEGATIVE_INFINITY;
    return d;
  }

  /** Whether the last pushed point was an anomaly (cheap: no result object). */
  get lastIsAnomaly(): boolean {
    return this.isAnomaly;
  }

  /** Timestamp of the last learned point (−Infinity before the first). */
  get lastTimestamp(): number {
    return this.lastTs;
  }

  private judge(): void {
    const o = this.options;
    const value = this.value;
    const timestamp = this.ts;
    this.trendAnomaly = false;
    if (!Number.isFinite(value) || !Number.isFinite(timestamp)) {
      this.setQuiet('invalid_value');
      return;
    }
    if (timestamp <= this.lastTs) {
      // already seen (e.g. history re-fed after a restart from saved state): skip, do not learn twice
      this.setQuiet('out_of_order');
      return;
    }
    const w = this.window;
    const n = w.size;
    const mean = n > 0 ? w.mean() : value;
    const sd = w.stddev();
    this.sd = sd;
    // seasonal expected value (guide: used when it explains the value better: adjusted z < 0.7·z)
    const seasonal = this.seasonal;
    seasonal.inTs = timestamp;
    seasonal.inMean = mean;
    seasonal.computeOffset();
    const offset = seasonal.offset;
    const residual = value - mean - offset;
    this.trend.push(this.seasonal.kind === 'none' ? value : residual);
    // the trend test decides guide verdicts; with likelihood scoring it only explains them, so it is
    // evaluated lazily, in detect(), and push() skips it
    const guide = this.guide;
    const trendAnomaly = n >= o.trendLength && guide && this.trend.evaluate();
    this.trendAnomaly = trendAnomaly;
    this.trendPending = n >= o.trendLength && !guide;
    if (n < o.minSamples || sd === 0) {
      this.setQuiet(n < o.minSamples ? 'insufficient_data' : 'zero_variance');
      this.expected = mean;
    } else {
      const z = (value - mean) / sd;
      const az = residual / sd;
      const useSeasonal = this.seasonal.kind !== 'none' && Math.abs(az) < Math.abs(z) * 0.7;
      this.z = useSeasonal ? az : z;
      this.kind = useSeasonal ? this.seasonal.kind : 'none';
      this.expected = useSeasonal ? mean + offset : mean;
      const absZ = Math.abs(this.z);
      const zConf = Math.min(absZ / o.sensitivity, 1);
      this.confidence = trendAnomaly && this.trend.confidence > zConf ? this.trend.confidence : zConf;
      this.reason = 'ok';
      this.isAnomaly = absZ > o.sensitivity || trendAnomaly;
      this.score = this.confidence;
    }
    if (!guide) {
      const sc = this.scorer;
      sc.inValue = value;
      sc.inZ = this.z;
      sc.inScored = this.reason === 'ok';
      sc.inTs = timestamp + o.utcOffsetMinutes * 60_000;
      sc.step();
      this.score = sc.score;
      this.isAnomaly = this.score >= o.alertThreshold;
    }
  }

  private learn(): void {
    if (this.reason === 'invalid_value' || this.reason === 'out_of_order') {
      return;
    }
    const w = this.window;
    const n = w.size;
    const evicted = n === this.options.windowSize ? w.oldest() : 0;
    const seasonal = this.seasonal;
    seasonal.inValue = this.value;
    seasonal.inTs = this.ts;
    seasonal.inEvicted = evicted;
    seasonal.learn();
    w.push(this.value);
    this.lastTs = this.ts;
  }

  private build(): DetectionResult {
    const o = this.options;
    if (this.trendPending) {
      this.trendPending = false;
      this.trendAnomaly = this.trend.evaluate();
      if (this.reason === 'ok' && this.trendAnomaly && this.trend.confidence > this.confidence) {
        this.confidence = this.trend.confidence;
      }
    }
    const half = o.sensitivity * this.sd;
    const baseline = this.reason === 'ok' || this.reason === 'zero_variance' ? this.window.stats() : null;
    return {
      timestamp: this.ts,
      value: this.value,
      isAnomaly: this.isAnomaly,
      anomalyScore: this.score,
      confidence: this.confidence,
      zScore: this.z,
      expected: this.expected,
      lower: this.expected - half,
      upper: this.expected + half,
      anomalyType: this.isAnomaly && baseline ? this.classify(baseline.p99) : 'none',
      reason: this.reason,
      seasonality: this.kind,
      baseline,
      trend: this.trend.analysis(),
    };
  }

  private setQuiet(reason: DetectionReason): void {
    this.reason = reason;
    this.isAnomaly = false;
    this.score = 0;
    this.confidence = 0;
    this.z = 0;
    this.kind = 'none';
  }

  /**
   * The guide's `_classify_anomaly_type`, in its order. The guide's extreme_low falls back to
   * mean − 3σ (its baseline has no p1); we measure from `expected`, which is the mean unless the
   * seasonal pattern explained the value better.
   */
  private classify(p99: number): AnomalyType {
    const v = this.value;
    const e = this.expected;
    const sd = this.sd;
    if (v > p99) {
      return 'extreme_high';
    }
    if (v < e - 3 * sd) {
      return 'extreme_low';
    }
    if (this.trendAnomaly) {
      return this.trend.slope > 0 ? 'trend_change_increasing' : 'trend_change_decreasing';
    }
    if (v > e + 2 * sd) {
      return 'statistical_high';
    }
    if (v < e - 2 * sd) {
      return 'statistical_low';
    }
    return 'unknown';
  }
}
