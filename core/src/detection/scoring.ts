import { DailyProfile, type DailyProfileState } from './dailyProfile';
import * as L from './layout';

// layout constants copied into module-level consts once: hot code then reads a plain const, not
// an export binding (a getter under some loaders, e.g. tsx)
const SCORE_STEPS_PER_UNIT = L.SC_SCORE_STEPS_PER_UNIT;
const SCORE_X_MAX = L.SC_SCORE_X_MAX;
const RECENT_SUM = L.SC_RECENT_SUM;
const LONG_MEAN = L.SC_LONG_MEAN;
const LONG_VAR = L.SC_LONG_VAR;
const MIN = L.SC_MIN;
const MAX = L.SC_MAX;
const ALPHA = L.SC_ALPHA;
const INV_Z_CAP = L.SC_INV_Z_CAP;
const INV_SHORT = L.SC_INV_SHORT;
const SCALARS = L.SC_SCALARS;
const SEEN = L.SC_SEEN;
const RECENT_HEAD = L.SC_RECENT_HEAD;
const COOLDOWN_LEFT = L.SC_COOLDOWN_LEFT;
const SINCE_ALERT = L.SC_SINCE_ALERT;
const QUIET = L.SC_QUIET;
const CALM = L.SC_CALM;
const ALERT_SD = L.SC_ALERT_SD;
const ROBUST_MEDIAN = L.SC_ROBUST_MEDIAN;
const ROBUST_SD = L.SC_ROBUST_SD;
const ROBUST_AGE = L.SC_ROBUST_AGE;
const HELD_SCORE = L.SC_HELD_SCORE;

/**
 * Parameters of the likelihood scoring step. One set for every series, chosen on NAB and checked on
 * held-out halves of it (bench/nab-tune.ts); each one earned its place there.
 */
export interface ScorerParams {
  /** Points averaged into the short-term surprise (as Numenta's anomaly likelihood: 10). */
  shortWindow: number;
  /** Half-life, in points, of the long-term mean and variance of the short-term surprise. */
  longHalfLife: number;
  /** Points before any score is reported (the long-term distribution must settle first). */
  learningPeriod: number;
  /** |z| is capped here before averaging, so one wild point cannot dominate the averages. */
  zCap: number;
  /** Floor of the long-term standard deviation of the surprise (avoids infinite likelihoods). */
  minSigma: number;
  /** A value beyond the range seen so far by this fraction of that range scores 1 (spatial novelty). */
  spatialTolerance: number;
  /** Score at or above which an alert starts a cool-down. */
  alertLevel: number;
  /**
   * Points after an alert during which the score is held at 0, so one incident gives one alert
   * (at most this long: see `minCooldown` and the re-arm rule below).
   */
  cooldown: number;
  /** Slots per day of the long-memory time-of-day profile (96 = 15-minute slots). */
  dailyBuckets: number;
  /**
   * Weight of one day's samples in a slot's mean and variance (0.1: about ten days of memory),
   * whatever the sampling rate.
   */
  dailyAlpha: number;
  /** Days of data before the time-of-day profile is used. */
  dailyMinDays: number;
  /** The profile is used only while its residual variance is below this fraction of the value variance. */
  dailyExplained: number;
  /** Points an alert's cool-down lasts at least… */
  minCooldown: number;
  /** …after which it ends early once the score has stayed below `rearmLevel` for `rearmPoints` points. */
  rearmLevel: number;
  rearmPoints: number;
  /**
   * During the learning period the likelihood cannot score yet; a point is flagged instead when its
   * robust z (distance from the window median in IQR-based σ, never less than the σ the last alert
   * was judged against) exceeds this: only obvious spikes, each outside the robust band drawn for
   * it. Robust z alone: an earlier spike still in the window inflates its σ, and the plain z the rule
   * also required hid a second spike (the demo's 3× latency spike had |z| ≈ 0.5).
   */
  fallbackZ: number;
  /** Points in the window before that fallback rule speaks (order statistics need a few dozen). */
  fallbackMinSamples: number;
  /**
   * An alert needs the point itself to stand out: |z| above this against the window or its time of
   * day (outside the band drawn for it), or a value beyond the range seen so far. The detector sets it
   * to its `sensitivity` (3) unless a tuning run overrides it; on NAB (before the robust re-arm) 2 → 66.64, 3 → 67.24. A high likelihood on an unremarkable point (the
   * surprise of earlier points still in the short-term average) is held back, so every anomaly's type
   * explains it.
   */
  explainZ: number;
  /** |z| a value beyond the range seen so far needs to score 1 (spatial novelty). */
  noveltyMinZ: number;
  /**
   * During a cool-down, a point whose robust z (as `fallbackZ`: window median and IQR-based σ, which
   * the first incident's spike does not inflate) exceeds this ends the cool-down and alerts as a new
   * incident, scored robust z / (2·this) — once the series has been back inside the robust band
   * since the last alert (`rearmCalmPoints` points in a row), so one persistent incident still
   * alerts once. 1e9 turns it off.
   */
  rearmRobustZ: number;
  /**
   * Points back inside the robust band (median ± sensitivity·σ_r), with none beyond `rearmRobustZ`
   * among them, that make a series count as returned after an alert. One is not enough: a bursty
   * series (spikes every few points between flat stretches) would re-arm on every burst. 12: the
   * sidecar's 30 s interval then re-arms 6 minutes after an incident ends (the demo's second spike
   * came 10 minutes after the first began, 14–15 points back in the band: 20 missed it).
   */
  rearmCalmPoints: number;
}

