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
    hourOfDay = hourOfIndex(hourIndex);
    weekdayOf = weekdayOfIndex(hourIndex);
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

// Byte offsets in a series' record of the fields the kernel reads: a load or store at a constant
// offset from the record's address is one instruction (an index computed per access, `(i + k) << 3`,
// was three: a fifth of the kernel's time)
const AT_DP_ALPHA_DT = (DP_OFF + DP_ALPHA_DT) << 3;
const AT_DP_LAST_TS = (DP_OFF + DP_LAST_TS) << 3;
const AT_DP_RESIDUAL_SEEN = (DP_OFF + DP_RESIDUAL_SEEN) << 3;
const AT_DP_RESIDUAL_VAR = (DP_OFF + DP_RESIDUAL_VAR) << 3;
const AT_DP_SAMPLE_ALPHA = (DP_OFF + DP_SAMPLE_ALPHA) << 3;
const AT_DP_SEEN = (DP_OFF + DP_SEEN) << 3;
const AT_DP_SLOT = (DP_OFF + DP_SLOT) << 3;
const AT_DP_SLOT_END = (DP_OFF + DP_SLOT_END) << 3;
const AT_DP_SLOT_START = (DP_OFF + DP_SLOT_START) << 3;
const AT_DP_START = (DP_OFF + DP_START) << 3;
const AT_DP_VALUE_MEAN = (DP_OFF + DP_VALUE_MEAN) << 3;
const AT_DP_VALUE_VAR = (DP_OFF + DP_VALUE_VAR) << 3;
const AT_H_ANOMALY = (H_ANOMALY) << 3;
const AT_H_LAST_TS = (H_LAST_TS) << 3;
const AT_H_REASON = (H_REASON) << 3;
const AT_H_SCORE = (H_SCORE) << 3;
const AT_SC_RING = (SC_OFF) << 3;
const AT_SC_ALERT_SD = (SC_OFF + SW + SC_ALERT_SD) << 3;
const AT_SC_ALPHA = (SC_OFF + SW + SC_ALPHA) << 3;
const AT_SC_CALM = (SC_OFF + SW + SC_CALM) << 3;
const AT_SC_COOLDOWN_LEFT = (SC_OFF + SW + SC_COOLDOWN_LEFT) << 3;
const AT_SC_INV_SHORT = (SC_OFF + SW + SC_INV_SHORT) << 3;
const AT_SC_INV_Z_CAP = (SC_OFF + SW + SC_INV_Z_CAP) << 3;
const AT_SC_LONG_MEAN = (SC_OFF + SW + SC_LONG_MEAN) << 3;
const AT_SC_LONG_VAR = (SC_OFF + SW + SC_LONG_VAR) << 3;
const AT_SC_MAX = (SC_OFF + SW + SC_MAX) << 3;
const AT_SC_MIN = (SC_OFF + SW + SC_MIN) << 3;
const AT_SC_QUIET = (SC_OFF + SW + SC_QUIET) << 3;
const AT_SC_RECENT_HEAD = (SC_OFF + SW + SC_RECENT_HEAD) << 3;
const AT_SC_RECENT_SUM = (SC_OFF + SW + SC_RECENT_SUM) << 3;
const AT_SC_ROBUST_AGE = (SC_OFF + SW + SC_ROBUST_AGE) << 3;
const AT_SC_ROBUST_MEDIAN = (SC_OFF + SW + SC_ROBUST_MEDIAN) << 3;
const AT_SC_ROBUST_SD = (SC_OFF + SW + SC_ROBUST_SD) << 3;
const AT_SC_SEEN = (SC_OFF + SW + SC_SEEN) << 3;
const AT_SC_SINCE_ALERT = (SC_OFF + SW + SC_SINCE_ALERT) << 3;
const AT_SP_ACTIVE = (SP_OFF + SP_ACTIVE) << 3;
const AT_SP_BUCKET_TS = (SP_OFF + SP_BUCKET_TS) << 3;
const AT_SP_CACHE_START = (SP_OFF + SP_CACHE_START) << 3;
const AT_SP_DAYS_COVERED = (SP_OFF + SP_DAYS_COVERED) << 3;
const AT_SP_HEAD = (SP_OFF + SP_HEAD) << 3;
const AT_SP_HOUR = (SP_OFF + SP_HOUR) << 3;
const AT_SP_HOURS_COVERED = (SP_OFF + SP_HOURS_COVERED) << 3;
const AT_SP_HOUR_INDEX = (SP_OFF + SP_HOUR_INDEX) << 3;
const AT_SP_N = (SP_OFF + SP_N) << 3;
const AT_SP_SLOTS = (SP_OFF + SP_SLOTS) << 3;
const AT_SP_WEEKDAY = (SP_OFF + SP_WEEKDAY) << 3;
const AT_TR_RING = (TR_OFF) << 3;
const AT_TR_HEAD = (TR_OFF + TL + TR_HEAD) << 3;
const AT_TR_N = (TR_OFF + TL + TR_N) << 3;
const AT_W_RING = (W_OFF) << 3;
const AT_W_HEAD = (W_OFF + CAP + W_HEAD) << 3;
const AT_W_INV_N = (W_OFF + CAP + W_INV_N) << 3;
const AT_W_INV_NM1 = (W_OFF + CAP + W_INV_NM1) << 3;
const AT_W_N = (W_OFF + CAP + W_N) << 3;
const AT_W_PIVOT = (W_OFF + CAP + W_PIVOT) << 3;
const AT_W_PUSHES = (W_OFF + CAP + W_PUSHES) << 3;
const AT_W_SINCE = (W_OFF + CAP + W_SINCE) << 3;
const AT_W_SUM = (W_OFF + CAP + W_SUM) << 3;
const AT_W_SUM_SQ = (W_OFF + CAP + W_SUM_SQ) << 3;

