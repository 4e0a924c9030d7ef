import * as L from './layout';

// layout constants copied into module-level consts once: hot code then reads a plain const, not
// an export binding (a getter under some loaders, e.g. tsx)
const MIN_SAMPLES = L.SP_MIN_SAMPLES;
const MIN_HOURS = L.SP_MIN_HOURS;
const MIN_DAYS = L.SP_MIN_DAYS;
const MIN_WINDOW = L.SP_MIN_WINDOW;
const HOUR_MS = L.SP_HOUR_MS;
const DAY = L.SP_DAY;
const DAY_MS = L.SP_DAY_MS;
const CACHE_START = L.SP_CACHE_START;
const BUCKET_TS = L.SP_BUCKET_TS;
const OFFSET_MS = L.SP_OFFSET_MS;
const ACC_LENGTH = L.SP_ACC_LENGTH;
const HEAD = L.SP_HEAD;
const N = L.SP_N;
const HOUR = L.SP_HOUR;
const WEEKDAY = L.SP_WEEKDAY;
const HOURS_COVERED = L.SP_HOURS_COVERED;
const DAYS_COVERED = L.SP_DAYS_COVERED;
const SLOTS = L.SP_SLOTS;
/** Which seasonal pattern adjusted the expected value: hour of day, day of week, or none. */
export type SeasonalityKind = 'none' | 'hour_of_day' | 'day_of_week';

/** Plain, JSON-safe state of a {@link SeasonalProfile}. */
export interface SeasonalState {
  capacity: number;
  utcOffsetMinutes: number;
  /** Hour-of-day (0–23) and day-of-week (0–6, Sunday = 0) of each value in the window, oldest first. */
  hours: number[];
  days: number[];
  hourSum: number[];
  daySum: number[];
}

/**
 * Hour-of-day and day-of-week means of the values in the rolling window, kept incrementally: each
 * push adds one value to its buckets and removes the evicted one, so the guide's
 * `_detect_seasonal_patterns` (which re-buckets the whole window on every point) becomes O(1).
 */
export class SeasonalProfile {
  readonly capacity: number;
  readonly utcOffsetMinutes: number;
  /**
   * Hour at [2i] and weekday at [2i + 1] of window slot i: a view of `acc`'s tail (from SP_SLOTS),
   * so a point touches one cache line of it.
   */
  /** @internal (fastPath.ts) */
  readonly slotOf: Float64Array;
  /**
   * Count and sum of each bucket side by side: hour h at [2h], [2h + 1]; weekday d at [DAY + 2d],
   * [DAY + 2d + 1] (one array, so a point touches a few cache lines, not a dozen small arrays),
   * then the numeric state (cached hour, time zone offset, head and count…; see layout.ts) and the
   * slots' hours and weekdays: double fields would each be a separate heap box in V8. The array may
   * be a view into a detector's slab, which fastPath.ts reads directly.
   */
  /** @internal (fastPath.ts) */
  readonly acc: Float64Array;
  /** Which pattern the last {@link seasonalOffset} call used (a field, so the hot path allocates nothing). */
  kind: SeasonalityKind = 'none';

  /**
   * A profile of a `capacity`-point window, in its own array or in `slab` at `offset`
   * (SP_ACC_LENGTH + 2·capacity doubles); `fresh: false` adopts the state already there.
   */
  constructor(capacity: number, utcOffsetMinutes = 0, slab?: Float64Array, offset = 0, fresh = true) {
    this.capacity = capacity;
    this.utcOffsetMinutes = utcOffsetMinutes;
    const length = ACC_LENGTH + 2 * capacity;
    this.acc = slab ? slab.subarray(offset, offset + length) : new Float64Array(length);
    this.slotOf = this.acc.subarray(SLOTS);
    if (fresh) {
      this.acc.fill(0);
      this.acc[OFFSET_MS] = utcOffsetMinutes * 60_000;
      this.acc[CACHE_START] = NaN;
    }
  }

  /** @internal (fastPath.ts) */
  get head(): number {
    return this.acc[HEAD] | 0;
  }
  set head(v: number) {
    this.acc[HEAD] = v;
  }
  /** @internal */
  get n(): number {
    return this.acc[N] | 0;
  }
  set n(v: number) {
    this.acc[N] = v;
  }
  /** @internal */
  get cacheHour(): number {
    return this.acc[HOUR] | 0;
  }
  /** @internal */
  get cacheDay(): number {
    return this.acc[WEEKDAY] | 0;
  }
  /** @internal */
  get hoursCovered(): number {
    return this.acc[HOURS_COVERED] | 0;
  }
  set hoursCovered(v: number) {
    this.acc[HOURS_COVERED] = v;
  }
  /** @internal */
  get daysCovered(): number {
    return this.acc[DAYS_COVERED] | 0;
  }
  set daysCovered(v: number) {
    this.acc[DAYS_COVERED] = v;
  }

