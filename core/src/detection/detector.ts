import { QUARTILES, RollingWindow, robustSigma, windowQuartiles, type RollingWindowState } from './rollingWindow';
import { SeasonalProfile, type SeasonalState, type SeasonalityKind } from './seasonal';
import { TrendTracker, type TrendState } from './trend';
import {
  DEFAULT_SCORER_PARAMS,
  LikelihoodScorer,
  shared,
  type LikelihoodState,
  type ScoreDriver,
  type ScorerParams,
} from './scoring';
import type { AnomalyType, DetectionReason, DetectionResult, DetectorOptions, ScoringMode } from './types';
import { resolveDetectorOptions, type ResolvedDetectorOptions } from './options';
import * as FP from './fastPath';
import * as Lay from './layout';
import { SC_ROBUST_REFRESH, slabLayout } from './layout';

// fastPath's export copied into a module-level const once: under some loaders (e.g. tsx) every read
// of an import binding is a getter call
const pushRun = FP.pushRun;
const H_LAST_TS = Lay.H_LAST_TS;
const H_SCORE = Lay.H_SCORE;
const H_ANOMALY = Lay.H_ANOMALY;
const H_REASON = Lay.H_REASON;

/** One-point input of the kernel for push(): value at [0], timestamp at [1] (V8 boxes double arguments). */
const ONE = new Float64Array(2);

/** Kernel plans by settings: options and scorer parameters are interned (see `shared`), so one each. */
const plans = new Map<object, Map<object, FP.KernelPlan>>();

/** The kernel plan of a detector (created once per distinct settings). */
function planOf(o: ResolvedDetectorOptions, sc: LikelihoodScorer): FP.KernelPlan {
  let byOptions = plans.get(sc.params);
  if (!byOptions) {
    if (plans.size >= 64) {
      plans.clear();
    }
    byOptions = new Map();
    plans.set(sc.params, byOptions);
  }
  let plan = byOptions.get(o);
  if (!plan) {
    const dp = sc.daily;
    const lay = slabLayout(o.windowSize, o.trendLength, sc.params.shortWindow, sc.params.dailyBuckets);
    plan = new FP.KernelPlan(lay, o, sc.params, {
      scWarm: sc.warm,
      dpWarm: dp.warm,
      dpValueAlpha: dp.valueAlpha,
      dpSlotMs: dp.slotMs,
      table: sc.table,
    });
    byOptions.set(o, plan);
  }
  return plan;
}

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
 * Hot path: {@link push} returns the anomaly score and allocates nothing (it runs the kernel,
 * fastPath.ts, on the detector's slab); {@link detect} returns the full explainable verdict (and
 * allocates it) through the pieces. Many series with the same settings: a DetectorBank.
 */
export class StreamingDetector {
  readonly options: ResolvedDetectorOptions;
  /**
   * All of the series' numeric state, in one array: a head (last timestamp, last score, verdict),
   * then the regions the components are views of (see layout.ts' slabLayout). It may be one series'
   * part of a larger slab (see DetectorBank): the series at `index` starts at `index · stride`.
   */
  private readonly slab: Float64Array;
  private readonly index: number;
  private readonly base: number;
  private window: RollingWindow;
  private seasonal: SeasonalProfile;
  private trend: TrendTracker;
  private scorer: LikelihoodScorer;
  private readonly plan: FP.KernelPlan;
  // explanation of the last point judged on the component path (detect()); score, verdict and
  // reason are in the slab's head, where the kernel writes them too
  private ts = 0;
  private value = 0;
  private confidence = 0;
  private z = 0;
  private expected = 0;
  private sd = 0;
  private kind: SeasonalityKind = 'none';
  /** Why the last point judged on the component path got its verdict (the kernel's code: H_REASON). */
  private reason: DetectionReason = 'insufficient_data';
  private trendAnomaly = false;
  private trendPending = false;
  private readonly guide: boolean;

