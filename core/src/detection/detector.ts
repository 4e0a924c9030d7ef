import { RollingWindow, robustSigma, type RollingWindowState } from './rollingWindow';
import { SeasonalProfile, type SeasonalState, type SeasonalityKind } from './seasonal';
import { TrendTracker, type TrendState } from './trend';
import { LikelihoodScorer, shared, type LikelihoodState, type ScoreDriver, type ScorerParams } from './scoring';
import type { AnomalyType, DetectionReason, DetectionResult, DetectorOptions, ScoringMode } from './types';
import { resolveDetectorOptions, type ResolvedDetectorOptions } from './options';
import * as FP from './fastPath';
import { SC_ROBUST_REFRESH } from './layout';

// fastPath's exports copied into module-level consts once: under some loaders (e.g. tsx) every read
// of an import binding is a getter call, and these are read several times per point
const fusedPush = FP.fusedPush;
const IO = FP.IO;
const IO_VALUE = FP.IO_VALUE;
const IO_TS = FP.IO_TS;
const IO_SCORE = FP.IO_SCORE;
const IO_ANOMALY = FP.IO_ANOMALY;
const IO_REASON = FP.IO_REASON;

/** fusedPush's reason codes. */
const FUSED_REASONS: readonly DetectionReason[] = ['ok', 'insufficient_data', 'zero_variance'];

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
    this.options = shared(resolveDetectorOptions(options));
    this.guide = this.options.scoring === 'guide';
    const o = this.options;
    this.window = new RollingWindow(o.windowSize);
    this.seasonal = new SeasonalProfile(o.windowSize, o.utcOffsetMinutes);
    this.trend = new TrendTracker(o.trendLength);
    this.scorer = new LikelihoodScorer({ explainZ: o.sensitivity, ...scorerParams });
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
    // small enough for V8 to inline into the caller; the doubles travel through a shared array
    // (V8 boxes doubles passed to or returned from calls it does not inline)
    IO[IO_VALUE] = value;
    IO[IO_TS] = timestamp;
    this.pushIO();
    return IO[IO_SCORE];
  }

  /**
   * Scores a batch of points of this series, in order: `scores[i]` (when given) gets the score of
   * (`values[i]`, `timestamps[i]`). Same results as calling {@link push} on each point.
   */
  pushMany(values: ArrayLike<number>, timestamps: ArrayLike<number>, scores?: { [i: number]: number }): void {
    if (values.length !== timestamps.length) {
      throw new RangeError(`pushMany: ${values.length} values but ${timestamps.length} timestamps`);
    }
    for (let i = 0; i < values.length; i++) {
      IO[IO_VALUE] = values[i];
      IO[IO_TS] = timestamps[i];
      this.pushIO();
      if (scores) {
        scores[i] = IO[IO_SCORE];
      }
    }
  }

  /**
   * One tick over many series: pushes (`values[i]`, `timestamp`) into `detectors[i]` for every i, as
   * a scheduler that evaluates all series each tick does; `scores[i]` (when given) gets the score.
   * Same results as `detectors[i].push(values[i], timestamp)` for each i.
   */
  static pushEach(
    detectors: readonly StreamingDetector[],
    values: ArrayLike<number>,
    timestamp: number,
    scores?: { [i: number]: number }
  ): void {
    if (values.length !== detectors.length) {
      throw new RangeError(`pushEach: ${values.length} values for ${detectors.length} detectors`);
    }
    for (let i = 0; i < detectors.length; i++) {
      IO[IO_VALUE] = values[i];
      IO[IO_TS] = timestamp;
      detectors[i].pushIO();
      if (scores) {
        scores[i] = IO[IO_SCORE];
      }
    }
  }

  /** {@link push} of IO[IO_VALUE] at IO[IO_TS], score into IO[IO_SCORE]. */
  private pushIO(): void {
    const value = IO[IO_VALUE];
    const ts = IO[IO_TS];
    const sc = this.scorer;
    if (!this.window.sortedValid && value - value === 0 && ts - ts === 0 && ts > this.lastTs) {
      // the common case, fused (bit-for-bit the same as judge() + learn(); see fastPath.ts)
      fusedPush(this.options, this.window, this.seasonal, this.trend, sc, this.guide);
      const reason = IO[IO_REASON];
      if (reason >= 0) {
        this.score = IO[IO_SCORE];
        this.isAnomaly = IO[IO_ANOMALY] === 1;
        this.reason = FUSED_REASONS[reason];
        this.lastTs = ts;
        return;
      }
      // a learning-period point for the fallback rule: nothing was learned, take the component path
    }
    this.value = value;
    this.ts = ts;
    this.judge();
    this.learn();
    IO[IO_SCORE] = this.score;
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
    // states saved before explainZ existed: the value the constructor would have chosen
    const scorer =
      state.scorer?.params?.explainZ === undefined
        ? { ...state.scorer, params: { ...state.scorer.params, explainZ: d.options.sensitivity } }
        : state.scorer;
    d.scorer = LikelihoodScorer.fromJSON(scorer);
    d.lastTs = state.lastTimestamp ?? Number.NEGATIVE_INFINITY;
    return d;
  }

  /** Whether the last pushed point was an anomaly (cheap: no result object). */
  get lastIsAnomaly(): boolean {
    return this.isAnomaly;
  }

  /**
   * Points the `likelihood` scoring learns before its own score applies (0 with `guide` scoring).
   * Until then only obvious spikes are flagged (see ScorerParams.fallbackZ), from the
   * {@link warmUpPoints}-th point on.
   */
  get learningPeriod(): number {
    return this.guide ? 0 : this.scorer.params.learningPeriod;
  }

  /** Learned points needed before any point can be flagged at all. */
  get warmUpPoints(): number {
    return this.guide
      ? this.options.minSamples
      : Math.max(this.options.minSamples, this.scorer.params.fallbackMinSamples);
  }

  /** Whether the detector is past its learning period, so its full scoring applies. */
  get isWarm(): boolean {
    return this.guide ? this.window.size >= this.options.minSamples : !this.scorer.learning;
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
    w.computeMoments();
    const mean = n > 0 ? w.outMean : value;
    const sd = w.outSd;
    this.sd = sd;
    // seasonal expected value (guide: used when it explains the value better: adjusted z < 0.7·z)
    const seasonal = this.seasonal;
    seasonal.inTs = timestamp;
    seasonal.inMean = mean;
    seasonal.computeOffset();
    const offset = seasonal.offset;
    const residual = value - mean - offset;
    this.trend.inValue = this.seasonal.kind === 'none' ? value : residual;
    this.trend.pushIn();
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
      const inv = 1 / sd;
      const z = (value - mean) * inv;
      const az = residual * inv;
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
      sc.inFallback = sc.learning && this.reason === 'ok' && n >= sc.params.fallbackMinSamples ? this.fallback() : 0;
      if (sc.coolingDown) {
        this.robustForRearm();
      }
      sc.inValue = value;
      sc.inZ = this.z;
      sc.inScored = this.reason === 'ok';
      sc.inTs = timestamp + o.utcOffsetMinutes * 60_000;
      sc.inSd = sd;
      sc.step();
      this.score = sc.score;
      this.isAnomaly = this.score >= o.alertThreshold && sc.explained;
    }
  }

  /**
   * The learning period's conservative rule: a robust z (median and IQR-based σ of the window, which
   * one earlier spike does not inflate) beyond `fallbackZ`, and the guide's |z| > sensitivity, scored
   * |robust z| / (2·fallbackZ) (so 0.5 at the threshold). Reads order statistics: O(log w) amortised
   * per point, and only during the learning period.
   */
  private fallback(): number {
    const absZ = this.z < 0 ? -this.z : this.z;
    if (!(absZ > this.options.sensitivity)) {
      return 0;
    }
    const w = this.window;
    const sr = robustSigma(w.quantile(0.25), w.quantile(0.75), this.sd);
    const d = this.value - w.quantile(0.5);
    // read once, then let the window drop its sorted copy again: keeping it sorted costs every push
    w.releaseSorted();
    const rz = (d < 0 ? -d : d) / sr;
    const t = this.scorer.params.fallbackZ;
    return rz > t ? Math.min(1, rz / (2 * t)) : 0;
  }

  /**
   * During a cool-down: the point's |robust z| (distance from the window median in IQR-based σ) and
   * the robust band's half-width for the scorer's re-arm rule (ScorerParams.rearmRobustZ). The
   * window σ is useless here: the first incident's spike, still in the window, inflates it. Without a
   * usable baseline (too few points, zero variance) neither "back in the band" nor "far out" is said.
   */
  private robustForRearm(): void {
    const sc = this.scorer;
    if (this.reason !== 'ok') {
      sc.inRobustZ = 0;
      sc.inRobustBand = -1;
      return;
    }
    // the cached baseline while fresh (fastPath.ts does the same); measured afresh when stale or when
    // the point looks far out against it (it may re-arm, or reset the calm count)
    let d = this.value - sc.robustMedian;
    let rz = sc.robustAge > 0 ? (d < 0 ? -d : d) / sc.robustSd : Number.POSITIVE_INFINITY;
    if (rz > sc.params.rearmRobustZ) {
      const w = this.window;
      const r = robustSigma(w.quantile(0.25), w.quantile(0.75), this.sd);
      sc.robustSd = r > sc.alertSd ? r : sc.alertSd;
      sc.robustMedian = w.quantile(0.5);
      sc.robustAge = SC_ROBUST_REFRESH;
      w.releaseSorted();
      d = this.value - sc.robustMedian;
      rz = (d < 0 ? -d : d) / sc.robustSd;
    } else {
      sc.robustAge--;
    }
    sc.inRobustZ = rz;
    sc.inRobustBand = this.options.sensitivity;
  }

  private learn(): void {
    if (this.reason === 'invalid_value' || this.reason === 'out_of_order') {
      return;
    }
    const w = this.window;
    w.inValue = this.value;
    w.pushIn();
    const seasonal = this.seasonal;
    seasonal.inValue = this.value;
    seasonal.inTs = this.ts;
    seasonal.inEvicted = w.outEvicted;
    seasonal.learn();
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
    const baseline = this.reason === 'ok' || this.reason === 'zero_variance' ? this.window.stats() : null;
    const driver: ScoreDriver = this.guide ? 'window' : this.scorer.driver;
    let expected = this.expected;
    let sd = this.sd;
    let kind = this.kind;
    if (baseline && !this.guide) {
      // robust band: the median (plus the seasonal offset when it was used) and an IQR-based σ, so one
      // spike in the window does not drag the expected value nor blow the band up (its σ would).
      // `guide` scoring keeps the guide's mean ± sensitivity·σ exactly (reference.test.ts checks it).
      expected += baseline.median - baseline.mean;
      sd = robustSigma(this.window.quantile(0.25), this.window.quantile(0.75), sd);
    }
    if (
      this.isAnomaly &&
      (driver === 'window' || driver === 'fallback') &&
      Math.abs(this.value - expected) <= o.sensitivity * sd
    ) {
      // the verdict stands outside the guide's band (|z| > sensitivity); a skewed window can pull the
      // robust band over it, and the band drawn must not contradict the verdict
      expected = this.expected;
      sd = this.sd;
    }
    if (this.isAnomaly && driver === 'robust_rearm' && baseline) {
      // re-armed on the robust z: show the band it was measured against (median ± sensitivity·σ_r)
      // (measured afresh on this point: see robustForRearm)
      expected = this.scorer.robustMedian;
      sd = this.scorer.robustSd;
      kind = 'none';
    }
    if (this.isAnomaly && driver === 'time_of_day') {
      // the verdict came from the time-of-day profile: show the expectation it was measured against
      expected = this.scorer.dailyExpected;
      sd = this.scorer.dailySd;
      kind = 'hour_of_day';
    }
    const half = o.sensitivity * sd;
    return {
      timestamp: this.ts,
      value: this.value,
      isAnomaly: this.isAnomaly,
      anomalyScore: this.score,
      confidence: this.confidence,
      zScore: this.z,
      expected,
      lower: expected - half,
      upper: expected + half,
      anomalyType: this.isAnomaly && baseline ? this.classify(baseline.p99, driver) : 'none',
      reason: this.reason,
      seasonality: kind,
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
   * The guide's `_classify_anomaly_type`, in its order, unless a likelihood verdict came from a value
   * beyond the range seen so far (extreme) or from the time-of-day profile (measured against that). The guide's extreme_low falls back to
   * mean − 3σ (its baseline has no p1); we measure from the expected value the z-score used (the mean
   * unless the seasonal pattern explained the value better). Never `unknown`: a verdict always stands
   * out by itself (see ScorerParams.explainZ), and what is left is named by the z-score's sign.
   */
  private classify(p99: number, driver: ScoreDriver): AnomalyType {
    const v = this.value;
    if (driver === 'above_range') {
      return 'extreme_high';
    }
    if (driver === 'below_range') {
      return 'extreme_low';
    }
    if (driver === 'robust_rearm') {
      // beyond rearmRobustZ (6) robust σ from the median: twice the band, an extreme by any measure
      return v > this.window.quantile(0.5) ? 'extreme_high' : 'extreme_low';
    }
    if (driver === 'time_of_day') {
      const e = this.scorer.dailyExpected;
      const extreme = Math.abs(v - e) > this.options.sensitivity * this.scorer.dailySd;
      if (v > e) {
        return extreme ? 'extreme_high' : 'statistical_high';
      }
      return extreme ? 'extreme_low' : 'statistical_low';
    }
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
    return this.z >= 0 ? 'statistical_high' : 'statistical_low';
  }
}