/** What made the last scored point surprising (see {@link LikelihoodScorer.driver}). */
export type ScoreDriver =
  'none' | 'window' | 'time_of_day' | 'above_range' | 'below_range' | 'fallback' | 'robust_rearm';

/** Default scoring parameters. */
export const DEFAULT_SCORER_PARAMS: ScorerParams = {
  shortWindow: 10,
  longHalfLife: 2000,
  learningPeriod: 300,
  zCap: 6,
  minSigma: 0.02,
  spatialTolerance: 0.05,
  alertLevel: 0.5,
  cooldown: 300,
  dailyBuckets: 96,
  dailyAlpha: 0.1,
  dailyMinDays: 3,
  dailyExplained: 0.5,
  minCooldown: 100,
  rearmLevel: 0.1,
  rearmPoints: 50,
  fallbackZ: 6,
  fallbackMinSamples: 30,
  explainZ: 3,
  noveltyMinZ: 2,
  rearmRobustZ: 10,
  rearmCalmPoints: 12,
};

/**
 * Returns an equal object created earlier when there is one (else this one), frozen. Thousands of
 * detectors with the same settings then read one object that stays in cache, instead of each its own
 * copy: with 1,000 interleaved series that was one more cache miss per point.
 */
export function shared<T extends object>(o: T): Readonly<T> {
  const key = JSON.stringify(o);
  let hit = internedParams.get(key) as T | undefined;
  if (!hit) {
    if (internedParams.size >= 64) {
      internedParams.clear();
    }
    hit = Object.freeze(o);
    internedParams.set(key, hit);
  }
  return hit;
}
const internedParams = new Map<string, object>();

/** Plain, JSON-safe state of a {@link LikelihoodScorer}. */
export interface LikelihoodState {
  params: ScorerParams;
  seen: number;
  recent: number[];
  recentSum: number;
  longMean: number;
  longVar: number;
  min: number | null;
  max: number | null;
  cooldownLeft: number;
  sinceAlert: number;
  quiet: number;
  /** Most points in a row back inside the robust band since the last alert (capped; absent: 0). */
  calm?: number;
  /** Window σ just before the last alert's incident (absent: 0). */
  alertSd?: number;
  /** The cool-down's cached robust baseline: median, σ (≥ alertSd) and points left before a refresh (absent: 0). */
  robustMedian?: number;
  robustSd?: number;
  robustAge?: number;
  daily: DailyProfileState;
}

/**
 * Complementary error function (Numerical Recipes' erfcc, |error| < 1.2e-7 relative). Written out
 * because simple-statistics only exposes erf, and 1 − erf(x) loses the far tail this step needs.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))))
    );
  return x >= 0 ? r : 2 - r;
}

/** Gaussian upper tail probability P(X > x) for X ~ N(0, 1). */
export function normalTail(x: number): number {
  return 0.5 * erfc(x / Math.SQRT2);
}

const LOG_1E10 = Math.log(1e-10);
/** Likelihood score of a standardised excess x ≥ 0: log(tail(x)) on a scale where 1e-10 → 1 (exact). */
export function likelihoodScoreExact(x: number): number {
  const score = Math.log(1.0000000001 - (1 - normalTail(x))) / LOG_1E10;
  return score < 0 ? 0 : score > 1 ? 1 : score;
}

