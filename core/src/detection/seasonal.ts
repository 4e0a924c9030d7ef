import * as L from './layout';

// layout constants copied into module-level consts once: hot code then reads a plain const, not
// an export binding (a getter under some loaders, e.g. tsx)
const MIN_SAMPLES = L.SP_MIN_SAMPLES;
const MIN_HOURS = L.SP_MIN_HOURS;
const MIN_DAYS = L.SP_MIN_DAYS;
const MIN_WINDOW = L.SP_MIN_WINDOW;
const HOUR_MS = L.SP_HOUR_MS;
const DAY = L.SP_DAY;
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
const HOUR_INDEX = L.SP_HOUR_INDEX;
const ACTIVE = L.SP_ACTIVE;
const ACTIVE_SPAN = L.SP_ACTIVE_SPAN;
const SC = L.SP_SC;
const W_HEAD = L.W_HEAD;

/** Which seasonal pattern adjusted the expected value: hour of day, day of week, or none. */
export type SeasonalityKind = 'none' | 'hour_of_day' | 'day_of_week';

/** Plain, JSON-safe state of a {@link SeasonalProfile}. */
export interface SeasonalState {
  capacity: number;
  utcOffsetMinutes: number;
  /** Hour-of-day (0–23) and day-of-week (0–6, Sunday = 0) of each value in the window, oldest first. */
  hours: number[];
  days: number[];
  /**
   * Hour index (hours since 1970-01-01T00:00 in the time zone offset) of each value, oldest first.
   * States saved before it existed get it from `hours`, `days` and the last timestamp.
   */
  hourIndex?: number[];
  hourSum: number[];
  daySum: number[];
}

/**
 * Hour-of-day and day-of-week means of the values in the rolling window, kept incrementally: each
 * push adds one value to its buckets and removes the evicted one, so the guide's
 * `_detect_seasonal_patterns` (which re-buckets the whole window on every point) becomes O(1).
 *
 * The buckets are kept only while the window spans at least SP_ACTIVE_SPAN hours: a narrower
 * window cannot cover 12 hours of the day (nor 7 weekdays), so no pattern can be established and
 * the offset is 0 whatever the buckets hold. That is the common case of series scraped every few
 * minutes with a 100-point window, and it saves the buckets' upkeep on every point. When the
 * window widens to the span, the buckets are rebuilt from it (oldest first, as they would have been
 * filled: the same sums, bit for bit, when nothing had been evicted yet).
 */
export class SeasonalProfile {
  readonly capacity: number;
  readonly utcOffsetMinutes: number;
  /**
   * Hour index of window slot i at [i]: a view of `acc`'s tail (from SP_SLOTS). Ring order is the
   * window's: the profile has its own head, and moves in step with the window.
   */
  /** @internal (fastPath.ts) */
  readonly slotOf: Float64Array;
  /**
   * Count and sum of each bucket side by side: hour h at [2h], [2h + 1]; weekday d at [DAY + 2d],
   * [DAY + 2d + 1] (one array, so a point touches a few cache lines, not a dozen small arrays),
   * then the numeric state (cached hour, time zone offset, head and count…; see layout.ts) and the
   * slots' hour indexes: double fields would each be a separate heap box in V8. The array may be a
   * view into a detector's slab, which fastPath.ts reads directly.
   */
  /** @internal (fastPath.ts) */
  readonly acc: Float64Array;
  /**
   * The rolling window's state array (RollingWindow.ring: its ring, then its scalars), read when
   * the buckets are rebuilt.
   */
  private readonly window: Float64Array;
  /** Which pattern the last {@link seasonalOffset} call used (a field, so the hot path allocates nothing). */
  kind: SeasonalityKind = 'none';

