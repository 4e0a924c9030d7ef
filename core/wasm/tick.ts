// AssemblyScript: DetectorBank.pushTick's kernel in WebAssembly (`npm run build:wasm` compiles it
// into core/src/detection/tickWasm.ts). It is fastPath.ts' pushRun for likelihood scoring, one
// timestamp per call and the default sizes (window 100, trend 20, short window 10, 96 daily
// slots), statement for statement: the same IEEE-754 arithmetic in the same order, so scores are
// bit-for-bit the same (fastPath.test.ts and wasmTick.test.ts hold it to that). Keep them in step.
// What it gains over the JS kernel: offsets known when compiled (folded into each load), no bounds
// checks, and the quartile selection and window recompute without V8's per-access checks.
//
// Memory is the host's, in doubles: the bank's slab from index 0, then (at indexes the host passes)
// the tick's values and scores, the plan's numbers (PLAN_NUMBERS order), the score table, the
// quartiles' output and scratch. The rare seasonal rebuild and clear run in the host, on the same
// memory, and so does Math.pow, whose last bits are the host's.

@external("vigil", "rebuildSeasonal")
declare function hostRebuildSeasonal(sp: i32, wr: i32, cap: i32): void;
@external("vigil", "clearSeasonal")
declare function hostClearSeasonal(sp: i32): void;
@external("vigil", "pow")
declare function hostPow(x: f64, y: f64): f64;

// the sizes compiled for (the host runs this kernel only for a plan with this layout: layoutOf)
const CAP = 100;
const TL = 20;
const SW = 10;
const STRIDE = 640;
const W_OFF = 4;
const SP_OFF = 463;
const TR_OFF = 113;
const SC_OFF = 135;
const DP_OFF = 163;

/** The k-th of the plan's first numbers (PLAN_NUMBERS: sizes, stride, region offsets) compiled in. */
export function layoutOf(k: i32): i32 {
  switch (k) {
    case 0:
      return CAP;
    case 1:
      return TL;
    case 2:
      return SW;
    case 3:
      return STRIDE;
    case 4:
      return W_OFF;
    case 5:
      return SP_OFF;
    case 6:
      return TR_OFF;
    case 7:
      return SC_OFF;
    case 8:
      return DP_OFF;
  }
  return -1;
}

// layout.ts' offsets and constants (wasmTick.test.ts checks each against it)
const W_PIVOT = 0;
const W_SUM = 1;
const W_SUM_SQ = 2;
const W_INV_N = 3;
const W_INV_NM1 = 4;
const W_HEAD = 5;
const W_N = 6;
const W_SINCE = 7;
const W_PUSHES = 8;
const SP_MIN_SAMPLES: f64 = 3;
const SP_MIN_HOURS: f64 = 12;
const SP_MIN_DAYS: f64 = 7;
const SP_MIN_WINDOW: f64 = 50;
const SP_HOUR_MS: f64 = 3600000;
const SP_DAY_MS: f64 = 86400000;
const SP_DAY = 48;
const SP_CACHE_START = 62;
const SP_BUCKET_TS = 63;
const SP_OFFSET_MS = 64;
const SP_HEAD = 65;
const SP_N = 66;
const SP_HOUR = 67;
const SP_WEEKDAY = 68;
const SP_HOURS_COVERED = 69;
const SP_DAYS_COVERED = 70;
const SP_HOUR_INDEX = 71;
const SP_ACTIVE = 72;
const SP_SLOTS = 73;
const SP_ACTIVE_SPAN: f64 = 11;
const TR_HEAD = 0;
const TR_N = 1;
const SC_SCORE_STEPS_PER_UNIT: f64 = 256;
const SC_SCORE_X_MAX: f64 = 10;
const SC_RECENT_SUM = 0;
const SC_LONG_MEAN = 1;
const SC_LONG_VAR = 2;
const SC_MIN = 3;
const SC_MAX = 4;
const SC_ALPHA = 5;
const SC_INV_Z_CAP = 6;
const SC_INV_SHORT = 7;
const SC_SEEN = 8;
const SC_RECENT_HEAD = 9;
const SC_COOLDOWN_LEFT = 10;
const SC_SINCE_ALERT = 11;
const SC_QUIET = 12;
const SC_CALM = 13;
const SC_ALERT_SD = 14;
const SC_ROBUST_MEDIAN = 15;
const SC_ROBUST_SD = 16;
const SC_ROBUST_AGE = 17;
const SC_ROBUST_REFRESH: f64 = 50;
const SC_HELD_SCORE: f64 = 0.4;
const DP_DAY_MS: f64 = 86400000;
const DP_START = 0;
const DP_RESIDUAL_VAR = 1;
const DP_VALUE_MEAN = 2;
const DP_VALUE_VAR = 3;
const DP_LAST_TS = 4;
const DP_ALPHA_DT = 5;
const DP_SAMPLE_ALPHA = 6;
const DP_SLOT_START = 7;
const DP_SLOT_END = 8;
const DP_SLOT = 9;
const DP_RESIDUAL_SEEN = 10;
const DP_SEEN = 11;
const DP_S = 12;
const H_LAST_TS = 0;
const H_SCORE = 1;
const H_ANOMALY = 2;
const H_REASON = 3;

