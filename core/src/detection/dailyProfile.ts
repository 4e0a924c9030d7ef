import * as L from './layout';

// layout constants copied into module-level consts once: hot code then reads a plain const, not
// an export binding (a getter under some loaders, e.g. tsx)
const DAY_MS = L.DP_DAY_MS;
const START = L.DP_START;
const RESIDUAL_VAR = L.DP_RESIDUAL_VAR;
const VALUE_MEAN = L.DP_VALUE_MEAN;
const VALUE_VAR = L.DP_VALUE_VAR;
const LAST_TS = L.DP_LAST_TS;
const ALPHA_DT = L.DP_ALPHA_DT;
const SAMPLE_ALPHA = L.DP_SAMPLE_ALPHA;
const SLOT_START = L.DP_SLOT_START;
const SLOT_END = L.DP_SLOT_END;
const SLOT = L.DP_SLOT;
const RESIDUAL_SEEN = L.DP_RESIDUAL_SEEN;
const SEEN = L.DP_SEEN;
const S = L.DP_S;
/**
 * A slot's variance as kept: rounded to float32 (within its range), so a saved state holds it in 4
 * bytes and a restored series goes on bit for bit. Its precision is statistical (the z against the
 * slot is a ratio of the residual to its square root: a relative change below 1e-7), and every
 * path (this class, fastPath.ts, core/wasm/tick.ts) rounds it the same way.
 */
export function slotVariance(v: number): number {
  return v < 3e38 ? Math.fround(v) : v;
}

/** Plain, JSON-safe state of a {@link DailyProfile}. */
export interface DailyProfileState {
  buckets: number;
  alpha: number;
  start: number | null;
  mean: number[];
  variance: number[];
  count: number[];
  residualVar: number;
  residualSeen: number;
  lastTs: number | null;
  valueMean: number;
  valueVar: number;
  seen: number;
}

/**
 * A long-memory time-of-day baseline ("same time yesterday", smoothed): the day is cut into
 * `buckets` slots, each with an exponentially weighted mean and variance of the values seen in it;
 * each day's samples carry weight `alpha`, so 15-second and 5-minute data remember as many days.
 * The guide's own hour-of-day pattern lives inside the 100-point window, which for 5-minute data
 * covers 8 hours and never sees a day; this profile remembers days in O(buckets) state and O(1) work.
 * It only speaks once it has seen `minDays` days and when it explains the series (its residual
 * variance is below `explained` × the variance of the values): on a series without a daily cycle
 * it stays silent instead of adding noise. On NAB it caught the missed daily-pattern windows
 * (art_daily_jumpsdown, four more of nyc_taxi's five), see bench/nab-tune.ts.
 */
export class DailyProfile {
  readonly buckets: number;
  readonly alpha: number;
  /**
   * All numeric state in one array: the scalars below at [0, S), then per slot b the mean at
   * [S + 3b], variance at [S + 3b + 1], count at [S + 3b + 2]. One array, not a dozen double fields
   * (each its own heap box in V8) and three columns: a point touches two or three cache lines of
   * this state, which matters when 1,000 interleaved series do not fit in cache.
   */
  /** @internal (fastPath.ts); may be a view into a detector's slab, which fastPath.ts reads directly */
  readonly slots: Float64Array;
  /** @internal (fastPath.ts) */
  readonly valueAlpha: number;
  /** @internal (fastPath.ts) */
  readonly warm: number;
  /** @internal (fastPath.ts) */
  readonly slotMs: number;

  /**
   * A profile in its own array or in `slab` at `offset` (DP_S + 3·buckets doubles); `fresh: false`
   * adopts the state already there.
   */
  constructor(buckets = 96, alpha = 0.1, valueHalfLife = 1000, slab?: Float64Array, offset = 0, fresh = true) {
    if (!Number.isInteger(buckets) || buckets < 1 || buckets > 1440) {
      throw new RangeError(`daily profile buckets must be an integer in [1, 1440], got ${buckets}`);
    }
    this.buckets = buckets;
    this.alpha = alpha;
    this.valueAlpha = 1 - Math.pow(0.5, 1 / valueHalfLife);
    this.slotMs = DAY_MS / buckets;
    // weights are 1/n until that falls below the EW weight (no division per point after that)
    this.warm = Math.ceil(1 / this.valueAlpha);
    const length = S + 3 * buckets;
    this.slots = slab ? slab.subarray(offset, offset + length) : new Float64Array(length);
    if (fresh) {
      const f = this.slots;
      f.fill(0);
      f[START] = NaN;
      f[LAST_TS] = NaN;
      f[ALPHA_DT] = NaN;
      f[SLOT_START] = NaN;
      f[SLOT_END] = NaN;
    }
  }