  /**
   * A profile of a `capacity`-point window whose values are in `window` (a RollingWindow's `ring`),
   * in its own array or in `slab` at `offset` (SP_ACC_LENGTH + capacity doubles); `fresh: false`
   * adopts the state already there.
   */
  constructor(
    capacity: number,
    utcOffsetMinutes: number,
    window: Float64Array,
    slab?: Float64Array,
    offset = 0,
    fresh = true
  ) {
    this.capacity = capacity;
    this.utcOffsetMinutes = utcOffsetMinutes;
    this.window = window;
    const length = ACC_LENGTH + capacity;
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

  /**
   * Adds the window's newest value (`inValue` at `inTs`; the window has taken it already) and
   * drops `inEvicted`, the value the window dropped for it (ignored until full).
   */
  learn(): void {
    const acc = this.acc;
    const ts = this.inTs;
    if (!(ts >= acc[CACHE_START] && ts < acc[CACHE_START] + HOUR_MS)) {
      acc[BUCKET_TS] = ts;
      this.rebucket();
    }
    const hi = acc[HOUR_INDEX];
    const slotOf = this.slotOf;
    const full = this.n === this.capacity;
    let evictedIndex = 0;
    if (full) {
      const i = this.head;
      evictedIndex = slotOf[i];
      slotOf[i] = hi;
      this.head = i + 1 === this.capacity ? 0 : i + 1;
    } else {
      const i = (this.head + this.n) % this.capacity;
      slotOf[i] = hi;
      this.n++;
    }
    if (hi - slotOf[this.head] < ACTIVE_SPAN) {
      if (acc[ACTIVE] === 1) {
        clearSeasonal(acc, 0);
      }
    } else if (acc[ACTIVE] === 0) {
      rebuildSeasonal(acc, 0, this.window, 0, this.capacity);
    } else {
      if (full) {
        this.remove(evictedIndex);
      }
      addToBuckets(acc, 0, this.cacheHour, this.cacheDay, this.inValue);
    }
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
    // an inactive profile has no bucket filled (see the class comment)
    if (this.n < MIN_WINDOW || acc[ACTIVE] === 0) {
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

  /** JSON-safe state (the bucket sums as if they had been kept all along). */
  toJSON(): SeasonalState {
    const n = this.n;
    const hours: number[] = new Array(n);
    const days: number[] = new Array(n);
    const hourIndex: number[] = new Array(n);
    for (let k = 0; k < n; k++) {
      const hi = this.slotOf[(this.head + k) % this.capacity];
      hourIndex[k] = hi;
      hours[k] = hourOfIndex(hi);
      days[k] = weekdayOfIndex(hi);
    }
    let acc = this.acc;
    if (acc[ACTIVE] === 0) {
      acc = Float64Array.from(acc);
      rebuildSeasonal(acc, 0, this.window, 0, this.capacity);
    }
    return {
      capacity: this.capacity,
      utcOffsetMinutes: this.utcOffsetMinutes,
      hours,
      days,
      hourIndex,
      hourSum: Array.from({ length: 24 }, (_, h) => acc[2 * h + 1]),
      daySum: Array.from({ length: 7 }, (_, d) => acc[DAY + 2 * d + 1]),
    };
  }

  /**
   * Rebuilds a profile from {@link toJSON} output, over `window` (the restored RollingWindow's
   * `ring`); `lastTs` (the detector's last timestamp) places a state saved without hour indexes.
   */
  static fromJSON(
    s: SeasonalState,
    window: Float64Array,
    lastTs: number,
    slab?: Float64Array,
    offset = 0
  ): SeasonalProfile {
    if (!s || !Array.isArray(s.hours) || !Array.isArray(s.days) || s.hours.length !== s.days.length) {
      throw new TypeError('seasonal state: expected hours[] and days[] of equal length');
    }
    if (!Array.isArray(s.hourSum) || s.hourSum.length !== 24 || !Array.isArray(s.daySum) || s.daySum.length !== 7) {
      throw new TypeError('seasonal state: expected hourSum[24] and daySum[7]');
    }
    const n = s.hours.length;
    const windowN = window[s.capacity + L.W_N];
    if (n !== windowN) {
      throw new TypeError(`seasonal state: ${n} hours for a window of ${windowN} values`);
    }
    const p = new SeasonalProfile(s.capacity, s.utcOffsetMinutes, window, slab, offset);
    const indexes = s.hourIndex ?? placeHours(s.hours, s.days, Math.floor((lastTs + p.acc[OFFSET_MS]) / HOUR_MS));
    if (!Array.isArray(indexes) || indexes.length !== n) {
      throw new TypeError('seasonal state: expected hourIndex[] as long as hours[]');
    }
    for (let k = 0; k < n; k++) {
      const hi = indexes[k];
      const h = s.hours[k];
      const d = s.days[k];
      if (!(
        Number.isInteger(hi) &&
        hourOfIndex(hi) === h &&
        weekdayOfIndex(hi) === d &&
        (k === 0 || hi >= indexes[k - 1])
      )) {
        throw new TypeError(`seasonal state: bad hour index ${hi} (hour ${h}, day ${d}) at ${k}`);
      }
      p.slotOf[k] = hi;
      if (++p.acc[2 * h] === MIN_SAMPLES) {
        p.hoursCovered++;
      }
      if (++p.acc[DAY + 2 * d] === MIN_SAMPLES) {
        p.daysCovered++;
      }
    }
    p.n = n;
    s.hourSum.forEach((v, h) => (p.acc[2 * h + 1] = v));
    s.daySum.forEach((v, d) => (p.acc[DAY + 2 * d + 1] = v));
    // active exactly when it would be had the profile run on: kept sums carry on as they were
    p.acc[ACTIVE] = 1;
    if (n === 0 || indexes[n - 1] - indexes[0] < ACTIVE_SPAN) {
      clearSeasonal(p.acc, 0);
    }
    return p;
  }

  /** Removes the evicted value (`inEvicted`) of hour index `hi` from its buckets. */
  private remove(hi: number): void {
    const acc = this.acc;
    const value = this.inEvicted;
    const h = hourOfIndex(hi);
    if (acc[2 * h]-- === MIN_SAMPLES) {
      this.hoursCovered--;
    }
    // an emptied bucket restarts at exactly 0, so add/subtract rounding cannot accumulate
    acc[2 * h + 1] = acc[2 * h] === 0 ? 0 : acc[2 * h + 1] - value;
    const k = DAY + 2 * weekdayOfIndex(hi);
    if (acc[k]-- === MIN_SAMPLES) {
      this.daysCovered--;
    }
    acc[k + 1] = acc[k] === 0 ? 0 : acc[k + 1] - value;
  }
}

/**
 * Hour of day (0–23) of an hour index. Remainders by floor division, not `%`: on doubles V8's `%`
 * is an fprem loop, several times the cost; the quotients are exact for any timestamp a Date can
 * hold.
 */
export function hourOfIndex(hi: number): number {
  return hi - Math.floor(hi / 24) * 24;
}

/** Day of week (0 = Sunday) of an hour index; 1970-01-01 was a Thursday. */
export function weekdayOfIndex(hi: number): number {
  const day = Math.floor(hi / 24) + 4;
  return day - Math.floor(day / 7) * 7;
}

/**
 * Hour indexes for a state saved without them: the newest at `newest` (the last timestamp's), each
 * older one the latest hour at or before its successor with its hour of day and weekday. Gaps of a
 * week or more collapse, which only narrows the span: a narrow window could not hold a pattern.
 */
function placeHours(hours: number[], days: number[], newest: number): number[] {
  const out: number[] = new Array(hours.length);
  let next = newest;
  for (let k = hours.length - 1; k >= 0; k--) {
    // the hour of the week, counted like the index (index 0 is a Thursday 00:00)
    const week = (((days[k] - 4 + 7) % 7) * 24 + hours[k]) % 168;
    const back = (((next - week) % 168) + 168) % 168;
    out[k] = next - back;
    next = out[k];
  }
  return out;
}

/** Empties the buckets of a profile at `o` and marks it inactive. */
export function clearSeasonal(acc: Float64Array, o: number): void {
  acc.fill(0, o, o + SC);
  acc[o + HOURS_COVERED] = 0;
  acc[o + DAYS_COVERED] = 0;
  acc[o + ACTIVE] = 0;
}

/**
 * Fills the buckets of a profile at `o` afresh from its window (a RollingWindow's state array at
 * `wo`), oldest value first, and marks it active.
 */
export function rebuildSeasonal(acc: Float64Array, o: number, w: Float64Array, wo: number, cap: number): void {
  clearSeasonal(acc, o);
  acc[o + ACTIVE] = 1;
  const n = acc[o + N] | 0;
  const head = acc[o + HEAD] | 0;
  const wHead = w[wo + cap + W_HEAD] | 0;
  for (let k = 0; k < n; k++) {
    const i = head + k < cap ? head + k : head + k - cap;
    const j = wHead + k < cap ? wHead + k : wHead + k - cap;
    const hi = acc[o + SLOTS + i];
    addToBuckets(acc, o, hourOfIndex(hi), weekdayOfIndex(hi), w[wo + j]);
  }
}

/** Adds a value to hour `h`'s and weekday `d`'s buckets of the profile at `o`. */
function addToBuckets(acc: Float64Array, o: number, h: number, d: number, value: number): void {
  const kh = o + 2 * h;
  if (++acc[kh] === MIN_SAMPLES) {
    acc[o + HOURS_COVERED]++;
  }
  acc[kh + 1] += value;
  const kd = o + DAY + 2 * d;
  if (++acc[kd] === MIN_SAMPLES) {
    acc[o + DAYS_COVERED]++;
  }
  acc[kd + 1] += value;
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
  acc[o + HOUR_INDEX] = hourIndex;
  acc[o + CACHE_START] = hourIndex * HOUR_MS - offsetMs;
  acc[o + HOUR] = hourOfIndex(hourIndex);
  acc[o + WEEKDAY] = weekdayOfIndex(hourIndex);
}