  /**
   * `scorerParams` is for tuning experiments only (bench/); production uses the defaults. `slab`
   * and `index`: keep the state in that slab as its `index`-th series (DetectorBank); `fresh: false`
   * adopts the state already there instead of starting afresh.
   */
  constructor(
    options: DetectorOptions = {},
    scorerParams: Partial<ScorerParams> = {},
    slab?: Float64Array,
    index = 0,
    fresh = true
  ) {
    this.options = shared(resolveDetectorOptions(options));
    this.guide = this.options.scoring === 'guide';
    const o = this.options;
    const params = { explainZ: o.sensitivity, ...scorerParams };
    const resolved = { ...DEFAULT_SCORER_PARAMS, ...params };
    const lay = slabLayout(o.windowSize, o.trendLength, resolved.shortWindow, resolved.dailyBuckets);
    this.slab = slab ?? new Float64Array(lay.stride);
    this.index = index;
    this.base = index * lay.stride;
    if (this.base + lay.stride > this.slab.length) {
      throw new RangeError(`detector slab: series ${index} does not fit in ${this.slab.length} doubles`);
    }
    const f = this.slab;
    const b = this.base;
    this.window = new RollingWindow(o.windowSize, f, b + lay.window, fresh);
    this.seasonal = new SeasonalProfile(o.windowSize, o.utcOffsetMinutes, this.window.ring, f, b + lay.seasonal, fresh);
    this.trend = new TrendTracker(o.trendLength, f, b + lay.trend, fresh);
    this.scorer = new LikelihoodScorer(params, f, b + lay.scorer, fresh);
    this.plan = planOf(o, this.scorer);
    if (fresh) {
      f[b + H_LAST_TS] = Number.NEGATIVE_INFINITY;
      f[b + H_SCORE] = 0;
      f[b + H_ANOMALY] = 0;
      f[b + H_REASON] = 1;
    }
  }

  /** @internal (DetectorBank) */
  get kernelPlan(): FP.KernelPlan {
    return this.plan;
  }

  /** @internal (DetectorBank): this series' part of the slab (a view). */
  get state(): Float64Array {
    return this.slab.subarray(this.base, this.base + this.plan.lay.stride);
  }

  private get lastTs(): number {
    return this.slab[this.base + H_LAST_TS];
  }
  private set lastTs(v: number) {
    this.slab[this.base + H_LAST_TS] = v;
  }
  private get score(): number {
    return this.slab[this.base + H_SCORE];
  }
  private set score(v: number) {
    this.slab[this.base + H_SCORE] = v;
  }
  private get isAnomaly(): boolean {
    return this.slab[this.base + H_ANOMALY] === 1;
  }
  private set isAnomaly(v: boolean) {
    this.slab[this.base + H_ANOMALY] = v ? 1 : 0;
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
    ONE[0] = value;
    ONE[1] = timestamp;
    pushRun(this.plan, this.slab, this.index, 1, 0, ONE, 0, ONE, 1, 0, null);
    return this.slab[this.base + H_SCORE];
  }

  /**
   * Scores a batch of points of this series, in order: `scores[i]` (when given) gets the score of
   * (`values[i]`, `timestamps[i]`). Same results as calling {@link push} on each point.
   */
  pushMany(values: ArrayLike<number>, timestamps: ArrayLike<number>, scores?: { [i: number]: number }): void {
    if (values.length !== timestamps.length) {
      throw new RangeError(`pushMany: ${values.length} values but ${timestamps.length} timestamps`);
    }
    const v = values instanceof Float64Array ? values : Float64Array.from(values);
    const t = timestamps instanceof Float64Array ? timestamps : Float64Array.from(timestamps);
    const out = scores instanceof Float64Array ? scores : scores ? new Float64Array(v.length) : null;
    pushRun(this.plan, this.slab, this.index, v.length, 0, v, 0, t, 0, 1, out);
    if (scores && out !== scores && out) {
      for (let i = 0; i < v.length; i++) {
        scores[i] = out[i];
      }
    }
  }

  /**
   * One tick over many series: pushes (`values[i]`, `timestamp`) into `detectors[i]` for every i, as
   * a scheduler that evaluates all series each tick does; `scores[i]` (when given) gets the score.
   * Same results as `detectors[i].push(values[i], timestamp)` for each i. (Series kept in one
   * DetectorBank go faster.)
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
      const score = detectors[i].push(values[i], timestamp);
      if (scores) {
        scores[i] = score;
      }
    }
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
    const d = new StreamingDetector(state.options, StreamingDetector.savedParams(state));
    d.restore(state);
    return d;
  }

  /** The scorer parameters of a saved state (those saved before explainZ existed: the default then). */
  private static savedParams(state: DetectorState): ScorerParams {
    const p = state.scorer?.params;
    if (!p) {
      throw new TypeError('detector state: expected scorer.params');
    }
    return p.explainZ === undefined ? { ...p, explainZ: resolveDetectorOptions(state.options).sensitivity } : p;
  }

