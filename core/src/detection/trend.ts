import * as Lay from './layout';

const HEAD = Lay.TR_HEAD;
const N = Lay.TR_N;
const SCALARS = Lay.TR_SCALARS;

/** Direction of the recent trend (sign of the least-squares slope over the last points). */
export type TrendDirection = 'increasing' | 'decreasing';

/** The guide's `_detect_trend_anomaly` result. */
export interface TrendAnalysis {
  isAnomaly: boolean;
  confidence: number;
  /** Least-squares slope over all recent points, per point. */
  slope: number;
  /** |slope of the second half − slope of the first half|. */
  change: number;
  direction: TrendDirection;
}

/** Spread below which recent values count as flat: rounding noise relative to their magnitude. */
export function flatTolerance(level: number): number {
  return 1e-9 * Math.max(1, Math.abs(level));
}

/** Plain, JSON-safe state of a {@link TrendTracker}: the recent values, oldest first. */
export interface TrendState {
  length: number;
  values: number[];
}

/**
 * The guide's trend-change test over the last `length` (20) points: the slopes of the two halves are
 * compared, and a change above 0.5 × the standard deviation of those points is a trend anomaly.
 * Work per point is a fixed loop over 20 values (O(1) in the window size). The detector feeds it
 * de-seasonalised values once a seasonal pattern is known, so a daily cycle's turning points are not
 * taken for trend changes.
 */
export class TrendTracker {
  readonly length: number;
  /**
   * The last `length` values (a ring from `head`), then `head` and the count at `length + k`; may be a
   * view into a detector's slab, which fastPath.ts reads directly.
   */
  /** @internal (fastPath.ts) */
  readonly ring: Float64Array;
  // results of the last evaluate(), kept as fields so the hot path allocates nothing
  isAnomaly = false;
  confidence = 0;
  slope = 0;
  change = 0;

  /** A tracker in its own array or in `slab` at `offset`; `fresh: false` adopts the state already there. */
  constructor(length = 20, slab?: Float64Array, offset = 0, fresh = true) {
    if (!Number.isInteger(length) || length < 4 || length % 2 !== 0) {
      throw new RangeError(`trend length must be an even integer >= 4, got ${length}`);
    }
    this.length = length;
    this.ring = slab ? slab.subarray(offset, offset + length + SCALARS) : new Float64Array(length + SCALARS);
    if (fresh) {
      this.ring.fill(0);
    }
  }

  /** @internal */
  get head(): number {
    return this.ring[this.length + HEAD] | 0;
  }
  set head(v: number) {
    this.ring[this.length + HEAD] = v;
  }
  /** @internal */
  get n(): number {
    return this.ring[this.length + N] | 0;
  }
  set n(v: number) {
    this.ring[this.length + N] = v;
  }

  /** Adds a value (the oldest one drops out once `length` values are held). */
  push(v: number): void {
    this.inValue = v;
    this.pushIn();
  }

  /** Input of {@link pushIn} (a field: V8 boxes doubles passed to calls it does not inline). */
  inValue = 0;

  /** {@link push} of the `inValue` field. */
  pushIn(): void {
    const v = this.inValue;
    const n = this.n;
    if (n < this.length) {
      this.ring[(this.head + n) % this.length] = v;
      this.n = n + 1;
    } else {
      this.ring[this.head] = v;
      this.head = this.head + 1 === this.length ? 0 : this.head + 1;
    }
  }

  /** Evaluates the trend test on the values held; false until `length` values are there. */
  evaluate(): boolean {
    if (this.n < this.length) {
      this.isAnomaly = false;
      this.confidence = 0;
      this.slope = 0;
      this.change = 0;
      return false;
    }
    const out = TREND_OUT;
    this.isAnomaly = trendTest(this.ring, 0, this.length) === 1;
    this.confidence = out[0];
    this.slope = out[1];
    this.change = out[2];
    return this.isAnomaly;
  }

