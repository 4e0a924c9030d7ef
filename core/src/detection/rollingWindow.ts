import { quantileSorted } from 'simple-statistics';
import * as L from './layout';
import { sortWindow } from './sortWindow';

// layout constants copied into module-level consts once: hot code then reads a plain const, not
// an export binding (a getter under some loaders, e.g. tsx)
const PIVOT = L.W_PIVOT;
const SUM = L.W_SUM;
const SUM_SQ = L.W_SUM_SQ;
const INV_N = L.W_INV_N;
const INV_NM1 = L.W_INV_NM1;
const HEAD = L.W_HEAD;
const N = L.W_N;
const SINCE = L.W_SINCE;
const PUSHES = L.W_PUSHES;
const SCALARS = L.W_SCALARS;

/** Plain, JSON-safe state of a {@link RollingWindow} (values in arrival order, oldest first). */
export interface RollingWindowState {
  capacity: number;
  values: number[];
  /** Running sums (kept so that a restored window continues bit-for-bit identically). */
  pivot: number;
  sum: number;
  sumSq: number;
  sinceRecompute: number;
}

/** Statistics of the values currently in a rolling window (the guide's baseline). */
export interface WindowStats {
  count: number;
  mean: number;
  /** Sample standard deviation (n − 1), as Python's `statistics.stdev` in the guide. */
  stddev: number;
  median: number;
  p95: number;
  p99: number;
  min: number;
  max: number;
}

/**
 * A standard deviation that one outlier cannot inflate: (p75 − p25) / 1.349 (equal to σ for normal
 * data). Falls back to `sd` when the quartiles coincide (e.g. a mostly constant or coarsely quantised
 * series) and never exceeds it (a two-level series has a wider IQR than its σ).
 */
export function robustSigma(p25: number, p75: number, sd: number): number {
  const r = (p75 - p25) / 1.349;
  return r > 0 && r < sd ? r : sd;
}

/**
 * A fixed-capacity rolling window with running sums: mean and variance cost O(1) per push.
 * Order statistics (min, max, median, p95, p99) come from a sorted copy that is kept only while
 * someone reads them: the first read after a quiet spell sorts the window (O(w log w)); from then on
 * each push keeps the copy sorted with one binary search and a shift of only the elements between
 * the evicted and the inserted value; after `capacity` pushes without a read the copy is dropped
 * again. A stream scored with push() alone thus pays O(1) per point, a stream explained on every
 * point pays the incremental shift, and one explained only on anomalies pays O(log w) amortised.
 * Sums are taken relative to a pivot and recomputed from scratch every `capacity` pushes, so
 * floating-point drift cannot build up on long streams (amortised O(1)).
 */
export class RollingWindow {
  readonly capacity: number;
  /**
   * Ring buffer; `ring[(head + i) % capacity]` is the i-th oldest value. The numeric state (pivot,
   * running sums, head, count) follows it in the same array, at `capacity + k`: double fields would
   * each be a separate heap box in V8, and with 1,000 interleaved series every one a cache miss. The
   * array may be a view into a detector's slab (see layout.ts), which fastPath.ts reads directly.
   */
  /** @internal (fastPath.ts) */
  readonly ring: Float64Array;
  /** Sorted copy of the window (valid while `sortedValid`). */
  private readonly sorted: Float64Array;
  /**
   * The push count (ring[capacity + W_PUSHES]) the sorted copy is valid for, or −1: code that
   * pushes into the ring directly (fastPath.ts) counts pushes without keeping the copy, which
   * thereby goes stale by itself.
   */
  private sortedFor = -1;
  /** Pushes since the sorted copy was last read. */
  /** @internal (fastPath.ts) */
  unread = 0;