  /**
   * Replaces this detector's state with `state` (from {@link toJSON}, same options), in place: a
   * detector in a DetectorBank's slab stays there.
   * @internal (DetectorBank)
   */
  restore(state: DetectorState): void {
    const params = { ...DEFAULT_SCORER_PARAMS, ...StreamingDetector.savedParams(state) };
    const same =
      JSON.stringify(params) === JSON.stringify(this.scorer.params) &&
      JSON.stringify(resolveDetectorOptions(state.options)) === JSON.stringify(this.options);
    if (!same) {
      throw new TypeError('detector state: saved with other settings than this detector');
    }
    const lay = this.plan.lay;
    const f = this.slab;
    const b = this.base;
    this.window = RollingWindow.fromJSON(state.window, f, b + lay.window);
    this.seasonal = SeasonalProfile.fromJSON(
      state.seasonal,
      this.window.ring,
      state.lastTimestamp ?? Number.NEGATIVE_INFINITY,
      f,
      b + lay.seasonal
    );
    this.trend = TrendTracker.fromJSON(state.trend, f, b + lay.trend);
    this.scorer = LikelihoodScorer.fromJSON({ ...state.scorer, params }, f, b + lay.scorer);
    this.lastTs = state.lastTimestamp ?? Number.NEGATIVE_INFINITY;
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
    const w = this.window;
    const n = w.size;
    w.computeMoments();
    if (!Number.isFinite(value) || !Number.isFinite(timestamp) || timestamp <= this.lastTs) {
      // skipped, not learned: out of order is a point already seen (e.g. history re-fed after a
      // restart from saved state), which must not be learned twice; the band is the window's
      this.setQuiet(Number.isFinite(value) && Number.isFinite(timestamp) ? 'out_of_order' : 'invalid_value');
      this.expected = w.outMean;
      this.sd = w.outSd;
      // detect() explains it with the trend of the points so far (not of whichever point was last explained)
      this.trendPending = true;
      return;
    }
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
      const fallbackOn = sc.learning && n >= sc.params.fallbackMinSamples;
      if (sc.coolingDown || fallbackOn) {
        this.robustZ(fallbackOn);
      }
      const rz = sc.inRobustZ;
      const fz = sc.params.fallbackZ;
      sc.inFallback = fallbackOn && this.reason === 'ok' && rz > fz ? Math.min(1, rz / (2 * fz)) : 0;
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
   * The point's |robust z| (distance from the window median in IQR-based σ, but never in less than
   * the window σ the last alert was judged against), and the robust band's half-width in those units
   * (the sensitivity), for the scorer's learning-period fallback rule (ScorerParams.fallbackZ) and
   * its cool-down re-arm rule (ScorerParams.rearmRobustZ). The window σ is useless for both: an
   * earlier spike still in the window inflates it, and a second incident would then pass unseen (the
   * demo's api p95: 0.048 s, then a 5× spike, then a 3× one at |z| ≈ 1.5). Without a usable baseline
   * (too few points, zero variance) neither "back in the band" nor "far out" is said. The baseline is
   * cached for SC_ROBUST_REFRESH points (fastPath.ts does the same) and measured afresh when stale or
   * when the point looks far out against it (any verdict "far out" is thus made on a fresh one):
   * sorting the window on every point cost the bench three quarters of its speed.
   */
  private robustZ(fallbackOn: boolean): void {
    const sc = this.scorer;
    if (this.reason !== 'ok') {
      sc.inRobustZ = 0;
      sc.inRobustBand = -1;
      return;
    }
    const p = sc.params;
    let d = this.value - sc.robustMedian;
    let rz = sc.robustAge > 0 ? (d < 0 ? -d : d) / sc.robustSd : Number.POSITIVE_INFINITY;
    if (rz > (fallbackOn && p.fallbackZ < p.rearmRobustZ ? p.fallbackZ : p.rearmRobustZ)) {
      const w = this.window;
      windowQuartiles(w.ring, 0, w.capacity);
      const r = robustSigma(QUARTILES[0], QUARTILES[2], this.sd);
      sc.robustSd = r > sc.alertSd ? r : sc.alertSd;
      sc.robustMedian = QUARTILES[1];
      sc.robustAge = SC_ROBUST_REFRESH;
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
      // an anomaly's confidence agrees with its verdict: the likelihood score (≥ alertThreshold) when
      // the guide's min(|z|/sensitivity, 1) says less, e.g. a second spike whose window σ the first
      // inflated, or a time-of-day verdict on a point ordinary for the window
      confidence: this.isAnomaly && !this.guide && this.score > this.confidence ? this.score : this.confidence,
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
    if (driver === 'robust_rearm' || driver === 'fallback') {
      // beyond rearmRobustZ (10) or fallbackZ (6) robust σ from the median: at least twice the band,
      // an extreme by any measure (whatever an earlier spike did to the window's σ and p99)
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