// @ts-ignore: decorator
@inline function ld(i: i32): f64 {
  return load<f64>(<usize>i << 3);
}
// @ts-ignore: decorator
@inline function st(i: i32, v: f64): void {
  store<f64>(<usize>i << 3, v);
}
// @ts-ignore: decorator
@inline function int(i: i32): i32 {
  return <i32>load<f64>(<usize>i << 3);
}

// The last daily slot and hour computed, for the next series of the same tick (every series of a
// tick has the same timestamp, and both are functions of it alone: computed once per tick)
let slotTs: f64 = NaN;
let slotB: f64 = 0;
let slotStart: f64 = 0;
let slotEnd: f64 = 0;
let hourTs: f64 = NaN;
let hourOffset: f64 = NaN;
let hourIndexOf: f64 = 0;
let hourStart: f64 = 0;
let hourOfDay: f64 = 0;
let weekdayOf: f64 = 0;

/** dailyProfile.ts' dailyBucket for the profile at `o` and local time `ts`. */
function dailyBucket(o: i32, ts: f64, buckets: f64): i32 {
  if (!(ts == slotTs)) {
    const dayStart = Math.floor(ts / DP_DAY_MS) * DP_DAY_MS;
    const b = Math.floor(((ts - dayStart) * buckets) / DP_DAY_MS);
    slotTs = ts;
    slotB = b;
    slotStart = dayStart + Math.ceil((b * DP_DAY_MS) / buckets);
    slotEnd = dayStart + Math.ceil(((b + 1) * DP_DAY_MS) / buckets);
  }
  st(o + DP_SLOT, slotB);
  st(o + DP_SLOT_START, slotStart);
  st(o + DP_SLOT_END, slotEnd);
  if (!(ts >= slotStart && ts < slotEnd)) {
    st(o + DP_SLOT_END, slotStart);
  }
  return <i32>slotB;
}

/** rollingWindow.ts' recomputeWindow for the window at `o`. */
function recomputeWindow(o: i32, cap: i32): void {
  const sc = o + cap;
  st(sc + W_SINCE, 0);
  const n = int(sc + W_N);
  const head = o + int(sc + W_HEAD);
  const first = min(n, sc - head);
  const end1 = head + first;
  const end2 = o + n - first;
  let s: f64 = 0;
  for (let i = head; i < end1; i++) {
    s += ld(i);
  }
  for (let i = o; i < end2; i++) {
    s += ld(i);
  }
  const pivot = s / <f64>n;
  let d1: f64 = 0;
  let d2: f64 = 0;
  for (let i = head; i < end1; i++) {
    const d = ld(i) - pivot;
    d1 += d;
    d2 += d * d;
  }
  for (let i = o; i < end2; i++) {
    const d = ld(i) - pivot;
    d1 += d;
    d2 += d * d;
  }
  st(sc + W_PIVOT, pivot);
  st(sc + W_SUM, d1);
  st(sc + W_SUM_SQ, d2);
}