  /**
   * A window of `capacity` values, in its own array or in `slab` at `offset` (capacity + W_SCALARS
   * doubles); `fresh: false` adopts the state already there instead of clearing it.
   */
  constructor(capacity: number, slab?: Float64Array, offset = 0, fresh = true) {
    if (!Number.isInteger(capacity) || capacity < 2) {
      throw new RangeError(`rolling window capacity must be an integer >= 2, got ${capacity}`);
    }
    this.capacity = capacity;
    this.ring = slab ? slab.subarray(offset, offset + capacity + SCALARS) : new Float64Array(capacity + SCALARS);
    this.sorted = new Float64Array(capacity);
    if (fresh) {
      this.ring.fill(0);
    }
  }

  /** @internal (fastPath.ts) */
  get head(): number {
    return this.ring[this.capacity + HEAD] | 0;
  }
  set head(v: number) {
    this.ring[this.capacity + HEAD] = v;
  }
  /** @internal */
  get n(): number {
    return this.ring[this.capacity + N] | 0;
  }
  set n(v: number) {
    this.ring[this.capacity + N] = v;
  }
  /** @internal */
  get sinceRecompute(): number {
    return this.ring[this.capacity + SINCE] | 0;
  }
  set sinceRecompute(v: number) {
    this.ring[this.capacity + SINCE] = v;
  }

  /** @internal: whether the sorted copy matches the window. */
  get sortedValid(): boolean {
    return this.sortedFor === this.ring[this.capacity + PUSHES];
  }
  set sortedValid(v: boolean) {
    this.sortedFor = v ? this.ring[this.capacity + PUSHES] : -1;
  }

  /** Number of values held (≤ capacity). */
  get size(): number {
    return this.n;
  }

  /** Adds a value, evicting the oldest one when full. The value must be finite. */
  push(v: number): void {
    this.inValue = v;
    this.pushIn();
  }

  // input and outputs of pushIn() and computeMoments(), as fields: V8 boxes doubles passed to or
  // returned from calls it does not inline (garbage on every point of the hot path)
  /** Input of {@link pushIn}. */
  inValue = 0;
  /** Output of {@link pushIn}: the value it evicted (0 while the window was not full). */
  outEvicted = 0;
  /** Outputs of {@link computeMoments}: {@link mean} (NaN when empty) and {@link stddev}. */
  outMean = 0;
  outSd = 0;

  /** {@link push} of the `inValue` field; the evicted value goes to `outEvicted`. */
  pushIn(): void {
    const r = this.ring;
    const cap = this.capacity;
    const v = this.inValue;
    if (this.n === 0) {
      r[cap + PIVOT] = v;
    }
    const d = v - r[cap + PIVOT];
    const keepSorted = this.sortedValid && ++this.unread <= cap;
    r[cap + PUSHES]++;
    this.sortedValid = keepSorted;
    if (this.n < cap) {
      const t = this.head + this.n;
      r[t >= cap ? t - cap : t] = v;
      if (keepSorted) {
        this.insertSorted(v, this.n);
      }
      this.outEvicted = 0;
      this.n++;
      r[cap + INV_N] = 1 / this.n;
      r[cap + INV_NM1] = this.n > 1 ? 1 / (this.n - 1) : 0;
      r[cap + SUM] += d;
      r[cap + SUM_SQ] += d * d;
    } else {
      const old = r[this.head];
      this.outEvicted = old;
      r[this.head] = v;
      this.head = this.head + 1 === cap ? 0 : this.head + 1;
      if (keepSorted) {
        this.replaceSorted(old, v);
      }
      const o = old - r[cap + PIVOT];
      r[cap + SUM] += d - o;
      r[cap + SUM_SQ] += d * d - o * o;
    }
    if (++this.sinceRecompute >= cap) {
      this.recompute();
    }
  }

  /** {@link mean} and {@link stddev} into `outMean` and `outSd`. */
  computeMoments(): void {
    const r = this.ring;
    const cap = this.capacity;
    const n = this.n;
    const sum = r[cap + SUM];
    this.outMean = n === 0 ? NaN : r[cap + PIVOT] + sum * r[cap + INV_N];
    const v = n < 2 ? 0 : (r[cap + SUM_SQ] - sum * sum * r[cap + INV_N]) * r[cap + INV_NM1];
    this.outSd = v > 0 ? Math.sqrt(v) : 0;
  }

