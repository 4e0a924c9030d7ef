import type { RollingWindow } from './rollingWindow';
import type { SeasonalProfile } from './seasonal';
import type { TrendTracker } from './trend';
import type { LikelihoodScorer } from './scoring';
import type { ResolvedDetectorOptions } from './options';
import * as L from './layout';

// layout constants as module-level consts (read once; see the components for why)
const DP_ALPHA_DT = L.DP_ALPHA_DT;
const DP_DAY_MS = L.DP_DAY_MS;
const DP_LAST_TS = L.DP_LAST_TS;
const DP_RESIDUAL_VAR = L.DP_RESIDUAL_VAR;
const DP_S = L.DP_S;
const DP_SAMPLE_ALPHA = L.DP_SAMPLE_ALPHA;
const DP_SLOT_END = L.DP_SLOT_END;
const DP_SLOT_START = L.DP_SLOT_START;
const DP_START = L.DP_START;
const DP_VALUE_MEAN = L.DP_VALUE_MEAN;
const DP_VALUE_VAR = L.DP_VALUE_VAR;
const SC_ALPHA = L.SC_ALPHA;
const SC_HELD_SCORE = L.SC_HELD_SCORE;
const SC_INV_SHORT = L.SC_INV_SHORT;
const SC_INV_Z_CAP = L.SC_INV_Z_CAP;
const SC_LONG_MEAN = L.SC_LONG_MEAN;
const SC_LONG_VAR = L.SC_LONG_VAR;
const SC_MAX = L.SC_MAX;
const SC_MIN = L.SC_MIN;
const SC_RECENT_SUM = L.SC_RECENT_SUM;
const SC_SCORE_STEPS_PER_UNIT = L.SC_SCORE_STEPS_PER_UNIT;
const SC_SCORE_X_MAX = L.SC_SCORE_X_MAX;
const SP_BUCKET_TS = L.SP_BUCKET_TS;
const SP_CACHE_START = L.SP_CACHE_START;
const SP_DAY = L.SP_DAY;
const SP_HOUR_MS = L.SP_HOUR_MS;
const SP_MIN_DAYS = L.SP_MIN_DAYS;
const SP_MIN_HOURS = L.SP_MIN_HOURS;
const SP_MIN_SAMPLES = L.SP_MIN_SAMPLES;
const SP_MIN_WINDOW = L.SP_MIN_WINDOW;
const W_INV_N = L.W_INV_N;
const W_INV_NM1 = L.W_INV_NM1;
const W_PIVOT = L.W_PIVOT;
const W_SUM = L.W_SUM;
const W_SUM_SQ = L.W_SUM_SQ;

/**
 * Inputs and outputs of {@link fusedPush}, in one shared array: V8 boxes a double passed to or
 * returned from a call it does not inline, and this path runs millions of times a second.
 * [IO_VALUE], [IO_TS] in; [IO_SCORE], [IO_ANOMALY] (1 or 0), [IO_REASON] (0 ok, 1 insufficient_data,
 * 2 zero_variance; −1: not handled, nothing learned, take the component path) out.
 */
export const IO = new Float64Array(5);
export const IO_VALUE = 0;
export const IO_TS = 1;
export const IO_SCORE = 2;
export const IO_ANOMALY = 3;
export const IO_REASON = 4;

/**
 * The detector's push(), fused into one function: the same arithmetic, in the same order, as
 * StreamingDetector.judge() + learn() and the components' computeMoments, computeOffset,
 * TrendTracker.pushIn (and evaluate, with `guide` scoring), LikelihoodScorer.step, DailyProfile.step,
 * RollingWindow.pushIn and SeasonalProfile.learn, so scores are bit-for-bit the same (fastPath.test.ts
 * against detect(), the golden tests and the NAB output check it). What it saves: a dozen calls per
 * point (and the inlining budget they ate), the `in*`/`out*` hand-offs between components, and the
 * writes of the explanation fields that only detect() reads. The caller guarantees: finite value and
 * timestamp, timestamp after the last one, and the window's sorted copy not being maintained (else
 * the component path keeps it sorted). During the learning period a point the fallback rule must
 * look at (|z| > sensitivity), and a cool-down point whose re-arm check needs the window's order
 * statistics (see StreamingDetector.robustForRearm), are handed back (IO_REASON −1) before anything
 * is learned.
 */