const SCORE_TABLE = (() => {
  const t = new Float64Array(SCORE_X_MAX * SCORE_STEPS_PER_UNIT + 2);
  for (let i = 0; i < t.length; i++) {
    t[i] = likelihoodScoreExact(i / SCORE_STEPS_PER_UNIT);
  }
  return t;
})();

/**
 * {@link likelihoodScoreExact} by linear interpolation in a table (|error| < 1e-5, monotone): the
 * hot path then pays no exp or log per point.
 */
export function likelihoodScore(x: number): number {
  if (!(x < SCORE_X_MAX)) {
    return x >= SCORE_X_MAX ? 1 : 0;
  }
  const f = (x < 0 ? 0 : x) * SCORE_STEPS_PER_UNIT;
  const i = f | 0;
  const a = SCORE_TABLE[i];
  return a + (f - i) * (SCORE_TABLE[i + 1] - a);
}

/**
 * Turns the detector's per-point z-scores into an anomaly score the way Numenta's anomaly
 * likelihood does (Ahmad et al., "Unsupervised real-time anomaly detection for streaming data",
 * 2017): the short-term average of a raw surprise is compared with the long-term distribution of
 * that average for this series, and the Gaussian tail probability is mapped to [0, 1] on a log scale
 * (tail 1e-5 → 0.5, 1e-10 → 1). A series that is always noisy thus stops alerting on its usual
 * noise, while a quiet one alerts on a small change. The raw surprise is the larger of the window
 * z-score and the time-of-day z-score (see DailyProfile). A value beyond the whole range seen so far
 * scores 1 (as in Numenta's NAB detector) when it is also beyond 2σ. Only a point that stands
 * out by itself can alert (`explainZ`); during the learning period a conservative robust rule
 * (`fallbackZ`) flags obvious spikes instead. After an alert the score is held at 0 for up to
 * `cooldown` points, so one incident raises one early alert and not hundreds; once the series has
 * been calm again for `rearmPoints` (and `minCooldown` has passed) it re-arms, so a second, distinct
 * incident is not swallowed by the first one's cool-down; a point far out against a robust baseline
 * (`rearmRobustZ`) re-arms it at once, after the series has been back in the robust band for
 * `rearmCalmPoints`.
 */
export class LikelihoodScorer {
  readonly params: ScorerParams;
  /**
   * The last `shortWindow` raw surprises (a ring), followed by the numeric state at
   * `shortWindow + k` (see layout.ts): one array instead of a dozen double fields, each a separate
   * heap box in V8 (a cache miss apiece when 1,000 interleaved series do not fit in cache). It may be
   * a view into a detector's slab (the DailyProfile's array follows it there), which fastPath.ts
   * reads directly.
   */
  /** @internal (fastPath.ts) */
  readonly recent: Float64Array;
  /** Index of the first scalar in `recent` (= shortWindow). */
  /** @internal (fastPath.ts) */
  readonly o: number;
  /** @internal (fastPath.ts) */
  daily: DailyProfile;
  /** @internal (fastPath.ts) */
  readonly warm: number;
  /** @internal (fastPath.ts): the likelihood table, reachable without exporting it. */
  readonly table: Float64Array = SCORE_TABLE;

  /**
   * A scorer in its own arrays or in `slab` at `offset` (shortWindow + SC_SCALARS doubles, then the
   * DailyProfile's); `fresh: false` adopts the state already there.
   */
  constructor(params: Partial<ScorerParams> = {}, slab?: Float64Array, offset = 0, fresh = true) {
    this.params = shared({ ...DEFAULT_SCORER_PARAMS, ...params });
    const o = this.params.shortWindow;
    this.o = o;
    this.recent = slab ? slab.subarray(offset, offset + o + SCALARS) : new Float64Array(o + SCALARS);
    const f = this.recent;
    if (fresh) {
      f.fill(0);
      f[o + MIN] = Number.POSITIVE_INFINITY;
      f[o + MAX] = Number.NEGATIVE_INFINITY;
      f[o + ALPHA] = 1 - Math.pow(0.5, 1 / this.params.longHalfLife);
      f[o + INV_Z_CAP] = 1 / this.params.zCap;
      f[o + INV_SHORT] = 1 / this.params.shortWindow;
    }
    this.warm = Math.ceil(1 / (1 - Math.pow(0.5, 1 / this.params.longHalfLife)));
    const p = this.params;
    this.daily = new DailyProfile(p.dailyBuckets, p.dailyAlpha, 1000, slab, offset + o + SCALARS, fresh);
  }