  /** The last evaluation as a plain object. */
  analysis(): TrendAnalysis {
    return {
      isAnomaly: this.isAnomaly,
      confidence: this.confidence,
      slope: this.slope,
      change: this.change,
      direction: this.slope > 0 ? 'increasing' : 'decreasing',
    };
  }

  /** JSON-safe state. */
  toJSON(): TrendState {
    const values: number[] = new Array(this.n);
    for (let k = 0; k < this.n; k++) {
      values[k] = this.ring[(this.head + k) % this.length];
    }
    return { length: this.length, values };
  }

  /** Rebuilds a tracker from {@link toJSON} output. */
  static fromJSON(s: TrendState, slab?: Float64Array, offset = 0): TrendTracker {
    if (!s || !Array.isArray(s.values) || s.values.length > s.length) {
      throw new TypeError('trend state: expected { length, values[] } with values.length <= length');
    }
    const t = new TrendTracker(s.length, slab, offset);
    for (const v of s.values) {
      t.push(v);
    }
    return t;
  }
}

/** Outputs of {@link trendTest}: confidence, slope, change (an array: V8 boxes returned doubles). */
export const TREND_OUT = new Float64Array(3);

/**
 * The guide's trend test over a full ring of `L` values at `r[o]` (head at `r[o + L + TR_HEAD]`): 1
 * when it finds a trend change, else 0; confidence, slope and change into {@link TREND_OUT}.
 */
export function trendTest(r: Float64Array, o: number, L: number): number {
  const out = TREND_OUT;
  // `| 0`: the head is stored as a double; as an int32 the loop below indexes without conversions
  const head = o + (r[o + L + HEAD] | 0);
  const end = o + L;
  const half = L >> 1;
  // Σy and Σx·y for each half, with x counted from the start of that half
  let s1 = 0;
  let xy1 = 0;
  let s2 = 0;
  let xy2 = 0;
  let sq = 0;
  const m0 = r[head];
  // indices of the two halves walk the ring without a modulo per element (hot loop)
  let ia = head;
  let ib = head + half >= end ? head + half - L : head + half;
  for (let k = 0; k < half; k++) {
    const a = r[ia];
    const b = r[ib];
    ia = ia + 1 === end ? o : ia + 1;
    ib = ib + 1 === end ? o : ib + 1;
    s1 += a;
    xy1 += k * a;
    s2 += b;
    xy2 += k * b;
    sq += (a - m0) * (a - m0) + (b - m0) * (b - m0);
  }
  // least squares with x = 0..h-1: slope = (Σxy − x̄Σy) / Σ(x − x̄)²
  const xbarH = (half - 1) / 2;
  const sxxH = (half * (half * half - 1)) / 12;
  const slope1 = (xy1 - xbarH * s1) / sxxH;
  const slope2 = (xy2 - xbarH * s2) / sxxH;
  // the whole window: x = 0..L-1, Σxy = xy1 + xy2 + half·s2
  const xbar = (L - 1) / 2;
  const sxx = (L * (L * L - 1)) / 12;
  const sum = s1 + s2;
  const slope = (xy1 + xy2 + half * s2 - xbar * sum) / sxx;
  const dm = sum / L - m0;
  const variance = (sq - L * dm * dm) / (L - 1);
  const threshold = 0.5 * Math.sqrt(variance > 0 ? variance : 0);
  const change = Math.abs(slope2 - slope1);
  if (threshold > flatTolerance(m0)) {
    out[0] = Math.min(change / threshold, 1);
    out[1] = slope;
    out[2] = change;
    return change > threshold ? 1 : 0;
  }
  // a flat stretch has no trend change (the guide would divide by zero here); "flat" allows for
  // rounding noise, which would otherwise make confidence a ratio of two ~1e-15 numbers
  out[0] = 0;
  out[1] = 0;
  out[2] = 0;
  return 0;
}