export function fusedPush(
  o: ResolvedDetectorOptions,
  w: RollingWindow,
  sp: SeasonalProfile,
  tr: TrendTracker,
  sc: LikelihoodScorer,
  guide: boolean
): void {
  const value = IO[IO_VALUE];
  const ts = IO[IO_TS];
  // ---- judge: window moments (RollingWindow.computeMoments)
  const r = w.ring;
  const cap = w.capacity;
  const n = w.n;
  const wsum = r[cap + W_SUM];
  const mean = n > 0 ? r[cap + W_PIVOT] + wsum * r[cap + W_INV_N] : value;
  const wv = n < 2 ? 0 : (r[cap + W_SUM_SQ] - wsum * wsum * r[cap + W_INV_N]) * r[cap + W_INV_NM1];
  const sd = wv > 0 ? Math.sqrt(wv) : 0;
  // ---- seasonal offset (SeasonalProfile.computeOffset)
  const acc = sp.acc;
  let offset = 0;
  let seasonal = false;
  if (sp.n >= SP_MIN_WINDOW) {
    if (!(ts >= acc[SP_CACHE_START] && ts < acc[SP_CACHE_START] + SP_HOUR_MS)) {
      acc[SP_BUCKET_TS] = ts;
      sp.rebucket();
    }
    const h2 = 2 * sp.cacheHour;
    if (sp.hoursCovered >= SP_MIN_HOURS && acc[h2] >= SP_MIN_SAMPLES) {
      offset += acc[h2 + 1] / acc[h2] - mean;
      seasonal = true;
    } else {
      const k = SP_DAY + 2 * sp.cacheDay;
      if (sp.daysCovered >= SP_MIN_DAYS && acc[k] >= SP_MIN_SAMPLES) {
        offset += acc[k + 1] / acc[k] - mean;
        seasonal = true;
      }
    }
  }
  const residual = value - mean - offset;
  // ---- z-score against the window (or the seasonal expectation when it explains the value better)
  let z = 0;
  let scored = false;
  if (n < o.minSamples || sd === 0) {
    IO[IO_REASON] = n < o.minSamples ? 1 : 2;
  } else {
    const inv = 1 / sd;
    const zw = (value - mean) * inv;
    const az = residual * inv;
    z = seasonal && Math.abs(az) < Math.abs(zw) * 0.7 ? az : zw;
    scored = true;
    IO[IO_REASON] = 0;
  }
  // learning period: a point that may trip the fallback rule needs the window's order statistics,
  // which the component path reads; bail out before anything is learned
  const learning = !guide && sc.seen < sc.params.learningPeriod;
  if (learning && scored && n >= sc.params.fallbackMinSamples && Math.abs(z) > o.sensitivity) {
    IO[IO_REASON] = -1;
    return;
  }
  // an alert's cool-down: the re-arm rule's robust z against the cached robust baseline
  // (StreamingDetector.robustForRearm); when that is stale, or the point looks far out against it, the
  // window's order statistics are read afresh, which the component path does: bail out
  let rz = 0;
  const cooling = !guide && sc.cooldownLeft > 0;
  if (cooling && scored) {
    const rd = value - sc.robustMedian;
    rz = sc.robustAge > 0 ? (rd < 0 ? -rd : rd) / sc.robustSd : Number.POSITIVE_INFINITY;
    if (rz > sc.params.rearmRobustZ) {
      IO[IO_REASON] = -1;
      return;
    }
    sc.robustAge--;
  }
  // ---- trend ring (TrendTracker.pushIn); its test runs lazily, in detect()
  const tv = seasonal ? residual : value;
  const tl = tr.length;
  if (tr.n < tl) {
    tr.ring[(tr.head + tr.n++) % tl] = tv;
  } else {
    tr.ring[tr.head] = tv;
    tr.head = tr.head + 1 === tl ? 0 : tr.head + 1;
  }
  if (guide) {
    // the guide's verdict: |z| > sensitivity or a trend change; score = confidence (no scorer)
    const trendAnomaly = n >= o.trendLength && tr.evaluate();
    if (scored) {
      const absZ = Math.abs(z);
      const zConf = Math.min(absZ / o.sensitivity, 1);
      IO[IO_SCORE] = trendAnomaly && tr.confidence > zConf ? tr.confidence : zConf;
      IO[IO_ANOMALY] = absZ > o.sensitivity || trendAnomaly ? 1 : 0;
    } else {
      IO[IO_SCORE] = 0;
      IO[IO_ANOMALY] = 0;
    }
  } else {
    // ---- LikelihoodScorer.step, with DailyProfile.step inline
    const p = sc.params;
    const f = sc.recent;
    const so = sc.o;
    let zz = scored ? Math.abs(z) : 0;
    const lts = ts + o.utcOffsetMinutes * 60_000;
    const dp = sc.daily;
    const g = dp.slots;
    let b: number;
    if (lts >= g[DP_SLOT_START] && lts < g[DP_SLOT_END]) {
      b = dp.slot;
    } else {
      dp.inTs = lts;
      b = dp.bucketOfIn();
    }
    if (g[DP_START] !== g[DP_START]) {
      g[DP_START] = lts;
    }
    const k = DP_S + 3 * b;
    const c = g[k + 2];
    const resid = value - g[k];
    let dz = 0;
    if (c >= 3 && lts - g[DP_START] >= p.dailyMinDays * DP_DAY_MS) {
      if (g[DP_RESIDUAL_VAR] < p.dailyExplained * g[DP_VALUE_VAR]) {
        const dsd = Math.sqrt(g[k + 1] + 1e-12);
        dz = Math.abs(resid) / dsd;
        dp.expected = value - resid;
        dp.sd = dsd;
      }
      const ra = dp.residualSeen < dp.warm ? 1 / ++dp.residualSeen : dp.valueAlpha;
      g[DP_RESIDUAL_VAR] = (1 - ra) * (g[DP_RESIDUAL_VAR] + ra * resid * resid);
    }
    const dt = lts - g[DP_LAST_TS];
    if (dt !== g[DP_ALPHA_DT]) {
      g[DP_ALPHA_DT] = dt;
      const rr = dt > 0 && dt < dp.slotMs ? dt / dp.slotMs : 1;
      g[DP_SAMPLE_ALPHA] = 1 - Math.pow(1 - dp.alpha, rr);
    }
    g[DP_LAST_TS] = lts;
    const sa = g[DP_SAMPLE_ALPHA];
    const da = c === 0 ? 1 : sa > 1 / (c + 1) ? sa : 1 / (c + 1);
    g[k] += da * resid;
    g[k + 1] = (1 - da) * (g[k + 1] + da * resid * resid);
    g[k + 2] = c + 1;
    const ga = dp.seen < dp.warm ? 1 / ++dp.seen : dp.valueAlpha;
    const dv = value - g[DP_VALUE_MEAN];
    g[DP_VALUE_MEAN] += ga * dv;
    g[DP_VALUE_VAR] = (1 - ga) * (g[DP_VALUE_VAR] + ga * dv * dv);
    dp.z = dz;
    // (scorer, continued)
    let driver = zz > p.explainZ ? 1 : 0; // 0 none, 1 window, 2 time of day, 3 above, 4 below range
    if (scored && dz > zz) {
      zz = dz;
      if (dz > p.explainZ) {
        driver = 2;
      }
    }
    const raw = zz < p.zCap ? zz * f[so + SC_INV_Z_CAP] : 1;
    const ri = sc.recentHead;
    f[so + SC_RECENT_SUM] += raw - f[ri];
    f[ri] = raw;
    sc.recentHead = ri + 1 === p.shortWindow ? 0 : ri + 1;
    const avg = f[so + SC_RECENT_SUM] * f[so + SC_INV_SHORT];
    sc.seen++;
    let score = 0;
    const longMean = f[so + SC_LONG_MEAN];
    const min = f[so + SC_MIN];
    const max = f[so + SC_MAX];
    const excess = avg - longMean;
    if (learning) {
      // no fallback score (see the bail-out above), and the likelihood does not speak yet
      driver = 0;
    } else if (excess > 0) {
      const lsd = Math.sqrt(f[so + SC_LONG_VAR]);
      const x = excess / (lsd > p.minSigma ? lsd : p.minSigma);
      if (x < SC_SCORE_X_MAX) {
        const table = sc.table;
        const t = x * SC_SCORE_STEPS_PER_UNIT;
        const i = t | 0;
        const a0 = table[i];
        score = a0 + (t - i) * (table[i + 1] - a0);
      } else {
        score = 1;
      }
    }
    const range = max - min;
    const novel = !learning && zz > p.noveltyMinZ && range > 0;
    if (novel && value > max + p.spatialTolerance * range) {
      score = 1;
      driver = driver === 0 ? 3 : driver;
    } else if (novel && value < min - p.spatialTolerance * range) {
      score = 1;
      driver = driver === 0 ? 4 : driver;
    } else if (!learning && driver === 0 && score >= p.alertLevel) {
      score = SC_HELD_SCORE;
    }
    sc.driver =
      driver === 0
        ? 'none'
        : driver === 1
          ? 'window'
          : driver === 2
            ? 'time_of_day'
            : driver === 3
              ? 'above_range'
              : 'below_range';
    sc.explained = driver !== 0;
    const d = avg - longMean;
    const la = sc.seen < sc.warm ? 1 / sc.seen : f[so + SC_ALPHA];
    f[so + SC_LONG_MEAN] = longMean + la * d;
    f[so + SC_LONG_VAR] = (1 - la) * (f[so + SC_LONG_VAR] + la * d * d);
    if (value < min) {
      f[so + SC_MIN] = value;
    }
    if (value > max) {
      f[so + SC_MAX] = value;
    }
    if (cooling) {
      // LikelihoodScorer.step's cool-down; rz ≤ rearmRobustZ here (else the bail-out above), so no
      // re-arm and no reset of the calm count; an unscored point neither counts nor resets
      if (scored && rz <= o.sensitivity && sc.calm < p.rearmCalmPoints) {
        sc.calm++;
      }
      sc.cooldownLeft--;
      sc.sinceAlert++;
      sc.quiet = score < p.rearmLevel ? sc.quiet + 1 : 0;
      if (sc.sinceAlert >= p.minCooldown && sc.quiet >= p.rearmPoints) {
        sc.cooldownLeft = 0;
      }
      score = 0;
    } else if (score >= p.alertLevel) {
      sc.cooldownLeft = p.cooldown;
      sc.sinceAlert = 0;
      sc.quiet = 0;
      sc.calm = 0;
      sc.robustAge = 0;
      sc.alertSd = sd;
    }
    sc.score = score;
    IO[IO_SCORE] = score;
    IO[IO_ANOMALY] = score >= o.alertThreshold && driver !== 0 ? 1 : 0;
  }
  // ---- learn: RollingWindow.pushIn (sorted copy not maintained: see the caller's guarantee)
  if (n === 0) {
    r[cap + W_PIVOT] = value;
  }
  const dw = value - r[cap + W_PIVOT];
  let evicted = 0;
  if (n < cap) {
    const at = w.head + n;
    r[at >= cap ? at - cap : at] = value;
    w.n = n + 1;
    r[cap + W_INV_N] = 1 / w.n;
    r[cap + W_INV_NM1] = w.n > 1 ? 1 / (w.n - 1) : 0;
    r[cap + W_SUM] += dw;
    r[cap + W_SUM_SQ] += dw * dw;
  } else {
    evicted = r[w.head];
    r[w.head] = value;
    w.head = w.head + 1 === cap ? 0 : w.head + 1;
    const ow = evicted - r[cap + W_PIVOT];
    r[cap + W_SUM] += dw - ow;
    r[cap + W_SUM_SQ] += dw * dw - ow * ow;
  }
  w.outEvicted = evicted;
  if (++w.sinceRecompute >= cap) {
    w.recompute();
  }
  // ---- SeasonalProfile.learn (the hour was bucketed above when the window had 50 points)
  if (!(ts >= acc[SP_CACHE_START] && ts < acc[SP_CACHE_START] + SP_HOUR_MS)) {
    acc[SP_BUCKET_TS] = ts;
    sp.rebucket();
  }
  const hh = sp.cacheHour;
  const wd = sp.cacheDay;
  const slotOf = sp.slotOf;
  if (sp.n === sp.capacity) {
    const i = sp.head;
    // SeasonalProfile.remove of the evicted value from its hour and weekday buckets
    const h0 = 2 * slotOf[2 * i];
    if (acc[h0]-- === SP_MIN_SAMPLES) {
      sp.hoursCovered--;
    }
    acc[h0 + 1] = acc[h0] === 0 ? 0 : acc[h0 + 1] - evicted;
    const d0 = SP_DAY + 2 * slotOf[2 * i + 1];
    if (acc[d0]-- === SP_MIN_SAMPLES) {
      sp.daysCovered--;
    }
    acc[d0 + 1] = acc[d0] === 0 ? 0 : acc[d0 + 1] - evicted;
    slotOf[2 * i] = hh;
    slotOf[2 * i + 1] = wd;
    sp.head = i + 1 === sp.capacity ? 0 : i + 1;
  } else {
    const i = (sp.head + sp.n) % sp.capacity;
    slotOf[2 * i] = hh;
    slotOf[2 * i + 1] = wd;
    sp.n++;
  }
  if (++acc[2 * hh] === SP_MIN_SAMPLES) {
    sp.hoursCovered++;
  }
  acc[2 * hh + 1] += value;
  const kd = SP_DAY + 2 * wd;
  if (++acc[kd] === SP_MIN_SAMPLES) {
    sp.daysCovered++;
  }
  acc[kd + 1] += value;
}