// @ts-ignore: decorator
@inline function ldi(at: i32): i32 {
  return load<i32>(<usize>at << 2);
}
// @ts-ignore: decorator
@inline function sti(at: i32, v: i32): void {
  store<i32>(<usize>at << 2, v);
}

const BUCKETS = 64;

/**
 * rollingWindow.ts' windowQuartiles for the window at `o`, into [q, q + 3): a counting sort of a
 * copy into 64 value buckets, then a sort of the buckets holding the ranks read. Scratch after the
 * output: the values in bucket order (CAP doubles), then the int32 bucket of each value, the
 * buckets' counts and starts.
 */
export function windowQuartiles(o: i32, cap: i32, q: i32): void {
  const n = int(o + cap + W_N);
  const a = q + 3;
  // int32 indexes (in 4-byte units) of the scratch arrays
  const bucketOf = (a + cap) << 1;
  const count = bucketOf + cap;
  const start = count + BUCKETS + 1;
  let lo = ld(o);
  let hi = lo;
  for (let i = 1; i < n; i++) {
    const x = ld(o + i);
    if (x < lo) {
      lo = x;
    } else if (x > hi) {
      hi = x;
    }
  }
  if (!(hi > lo)) {
    st(q, lo);
    st(q + 1, lo);
    st(q + 2, lo);
    return;
  }
  const scale = <f64>BUCKETS / (hi - lo);
  for (let b = 0; b <= BUCKETS; b++) {
    sti(count + b, 0);
  }
  for (let i = 0; i < n; i++) {
    const b = <i32>((ld(o + i) - lo) * scale);
    sti(bucketOf + i, b);
    sti(count + b, ldi(count + b) + 1);
  }
  let at = 0;
  for (let b = 0; b <= BUCKETS; b++) {
    sti(start + b, at);
    at += ldi(count + b);
    sti(count + b, ldi(start + b));
  }
  sti(start + BUCKETS + 1, n);
  for (let i = 0; i < n; i++) {
    const b = ldi(bucketOf + i);
    const to = ldi(count + b);
    sti(count + b, to + 1);
    st(a + to, ld(o + i));
  }
  const last = n - 1;
  let b = 0;
  // end of the last bucket sorted: ranks below it (and at or after its start) are in place
  let sortedEnd = 0;
  for (let k3 = 0; k3 < 3; k3++) {
    const idx = <f64>last * (k3 == 0 ? 0.25 : k3 == 1 ? 0.5 : 0.75);
    const k = <i32>idx;
    for (let rank = k; rank <= k + 1 && rank <= last; rank++) {
      if (rank >= sortedEnd) {
        while (ldi(start + b + 1) <= rank) {
          b++;
        }
        sortRange(a + ldi(start + b), a + ldi(start + b + 1));
        sortedEnd = ldi(start + b + 1);
      }
    }
    const value = ld(a + k);
    st(q + k3, <f64>k == idx ? value : value + (idx - <f64>k) * (ld(a + k + 1) - value));
  }
}

/** Sorts the doubles at [from, to) by insertion (a bucket: a few values). */
function sortRange(from: i32, to: i32): void {
  for (let i = from + 1; i < to; i++) {
    const x = ld(i);
    let j = i - 1;
    while (j >= from && ld(j) > x) {
      st(j + 1, ld(j));
      j--;
    }
    st(j + 1, x);
  }
}