/**
 * pushRun(plan, slab, first, count, 1, values, 0, [ts], 0, 0, scores) with likelihood scoring (and
 * its return value, the number of anomalies):
 * values at index `vAt`, scores to `sAt`, plan numbers at `pAt`, the score table at `tAt`, the
 * window quartiles' output and scratch at `qAt` (3 + 2·CAP + 68 doubles).
 */
export function tick(first: i32, count: i32, ts: f64, vAt: i32, sAt: i32, pAt: i32, tAt: i32, qAt: i32): i32 {
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
  const vAtP = <usize>vAt << 3;
  const sAtP = <usize>sAt << 3;
  const tAtP = <usize>tAt << 3;
  const qAtP = <usize>qAt << 3;
  let anomalies = 0;

  for (let j = 0; j < count; j++) {
    const b = (first + j) * STRIDE;
    const bP = <usize>b << 3;
    const value = load<f64>(vAtP + (<usize>j << 3));
    if (!(value - value == 0 && tsValid && ts > load<f64>(bP, AT_H_LAST_TS))) {
      store<f64>(bP, 0, AT_H_SCORE);
      store<f64>(bP, 0, AT_H_ANOMALY);
      store<f64>(bP, value - value == 0 && tsValid ? 4 : 3, AT_H_REASON);
      store<f64>(sAtP + (<usize>j << 3), 0);
      continue;
    }
    // ---- judge: window moments
    const wr = b + W_OFF;
    const n = load<f64>(bP, AT_W_N);
    const wsum = load<f64>(bP, AT_W_SUM);
    const mean = n > 0 ? load<f64>(bP, AT_W_PIVOT) + wsum * load<f64>(bP, AT_W_INV_N) : value;
    const wv =
      n < 2 ? 0 : (load<f64>(bP, AT_W_SUM_SQ) - wsum * wsum * load<f64>(bP, AT_W_INV_N)) * load<f64>(bP, AT_W_INV_NM1);
    const sd = wv > 0 ? Math.sqrt(wv) : 0;
    // ---- seasonal offset
    const sp = b + SP_OFF;
    let offset: f64 = 0;
    let seasonal = false;
    if (load<f64>(bP, AT_SP_N) >= SP_MIN_WINDOW && load<f64>(bP, AT_SP_ACTIVE) == 1) {
      if (!(ts >= load<f64>(bP, AT_SP_CACHE_START) && ts < load<f64>(bP, AT_SP_CACHE_START) + SP_HOUR_MS)) {
        store<f64>(bP, ts, AT_SP_BUCKET_TS);
        rebucketSeasonal(sp);
      }
      const h2 = sp + 2 * <i32>load<f64>(bP, AT_SP_HOUR);
      const h2P = <usize>h2 << 3;
      if (load<f64>(bP, AT_SP_HOURS_COVERED) >= SP_MIN_HOURS && load<f64>(h2P) >= SP_MIN_SAMPLES) {
        offset += load<f64>(h2P, 8) / load<f64>(h2P) - mean;
        seasonal = true;
      } else {
        const kd = sp + SP_DAY + 2 * <i32>load<f64>(bP, AT_SP_WEEKDAY);
        const kdP = <usize>kd << 3;
        if (load<f64>(bP, AT_SP_DAYS_COVERED) >= SP_MIN_DAYS && load<f64>(kdP) >= SP_MIN_SAMPLES) {
          offset += load<f64>(kdP, 8) / load<f64>(kdP) - mean;
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
    // the robust z of the fallback and re-arm rules, against the cached robust baseline (fastPath.ts)
    const learning = load<f64>(bP, AT_SC_SEEN) < learningPeriod;
    const fallbackOn = learning && n >= fallbackMinSamples;
    const cooling = load<f64>(bP, AT_SC_COOLDOWN_LEFT) > 0;
    let rz: f64 = 0;
    if (scored && (cooling || fallbackOn)) {
      const rd = value - load<f64>(bP, AT_SC_ROBUST_MEDIAN);
      rz =
        load<f64>(bP, AT_SC_ROBUST_AGE) > 0 ? (rd < 0 ? -rd : rd) / load<f64>(bP, AT_SC_ROBUST_SD) : Infinity;
      if (rz > (fallbackOn && fallbackZ < rearmRobustZ ? fallbackZ : rearmRobustZ)) {
        windowQuartiles(wr, CAP, qAt);
        const q1 = load<f64>(qAtP, 8);
        const r = robustSigma(load<f64>(qAtP), load<f64>(qAtP, 16), sd);
        const alertSd = load<f64>(bP, AT_SC_ALERT_SD);
        const robustSd = r > alertSd ? r : alertSd;
        store<f64>(bP, robustSd, AT_SC_ROBUST_SD);
        store<f64>(bP, q1, AT_SC_ROBUST_MEDIAN);
        store<f64>(bP, SC_ROBUST_REFRESH, AT_SC_ROBUST_AGE);
        const d = value - q1;
        rz = (d < 0 ? -d : d) / robustSd;
      } else {
        store<f64>(bP, load<f64>(bP, AT_SC_ROBUST_AGE) - 1, AT_SC_ROBUST_AGE);
      }
    }
    const fallbackScore: f64 = fallbackOn && rz > fallbackZ ? Math.min(1, rz / (2 * fallbackZ)) : 0;
    // ---- trend ring
    const tv = seasonal ? residual : value;
    const tn = <i32>load<f64>(bP, AT_TR_N);
    const th = <i32>load<f64>(bP, AT_TR_HEAD);
    if (tn < TL) {
      const at = th + tn;
      store<f64>(bP + (<usize>(at >= TL ? at - TL : at) << 3), tv, AT_TR_RING);
      store<f64>(bP, tn + 1, AT_TR_N);
    } else {
      store<f64>(bP + (<usize>th << 3), tv, AT_TR_RING);
      store<f64>(bP, th + 1 == TL ? 0 : th + 1, AT_TR_HEAD);
    }
    // ---- likelihood scorer, with the daily profile
    let zz: f64 = scored ? Math.abs(z) : 0;
    const lts = ts + utcOffsetMs;
    const g = b + DP_OFF;
    let bk: i32;
    if (lts >= load<f64>(bP, AT_DP_SLOT_START) && lts < load<f64>(bP, AT_DP_SLOT_END)) {
      bk = <i32>load<f64>(bP, AT_DP_SLOT);
    } else {
      bk = dailyBucket(g, lts, dailyBuckets);
    }
    if (load<f64>(bP, AT_DP_START) != load<f64>(bP, AT_DP_START)) {
      store<f64>(bP, lts, AT_DP_START);
    }
    const ks = g + DP_S + 3 * bk;
    const ksP = <usize>ks << 3;
    const c = load<f64>(ksP, 16);
    const resid = value - load<f64>(ksP);
    let dz: f64 = 0;
    if (c >= 3 && lts - load<f64>(bP, AT_DP_START) >= dailyMinSpan) {
      if (load<f64>(bP, AT_DP_RESIDUAL_VAR) < dailyExplained * load<f64>(bP, AT_DP_VALUE_VAR)) {
        const dsd = Math.sqrt(load<f64>(ksP, 8) + 1e-12);
        dz = Math.abs(resid) / dsd;
      }
      const rs = load<f64>(bP, AT_DP_RESIDUAL_SEEN);
      let ra = dpValueAlpha;
      if (rs < dpWarm) {
        store<f64>(bP, rs + 1, AT_DP_RESIDUAL_SEEN);
        ra = 1 / (rs + 1);
      }
      store<f64>(bP, (1 - ra) * (load<f64>(bP, AT_DP_RESIDUAL_VAR) + ra * resid * resid), AT_DP_RESIDUAL_VAR);
    }
    const dt = lts - load<f64>(bP, AT_DP_LAST_TS);
    if (dt != load<f64>(bP, AT_DP_ALPHA_DT)) {
      store<f64>(bP, dt, AT_DP_ALPHA_DT);
      const rr = dt > 0 && dt < dpSlotMs ? dt / dpSlotMs : 1;
      store<f64>(bP, 1 - hostPow(1 - dpAlpha, rr), AT_DP_SAMPLE_ALPHA);
    }
    store<f64>(bP, lts, AT_DP_LAST_TS);
    const sa = load<f64>(bP, AT_DP_SAMPLE_ALPHA);
    const da = c == 0 ? 1 : sa > 1 / (c + 1) ? sa : 1 / (c + 1);
    store<f64>(ksP, load<f64>(ksP) + da * resid);
    // the slot's variance rounded to float32 (dailyProfile.ts' slotVariance)
    const sv = (1 - da) * (load<f64>(ksP, 8) + da * resid * resid);
    store<f64>(ksP, sv < 3e38 ? <f64>(<f32>sv) : sv, 8);
    store<f64>(ksP, c + 1, 16);
    const gs = load<f64>(bP, AT_DP_SEEN);
    let ga = dpValueAlpha;
    if (gs < dpWarm) {
      store<f64>(bP, gs + 1, AT_DP_SEEN);
      ga = 1 / (gs + 1);
    }
    const dv = value - load<f64>(bP, AT_DP_VALUE_MEAN);
    store<f64>(bP, load<f64>(bP, AT_DP_VALUE_MEAN) + ga * dv, AT_DP_VALUE_MEAN);
    store<f64>(bP, (1 - ga) * (load<f64>(bP, AT_DP_VALUE_VAR) + ga * dv * dv), AT_DP_VALUE_VAR);
    // 0 none, 1 window, 2 time of day, 3 above, 4 below range, 5 fallback, 6 robust re-arm
    let driver = zz > explainZ ? 1 : 0;
    if (scored && dz > zz) {
      zz = dz;
      if (dz > explainZ) {
        driver = 2;
      }
    }
    const raw = zz < zCap ? zz * load<f64>(bP, AT_SC_INV_Z_CAP) : 1;
    const ri = <i32>load<f64>(bP, AT_SC_RECENT_HEAD);
    const rsum = load<f64>(bP, AT_SC_RECENT_SUM) + (raw - load<f64>(bP + (<usize>ri << 3), AT_SC_RING));
    store<f64>(bP, rsum, AT_SC_RECENT_SUM);
    store<f64>(bP + (<usize>ri << 3), raw, AT_SC_RING);
    store<f64>(bP, ri + 1 == SW ? 0 : ri + 1, AT_SC_RECENT_HEAD);
    const avg = rsum * load<f64>(bP, AT_SC_INV_SHORT);
    const seen = load<f64>(bP, AT_SC_SEEN) + 1;
    store<f64>(bP, seen, AT_SC_SEEN);
    const longMean = load<f64>(bP, AT_SC_LONG_MEAN);
    const min = load<f64>(bP, AT_SC_MIN);
    const max = load<f64>(bP, AT_SC_MAX);
    const excess = avg - longMean;
    let score: f64 = 0;
    if (learning) {
      score = fallbackScore;
      driver = score > 0 ? 5 : 0;
    } else if (excess > 0) {
      const lsd = Math.sqrt(load<f64>(bP, AT_SC_LONG_VAR));
      const x = excess / (lsd > minSigma ? lsd : minSigma);
      if (x < SC_SCORE_X_MAX) {
        const t = x * SC_SCORE_STEPS_PER_UNIT;
        const i = <i32>t;
        const a0 = load<f64>(tAtP + (<usize>i << 3));
        score = a0 + (t - i) * (load<f64>(tAtP + (<usize>i << 3), 8) - a0);
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
    const la = seen < scWarm ? 1 / seen : load<f64>(bP, AT_SC_ALPHA);
    store<f64>(bP, longMean + la * d, AT_SC_LONG_MEAN);
    store<f64>(bP, (1 - la) * (load<f64>(bP, AT_SC_LONG_VAR) + la * d * d), AT_SC_LONG_VAR);
    if (value < min) {
      store<f64>(bP, value, AT_SC_MIN);
    }
    if (value > max) {
      store<f64>(bP, value, AT_SC_MAX);
    }
    // cool-down: a re-arm alerts anew; otherwise calm counting, and score 0
    let rearmed = false;
    if (cooling) {
      const calm = load<f64>(bP, AT_SC_CALM);
      if (scored && calm >= rearmCalmPoints && rz > rearmRobustZ && rz > sensitivity) {
        const rs = rz / (2 * rearmRobustZ);
        score = rs < 1 ? rs : 1;
        driver = 6;
        rearmed = true;
      } else {
        if (scored && rz > rearmRobustZ) {
          store<f64>(bP, 0, AT_SC_CALM);
        } else if (scored && rz <= sensitivity && calm < rearmCalmPoints) {
          store<f64>(bP, calm + 1, AT_SC_CALM);
        }
        store<f64>(bP, load<f64>(bP, AT_SC_COOLDOWN_LEFT) - 1, AT_SC_COOLDOWN_LEFT);
        const since = load<f64>(bP, AT_SC_SINCE_ALERT) + 1;
        store<f64>(bP, since, AT_SC_SINCE_ALERT);
        const quiet = score < rearmLevel ? load<f64>(bP, AT_SC_QUIET) + 1 : 0;
        store<f64>(bP, quiet, AT_SC_QUIET);
        if (since >= minCooldown && quiet >= rearmPoints) {
          store<f64>(bP, 0, AT_SC_COOLDOWN_LEFT);
        }
        score = 0;
      }
    }
    if ((!cooling || rearmed) && score >= alertLevel) {
      store<f64>(bP, cooldown, AT_SC_COOLDOWN_LEFT);
      store<f64>(bP, 0, AT_SC_SINCE_ALERT);
      store<f64>(bP, 0, AT_SC_QUIET);
      store<f64>(bP, 0, AT_SC_CALM);
      store<f64>(bP, 0, AT_SC_ROBUST_AGE);
      if (!rearmed) {
        store<f64>(bP, sd, AT_SC_ALERT_SD);
      }
    }
    store<f64>(bP, score, AT_H_SCORE);
    const anomaly = score >= alertThreshold && driver != 0;
    anomalies += <i32>anomaly;
    store<f64>(bP, anomaly ? 1 : 0, AT_H_ANOMALY);
    store<f64>(bP, reason, AT_H_REASON);
    store<f64>(bP, ts, AT_H_LAST_TS);
    store<f64>(sAtP + (<usize>j << 3), score);
    // ---- learn: the window
    if (n == 0) {
      store<f64>(bP, value, AT_W_PIVOT);
    }
    const dw = value - load<f64>(bP, AT_W_PIVOT);
    let evicted: f64 = 0;
    const wh = <i32>load<f64>(bP, AT_W_HEAD);
    if (n < <f64>CAP) {
      const at = wh + <i32>n;
      store<f64>(bP + (<usize>(at >= CAP ? at - CAP : at) << 3), value, AT_W_RING);
      const n1 = n + 1;
      store<f64>(bP, n1, AT_W_N);
      store<f64>(bP, 1 / n1, AT_W_INV_N);
      store<f64>(bP, n1 > 1 ? 1 / (n1 - 1) : 0, AT_W_INV_NM1);
      store<f64>(bP, load<f64>(bP, AT_W_SUM) + dw, AT_W_SUM);
      store<f64>(bP, load<f64>(bP, AT_W_SUM_SQ) + dw * dw, AT_W_SUM_SQ);
    } else {
      evicted = load<f64>(bP + (<usize>wh << 3), AT_W_RING);
      store<f64>(bP + (<usize>wh << 3), value, AT_W_RING);
      store<f64>(bP, wh + 1 == CAP ? 0 : wh + 1, AT_W_HEAD);
      const ow = evicted - load<f64>(bP, AT_W_PIVOT);
      store<f64>(bP, load<f64>(bP, AT_W_SUM) + (dw - ow), AT_W_SUM);
      store<f64>(bP, load<f64>(bP, AT_W_SUM_SQ) + (dw * dw - ow * ow), AT_W_SUM_SQ);
    }
    store<f64>(bP, load<f64>(bP, AT_W_PUSHES) + 1, AT_W_PUSHES);
    const since = load<f64>(bP, AT_W_SINCE) + 1;
    store<f64>(bP, since, AT_W_SINCE);
    if (since >= <f64>CAP) {
      recomputeWindow(wr, CAP);
    }
    // ---- learn: the seasonal profile's slot, and its buckets while active
    if (!(ts >= load<f64>(bP, AT_SP_CACHE_START) && ts < load<f64>(bP, AT_SP_CACHE_START) + SP_HOUR_MS)) {
      store<f64>(bP, ts, AT_SP_BUCKET_TS);
      rebucketSeasonal(sp);
    }
    const hi = load<f64>(bP, AT_SP_HOUR_INDEX);
    const spn = <i32>load<f64>(bP, AT_SP_N);
    const sh = <i32>load<f64>(bP, AT_SP_HEAD);
    const full = spn == CAP;
    let oldest: f64;
    let evictedIndex: f64 = 0;
    if (full) {
      evictedIndex = load<f64>(bP + (<usize>sh << 3), AT_SP_SLOTS);
      store<f64>(bP + (<usize>sh << 3), hi, AT_SP_SLOTS);
      const h1 = sh + 1 == CAP ? 0 : sh + 1;
      store<f64>(bP, h1, AT_SP_HEAD);
      oldest = load<f64>(bP + (<usize>h1 << 3), AT_SP_SLOTS);
    } else {
      const at = sh + spn;
      store<f64>(bP + (<usize>(at >= CAP ? at - CAP : at) << 3), hi, AT_SP_SLOTS);
      store<f64>(bP, spn + 1, AT_SP_N);
      oldest = load<f64>(bP + (<usize>sh << 3), AT_SP_SLOTS);
    }
    if (hi - oldest < SP_ACTIVE_SPAN) {
      if (load<f64>(bP, AT_SP_ACTIVE) == 1) {
        hostClearSeasonal(sp);
      }
    } else if (load<f64>(bP, AT_SP_ACTIVE) == 0) {
      hostRebuildSeasonal(sp, wr, CAP);
    } else {
      if (full) {
        const h0 = sp + 2 * <i32>hourOfIndex(evictedIndex);
        const h0P = <usize>h0 << 3;
        const ch = load<f64>(h0P) - 1;
        store<f64>(h0P, ch);
        if (ch == SP_MIN_SAMPLES - 1) {
          store<f64>(bP, load<f64>(bP, AT_SP_HOURS_COVERED) - 1, AT_SP_HOURS_COVERED);
        }
        store<f64>(h0P, ch == 0 ? 0 : load<f64>(h0P, 8) - evicted, 8);
        const d0 = sp + SP_DAY + 2 * <i32>weekdayOfIndex(evictedIndex);
        const d0P = <usize>d0 << 3;
        const cd = load<f64>(d0P) - 1;
        store<f64>(d0P, cd);
        if (cd == SP_MIN_SAMPLES - 1) {
          store<f64>(bP, load<f64>(bP, AT_SP_DAYS_COVERED) - 1, AT_SP_DAYS_COVERED);
        }
        store<f64>(d0P, cd == 0 ? 0 : load<f64>(d0P, 8) - evicted, 8);
      }
      const ah = sp + 2 * <i32>load<f64>(bP, AT_SP_HOUR);
      const ahP = <usize>ah << 3;
      const ch = load<f64>(ahP) + 1;
      store<f64>(ahP, ch);
      if (ch == SP_MIN_SAMPLES) {
        store<f64>(bP, load<f64>(bP, AT_SP_HOURS_COVERED) + 1, AT_SP_HOURS_COVERED);
      }
      store<f64>(ahP, load<f64>(ahP, 8) + value, 8);
      const ad = sp + SP_DAY + 2 * <i32>load<f64>(bP, AT_SP_WEEKDAY);
      const adP = <usize>ad << 3;
      const cd = load<f64>(adP) + 1;
      store<f64>(adP, cd);
      if (cd == SP_MIN_SAMPLES) {
        store<f64>(bP, load<f64>(bP, AT_SP_DAYS_COVERED) + 1, AT_SP_DAYS_COVERED);
      }
      store<f64>(adP, load<f64>(adP, 8) + value, 8);
    }
  }
  return anomalies;
}