  /** Hour of day (0–23) of a timestamp in ms, in the profile's time zone offset. */
  hour(ts: number): number {
    this.bucketOf(ts);
    return this.cacheHour;
  }

  /** Day of week (0 = Sunday) of a timestamp in ms; 1970-01-01 was a Thursday. */
  day(ts: number): number {
    this.bucketOf(ts);
    return this.cacheDay;
  }

  /**
   * Hour and weekday of `ts`, cached for the hour it falls in: streams move forward, so most points
   * land in the same hour as the previous one and cost one comparison instead of two divisions.
   * (An hour never straddles local midnight: the offset is applied before bucketing.)
   */
  private bucketOf(ts: number): void {
    const acc = this.acc;
    if (ts >= acc[CACHE_START] && ts < acc[CACHE_START] + HOUR_MS) {
      return;
    }
    acc[BUCKET_TS] = ts;
    this.rebucket();
  }

  /**
   * {@link bucketOf}'s slow path, once an hour, for `bucketTs`. Hot paths test the cached hour
   * inline and call only this (no double argument: V8 boxes doubles passed to calls it does not
   * inline, and that was garbage on every point).
   */
  /** @internal */
  rebucket(): void {
    rebucketSeasonal(this.acc, 0);
  }

  // inputs and output of computeOffset() and learn(), as fields: V8 boxes doubles passed to or
  // returned from calls it does not inline
  inValue = 0;
  inTs = 0;
  inMean = 0;
  inEvicted = 0;
  /** Output of {@link computeOffset}. */
  offset = 0;

  /** Adds a value; `evicted` is the value the rolling window dropped for it (ignored until full). */
  push(value: number, ts: number, evicted: number): void {
    this.inValue = value;
    this.inTs = ts;
    this.inEvicted = evicted;
    this.learn();
  }

  /** {@link push} with the `inValue`, `inTs` and `inEvicted` fields as arguments. */
  learn(): void {
    const acc = this.acc;
    const value = this.inValue;
    const ts = this.inTs;
    if (!(ts >= acc[CACHE_START] && ts < acc[CACHE_START] + HOUR_MS)) {
      acc[BUCKET_TS] = ts;
      this.rebucket();
    }
    const h = this.cacheHour;
    const d = this.cacheDay;
    const slotOf = this.slotOf;
    if (this.n === this.capacity) {
      const i = this.head;
      this.remove(slotOf[2 * i], slotOf[2 * i + 1]);
      slotOf[2 * i] = h;
      slotOf[2 * i + 1] = d;
      this.head = i + 1 === this.capacity ? 0 : i + 1;
    } else {
      const i = (this.head + this.n) % this.capacity;
      slotOf[2 * i] = h;
      slotOf[2 * i + 1] = d;
      this.n++;
    }
    if (++acc[2 * h] === MIN_SAMPLES) {
      this.hoursCovered++;
    }
    acc[2 * h + 1] += value;
    const k = DAY + 2 * d;
    if (++acc[k] === MIN_SAMPLES) {
      this.daysCovered++;
    }
    acc[k + 1] += value;
  }

  /**
   * Seasonal offset to add to the window mean at time `ts`: mean of the hour's bucket − mean, or
   * else mean of the weekday's bucket − mean, only when that pattern is established. The guide
   * multiplies the mean by a factor; an additive offset gives the same expected value
   * (mean·hourMean/mean = hourMean) and stays defined for zero or negative means.
   */
  seasonalOffset(ts: number, mean: number): number {
    this.inTs = ts;
    this.inMean = mean;
    this.computeOffset();
    return this.offset;
  }

  /** {@link seasonalOffset} of the `inTs` and `inMean` fields, into `offset` and `kind`. */
  computeOffset(): void {
    const acc = this.acc;
    const ts = this.inTs;
    const mean = this.inMean;
    if (this.n < MIN_WINDOW) {
      this.kind = 'none';
      this.offset = 0;
      return;
    }
    let offset = 0;
    let hourly = false;
    let daily = false;
    if (!(ts >= acc[CACHE_START] && ts < acc[CACHE_START] + HOUR_MS)) {
      acc[BUCKET_TS] = ts;
      this.rebucket();
    }
    const h = this.cacheHour;
    if (this.hoursCovered >= MIN_HOURS && acc[2 * h] >= MIN_SAMPLES) {
      offset += acc[2 * h + 1] / acc[2 * h] - mean;
      hourly = true;
    }
    const d = this.cacheDay;
    if (!hourly && this.daysCovered >= MIN_DAYS && acc[DAY + 2 * d] >= MIN_SAMPLES) {
      offset += acc[DAY + 2 * d + 1] / acc[DAY + 2 * d] - mean;
      daily = true;
    }
    this.kind = hourly ? 'hour_of_day' : daily ? 'day_of_week' : 'none';
    this.offset = offset;
  }