/** seasonal.ts' rebucketSeasonal for the profile at `o` (computed once per tick: see slotTs). */
function rebucketSeasonal(o: i32): void {
  const ts = ld(o + SP_BUCKET_TS);
  const offsetMs = ld(o + SP_OFFSET_MS);
  if (!(ts == hourTs && offsetMs == hourOffset)) {
    const local = ts + offsetMs;
    const hourIndex = Math.floor(local / SP_HOUR_MS);
    hourTs = ts;
    hourOffset = offsetMs;
    hourIndexOf = hourIndex;
    hourStart = hourIndex * SP_HOUR_MS - offsetMs;
    hourOfDay = hourIndex - Math.floor(hourIndex / 24) * 24;
    const dayIndex = Math.floor(local / SP_DAY_MS) + 4;
    weekdayOf = dayIndex - Math.floor(dayIndex / 7) * 7;
  }
  st(o + SP_HOUR_INDEX, hourIndexOf);
  st(o + SP_CACHE_START, hourStart);
  st(o + SP_HOUR, hourOfDay);
  st(o + SP_WEEKDAY, weekdayOf);
}

// @ts-ignore: decorator
@inline function hourOfIndex(hi: f64): f64 {
  return hi - Math.floor(hi / 24) * 24;
}

// @ts-ignore: decorator
@inline function weekdayOfIndex(hi: f64): f64 {
  const day = Math.floor(hi / 24) + 4;
  return day - Math.floor(day / 7) * 7;
}

// @ts-ignore: decorator
@inline function robustSigma(p25: f64, p75: f64, sd: f64): f64 {
  const r = (p75 - p25) / 1.349;
  return r > 0 && r < sd ? r : sd;
}

/**
 * pushRun(plan, slab, first, count, 1, values, 0, [ts], 0, 0, scores) with likelihood scoring (and
 * its return value, the number of anomalies):
 * values at index `vAt`, scores to `sAt`, plan numbers at `pAt`, the score table at `tAt`, the
 * window quartiles' output and scratch at `qAt` (3 + 2·CAP + 68 doubles).
 */
