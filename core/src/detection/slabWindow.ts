import {
  SP_HEAD,
  SP_HOUR_MS,
  SP_N,
  SP_OFFSET_MS,
  SP_SLOTS,
  TR_HEAD,
  TR_N,
  W_HEAD,
  W_N,
  type SlabLayout,
} from './layout';

/** A series' state as a saved row holds it (SlabWindow.savedParts). */
export interface SavedParts {
  /** The state without its window (and without its trend ring when `trend`). */
  slab: Float64Array;
  /** The window left out: values and their hour indexes, oldest first. */
  values: Float64Array;
  hours: Float64Array;
  /** The trend ring was left out too (it repeats the window's last values). */
  trend: boolean;
  /** Start of the hour of the window's oldest point (ms; −Infinity when empty). */
  windowFrom: number;
}

/**
 * The part of a detector's state (its slab, layout.ts) that repeats the series' last points: the
 * window's values, their hour indexes (the seasonal profile's slots) and, while no seasonal offset
 * adjusted them, the trend ring. A caller that can read those points again (the sidecar, from its
 * datasource) leaves them out of a saved state and puts them back: the state is then the same bit
 * for bit. DetectorBank.windows is one for its layout.
 */
export class SlabWindow {
  constructor(
    private readonly lay: SlabLayout,
    private readonly windowSize: number,
    private readonly trendLength: number
  ) {}

  /**
   * The part of a saved state that repeats the series' last points: its window's values and their
   * hour indexes, oldest first (null when the two rings disagree, which no kernel produces). A
   * caller that can read those points again (a datasource) may store the state without them
   * ({@link withoutWindow}) and put them back with {@link putWindow}.
   */
  windowOf(state: Float64Array): { values: Float64Array; hours: Float64Array } | null {
    const r = this.rings(state);
    if (!r) {
      return null;
    }
    const values = new Float64Array(r.n);
    const hours = new Float64Array(r.n);
    for (let k = 0; k < r.n; k++) {
      values[k] = state[r.w + ((r.wHead + k) % r.cap)];
      hours[k] = state[r.s + ((r.sHead + k) % r.cap)];
    }
    return { values, hours };
  }

  /**
   * Whether the trend ring of `state` holds exactly the window's last values (it does while no
   * seasonal offset adjusted them, e.g. whenever the window spans less than 11 hours): then the
   * window gives it back too ({@link withoutWindow}'s and {@link putWindow}'s `trendToo`).
   */
  trendIsWindow(state: Float64Array): boolean {
    const r = this.rings(state);
    if (!r) {
      return false;
    }
    const { tl, t, tn, tHead } = this.trendRing(state);
    if (tn > r.n) {
      return false;
    }
    for (let k = 0; k < tn; k++) {
      const a = state[t + ((tHead + k) % tl)];
      const b = state[r.w + ((r.wHead + r.n - tn + k) % r.cap)];
      if (!Object.is(a, b)) {
        return false;
      }
    }
    return true;
  }

  /**
   * A copy of `state` with the window's values and hour indexes ({@link windowOf}) set to 0, and
   * the trend ring's too with `trendToo` (only when {@link trendIsWindow}).
   */
  withoutWindow(state: Float64Array, trendToo = false): Float64Array {
    const out = state.slice();
    const r = this.rings(state);
    for (let k = 0; r && k < r.n; k++) {
      out[r.w + ((r.wHead + k) % r.cap)] = 0;
      out[r.s + ((r.sHead + k) % r.cap)] = 0;
    }
    if (trendToo) {
      const { tl, t, tn, tHead } = this.trendRing(state);
      for (let k = 0; k < tn; k++) {
        out[t + ((tHead + k) % tl)] = 0;
      }
    }
    return out;
  }

  /**
   * Puts a window's values and hour indexes (oldest first, as {@link windowOf}) back into `state`,
   * and its last values into the trend ring with `trendToo` (as saved by {@link withoutWindow}).
   */
  putWindow(state: Float64Array, values: ArrayLike<number>, hours: ArrayLike<number>, trendToo = false): void {
    const r = this.rings(state);
    if (!r || values.length !== r.n || hours.length !== r.n) {
      throw new RangeError(`detector bank: a window of ${r?.n ?? '?'} points expected, got ${values.length}`);
    }
    for (let k = 0; k < r.n; k++) {
      state[r.w + ((r.wHead + k) % r.cap)] = values[k];
      state[r.s + ((r.sHead + k) % r.cap)] = hours[k];
    }
    const { tl, t, tn, tHead } = this.trendRing(state);
    if (trendToo && tn > r.n) {
      throw new RangeError(`detector bank: a trend ring of ${tn} points cannot come from a window of ${r.n}`);
    }
    for (let k = 0; trendToo && k < tn; k++) {
      state[t + ((tHead + k) % tl)] = values[r.n - tn + k];
    }
  }

  /**
   * A saved row's parts of `state` (a series' state, which is modified: pass a copy), in one pass:
   * the state without its window (and its trend ring when {@link trendIsWindow}), the window left
   * out, and where it starts ({@link windowStartMs}); null when the rings disagree.
   */
  savedParts(state: Float64Array): SavedParts | null {
    const w = this.windowOf(state);
    const r = this.rings(state);
    if (!w || !r) {
      return null;
    }
    const trend = this.trendIsWindow(state);
    const windowFrom =
      w.hours.length === 0
        ? Number.NEGATIVE_INFINITY
        : w.hours[0] * SP_HOUR_MS - state[this.lay.seasonal + SP_OFFSET_MS];
    for (let k = 0; k < r.n; k++) {
      state[r.w + ((r.wHead + k) % r.cap)] = 0;
      state[r.s + ((r.sHead + k) % r.cap)] = 0;
    }
    if (trend) {
      const { tl, t, tn, tHead } = this.trendRing(state);
      for (let k = 0; k < tn; k++) {
        state[t + ((tHead + k) % tl)] = 0;
      }
    }
    return { slab: state, values: w.values, hours: w.hours, trend, windowFrom };
  }

  /** Points held in the window of `state`. */
  windowPoints(state: Float64Array): number {
    return this.rings(state)?.n ?? 0;
  }

  /** The hour index the series' seasonal profile gives a point at `timestampMs` (as its kernel does). */
  hourIndexOf(state: Float64Array, timestampMs: number): number {
    return Math.floor((timestampMs + state[this.lay.seasonal + SP_OFFSET_MS]) / SP_HOUR_MS);
  }

  /** Start of the hour of the oldest point in the window of `state` (−Infinity when empty). */
  windowStartMs(state: Float64Array): number {
    const w = this.windowOf(state);
    if (!w || w.hours.length === 0) {
      return Number.NEGATIVE_INFINITY;
    }
    return w.hours[0] * SP_HOUR_MS - state[this.lay.seasonal + SP_OFFSET_MS];
  }

  private trendRing(state: Float64Array) {
    const tl = this.trendLength;
    const t = this.lay.trend;
    return { tl, t, tn: state[t + tl + TR_N], tHead: state[t + tl + TR_HEAD] };
  }

  private rings(state: Float64Array) {
    const { lay } = this;
    const cap = this.windowSize;
    const w = lay.window;
    const s = lay.seasonal + SP_SLOTS;
    const n = state[w + cap + W_N];
    if (state.length !== lay.stride || n !== state[lay.seasonal + SP_N]) {
      return null;
    }
    return { cap, n, w, s, wHead: state[w + cap + W_HEAD], sHead: state[lay.seasonal + SP_HEAD] };
  }
}
