import type { ResolvedDetectorOptions } from './options';
import type { ScorerParams } from './scoring';
import * as RW from './rollingWindow';
import * as SP from './seasonal';
import * as TR from './trend';
import * as DP from './dailyProfile';
import * as L from './layout';

const LAYOUT: typeof L = { ...L };

/**
 * The helpers and scratch arrays the kernel uses, read once per call from here: under some loaders
 * (e.g. tsx) every read of an import binding is a getter call.
 */
const LIB = Object.freeze({
  quartiles: RW.QUARTILES,
  recomputeWindow: RW.recomputeWindow,
  robustSigma: RW.robustSigma,
  windowQuartiles: RW.windowQuartiles,
  rebucketSeasonal: SP.rebucketSeasonal,
  rebuildSeasonal: SP.rebuildSeasonal,
  clearSeasonal: SP.clearSeasonal,
  hourOfIndex: SP.hourOfIndex,
  weekdayOfIndex: SP.weekdayOfIndex,
  trendTest: TR.trendTest,
  trendOut: TR.TREND_OUT,
  dailyBucket: DP.dailyBucket,
  dailyIn: DP.DAILY_IN,
});

/**
 * The numbers the kernel reads, in the order it reads them from KernelPlan.num (its first lines
 * name each index): window, trend and short-window lengths, the slab layout, options, scorer
 * parameters and derived constants.
 */
export const PLAN_NUMBERS = [
  'windowSize',
  'trendLength',
  'shortWindow',
  'stride',
  'window',
  'seasonal',
  'trend',
  'scorer',
  'daily',
  'minSamples',
  'sensitivity',
  'utcOffsetMs',
  'alertThreshold',
  'guide',
  'learningPeriod',
  'fallbackMinSamples',
  'rearmRobustZ',
  'fallbackZ',
  'explainZ',
  'zCap',
  'minSigma',
  'noveltyMinZ',
  'spatialTolerance',
  'alertLevel',
  'rearmCalmPoints',
  'rearmLevel',
  'minCooldown',
  'rearmPoints',
  'cooldown',
  'dailyMinSpan',
  'dailyExplained',
  'dailyBuckets',
  'scWarm',
  'dpWarm',
  'dpValueAlpha',
  'dpSlotMs',
  'dpAlpha',
] as const;

/**
 * Everything the kernel reads that does not change from point to point, for one set of settings.
 * Its numbers are in a Float64Array, not in the options objects: optimized code that reads object
 * fields depends on those objects' maps, and a detector created with other options could change a
 * map and throw the kernel back to unoptimized code for good (seen: guide scoring after likelihood
 * scoring at a tenth of its speed). The layout's fixed offsets and the helpers, the same for every
 * plan, the kernel reads from LAYOUT and LIB.
 */
export class KernelPlan {
  readonly num: Float64Array;
  readonly table: Float64Array;
  readonly guide: boolean;

  constructor(
    readonly lay: L.SlabLayout,
    o: ResolvedDetectorOptions,
    p: ScorerParams,
    derived: { scWarm: number; dpWarm: number; dpValueAlpha: number; dpSlotMs: number; table: Float64Array }
  ) {
    this.guide = o.scoring === 'guide';
    this.table = derived.table;
    const values: Record<(typeof PLAN_NUMBERS)[number], number> = {
      ...lay,
      ...derived,
      windowSize: o.windowSize,
      trendLength: o.trendLength,
      shortWindow: p.shortWindow,
      minSamples: o.minSamples,
      sensitivity: o.sensitivity,
      utcOffsetMs: o.utcOffsetMinutes * 60_000,
      alertThreshold: o.alertThreshold,
      guide: this.guide ? 1 : 0,
      learningPeriod: p.learningPeriod,
      fallbackMinSamples: p.fallbackMinSamples,
      rearmRobustZ: p.rearmRobustZ,
      fallbackZ: p.fallbackZ,
      explainZ: p.explainZ,
      zCap: p.zCap,
      minSigma: p.minSigma,
      noveltyMinZ: p.noveltyMinZ,
      spatialTolerance: p.spatialTolerance,
      alertLevel: p.alertLevel,
      rearmCalmPoints: p.rearmCalmPoints,
      rearmLevel: p.rearmLevel,
      minCooldown: p.minCooldown,
      rearmPoints: p.rearmPoints,
      cooldown: p.cooldown,
      dailyMinSpan: p.dailyMinDays * L.DP_DAY_MS,
      dailyExplained: p.dailyExplained,
      dailyBuckets: p.dailyBuckets,
      dpAlpha: p.dailyAlpha,
    };
    this.num = Float64Array.from(PLAN_NUMBERS, (name) => values[name]);
  }
}