  /** @internal (fastPath.ts) */
  get seen(): number {
    return this.recent[this.o + SEEN];
  }
  set seen(v: number) {
    this.recent[this.o + SEEN] = v;
  }
  /** @internal */
  get recentHead(): number {
    return this.recent[this.o + RECENT_HEAD] | 0;
  }
  set recentHead(v: number) {
    this.recent[this.o + RECENT_HEAD] = v;
  }
  /** @internal */
  get cooldownLeft(): number {
    return this.recent[this.o + COOLDOWN_LEFT] | 0;
  }
  set cooldownLeft(v: number) {
    this.recent[this.o + COOLDOWN_LEFT] = v;
  }
  /** @internal */
  get sinceAlert(): number {
    return this.recent[this.o + SINCE_ALERT] | 0;
  }
  set sinceAlert(v: number) {
    this.recent[this.o + SINCE_ALERT] = v;
  }
  /** @internal */
  get quiet(): number {
    return this.recent[this.o + QUIET] | 0;
  }
  set quiet(v: number) {
    this.recent[this.o + QUIET] = v;
  }
  /** @internal: points in a row back inside the robust band since the last alert, up to `rearmCalmPoints`. */
  get calm(): number {
    return this.recent[this.o + CALM] | 0;
  }
  set calm(v: number) {
    this.recent[this.o + CALM] = v;
  }
  /**
   * @internal: the window σ the last alert was judged against, i.e. before its incident entered the
   * window; the re-arm rule measures robust z in σ no smaller than this, so a series whose IQR says
   * little (mostly flat, with bursts: its σ is far above its IQR-based σ) does not re-arm on its
   * ordinary bursts.
   */
  get alertSd(): number {
    return this.recent[this.o + ALERT_SD];
  }
  set alertSd(v: number) {
    this.recent[this.o + ALERT_SD] = v;
  }
  /**
   * @internal: the robust baseline (window median, and IQR-based σ but at least `alertSd`) the
   * re-arm rule measures cool-down points against, cached for `robustAge` more points (see
   * StreamingDetector.robustForRearm): sorting the window on every cool-down point cost the bench
   * three quarters of its speed.
   */
  get robustMedian(): number {
    return this.recent[this.o + ROBUST_MEDIAN];
  }
  set robustMedian(v: number) {
    this.recent[this.o + ROBUST_MEDIAN] = v;
  }
  /** @internal */
  get robustSd(): number {
    return this.recent[this.o + ROBUST_SD];
  }
  set robustSd(v: number) {
    this.recent[this.o + ROBUST_SD] = v;
  }
  /** @internal */
  get robustAge(): number {
    return this.recent[this.o + ROBUST_AGE];
  }
  set robustAge(v: number) {
    this.recent[this.o + ROBUST_AGE] = v;
  }

  // inputs and output of step(), as fields (see DailyProfile.step for why)
  /** The point's value. */
  inValue = 0;
  /** Its z-score against the window baseline (used only when `inScored`). */
  inZ = 0;
  inScored = false;
  /** Its timestamp in local time, ms. */
  inTs = 0;
  /** Learning-period fallback score of this point (see `fallbackZ`), set by the detector. */
  inFallback = 0;
  /**
   * During a cool-down (see {@link coolingDown}) the detector sets this to the point's |robust z|
   * (median and IQR-based σ of the window), and `inRobustBand` to the band's half-width in those
   * units (its sensitivity): the re-arm rule `rearmRobustZ` reads them. Ignored otherwise.
   */
  inRobustZ = 0;
  inRobustBand = 0;
  /** The window σ of this point (the detector's; kept as `alertSd` when it alerts). */
  inSd = 0;
  /** The score in [0, 1] of the last step(). */
  score = 0;
  /** Whether the last point stood out by itself (see `explainZ`); an alert needs it. */
  explained = false;
  /** What drove the last point's surprise. */
  driver: ScoreDriver = 'none';