  /** The i-th most recent value (0 = the newest). */
  recent(i: number): number {
    return this.ring[(this.head + this.n - 1 - i + this.capacity) % this.capacity];
  }

  /** The oldest value (the one the next push evicts when full). */
  oldest(): number {
    return this.ring[this.head];
  }

  /** Mean of the window (NaN when empty). */
  mean(): number {
    const r = this.ring;
    const cap = this.capacity;
    return this.n === 0 ? NaN : r[cap + PIVOT] + r[cap + SUM] * r[cap + INV_N];
  }

  /** Sample standard deviation (0 with fewer than two values). */
  stddev(): number {
    const n = this.n;
    if (n < 2) {
      return 0;
    }
    const r = this.ring;
    const cap = this.capacity;
    const sum = r[cap + SUM];
    const v = (r[cap + SUM_SQ] - sum * sum * r[cap + INV_N]) * r[cap + INV_NM1];
    return v > 0 ? Math.sqrt(v) : 0;
  }

  /** Quantile p ∈ [0, 1] by linear interpolation (numpy's default, via simple-statistics). */
  quantile(p: number): number {
    const s = this.sortedView();
    const n = this.n;
    if (n === 0 || !(p >= 0 && p <= 1)) {
      // simple-statistics' errors, for the cases its quantileSorted rejects
      return quantileSorted(s.subarray(0, n) as unknown as number[], p);
    }
    // quantileSorted (numpy's linear method), without a subarray object per call
    if (p === 1) {
      return s[n - 1];
    }
    const idx = (n - 1) * p;
    const lower = Math.floor(idx);
    return idx === lower ? s[idx] : s[lower] + (idx - lower) * (s[Math.ceil(idx)] - s[lower]);
  }

  /** The i-th smallest value in the window (0-based), O(1). */
  sortedAt(i: number): number {
    return this.sortedView()[i];
  }

  /** Smallest value in the window. */
  min(): number {
    return this.sortedView()[0];
  }

  /** Largest value in the window. */
  max(): number {
    return this.sortedView()[this.n - 1];
  }

  /** All of the guide's baseline statistics at once. */
  stats(): WindowStats {
    return {
      count: this.n,
      mean: this.mean(),
      stddev: this.stddev(),
      median: this.quantile(0.5),
      p95: this.quantile(0.95),
      p99: this.quantile(0.99),
      min: this.min(),
      max: this.max(),
    };
  }

  /**
   * Stops maintaining the sorted copy after a one-off read (the next read sorts again), so a caller
   * that reads order statistics rarely does not make the following `capacity` pushes pay for them.
   */
  releaseSorted(): void {
    this.unread = this.capacity;
  }

  /** JSON-safe state. */
  toJSON(): RollingWindowState {
    const values: number[] = new Array(this.n);
    for (let i = 0; i < this.n; i++) {
      values[i] = this.ring[(this.head + i) % this.capacity];
    }
    return {
      capacity: this.capacity,
      values,
      pivot: this.ring[this.capacity + PIVOT],
      sum: this.ring[this.capacity + SUM],
      sumSq: this.ring[this.capacity + SUM_SQ],
      sinceRecompute: this.sinceRecompute,
    };
  }

  /** Rebuilds a window from {@link toJSON} output (into `slab` at `offset` when given); identical behaviour afterwards. */
  static fromJSON(s: RollingWindowState, slab?: Float64Array, offset = 0): RollingWindow {
    if (!s || !Array.isArray(s.values) || s.values.length > s.capacity) {
      throw new TypeError('rolling window state: expected { capacity, values[] } with values.length <= capacity');
    }
    const w = new RollingWindow(s.capacity, slab, offset);
    for (const v of s.values) {
      if (!Number.isFinite(v)) {
        throw new TypeError(`rolling window state: non-finite value ${v}`);
      }
      w.push(v);
    }
    w.ring[w.capacity + PIVOT] = s.pivot;
    w.ring[w.capacity + SUM] = s.sum;
    w.ring[w.capacity + SUM_SQ] = s.sumSq;
    w.sinceRecompute = s.sinceRecompute;
    return w;
  }