export function tick(first: i32, count: i32, ts: f64, vAt: i32, sAt: i32, pAt: i32, tAt: i32, qAt: i32): i32 {
  const cap = CAP;
  const sw = SW;
  const stride = STRIDE;
  const wOff = W_OFF;
  const spOff = SP_OFF;
  const trOff = TR_OFF;
  const tl = TL;
  const scOff = SC_OFF;
  const dpOff = DP_OFF;
  const minSamples = ld(pAt + 9);
  const sensitivity = ld(pAt + 10);
  const utcOffsetMs = ld(pAt + 11);
  const alertThreshold = ld(pAt + 12);
  const learningPeriod = ld(pAt + 14);
  const fallbackMinSamples = ld(pAt + 15);
  const rearmRobustZ = ld(pAt + 16);
  const fallbackZ = ld(pAt + 17);
  const explainZ = ld(pAt + 18);
  const zCap = ld(pAt + 19);
  const minSigma = ld(pAt + 20);
  const noveltyMinZ = ld(pAt + 21);
  const spatialTolerance = ld(pAt + 22);
  const alertLevel = ld(pAt + 23);
  const rearmCalmPoints = ld(pAt + 24);
  const rearmLevel = ld(pAt + 25);
  const minCooldown = ld(pAt + 26);
  const rearmPoints = ld(pAt + 27);
  const cooldown = ld(pAt + 28);
  const dailyMinSpan = ld(pAt + 29);
  const dailyExplained = ld(pAt + 30);
  const dailyBuckets = ld(pAt + 31);
  const scWarm = ld(pAt + 32);
  const dpWarm = ld(pAt + 33);
  const dpValueAlpha = ld(pAt + 34);
  const dpSlotMs = ld(pAt + 35);
  const dpAlpha = ld(pAt + 36);
  const tsValid = ts - ts == 0;
  let anomalies = 0;

  for (let j = 0; j < count; j++) {
    const b = (first + j) * stride;
    const value = ld(vAt + j);
    if (!(value - value == 0 && tsValid && ts > ld(b + H_LAST_TS))) {
      st(b + H_SCORE, 0);
      st(b + H_ANOMALY, 0);
      st(b + H_REASON, value - value == 0 && tsValid ? 4 : 3);
      st(sAt + j, 0);
      continue;
    }
    // ---- judge: window moments
    const wr = b + wOff;
    const wc = wr + cap;
    const n = ld(wc + W_N);
    const wsum = ld(wc + W_SUM);
    const mean = n > 0 ? ld(wc + W_PIVOT) + wsum * ld(wc + W_INV_N) : value;
    const wv = n < 2 ? 0 : (ld(wc + W_SUM_SQ) - wsum * wsum * ld(wc + W_INV_N)) * ld(wc + W_INV_NM1);
    const sd = wv > 0 ? Math.sqrt(wv) : 0;
    // ---- seasonal offset
    const sp = b + spOff;
    let offset: f64 = 0;
    let seasonal = false;
    if (ld(sp + SP_N) >= SP_MIN_WINDOW && ld(sp + SP_ACTIVE) == 1) {
      if (!(ts >= ld(sp + SP_CACHE_START) && ts < ld(sp + SP_CACHE_START) + SP_HOUR_MS)) {
        st(sp + SP_BUCKET_TS, ts);
        rebucketSeasonal(sp);
      }
      const h2 = sp + 2 * int(sp + SP_HOUR);
      if (ld(sp + SP_HOURS_COVERED) >= SP_MIN_HOURS && ld(h2) >= SP_MIN_SAMPLES) {
        offset += ld(h2 + 1) / ld(h2) - mean;
        seasonal = true;
      } else {
        const kd = sp + SP_DAY + 2 * int(sp + SP_WEEKDAY);
        if (ld(sp + SP_DAYS_COVERED) >= SP_MIN_DAYS && ld(kd) >= SP_MIN_SAMPLES) {
          offset += ld(kd + 1) / ld(kd) - mean;
          seasonal = true;
        }
      }
    }
    const residual = value - mean - offset;
    // ---- z-score
    let z: f64 = 0;
    let scored = false;
    let reason: f64 = 0;
    if (n < minSamples || sd == 0) {
      reason = n < minSamples ? 1 : 2;
    } else {
      const inv = 1 / sd;
      const zw = (value - mean) * inv;
      const az = residual * inv;
      z = seasonal && Math.abs(az) < Math.abs(zw) * 0.7 ? az : zw;
      scored = true;
    }
    const so = b + scOff + sw;
    const learning = ld(so + SC_SEEN) < learningPeriod;
    const wantFallback = learning && scored && n >= fallbackMinSamples && Math.abs(z) > sensitivity;
    let rz: f64 = 0;
    let refresh = false;
    const cooling = ld(so + SC_COOLDOWN_LEFT) > 0;
    if (cooling && scored) {
      const rd = value - ld(so + SC_ROBUST_MEDIAN);
      rz = ld(so + SC_ROBUST_AGE) > 0 ? (rd < 0 ? -rd : rd) / ld(so + SC_ROBUST_SD) : Infinity;
      refresh = rz > rearmRobustZ;
      if (!refresh) {
        st(so + SC_ROBUST_AGE, ld(so + SC_ROBUST_AGE) - 1);
      }
    }
    let fallbackScore: f64 = 0;
    if (wantFallback || refresh) {
      windowQuartiles(wr, cap, qAt);
      const q1 = ld(qAt + 1);
      const r = robustSigma(ld(qAt), ld(qAt + 2), sd);
      if (wantFallback) {
        const d = value - q1;
        const frz = (d < 0 ? -d : d) / r;
        fallbackScore = frz > fallbackZ ? Math.min(1, frz / (2 * fallbackZ)) : 0;
      }
      if (refresh) {
        const alertSd = ld(so + SC_ALERT_SD);
        const robustSd = r > alertSd ? r : alertSd;
        st(so + SC_ROBUST_SD, robustSd);
        st(so + SC_ROBUST_MEDIAN, q1);
        st(so + SC_ROBUST_AGE, SC_ROBUST_REFRESH);
        const d = value - q1;
        rz = (d < 0 ? -d : d) / robustSd;
      }
    }
    // ---- trend ring
    const tr = b + trOff;
    const tv = seasonal ? residual : value;
    const tn = int(tr + tl + TR_N);
    const th = int(tr + tl + TR_HEAD);
    if (tn < tl) {
      const at = th + tn;
      st(tr + (at >= tl ? at - tl : at), tv);
      st(tr + tl + TR_N, tn + 1);
    } else {
      st(tr + th, tv);
      st(tr + tl + TR_HEAD, th + 1 == tl ? 0 : th + 1);
    }
    // ---- likelihood scorer, with the daily profile
    let zz: f64 = scored ? Math.abs(z) : 0;
    const lts = ts + utcOffsetMs;
    const g = b + dpOff;
    let bk: i32;
    if (lts >= ld(g + DP_SLOT_START) && lts < ld(g + DP_SLOT_END)) {
      bk = int(g + DP_SLOT);
    } else {
      bk = dailyBucket(g, lts, dailyBuckets);
    }
    if (ld(g + DP_START) != ld(g + DP_START)) {
      st(g + DP_START, lts);
    }
    const ks = g + DP_S + 3 * bk;
    const c = ld(ks + 2);
    const resid = value - ld(ks);
    let dz: f64 = 0;
    if (c >= 3 && lts - ld(g + DP_START) >= dailyMinSpan) {
      if (ld(g + DP_RESIDUAL_VAR) < dailyExplained * ld(g + DP_VALUE_VAR)) {
        const dsd = Math.sqrt(ld(ks + 1) + 1e-12);
        dz = Math.abs(resid) / dsd;
      }
      const rs = ld(g + DP_RESIDUAL_SEEN);
      let ra = dpValueAlpha;
      if (rs < dpWarm) {
        st(g + DP_RESIDUAL_SEEN, rs + 1);
        ra = 1 / (rs + 1);
      }
      st(g + DP_RESIDUAL_VAR, (1 - ra) * (ld(g + DP_RESIDUAL_VAR) + ra * resid * resid));
    }
    const dt = lts - ld(g + DP_LAST_TS);
    if (dt != ld(g + DP_ALPHA_DT)) {
      st(g + DP_ALPHA_DT, dt);
      const rr = dt > 0 && dt < dpSlotMs ? dt / dpSlotMs : 1;
      st(g + DP_SAMPLE_ALPHA, 1 - hostPow(1 - dpAlpha, rr));
    }
    st(g + DP_LAST_TS, lts);
    const sa = ld(g + DP_SAMPLE_ALPHA);
    const da = c == 0 ? 1 : sa > 1 / (c + 1) ? sa : 1 / (c + 1);
    st(ks, ld(ks) + da * resid);
    st(ks + 1, (1 - da) * (ld(ks + 1) + da * resid * resid));
    st(ks + 2, c + 1);
    const gs = ld(g + DP_SEEN);
    let ga = dpValueAlpha;
    if (gs < dpWarm) {
      st(g + DP_SEEN, gs + 1);
      ga = 1 / (gs + 1);
    }
    const dv = value - ld(g + DP_VALUE_MEAN);
    st(g + DP_VALUE_MEAN, ld(g + DP_VALUE_MEAN) + ga * dv);
    st(g + DP_VALUE_VAR, (1 - ga) * (ld(g + DP_VALUE_VAR) + ga * dv * dv));
    // 0 none, 1 window, 2 time of day, 3 above, 4 below range, 5 fallback, 6 robust re-arm
    let driver = zz > explainZ ? 1 : 0;
    if (scored && dz > zz) {
      zz = dz;
      if (dz > explainZ) {
        driver = 2;
      }
    }
    const raw = zz < zCap ? zz * ld(so + SC_INV_Z_CAP) : 1;
    const ri = int(so + SC_RECENT_HEAD);
    const rsum = ld(so + SC_RECENT_SUM) + (raw - ld(so - sw + ri));
    st(so + SC_RECENT_SUM, rsum);
    st(so - sw + ri, raw);
    st(so + SC_RECENT_HEAD, ri + 1 == sw ? 0 : ri + 1);
    const avg = rsum * ld(so + SC_INV_SHORT);
    const seen = ld(so + SC_SEEN) + 1;
    st(so + SC_SEEN, seen);
    const longMean = ld(so + SC_LONG_MEAN);
    const min = ld(so + SC_MIN);
    const max = ld(so + SC_MAX);
    const excess = avg - longMean;
    let score: f64 = 0;
    if (learning) {
      score = fallbackScore;
      driver = score > 0 ? 5 : 0;
    } else if (excess > 0) {
      const lsd = Math.sqrt(ld(so + SC_LONG_VAR));
      const x = excess / (lsd > minSigma ? lsd : minSigma);
      if (x < SC_SCORE_X_MAX) {
        const t = x * SC_SCORE_STEPS_PER_UNIT;
        const i = <i32>t;
        const a0 = ld(tAt + i);
        score = a0 + (t - i) * (ld(tAt + i + 1) - a0);
      } else {
        score = 1;
      }
    }
    const range = max - min;
    const novel = !learning && zz > noveltyMinZ && range > 0;
    if (novel && value > max + spatialTolerance * range) {
      score = 1;
      driver = driver == 0 ? 3 : driver;
    } else if (novel && value < min - spatialTolerance * range) {
      score = 1;
      driver = driver == 0 ? 4 : driver;
    } else if (!learning && driver == 0 && score >= alertLevel) {
      score = SC_HELD_SCORE;
    }
    const d = avg - longMean;
    const la = seen < scWarm ? 1 / seen : ld(so + SC_ALPHA);
    st(so + SC_LONG_MEAN, longMean + la * d);
    st(so + SC_LONG_VAR, (1 - la) * (ld(so + SC_LONG_VAR) + la * d * d));
    if (value < min) {
      st(so + SC_MIN, value);
    }
    if (value > max) {
      st(so + SC_MAX, value);
    }
    // cool-down: a re-arm alerts anew; otherwise calm counting, and score 0
    let rearmed = false;
    if (cooling) {
      const calm = ld(so + SC_CALM);
      if (scored && calm >= rearmCalmPoints && rz > rearmRobustZ && rz > sensitivity) {
        const rs = rz / (2 * rearmRobustZ);
        score = rs < 1 ? rs : 1;
        driver = 6;
        rearmed = true;
      } else {
        if (scored && rz > rearmRobustZ) {
          st(so + SC_CALM, 0);
        } else if (scored && rz <= sensitivity && calm < rearmCalmPoints) {
          st(so + SC_CALM, calm + 1);
        }
        st(so + SC_COOLDOWN_LEFT, ld(so + SC_COOLDOWN_LEFT) - 1);
        const since = ld(so + SC_SINCE_ALERT) + 1;
        st(so + SC_SINCE_ALERT, since);
        const quiet = score < rearmLevel ? ld(so + SC_QUIET) + 1 : 0;
        st(so + SC_QUIET, quiet);
        if (since >= minCooldown && quiet >= rearmPoints) {
          st(so + SC_COOLDOWN_LEFT, 0);
        }
        score = 0;
      }
    }
    if ((!cooling || rearmed) && score >= alertLevel) {
      st(so + SC_COOLDOWN_LEFT, cooldown);
      st(so + SC_SINCE_ALERT, 0);
      st(so + SC_QUIET, 0);
      st(so + SC_CALM, 0);
      st(so + SC_ROBUST_AGE, 0);
      if (!rearmed) {
        st(so + SC_ALERT_SD, sd);
      }
    }
    st(b + H_SCORE, score);
    const anomaly = score >= alertThreshold && driver != 0;
    anomalies += <i32>anomaly;
    st(b + H_ANOMALY, anomaly ? 1 : 0);
    st(b + H_REASON, reason);
    st(b + H_LAST_TS, ts);
    st(sAt + j, score);
    // ---- learn: the window
    if (n == 0) {
      st(wc + W_PIVOT, value);
    }
    const dw = value - ld(wc + W_PIVOT);
    let evicted: f64 = 0;
    const wh = int(wc + W_HEAD);
    if (n < <f64>cap) {
      const at = wh + <i32>n;
      st(wr + (at >= cap ? at - cap : at), value);
      const n1 = n + 1;
      st(wc + W_N, n1);
      st(wc + W_INV_N, 1 / n1);
      st(wc + W_INV_NM1, n1 > 1 ? 1 / (n1 - 1) : 0);
      st(wc + W_SUM, ld(wc + W_SUM) + dw);
      st(wc + W_SUM_SQ, ld(wc + W_SUM_SQ) + dw * dw);
    } else {
      evicted = ld(wr + wh);
      st(wr + wh, value);
      st(wc + W_HEAD, wh + 1 == cap ? 0 : wh + 1);
      const ow = evicted - ld(wc + W_PIVOT);
      st(wc + W_SUM, ld(wc + W_SUM) + (dw - ow));
      st(wc + W_SUM_SQ, ld(wc + W_SUM_SQ) + (dw * dw - ow * ow));
    }
    st(wc + W_PUSHES, ld(wc + W_PUSHES) + 1);
    const since = ld(wc + W_SINCE) + 1;
    st(wc + W_SINCE, since);
    if (since >= <f64>cap) {
      recomputeWindow(wr, cap);
    }
    // ---- learn: the seasonal profile's slot, and its buckets while active
    if (!(ts >= ld(sp + SP_CACHE_START) && ts < ld(sp + SP_CACHE_START) + SP_HOUR_MS)) {
      st(sp + SP_BUCKET_TS, ts);
      rebucketSeasonal(sp);
    }
    const hi = ld(sp + SP_HOUR_INDEX);
    const slots = sp + SP_SLOTS;
    const spn = int(sp + SP_N);
    const sh = int(sp + SP_HEAD);
    const full = spn == cap;
    let oldest: f64;
    let evictedIndex: f64 = 0;
    if (full) {
      evictedIndex = ld(slots + sh);
      st(slots + sh, hi);
      const h1 = sh + 1 == cap ? 0 : sh + 1;
      st(sp + SP_HEAD, h1);
      oldest = ld(slots + h1);
    } else {
      const at = sh + spn;
      st(slots + (at >= cap ? at - cap : at), hi);
      st(sp + SP_N, spn + 1);
      oldest = ld(slots + sh);
    }
    if (hi - oldest < SP_ACTIVE_SPAN) {
      if (ld(sp + SP_ACTIVE) == 1) {
        hostClearSeasonal(sp);
      }
    } else if (ld(sp + SP_ACTIVE) == 0) {
      hostRebuildSeasonal(sp, wr, cap);
    } else {
      if (full) {
        const h0 = sp + 2 * <i32>hourOfIndex(evictedIndex);
        const ch = ld(h0) - 1;
        st(h0, ch);
        if (ch == SP_MIN_SAMPLES - 1) {
          st(sp + SP_HOURS_COVERED, ld(sp + SP_HOURS_COVERED) - 1);
        }
        st(h0 + 1, ch == 0 ? 0 : ld(h0 + 1) - evicted);
        const d0 = sp + SP_DAY + 2 * <i32>weekdayOfIndex(evictedIndex);
        const cd = ld(d0) - 1;
        st(d0, cd);
        if (cd == SP_MIN_SAMPLES - 1) {
          st(sp + SP_DAYS_COVERED, ld(sp + SP_DAYS_COVERED) - 1);
        }
        st(d0 + 1, cd == 0 ? 0 : ld(d0 + 1) - evicted);
      }
      const ah = sp + 2 * int(sp + SP_HOUR);
      const ch = ld(ah) + 1;
      st(ah, ch);
      if (ch == SP_MIN_SAMPLES) {
        st(sp + SP_HOURS_COVERED, ld(sp + SP_HOURS_COVERED) + 1);
      }
      st(ah + 1, ld(ah + 1) + value);
      const ad = sp + SP_DAY + 2 * int(sp + SP_WEEKDAY);
      const cd = ld(ad) + 1;
      st(ad, cd);
      if (cd == SP_MIN_SAMPLES) {
        st(sp + SP_DAYS_COVERED, ld(sp + SP_DAYS_COVERED) + 1);
      }
      st(ad + 1, ld(ad + 1) + value);
    }
  }
  return anomalies;
}