/**
 * Runs the detector's push() over points, fused into one loop over one slab: the same arithmetic,
 * in the same order, as StreamingDetector.judge() + learn() and the components' computeMoments,
 * computeOffset, TrendTracker.pushIn (and evaluate, with `guide` scoring), LikelihoodScorer.step,
 * DailyProfile.step, RollingWindow.pushIn and SeasonalProfile.learn, so scores are bit-for-bit the
 * same (fastPath.test.ts against detect(), the golden tests and the NAB output check it). What it
 * saves: the calls between components (and the inlining budget they ate), their `in*`/`out*`
 * hand-offs, the explanation fields only detect() reads, and, for many series in one slab (a
 * DetectorBank), every object but the slab.
 *
 * Point j (j < count) is value `values[vOff + j]` at `times[tOff + j·tStep]` for the series at slab
 * index `first + j·sStep` (sStep 1: one tick across series; 0: one series' points in order); its
 * score goes to `scores[j]` when `scores` is given, and to the series' H_SCORE. The rare points
 * that need the window's order statistics (the learning-period fallback rule, a re-arm check) get
 * them by selection (windowQuartiles); the windows' sorted copies are not maintained: the push
 * count (W_PUSHES) marks them stale. Returns how many of the points were anomalies.
 */
export function pushRun(
  k: KernelPlan,
  f: Float64Array,
  first: number,
  count: number,
  sStep: number,
  values: Float64Array,
  vOff: number,
  times: Float64Array,
  tOff: number,
  tStep: number,
  scores: Float64Array | null
): number {
  // the plan's numbers, by their index in PLAN_NUMBERS
  const num = k.num;
  const cap = num[0] | 0;
  const tl = num[1] | 0;
  const sw = num[2] | 0;
  const stride = num[3] | 0;
  const wOff = num[4] | 0;
  const spOff = num[5] | 0;
  const trOff = num[6] | 0;
  const scOff = num[7] | 0;
  const dpOff = num[8] | 0;
  const minSamples = num[9];
  const sensitivity = num[10];
  const utcOffsetMs = num[11];
  const alertThreshold = num[12];
  const guide = num[13] === 1;
  const learningPeriod = num[14];
  const fallbackMinSamples = num[15];
  const rearmRobustZ = num[16];
  const fallbackZ = num[17];
  const explainZ = num[18];
  const zCap = num[19];
  const minSigma = num[20];
  const noveltyMinZ = num[21];
  const spatialTolerance = num[22];
  const alertLevel = num[23];
  const rearmCalmPoints = num[24];
  const rearmLevel = num[25];
  const minCooldown = num[26];
  const rearmPoints = num[27];
  const cooldown = num[28];
  const dailyMinSpan = num[29];
  const dailyExplained = num[30];
  const dailyBuckets = num[31];
  const scWarm = num[32];
  const dpWarm = num[33];
  const dpValueAlpha = num[34];
  const dpSlotMs = num[35];
  const dpAlpha = num[36];
  const table = k.table;
  const K = LAYOUT;
  const lib = LIB;
  // layout offsets, as locals (see KernelPlan)
  const W_PIVOT = K.W_PIVOT;
  const W_SUM = K.W_SUM;
  const W_SUM_SQ = K.W_SUM_SQ;
  const W_INV_N = K.W_INV_N;
  const W_INV_NM1 = K.W_INV_NM1;
  const W_HEAD = K.W_HEAD;
  const W_N = K.W_N;
  const W_SINCE = K.W_SINCE;
  const W_PUSHES = K.W_PUSHES;
  const SP_MIN_WINDOW = K.SP_MIN_WINDOW;
  const SP_MIN_HOURS = K.SP_MIN_HOURS;
  const SP_MIN_DAYS = K.SP_MIN_DAYS;
  const SP_MIN_SAMPLES = K.SP_MIN_SAMPLES;
  const SP_HOUR_MS = K.SP_HOUR_MS;
  const SP_DAY = K.SP_DAY;
  const SP_CACHE_START = K.SP_CACHE_START;
  const SP_BUCKET_TS = K.SP_BUCKET_TS;
  const SP_HEAD = K.SP_HEAD;
  const SP_N = K.SP_N;
  const SP_HOUR = K.SP_HOUR;
  const SP_WEEKDAY = K.SP_WEEKDAY;
  const SP_HOURS_COVERED = K.SP_HOURS_COVERED;
  const SP_DAYS_COVERED = K.SP_DAYS_COVERED;
  const SP_SLOTS = K.SP_SLOTS;
  const SP_HOUR_INDEX = K.SP_HOUR_INDEX;
  const SP_ACTIVE = K.SP_ACTIVE;
  const SP_ACTIVE_SPAN = K.SP_ACTIVE_SPAN;
  const TR_HEAD = K.TR_HEAD;
  const TR_N = K.TR_N;
  const SC_RECENT_SUM = K.SC_RECENT_SUM;
  const SC_LONG_MEAN = K.SC_LONG_MEAN;
  const SC_LONG_VAR = K.SC_LONG_VAR;
  const SC_MIN = K.SC_MIN;
  const SC_MAX = K.SC_MAX;
  const SC_ALPHA = K.SC_ALPHA;
  const SC_INV_Z_CAP = K.SC_INV_Z_CAP;
  const SC_INV_SHORT = K.SC_INV_SHORT;
  const SC_SEEN = K.SC_SEEN;
  const SC_RECENT_HEAD = K.SC_RECENT_HEAD;
  const SC_COOLDOWN_LEFT = K.SC_COOLDOWN_LEFT;
  const SC_SINCE_ALERT = K.SC_SINCE_ALERT;
  const SC_QUIET = K.SC_QUIET;
  const SC_CALM = K.SC_CALM;
  const SC_ALERT_SD = K.SC_ALERT_SD;
  const SC_ROBUST_MEDIAN = K.SC_ROBUST_MEDIAN;
  const SC_ROBUST_SD = K.SC_ROBUST_SD;
  const SC_ROBUST_AGE = K.SC_ROBUST_AGE;
  const SC_SCORE_STEPS_PER_UNIT = K.SC_SCORE_STEPS_PER_UNIT;
  const SC_SCORE_X_MAX = K.SC_SCORE_X_MAX;
  const SC_HELD_SCORE = K.SC_HELD_SCORE;
  const SC_ROBUST_REFRESH = K.SC_ROBUST_REFRESH;
  const DP_START = K.DP_START;
  const DP_RESIDUAL_VAR = K.DP_RESIDUAL_VAR;
  const DP_VALUE_MEAN = K.DP_VALUE_MEAN;
  const DP_VALUE_VAR = K.DP_VALUE_VAR;
  const DP_LAST_TS = K.DP_LAST_TS;
  const DP_ALPHA_DT = K.DP_ALPHA_DT;
  const DP_SAMPLE_ALPHA = K.DP_SAMPLE_ALPHA;
  const DP_SLOT_START = K.DP_SLOT_START;
  const DP_SLOT_END = K.DP_SLOT_END;
  const DP_SLOT = K.DP_SLOT;
  const DP_RESIDUAL_SEEN = K.DP_RESIDUAL_SEEN;
  const DP_SEEN = K.DP_SEEN;
  const DP_S = K.DP_S;
  const H_LAST_TS = K.H_LAST_TS;
  const H_SCORE = K.H_SCORE;
  const H_ANOMALY = K.H_ANOMALY;
  const H_REASON = K.H_REASON;
  // helpers as locals (see LIB)
  const quartiles = lib.quartiles;
  const recomputeWindow = lib.recomputeWindow;
  const robustSigma = lib.robustSigma;
  const windowQuartiles = lib.windowQuartiles;
  const rebucketSeasonal = lib.rebucketSeasonal;
  const rebuildSeasonal = lib.rebuildSeasonal;
  const clearSeasonal = lib.clearSeasonal;
  const hourOfIndex = lib.hourOfIndex;
  const weekdayOfIndex = lib.weekdayOfIndex;
  const trendTest = lib.trendTest;
  const trendOut = lib.trendOut;
  const dailyBucket = lib.dailyBucket;
  const dailyIn = lib.dailyIn;

  let anomalies = 0;
  // integer state (heads, counts, hours, slots) is stored as doubles and read back with `| 0`: as
  // int32 it indexes the slab without a conversion check per access
  for (let j = 0; j < count; j++) {
    const b = (first + j * sStep) * stride;
    const value = values[vOff + j];
    const ts = times[tOff + j * tStep];
    if (!(value - value === 0 && ts - ts === 0 && ts > f[b + H_LAST_TS])) {
      // skipped, not learned (StreamingDetector.judge: invalid_value, out_of_order)
      f[b + H_SCORE] = 0;
      f[b + H_ANOMALY] = 0;
      f[b + H_REASON] = value - value === 0 && ts - ts === 0 ? 4 : 3;
      if (scores !== null) {
        scores[j] = 0;
      }
      continue;
    }
    // ---- judge: window moments (RollingWindow.computeMoments)
    const wr = b + wOff;
    const wc = wr + cap;
    const n = f[wc + W_N];
    const wsum = f[wc + W_SUM];
    const mean = n > 0 ? f[wc + W_PIVOT] + wsum * f[wc + W_INV_N] : value;
    const wv = n < 2 ? 0 : (f[wc + W_SUM_SQ] - wsum * wsum * f[wc + W_INV_N]) * f[wc + W_INV_NM1];
    const sd = wv > 0 ? Math.sqrt(wv) : 0;
    // ---- seasonal offset (SeasonalProfile.computeOffset)
    const sp = b + spOff;
    let offset = 0;
    let seasonal = false;
    // an inactive profile has no bucket filled (SeasonalProfile.computeOffset)
    if (f[sp + SP_N] >= SP_MIN_WINDOW && f[sp + SP_ACTIVE] === 1) {
      if (!(ts >= f[sp + SP_CACHE_START] && ts < f[sp + SP_CACHE_START] + SP_HOUR_MS)) {
        f[sp + SP_BUCKET_TS] = ts;
        rebucketSeasonal(f, sp);
      }
      const h2 = sp + 2 * (f[sp + SP_HOUR] | 0);
      if (f[sp + SP_HOURS_COVERED] >= SP_MIN_HOURS && f[h2] >= SP_MIN_SAMPLES) {
        offset += f[h2 + 1] / f[h2] - mean;
        seasonal = true;
      } else {
        const kd = sp + SP_DAY + 2 * (f[sp + SP_WEEKDAY] | 0);
        if (f[sp + SP_DAYS_COVERED] >= SP_MIN_DAYS && f[kd] >= SP_MIN_SAMPLES) {
          offset += f[kd + 1] / f[kd] - mean;
          seasonal = true;
        }
      }
    }
    const residual = value - mean - offset;
    // ---- z-score against the window (or the seasonal expectation when it explains the value better)
    let z = 0;
    let scored = false;
    let reason = 0;
    if (n < minSamples || sd === 0) {
      reason = n < minSamples ? 1 : 2;
    } else {
      const inv = 1 / sd;
      const zw = (value - mean) * inv;
      const az = residual * inv;
      z = seasonal && Math.abs(az) < Math.abs(zw) * 0.7 ? az : zw;
      scored = true;
    }
    const so = b + scOff + sw;
    // the robust z (window median, IQR-based σ but not below the last alert's σ) that the learning
    // period's fallback rule and a cool-down's re-arm rule read, against the cached robust baseline;
    // measured afresh when stale or when the point looks far out against it (StreamingDetector.robustZ)
    const learning = !guide && f[so + SC_SEEN] < learningPeriod;
    const fallbackOn = learning && n >= fallbackMinSamples;
    const cooling = !guide && f[so + SC_COOLDOWN_LEFT] > 0;
    let rz = 0;
    if (scored && (cooling || fallbackOn)) {
      const rd = value - f[so + SC_ROBUST_MEDIAN];
      rz = f[so + SC_ROBUST_AGE] > 0 ? (rd < 0 ? -rd : rd) / f[so + SC_ROBUST_SD] : Number.POSITIVE_INFINITY;
      if (rz > (fallbackOn && fallbackZ < rearmRobustZ ? fallbackZ : rearmRobustZ)) {
        windowQuartiles(f, wr, cap);
        const q1 = quartiles[1];
        const r = robustSigma(quartiles[0], quartiles[2], sd);
        const alertSd = f[so + SC_ALERT_SD];
        const robustSd = r > alertSd ? r : alertSd;
        f[so + SC_ROBUST_SD] = robustSd;
        f[so + SC_ROBUST_MEDIAN] = q1;
        f[so + SC_ROBUST_AGE] = SC_ROBUST_REFRESH;
        const d = value - q1;
        rz = (d < 0 ? -d : d) / robustSd;
      } else {
        f[so + SC_ROBUST_AGE]--;
      }
    }
    const fallbackScore = fallbackOn && rz > fallbackZ ? Math.min(1, rz / (2 * fallbackZ)) : 0;
    // ---- trend ring (TrendTracker.pushIn); its test runs lazily, in detect()
    const tr = b + trOff;
    const tv = seasonal ? residual : value;
    const tn = f[tr + tl + TR_N] | 0;
    const th = f[tr + tl + TR_HEAD] | 0;
    if (tn < tl) {
      const at = th + tn;
      f[tr + (at >= tl ? at - tl : at)] = tv;
      f[tr + tl + TR_N] = tn + 1;
    } else {
      f[tr + th] = tv;
      f[tr + tl + TR_HEAD] = th + 1 === tl ? 0 : th + 1;
    }
    let score = 0;
    let anomaly = 0;
    if (guide) {
      // the guide's verdict: |z| > sensitivity or a trend change; score = confidence (no scorer)
      const trendAnomaly = n >= tl && f[tr + tl + TR_N] >= tl && trendTest(f, tr, tl) === 1;
      if (scored) {
        const absZ = Math.abs(z);
        const zConf = Math.min(absZ / sensitivity, 1);
        score = trendAnomaly && trendOut[0] > zConf ? trendOut[0] : zConf;
        anomaly = absZ > sensitivity || trendAnomaly ? 1 : 0;
      }
    } else {
      // ---- LikelihoodScorer.step, with DailyProfile.step inline
      let zz = scored ? Math.abs(z) : 0;
      const lts = ts + utcOffsetMs;
      const g = b + dpOff;
      let bk: number;
      if (lts >= f[g + DP_SLOT_START] && lts < f[g + DP_SLOT_END]) {
        bk = f[g + DP_SLOT] | 0;
      } else {
        dailyIn[0] = lts;
        bk = dailyBucket(f, g, dailyBuckets);
      }
      if (f[g + DP_START] !== f[g + DP_START]) {
        f[g + DP_START] = lts;
      }
      const ks = g + DP_S + 3 * bk;
      const c = f[ks + 2];
      const resid = value - f[ks];
      let dz = 0;
      if (c >= 3 && lts - f[g + DP_START] >= dailyMinSpan) {
        if (f[g + DP_RESIDUAL_VAR] < dailyExplained * f[g + DP_VALUE_VAR]) {
          const dsd = Math.sqrt(f[ks + 1] + 1e-12);
          dz = Math.abs(resid) / dsd;
        }
        const rs = f[g + DP_RESIDUAL_SEEN];
        let ra = dpValueAlpha;
        if (rs < dpWarm) {
          f[g + DP_RESIDUAL_SEEN] = rs + 1;
          ra = 1 / (rs + 1);
        }
        f[g + DP_RESIDUAL_VAR] = (1 - ra) * (f[g + DP_RESIDUAL_VAR] + ra * resid * resid);
      }
      const dt = lts - f[g + DP_LAST_TS];
      if (dt !== f[g + DP_ALPHA_DT]) {
        f[g + DP_ALPHA_DT] = dt;
        const rr = dt > 0 && dt < dpSlotMs ? dt / dpSlotMs : 1;
        f[g + DP_SAMPLE_ALPHA] = 1 - Math.pow(1 - dpAlpha, rr);
      }
      f[g + DP_LAST_TS] = lts;
      const sa = f[g + DP_SAMPLE_ALPHA];
      const da = c === 0 ? 1 : sa > 1 / (c + 1) ? sa : 1 / (c + 1);
      f[ks] += da * resid;
      const sv = (1 - da) * (f[ks + 1] + da * resid * resid);
      f[ks + 1] = sv < 3e38 ? Math.fround(sv) : sv; // dailyProfile.ts' slotVariance, inline
      f[ks + 2] = c + 1;
      const gs = f[g + DP_SEEN];
      let ga = dpValueAlpha;
      if (gs < dpWarm) {
        f[g + DP_SEEN] = gs + 1;
        ga = 1 / (gs + 1);
      }
      const dv = value - f[g + DP_VALUE_MEAN];
      f[g + DP_VALUE_MEAN] += ga * dv;
      f[g + DP_VALUE_VAR] = (1 - ga) * (f[g + DP_VALUE_VAR] + ga * dv * dv);
      // (scorer, continued)
      // 0 none, 1 window, 2 time of day, 3 above, 4 below range, 5 fallback, 6 robust re-arm
      let driver = zz > explainZ ? 1 : 0;
      if (scored && dz > zz) {
        zz = dz;
        if (dz > explainZ) {
          driver = 2;
        }
      }
      const raw = zz < zCap ? zz * f[so + SC_INV_Z_CAP] : 1;
      const ri = f[so + SC_RECENT_HEAD] | 0;
      const rsum = f[so + SC_RECENT_SUM] + (raw - f[so - sw + ri]);
      f[so + SC_RECENT_SUM] = rsum;
      f[so - sw + ri] = raw;
      f[so + SC_RECENT_HEAD] = ri + 1 === sw ? 0 : ri + 1;
      const avg = rsum * f[so + SC_INV_SHORT];
      const seen = f[so + SC_SEEN] + 1;
      f[so + SC_SEEN] = seen;
      const longMean = f[so + SC_LONG_MEAN];
      const min = f[so + SC_MIN];
      const max = f[so + SC_MAX];
      const excess = avg - longMean;
      if (learning) {
        // the likelihood does not speak yet; the fallback rule may
        score = fallbackScore;
        driver = score > 0 ? 5 : 0;
      } else if (excess > 0) {
        const lsd = Math.sqrt(f[so + SC_LONG_VAR]);
        const x = excess / (lsd > minSigma ? lsd : minSigma);
        if (x < SC_SCORE_X_MAX) {
          const t = x * SC_SCORE_STEPS_PER_UNIT;
          const i = t | 0;
          const a0 = table[i];
          score = a0 + (t - i) * (table[i + 1] - a0);
        } else {
          score = 1;
        }
      }
      const range = max - min;
      const novel = !learning && zz > noveltyMinZ && range > 0;
      if (novel && value > max + spatialTolerance * range) {
        score = 1;
        driver = driver === 0 ? 3 : driver;
      } else if (novel && value < min - spatialTolerance * range) {
        score = 1;
        driver = driver === 0 ? 4 : driver;
      } else if (!learning && driver === 0 && score >= alertLevel) {
        score = SC_HELD_SCORE;
      }
      const d = avg - longMean;
      const la = seen < scWarm ? 1 / seen : f[so + SC_ALPHA];
      f[so + SC_LONG_MEAN] = longMean + la * d;
      f[so + SC_LONG_VAR] = (1 - la) * (f[so + SC_LONG_VAR] + la * d * d);
      if (value < min) {
        f[so + SC_MIN] = value;
      }
      if (value > max) {
        f[so + SC_MAX] = value;
      }
      // LikelihoodScorer.step's cool-down: a re-arm alerts anew; otherwise the point counts towards
      // calm (back in the band) or resets it (far out again), and scores 0
      let rearmed = false;
      if (cooling) {
        const calm = f[so + SC_CALM];
        if (scored && calm >= rearmCalmPoints && rz > rearmRobustZ && rz > sensitivity) {
          const rs = rz / (2 * rearmRobustZ);
          score = rs < 1 ? rs : 1;
          driver = 6;
          rearmed = true;
        } else {
          if (scored && rz > rearmRobustZ) {
            f[so + SC_CALM] = 0;
          } else if (scored && rz <= sensitivity && calm < rearmCalmPoints) {
            f[so + SC_CALM] = calm + 1;
          }
          f[so + SC_COOLDOWN_LEFT]--;
          const since = f[so + SC_SINCE_ALERT] + 1;
          f[so + SC_SINCE_ALERT] = since;
          const quiet = score < rearmLevel ? f[so + SC_QUIET] + 1 : 0;
          f[so + SC_QUIET] = quiet;
          if (since >= minCooldown && quiet >= rearmPoints) {
            f[so + SC_COOLDOWN_LEFT] = 0;
          }
          score = 0;
        }
      }
      if ((!cooling || rearmed) && score >= alertLevel) {
        f[so + SC_COOLDOWN_LEFT] = cooldown;
        f[so + SC_SINCE_ALERT] = 0;
        f[so + SC_QUIET] = 0;
        f[so + SC_CALM] = 0;
        f[so + SC_ROBUST_AGE] = 0;
        // a re-armed alert keeps the σ from before the first incident (its own window holds the spike)
        if (!rearmed) {
          f[so + SC_ALERT_SD] = sd;
        }
      }
      anomaly = score >= alertThreshold && driver !== 0 ? 1 : 0;
    }
    f[b + H_SCORE] = score;
    f[b + H_ANOMALY] = anomaly;
    anomalies += anomaly;
    f[b + H_REASON] = reason;
    f[b + H_LAST_TS] = ts;
    if (scores !== null) {
      scores[j] = score;
    }
    // ---- learn: RollingWindow.pushIn (sorted copy not maintained: see the caller's guarantee)
    if (n === 0) {
      f[wc + W_PIVOT] = value;
    }
    const dw = value - f[wc + W_PIVOT];
    let evicted = 0;
    const wh = f[wc + W_HEAD] | 0;
    if (n < cap) {
      const at = wh + n;
      f[wr + (at >= cap ? at - cap : at)] = value;
      const n1 = n + 1;
      f[wc + W_N] = n1;
      f[wc + W_INV_N] = 1 / n1;
      f[wc + W_INV_NM1] = n1 > 1 ? 1 / (n1 - 1) : 0;
      f[wc + W_SUM] += dw;
      f[wc + W_SUM_SQ] += dw * dw;
    } else {
      evicted = f[wr + wh];
      f[wr + wh] = value;
      f[wc + W_HEAD] = wh + 1 === cap ? 0 : wh + 1;
      const ow = evicted - f[wc + W_PIVOT];
      f[wc + W_SUM] += dw - ow;
      f[wc + W_SUM_SQ] += dw * dw - ow * ow;
    }
    f[wc + W_PUSHES]++;
    const since = f[wc + W_SINCE] + 1;
    f[wc + W_SINCE] = since;
    if (since >= cap) {
      recomputeWindow(f, wr, cap);
    }
    // ---- SeasonalProfile.learn: the slot's hour index always, the buckets while active
    if (!(ts >= f[sp + SP_CACHE_START] && ts < f[sp + SP_CACHE_START] + SP_HOUR_MS)) {
      f[sp + SP_BUCKET_TS] = ts;
      rebucketSeasonal(f, sp);
    }
    const hi = f[sp + SP_HOUR_INDEX];
    const slots = sp + SP_SLOTS;
    const spn = f[sp + SP_N] | 0;
    const sh = f[sp + SP_HEAD] | 0;
    const full = spn === cap;
    let oldest: number;
    let evictedIndex = 0;
    if (full) {
      evictedIndex = f[slots + sh];
      f[slots + sh] = hi;
      const h1 = sh + 1 === cap ? 0 : sh + 1;
      f[sp + SP_HEAD] = h1;
      oldest = f[slots + h1];
    } else {
      const at = sh + spn;
      f[slots + (at >= cap ? at - cap : at)] = hi;
      f[sp + SP_N] = spn + 1;
      oldest = f[slots + sh];
    }
    if (hi - oldest < SP_ACTIVE_SPAN) {
      if (f[sp + SP_ACTIVE] === 1) {
        clearSeasonal(f, sp);
      }
    } else if (f[sp + SP_ACTIVE] === 0) {
      rebuildSeasonal(f, sp, f, wr, cap);
    } else {
      if (full) {
        // SeasonalProfile.remove of the evicted value from its hour and weekday buckets
        const h0 = sp + 2 * hourOfIndex(evictedIndex);
        const ch = f[h0] - 1;
        f[h0] = ch;
        if (ch === SP_MIN_SAMPLES - 1) {
          f[sp + SP_HOURS_COVERED]--;
        }
        f[h0 + 1] = ch === 0 ? 0 : f[h0 + 1] - evicted;
        const d0 = sp + SP_DAY + 2 * weekdayOfIndex(evictedIndex);
        const cd = f[d0] - 1;
        f[d0] = cd;
        if (cd === SP_MIN_SAMPLES - 1) {
          f[sp + SP_DAYS_COVERED]--;
        }
        f[d0 + 1] = cd === 0 ? 0 : f[d0 + 1] - evicted;
      }
      const ah = sp + 2 * (f[sp + SP_HOUR] | 0);
      const ch = f[ah] + 1;
      f[ah] = ch;
      if (ch === SP_MIN_SAMPLES) {
        f[sp + SP_HOURS_COVERED]++;
      }
      f[ah + 1] += value;
      const ad = sp + SP_DAY + 2 * (f[sp + SP_WEEKDAY] | 0);
      const cd = f[ad] + 1;
      f[ad] = cd;
      if (cd === SP_MIN_SAMPLES) {
        f[sp + SP_DAYS_COVERED]++;
      }
      f[ad + 1] += value;
    }
  }
  return anomalies;
}