  /** Whether the next point still falls in the learning period (the fallback rule decides it). */
  get learning(): boolean {
    return this.seen < this.params.learningPeriod;
  }

  /** Whether the next point falls in an alert's cool-down (the detector then sets `inRobustZ`). */
  get coolingDown(): boolean {
    return this.cooldownLeft > 0;
  }

  /** Points learned so far. */
  get seenPoints(): number {
    return this.seen;
  }

  /** Time-of-day expectation of the last point (valid when `driver` is `time_of_day`). */
  get dailyExpected(): number {
    return this.daily.expected;
  }

  /** Standard deviation of the last point's time-of-day slot (valid when `driver` is `time_of_day`). */
  get dailySd(): number {
    return this.daily.sd;
  }

  /** Scores one point from the `in*` fields into `score` (and returns it, for convenience). */
  update(value: number, z: number, scored: boolean, localTs: number): number {
    this.inValue = value;
    this.inZ = z;
    this.inScored = scored;
    this.inTs = localTs;
    this.step();
    return this.score;
  }

  /** Scores the point described by the `in*` fields into `score`, then learns it. */
  step(): void {
    const p = this.params;
    const f = this.recent;
    const o = this.o;
    const value = this.inValue;
    const scored = this.inScored;
    let zz = scored ? Math.abs(this.inZ) : 0;
    const daily = this.daily;
    daily.inValue = value;
    daily.inTs = this.inTs;
    daily.inMinDays = p.dailyMinDays;
    daily.inExplained = p.dailyExplained;
    daily.step();
    const dz = daily.z;
    let driver: ScoreDriver = zz > p.explainZ ? 'window' : 'none';
    if (scored && dz > zz) {
      zz = dz;
      if (dz > p.explainZ) {
        driver = 'time_of_day';
      }
    }
    const raw = zz < p.zCap ? zz * f[o + INV_Z_CAP] : 1;
    const k = this.recentHead;
    f[o + RECENT_SUM] += raw - f[k];
    f[k] = raw;
    this.recentHead = k + 1 === p.shortWindow ? 0 : k + 1;
    const avg = f[o + RECENT_SUM] * f[o + INV_SHORT];
    this.seen++;

    let score = 0;
    const longMean = f[o + LONG_MEAN];
    const min = f[o + MIN];
    const max = f[o + MAX];
    if (this.seen <= p.learningPeriod) {
      score = this.inFallback;
      driver = score > 0 ? 'fallback' : 'none';
    } else {
      const excess = avg - longMean;
      // no more surprise than usual scores 0 (a tail of 0.5 or more would map to at most 0.03)
      if (excess > 0) {
        const sd = Math.sqrt(f[o + LONG_VAR]);
        // likelihoodScore(x), written out: a call that V8 does not inline boxes its double result
        const x = excess / (sd > p.minSigma ? sd : p.minSigma);
        if (x < SCORE_X_MAX) {
          const g = x * SCORE_STEPS_PER_UNIT;
          const i = g | 0;
          const a = SCORE_TABLE[i];
          score = a + (g - i) * (SCORE_TABLE[i + 1] - a);
        } else {
          score = 1;
        }
      }
      const range = max - min;
      // spatial novelty, for a point that is also outside the guide's 2σ statistical band (a value just
      // past the range of a short history is not news): the type then says "beyond all seen"
      const novel = zz > p.noveltyMinZ && range > 0;
      if (novel && value > max + p.spatialTolerance * range) {
        score = 1;
        driver = driver === 'none' ? 'above_range' : driver;
      } else if (novel && value < min - p.spatialTolerance * range) {
        score = 1;
        driver = driver === 'none' ? 'below_range' : driver;
      } else if (driver === 'none' && score >= p.alertLevel) {
        // nothing about this point explains an alert: hold it back (the next point that stands out
        // while the short-term surprise is still high can alert)
        score = HELD_SCORE;
      }
    }
    this.driver = driver;
    this.explained = driver !== 'none';
    // long-term distribution of the short-term average (exponentially weighted: O(1) state)
    const d = avg - longMean;
    const a = this.seen < this.warm ? 1 / this.seen : f[o + ALPHA];
    f[o + LONG_MEAN] = longMean + a * d;
    f[o + LONG_VAR] = (1 - a) * (f[o + LONG_VAR] + a * d * d);
    if (value < min) {
      f[o + MIN] = value;
    }
    if (value > max) {
      f[o + MAX] = value;
    }
    if (this.cooldownLeft > 0) {
      const rz = this.inRobustZ;
      if (this.calm >= p.rearmCalmPoints && rz > p.rearmRobustZ && rz > this.inRobustBand) {
        // a second, distinct incident: the series came back inside the robust band after the last
        // alert, and this point stands far out of it again (a robust z the first spike's share of the
        // window does not deflate, where the window z would): alert anew instead of swallowing it
        const rs = rz / (2 * p.rearmRobustZ);
        score = rs < 1 ? rs : 1;
        this.driver = 'robust_rearm';
        this.explained = true;
      } else {
        // back in the band counts towards calm; a point far out again (a burst) starts the count
        // over; one in between (a noise point just past the band) does neither
        if (rz > p.rearmRobustZ) {
          this.calm = 0;
        } else if (rz <= this.inRobustBand && this.calm < p.rearmCalmPoints) {
          this.calm++;
        }
        this.cooldownLeft--;
        this.sinceAlert++;
        this.quiet = score < p.rearmLevel ? this.quiet + 1 : 0;
        if (this.sinceAlert >= p.minCooldown && this.quiet >= p.rearmPoints) {
          this.cooldownLeft = 0;
        }
        this.score = 0;
        return;
      }
    }
    if (score >= p.alertLevel) {
      this.cooldownLeft = p.cooldown;
      this.sinceAlert = 0;
      this.quiet = 0;
      this.calm = 0;
      this.robustAge = 0;
      // a re-armed alert keeps the σ from before the first incident (its own window holds the spike)
      if (this.driver !== 'robust_rearm') {
        this.alertSd = this.inSd;
      }
    }
    this.score = score;
  }