  /** @internal (fastPath.ts): the cached slot */
  get slot(): number {
    return this.slots[SLOT] | 0;
  }
  /** @internal */
  get residualSeen(): number {
    return this.slots[RESIDUAL_SEEN];
  }
  set residualSeen(v: number) {
    this.slots[RESIDUAL_SEEN] = v;
  }
  /** @internal */
  get seen(): number {
    return this.slots[SEEN];
  }
  set seen(v: number) {
    this.slots[SEEN] = v;
  }

  /** Slot of a (local-time) timestamp in ms. */
  bucket(ts: number): number {
    DAILY_IN[0] = ts;
    return dailyBucket(this.slots, 0, this.buckets);
  }

  /** Defaults of {@link step}'s arguments (so a caller need not pass doubles, which V8 boxes). */
  inMinDays = 3;
  inExplained = 0.5;
  /** Input of {@link step}: the value… */
  inValue = 0;
  /** …and its local timestamp in ms. */
  inTs = 0;
  /** Output of {@link step}: |z| against the slot (0 while not established or not explaining). */
  z = 0;
  /** Output of {@link step}: the slot's mean and standard deviation before the value was learned. */
  expected = 0;
  sd = 0;

  /**
   * Scores `inValue` at `inTs` against its slot into `z`, then learns it. Inputs and output are
   * fields, not arguments: V8 boxes a double passed to or returned from a call it does not inline,
   * and on this hot path that was most of the garbage. `minDays`, `explained`: see the class comment.
   */
  step(minDays = this.inMinDays, explained = this.inExplained): void {
    const f = this.slots;
    const value = this.inValue;
    const ts = this.inTs;
    // the cached slot inline: calling bucket(ts) would box the double argument (garbage per point)
    let b: number;
    if (ts >= f[SLOT_START] && ts < f[SLOT_END]) {
      b = f[SLOT];
    } else {
      DAILY_IN[0] = ts;
      b = dailyBucket(f, 0, this.buckets);
    }
    if (f[START] !== f[START]) {
      f[START] = ts;
    }
    const k = S + 3 * b;
    const c = f[k + 2];
    const resid = value - f[k];
    let z = 0;
    if (c >= 3 && ts - f[START] >= minDays * DAY_MS) {
      if (f[RESIDUAL_VAR] < explained * f[VALUE_VAR]) {
        const sd = Math.sqrt(f[k + 1] + 1e-12);
        z = Math.abs(resid) / sd;
        this.expected = value - resid;
        this.sd = sd;
      }
      // weights 1/n at first (as for the value variance), so an early estimate is not biased low
      const ra = this.residualSeen < this.warm ? 1 / ++this.residualSeen : this.valueAlpha;
      f[RESIDUAL_VAR] = (1 - ra) * (f[RESIDUAL_VAR] + ra * resid * resid);
    }
    // `alpha` is the weight of one day's worth of samples in a slot, whatever the sampling rate:
    // per sample that is 1 − (1 − alpha)^(Δt / slot length), recomputed only when Δt changes
    const dt = ts - f[LAST_TS];
    if (dt !== f[ALPHA_DT]) {
      f[ALPHA_DT] = dt;
      const r = dt > 0 && dt < this.slotMs ? dt / this.slotMs : 1;
      f[SAMPLE_ALPHA] = 1 - Math.pow(1 - this.alpha, r);
    }
    f[LAST_TS] = ts;
    const sa = f[SAMPLE_ALPHA];
    const a = c === 0 ? 1 : sa > 1 / (c + 1) ? sa : 1 / (c + 1);
    f[k] += a * resid;
    f[k + 1] = slotVariance((1 - a) * (f[k + 1] + a * resid * resid));
    f[k + 2] = c + 1;
    // variance of the values themselves (the yardstick for "explains the series")
    const ga = this.seen < this.warm ? 1 / ++this.seen : this.valueAlpha;
    const dv = value - f[VALUE_MEAN];
    f[VALUE_MEAN] += ga * dv;
    f[VALUE_VAR] = (1 - ga) * (f[VALUE_VAR] + ga * dv * dv);
    this.z = z;
  }