  /** Exact recomputation of the running sums, re-centred on the current mean. */
  /** @internal */
  recompute(): void {
    recomputeWindow(this.ring, 0, this.capacity);
  }

  /** The sorted copy, rebuilt if it was dropped; reading it keeps it maintained for a while. */
  private sortedView(): Float64Array {
    this.unread = 0;
    if (!this.sortedValid) {
      const n = this.n;
      for (let i = 0; i < n; i++) {
        this.sorted[i] = this.ring[(this.head + i) % this.capacity];
      }
      sortWindow(this.sorted, n);
      this.sortedValid = true;
    }
    return this.sorted;
  }

  /** First index whose value is > v (upper bound) in sorted[0..len). */
  private upperBound(v: number, len: number): number {
    let lo = 0;
    let hi = len;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sorted[mid] <= v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private insertSorted(v: number, len: number): void {
    const s = this.sorted;
    const pos = this.upperBound(v, len);
    for (let i = len; i > pos; i--) {
      s[i] = s[i - 1];
    }
    s[pos] = v;
  }

  /** Removes `old` and inserts `v` in one pass: only the elements between the two move. */
  private replaceSorted(old: number, v: number): void {
    const s = this.sorted;
    const n = this.n;
    // index of one occurrence of old: the last element <= old is equal to old
    let i = this.upperBound(old, n) - 1;
    if (v >= old) {
      while (i + 1 < n && s[i + 1] < v) {
        s[i] = s[i + 1];
        i++;
      }
    } else {
      while (i > 0 && s[i - 1] > v) {
        s[i] = s[i - 1];
        i--;
      }
    }
    s[i] = v;
  }
}

/**
 * Exact recomputation of a window's running sums, re-centred on the current mean: the window's ring
 * at `r[o]`, its scalars at `r[o + capacity + k]` (a RollingWindow's array, or a detector slab).
 */
export function recomputeWindow(r: Float64Array, o: number, cap: number): void {
  const sc = o + cap;
  r[sc + SINCE] = 0;
  // `| 0`: count and head are stored as doubles; as int32 the loops below index without conversions
  const n = r[sc + N] | 0;
  const head = o + (r[sc + HEAD] | 0);
  // logical (oldest-first) order, so a window restored from JSON sums in the same order; the ring
  // is walked as two runs (head → end, then start → head) rather than with a modulo per element
  const first = Math.min(n, sc - head);
  const end1 = head + first;
  const end2 = o + n - first;
  let s = 0;
  for (let i = head; i < end1; i++) {
    s += r[i];
  }
  for (let i = o; i < end2; i++) {
    s += r[i];
  }
  const pivot = s / n;
  let d1 = 0;
  let d2 = 0;
  for (let i = head; i < end1; i++) {
    const d = r[i] - pivot;
    d1 += d;
    d2 += d * d;
  }
  for (let i = o; i < end2; i++) {
    const d = r[i] - pivot;
    d1 += d;
    d2 += d * d;
  }
  r[sc + PIVOT] = pivot;
  r[sc + SUM] = d1;
  r[sc + SUM_SQ] = d2;
}

/** Outputs of {@link windowQuartiles}: the window's 25th, 50th and 75th percentiles. */
export const QUARTILES = new Float64Array(3);
/** Value buckets of {@link windowQuartiles}: the window's range cut into BUCKETS equal parts. */
const BUCKETS = 64;
/** Counts, then first positions, of each bucket (the last bucket holds only the maximum). */
const bucketCount = new Int32Array(BUCKETS + 1);
const bucketStart = new Int32Array(BUCKETS + 2);
/** Bucket of each window value, and the values in bucket order (sorted where a rank is read). */
let bucketOf = new Int32Array(128);
let scratch = new Float64Array(128);

/**
 * The quartiles of a window (ring at `r[o]`, scalars at `r[o + capacity + k]`; a RollingWindow's
 * array or a detector slab) into {@link QUARTILES}, exactly as {@link RollingWindow.quantile} gives
 * them (numpy's linear interpolation between order statistics), for the rare points that need them
 * (learning-period fallback, re-arm checks), without sorting the window: a counting sort into 64
 * value buckets (bucket order is value order), then a sort of only the few buckets holding the six
 * ranks read. Each pass is a straight loop whose branches a CPU predicts; a quickselect's
 * comparisons are coin flips to it, and on cold windows cost 3–4× as much. The window must hold at
 * least one value. Not inlined into the kernel's hot loop (its size), where it runs on one point
 * in a few hundred.
 */
export function windowQuartiles(r: Float64Array, o: number, cap: number): void {
  // small integers (`| 0`) as indices: the loops then run on int32, not doubles
  const n = r[o + cap + N] | 0;
  if (scratch.length < n) {
    scratch = new Float64Array(n);
    bucketOf = new Int32Array(n);
  }
  let lo = r[o];
  let hi = lo;
  for (let i = 1; i < n; i++) {
    const x = r[o + i];
    if (x < lo) {
      lo = x;
    } else if (x > hi) {
      hi = x;
    }
  }
  if (!(hi > lo)) {
    // one value throughout
    QUARTILES[0] = lo;
    QUARTILES[1] = lo;
    QUARTILES[2] = lo;
    return;
  }
  // bucket ⌊(x − lo)·scale⌋: monotone in x, so a lower bucket never holds a greater value; the
  // maximum lands in bucket BUCKETS (or, rounded, BUCKETS − 1)
  const scale = BUCKETS / (hi - lo);
  const count = bucketCount;
  const start = bucketStart;
  const of = bucketOf;
  const a = scratch;
  count.fill(0);
  for (let i = 0; i < n; i++) {
    const b = ((r[o + i] - lo) * scale) | 0;
    of[i] = b;
    count[b]++;
  }
  let at = 0;
  for (let b = 0; b <= BUCKETS; b++) {
    start[b] = at;
    at += count[b];
    count[b] = start[b];
  }
  start[BUCKETS + 1] = n;
  for (let i = 0; i < n; i++) {
    a[count[of[i]]++] = r[o + i];
  }
  // the ranks read, in increasing order: each quartile's lower rank and the one after it; walk
  // the buckets once, sorting each bucket that holds one of them
  const last = n - 1;
  let b = 0;
  // end of the last bucket sorted: ranks below it (and at or after its start) are in place
  let sortedEnd = 0;
  for (let q = 0; q < 3; q++) {
    const idx = last * (q === 0 ? 0.25 : q === 1 ? 0.5 : 0.75);
    const k = idx | 0;
    for (let rank = k; rank <= k + 1 && rank <= last; rank++) {
      if (rank >= sortedEnd) {
        while (start[b + 1] <= rank) {
          b++;
        }
        sortBucket(a, start[b], start[b + 1]);
        sortedEnd = start[b + 1];
      }
    }
    const value = a[k];
    QUARTILES[q] = k === idx ? value : value + (idx - k) * (a[k + 1] - value);
  }
}

/** Sorts a[from..to) (a bucket: a few values, by insertion; many, natively). */
function sortBucket(a: Float64Array, from: number, to: number): void {
  if (to - from > 32) {
    a.subarray(from, to).sort();
    return;
  }
  for (let i = from + 1; i < to; i++) {
    const x = a[i];
    let j = i - 1;
    while (j >= from && a[j] > x) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = x;
  }
}