  /** JSON-safe state. */
  toJSON(): LikelihoodState {
    const recent: number[] = [];
    for (let i = 0; i < this.params.shortWindow; i++) {
      recent.push(this.recent[(this.recentHead + i) % this.params.shortWindow]);
    }
    return {
      params: { ...this.params },
      seen: this.seen,
      recent,
      recentSum: this.recent[this.o + RECENT_SUM],
      longMean: this.recent[this.o + LONG_MEAN],
      longVar: this.recent[this.o + LONG_VAR],
      min: Number.isFinite(this.recent[this.o + MIN]) ? this.recent[this.o + MIN] : null,
      max: Number.isFinite(this.recent[this.o + MAX]) ? this.recent[this.o + MAX] : null,
      cooldownLeft: this.cooldownLeft,
      sinceAlert: this.sinceAlert,
      quiet: this.quiet,
      calm: this.calm,
      alertSd: this.alertSd,
      robustMedian: this.robustMedian,
      robustSd: this.robustSd,
      robustAge: this.robustAge,
      daily: this.daily.toJSON(),
    };
  }

  /** Rebuilds a scorer from {@link toJSON} output. */
  static fromJSON(s: LikelihoodState, slab?: Float64Array, offset = 0): LikelihoodScorer {
    if (!s || !s.params || !Array.isArray(s.recent) || s.recent.length !== s.params.shortWindow) {
      throw new TypeError('likelihood state: expected params and recent[shortWindow]');
    }
    const sc = new LikelihoodScorer(s.params, slab, offset);
    const f = sc.recent;
    const o = sc.o;
    f.set(s.recent);
    f[o + RECENT_SUM] = s.recentSum;
    sc.seen = s.seen;
    f[o + LONG_MEAN] = s.longMean;
    f[o + LONG_VAR] = s.longVar;
    f[o + MIN] = s.min ?? Number.POSITIVE_INFINITY;
    f[o + MAX] = s.max ?? Number.NEGATIVE_INFINITY;
    sc.cooldownLeft = s.cooldownLeft;
    sc.sinceAlert = s.sinceAlert ?? 0;
    sc.quiet = s.quiet ?? 0;
    sc.calm = s.calm ?? 0;
    sc.alertSd = s.alertSd ?? 0;
    sc.robustMedian = s.robustMedian ?? 0;
    sc.robustSd = s.robustSd ?? 0;
    sc.robustAge = s.robustAge ?? 0;
    sc.daily = DailyProfile.fromJSON(s.daily, 1000, slab, offset + o + SCALARS);
    return sc;
  }
}