  /** JSON-safe state. */
  toJSON(): SeasonalState {
    const hours: number[] = new Array(this.n);
    const days: number[] = new Array(this.n);
    for (let k = 0; k < this.n; k++) {
      const i = (this.head + k) % this.capacity;
      hours[k] = this.slotOf[2 * i];
      days[k] = this.slotOf[2 * i + 1];
    }
    return {
      capacity: this.capacity,
      utcOffsetMinutes: this.utcOffsetMinutes,
      hours,
      days,
      hourSum: Array.from({ length: 24 }, (_, h) => this.acc[2 * h + 1]),
      daySum: Array.from({ length: 7 }, (_, d) => this.acc[DAY + 2 * d + 1]),
    };
  }

  /** Rebuilds a profile from {@link toJSON} output. */
  static fromJSON(s: SeasonalState, slab?: Float64Array, offset = 0): SeasonalProfile {
    if (!s || !Array.isArray(s.hours) || !Array.isArray(s.days) || s.hours.length !== s.days.length) {
      throw new TypeError('seasonal state: expected hours[] and days[] of equal length');
    }
    if (!Array.isArray(s.hourSum) || s.hourSum.length !== 24 || !Array.isArray(s.daySum) || s.daySum.length !== 7) {
      throw new TypeError('seasonal state: expected hourSum[24] and daySum[7]');
    }
    const p = new SeasonalProfile(s.capacity, s.utcOffsetMinutes, slab, offset);
    for (let k = 0; k < s.hours.length; k++) {
      const h = s.hours[k];
      const d = s.days[k];
      if (!(h >= 0 && h < 24 && d >= 0 && d < 7)) {
        throw new TypeError(`seasonal state: bad hour ${h} or day ${d} at ${k}`);
      }
      p.slotOf[2 * k] = h;
      p.slotOf[2 * k + 1] = d;
      if (++p.acc[2 * h] === MIN_SAMPLES) {
        p.hoursCovered++;
      }
      if (++p.acc[DAY + 2 * d] === MIN_SAMPLES) {
        p.daysCovered++;
      }
    }
    p.n = s.hours.length;
    s.hourSum.forEach((v, h) => (p.acc[2 * h + 1] = v));
    s.daySum.forEach((v, d) => (p.acc[DAY + 2 * d + 1] = v));
    return p;
  }

  /** Removes the evicted value (`inEvicted`: a field, not an argument, see {@link rebucket}). */
  private remove(h: number, d: number): void {
    const acc = this.acc;
    const value = this.inEvicted;
    if (acc[2 * h]-- === MIN_SAMPLES) {
      this.hoursCovered--;
    }
    // an emptied bucket restarts at exactly 0, so add/subtract rounding cannot accumulate
    acc[2 * h + 1] = acc[2 * h] === 0 ? 0 : acc[2 * h + 1] - value;
    const k = DAY + 2 * d;
    if (acc[k]-- === MIN_SAMPLES) {
      this.daysCovered--;
    }
    acc[k + 1] = acc[k] === 0 ? 0 : acc[k + 1] - value;
  }
}

/**
 * {@link SeasonalProfile}'s slow path, once an hour: hour and weekday of the timestamp at
 * `acc[o + SP_BUCKET_TS]` into the cache (a profile's array at `o`, or a detector slab). No double
 * argument: V8 boxes doubles passed to calls it does not inline, and that was garbage on every point.
 */
export function rebucketSeasonal(acc: Float64Array, o: number): void {
  const ts = acc[o + BUCKET_TS];
  const offsetMs = acc[o + OFFSET_MS];
  const local = ts + offsetMs;
  const hourIndex = Math.floor(local / HOUR_MS);
  acc[o + CACHE_START] = hourIndex * HOUR_MS - offsetMs;
  // remainders by floor division, not `%`: on doubles V8's `%` is an fprem loop, several times the
  // cost of the rest of this function (the quotients are exact for any timestamp a Date can hold)
  acc[o + HOUR] = hourIndex - Math.floor(hourIndex / 24) * 24;
  const dayIndex = Math.floor(local / DAY_MS) + 4;
  acc[o + WEEKDAY] = dayIndex - Math.floor(dayIndex / 7) * 7;
}