  /** One of the interleaved per-slot columns (0 mean, 1 variance, 2 count) as a plain array. */
  private column(j: number): number[] {
    const out = new Array<number>(this.buckets);
    for (let b = 0; b < this.buckets; b++) {
      out[b] = this.slots[S + 3 * b + j];
    }
    return out;
  }

  /** JSON-safe state. */
  toJSON(): DailyProfileState {
    const f = this.slots;
    return {
      buckets: this.buckets,
      alpha: this.alpha,
      start: Number.isNaN(f[START]) ? null : f[START],
      mean: this.column(0),
      variance: this.column(1),
      count: this.column(2),
      residualVar: f[RESIDUAL_VAR],
      residualSeen: this.residualSeen,
      lastTs: Number.isNaN(f[LAST_TS]) ? null : f[LAST_TS],
      valueMean: f[VALUE_MEAN],
      valueVar: f[VALUE_VAR],
      seen: this.seen,
    };
  }

  /** Rebuilds a profile from {@link toJSON} output; `valueHalfLife` must be the one it was built with. */
  static fromJSON(s: DailyProfileState, valueHalfLife = 1000, slab?: Float64Array, offset = 0): DailyProfile {
    const ok = s && [s.mean, s.variance, s.count].every((a) => Array.isArray(a) && a.length === s.buckets);
    if (!ok) {
      throw new TypeError('daily profile state: expected mean[], variance[] and count[] of length buckets');
    }
    const p = new DailyProfile(s.buckets, s.alpha, valueHalfLife, slab, offset);
    const f = p.slots;
    f[START] = s.start ?? NaN;
    for (let b = 0; b < s.buckets; b++) {
      f[S + 3 * b] = s.mean[b];
      f[S + 3 * b + 1] = s.variance[b];
      f[S + 3 * b + 2] = s.count[b];
    }
    f[RESIDUAL_VAR] = s.residualVar;
    p.residualSeen = s.residualSeen ?? 0;
    f[LAST_TS] = s.lastTs ?? NaN;
    f[VALUE_MEAN] = s.valueMean;
    f[VALUE_VAR] = s.valueVar;
    p.seen = s.seen;
    return p;
  }
}

/** Input of {@link dailyBucket}: the (local-time) timestamp in ms (an array: V8 boxes double arguments). */
export const DAILY_IN = new Float64Array(1);

/**
 * Slot of the timestamp in {@link DAILY_IN} for a profile of `buckets` slots whose array is at
 * `f[o]` (a DailyProfile's, or a detector slab); caches it with its edges for the next points
 * (streams move forward).
 */
export function dailyBucket(f: Float64Array, o: number, buckets: number): number {
  const ts = DAILY_IN[0];
  const dayStart = Math.floor(ts / DAY_MS) * DAY_MS;
  // in whole milliseconds, products before quotients: every term is an exact integer below 2^53, so
  // a point on a slot's edge belongs to that slot whatever was cached before (`buckets / DAY_MS` as
  // a factor is inexact, and an edge could land a millisecond off, differently after a restart)
  const b = Math.floor(((ts - dayStart) * buckets) / DAY_MS);
  f[o + SLOT] = b;
  f[o + SLOT_START] = dayStart + Math.ceil((b * DAY_MS) / buckets);
  f[o + SLOT_END] = dayStart + Math.ceil(((b + 1) * DAY_MS) / buckets);
  if (!(ts >= f[o + SLOT_START] && ts < f[o + SLOT_END])) {
    // a timestamp with a fraction of a millisecond at an edge: do not cache
    f[o + SLOT_END] = f[o + SLOT_START];
  }
  return b;
}
