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

const DAY_MS = 86_400_000;

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
  /** First timestamp seen (NaN before; a number field, not null, so V8 keeps it unboxed). */
  private start = NaN;
  /**
   * Per slot b: mean at [3b], variance at [3b + 1], count at [3b + 2], side by side so that a point
   * touches one cache line of this state, not three (1,000 interleaved series do not fit in cache).
   */
  private readonly slots: Float64Array;
  private residualVar = 0;
  private residualSeen = 0;
  private valueMean = 0;
  private valueVar = 0;
  private seen = 0;
  private readonly valueAlpha: number;
  private readonly perMs: number;
  private readonly warm: number;
  private readonly slotMs: number;
  private lastTs = NaN;
  private alphaDt = NaN;
  private sampleAlpha = 0;
  private slot = 0;
  private slotStart = NaN;
  private slotEnd = NaN;

  constructor(buckets = 96, alpha = 0.1, valueHalfLife = 1000) {
    if (!Number.isInteger(buckets) || buckets < 1 || buckets > 1440) {
      throw new RangeError(`daily profile buckets must be an integer in [1, 1440], got ${buckets}`);
    }
    this.buckets = buckets;
    this.alpha = alpha;
    this.valueAlpha = 1 - Math.pow(0.5, 1 / valueHalfLife);
    this.perMs = buckets / DAY_MS;
    this.slotMs = DAY_MS / buckets;
    // weights are 1/n until that falls below the EW weight (no division per point after that)
    this.warm = Math.ceil(1 / this.valueAlpha);
    this.slots = new Float64Array(3 * buckets);
  }

  /** Slot of a (local-time) timestamp in ms. */
  bucket(ts: number): number {
    // cached for the slot the previous point fell in (streams move forward)
    if (ts >= this.slotStart && ts < this.slotEnd) {
      return this.slot;
    }
    const dayStart = Math.floor(ts / DAY_MS) * DAY_MS;
    const b = Math.floor((ts - dayStart) * this.perMs);
    this.slot = b;
    this.slotStart = dayStart + Math.ceil(b / this.perMs);
    this.slotEnd = dayStart + Math.ceil((b + 1) / this.perMs);
    if (!(ts >= this.slotStart && ts < this.slotEnd)) {
      // slot edges that are not whole milliseconds: do not cache
      this.slotEnd = this.slotStart;
    }
    return b;
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
    const value = this.inValue;
    const ts = this.inTs;
    // the cached slot inline: calling bucket(ts) would box the double argument (garbage per point)
    const b = ts >= this.slotStart && ts < this.slotEnd ? this.slot : this.bucket(ts);
    if (this.start !== this.start) {
      this.start = ts;
    }
    const slots = this.slots;
    const k = 3 * b;
    const c = slots[k + 2];
    const resid = value - slots[k];
    let z = 0;
    if (c >= 3 && ts - this.start >= minDays * DAY_MS) {
      if (this.residualVar < explained * this.valueVar) {
        const sd = Math.sqrt(slots[k + 1] + 1e-12);
        z = Math.abs(resid) / sd;
        this.expected = value - resid;
        this.sd = sd;
      }
      // weights 1/n at first (as for the value variance), so an early estimate is not biased low
      const ra = this.residualSeen < this.warm ? 1 / ++this.residualSeen : this.valueAlpha;
      this.residualVar = (1 - ra) * (this.residualVar + ra * resid * resid);
    }
    // `alpha` is the weight of one day's worth of samples in a slot, whatever the sampling rate:
    // per sample that is 1 − (1 − alpha)^(Δt / slot length), recomputed only when Δt changes
    const dt = ts - this.lastTs;
    if (dt !== this.alphaDt) {
      this.alphaDt = dt;
      const r = dt > 0 && dt < this.slotMs ? dt / this.slotMs : 1;
      this.sampleAlpha = 1 - Math.pow(1 - this.alpha, r);
    }
    this.lastTs = ts;
    const sa = this.sampleAlpha;
    const a = c === 0 ? 1 : sa > 1 / (c + 1) ? sa : 1 / (c + 1);
    slots[k] += a * resid;
    slots[k + 1] = (1 - a) * (slots[k + 1] + a * resid * resid);
    slots[k + 2] = c + 1;
    // variance of the values themselves (the yardstick for "explains the series")
    const ga = this.seen < this.warm ? 1 / ++this.seen : this.valueAlpha;
    const dv = value - this.valueMean;
    this.valueMean += ga * dv;
    this.valueVar = (1 - ga) * (this.valueVar + ga * dv * dv);
    this.z = z;
  }

  /** One of the interleaved per-slot columns (0 mean, 1 variance, 2 count) as a plain array. */
  private column(j: number): number[] {
    const out = new Array<number>(this.buckets);
    for (let b = 0; b < this.buckets; b++) {
      out[b] = this.slots[3 * b + j];
    }
    return out;
  }

  /** JSON-safe state. */
  toJSON(): DailyProfileState {
    return {
      buckets: this.buckets,
      alpha: this.alpha,
      start: Number.isNaN(this.start) ? null : this.start,
      mean: this.column(0),
      variance: this.column(1),
      count: this.column(2),
      residualVar: this.residualVar,
      residualSeen: this.residualSeen,
      lastTs: Number.isNaN(this.lastTs) ? null : this.lastTs,
      valueMean: this.valueMean,
      valueVar: this.valueVar,
      seen: this.seen,
    };
  }

  /** Rebuilds a profile from {@link toJSON} output; `valueHalfLife` must be the one it was built with. */
  static fromJSON(s: DailyProfileState, valueHalfLife = 1000): DailyProfile {
    const ok = s && [s.mean, s.variance, s.count].every((a) => Array.isArray(a) && a.length === s.buckets);
    if (!ok) {
      throw new TypeError('daily profile state: expected mean[], variance[] and count[] of length buckets');
    }
    const p = new DailyProfile(s.buckets, s.alpha, valueHalfLife);
    p.start = s.start ?? NaN;
    for (let b = 0; b < s.buckets; b++) {
      p.slots[3 * b] = s.mean[b];
      p.slots[3 * b + 1] = s.variance[b];
      p.slots[3 * b + 2] = s.count[b];
    }
    p.residualVar = s.residualVar;
    p.residualSeen = s.residualSeen ?? 0;
    p.lastTs = s.lastTs ?? NaN;
    p.valueMean = s.valueMean;
    p.valueVar = s.valueVar;
    p.seen = s.seen;
    return p;
  }
}
