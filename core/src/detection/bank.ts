import { StreamingDetector, type DetectorState } from './detector';
import { pushRun, type KernelPlan } from './fastPath';
import type { ScorerParams } from './scoring';
import type { DetectorOptions } from './types';
import type { ResolvedDetectorOptions } from './options';
import { H_ANOMALY, H_LAST_TS, H_REASON, H_SCORE } from './layout';
import { SlabWindow, type SavedParts } from './slabWindow';
import { WasmTick } from './wasmTick';
import { RollingWindow, type WindowStats } from './rollingWindow';

/** Timestamp input of the kernel for pushTick() (an array: V8 boxes double arguments). */
const TICK_TS = new Float64Array(1);

/**
 * Many series with the same detector settings, all their state in one slab (one Float64Array, a
 * fixed stride per series), for a scheduler that evaluates every series each tick: one call scores
 * a tick of all of them in one loop, with no object per series on the way. Each series behaves
 * exactly as its own StreamingDetector would (fastPath.test.ts holds it to that, point for point);
 * {@link detector} gives one series as a StreamingDetector (a view of the same state) for the full
 * explainable verdict or its saved state.
 *
 * With likelihood scoring (the default) pushTick() runs the kernel compiled to WebAssembly
 * (core/wasm/tick.ts, the same arithmetic as the JS kernel: same scores bit for bit) on a slab in
 * WebAssembly memory: a third faster. Where WebAssembly cannot run (or with `kernel: 'js'`), the
 * JS kernel does; {@link kernel} says which.
 */
export class DetectorBank {
  readonly size: number;
  readonly options: ResolvedDetectorOptions;
  private readonly scorerParams: Partial<ScorerParams>;
  private readonly slab: Float64Array;
  private readonly plan: KernelPlan;
  private readonly views: Array<StreamingDetector | undefined>;
  private readonly wasm: WasmTick | null;
  private readonly fresh: Float64Array;
  /**
   * The window part of a series' state (its last points' values and hour indexes): what a caller
   * that can read those points again leaves out of a saved state and puts back (slabWindow.ts).
   */
  readonly windows: SlabWindow;

  /**
   * `size` series, each starting afresh; `scorerParams` as StreamingDetector's (tuning only);
   * `kernel: 'js'` keeps pushTick() off WebAssembly.
   */
  constructor(
    size: number,
    options: DetectorOptions = {},
    scorerParams: Partial<ScorerParams> = {},
    kernel: 'auto' | 'js' = 'auto'
  ) {
    if (!Number.isInteger(size) || size < 1) {
      throw new RangeError(`detector bank size must be a positive integer, got ${size}`);
    }
    const template = new StreamingDetector(options, scorerParams);
    this.size = size;
    this.options = template.options;
    this.scorerParams = scorerParams;
    this.plan = template.kernelPlan;
    const stride = this.plan.lay.stride;
    this.wasm = kernel === 'auto' ? WasmTick.create(this.plan, size) : null;
    this.slab = this.wasm ? this.wasm.slab : new Float64Array(size * stride);
    // every series starts as the template's fresh state
    const fresh = template.state;
    this.fresh = fresh.slice();
    for (let i = 0; i < size; i++) {
      this.slab.set(fresh, i * stride);
    }
    this.views = new Array<StreamingDetector | undefined>(size);
    this.windows = new SlabWindow(this.plan.lay, this.options.windowSize, this.options.trendLength);
  }

  /**
   * One tick: (`values[i]`, `timestamp`) into series i for every i; `scores[i]` (when given) gets
   * its score. Same results as `detector(i).push(values[i], timestamp)` for each i. Returns how
   * many of the tick's points were anomalies (0: nothing to look at; else isAnomaly(i) says which).
   */
  pushTick(values: Float64Array, timestamp: number, scores?: Float64Array): number {
    if (values.length !== this.size) {
      throw new RangeError(`pushTick: ${values.length} values for ${this.size} series`);
    }
    if (scores && scores.length < this.size) {
      throw new RangeError(`pushTick: room for ${scores.length} scores, ${this.size} needed`);
    }
    if (this.wasm) {
      return this.wasm.tick(values, timestamp, scores ?? null);
    }
    TICK_TS[0] = timestamp;
    return pushRun(this.plan, this.slab, 0, this.size, 1, values, 0, TICK_TS, 0, 0, scores ?? null);
  }

  /** Which kernel pushTick() runs: WebAssembly, or JS (guide scoring, no WebAssembly, or asked). */
  get kernel(): 'wasm' | 'js' {
    return this.wasm ? 'wasm' : 'js';
  }

  /** One point of series i; returns its score (as StreamingDetector.push). */
  push(i: number, value: number, timestamp: number): number {
    return this.detector(i).push(value, timestamp);
  }

  /** Score of series i's last point. */
  score(i: number): number {
    return this.slab[this.at(i) + H_SCORE];
  }

  /** Whether series i's last point was an anomaly. */
  isAnomaly(i: number): boolean {
    return this.slab[this.at(i) + H_ANOMALY] === 1;
  }

  /** Timestamp of series i's last learned point (−Infinity before the first). */
  lastTimestamp(i: number): number {
    return this.slab[this.at(i) + H_LAST_TS];
  }

  /**
   * Series i as a StreamingDetector: a view of its state in this bank (pushing into either moves
   * both), for detect(), toJSON() and the like.
   */
  detector(i: number): StreamingDetector {
    this.at(i);
    let d = this.views[i];
    if (!d) {
      d = new StreamingDetector(this.options, this.scorerParams, this.slab, i, false);
      this.views[i] = d;
    }
    return d;
  }

  /** Replaces series i's state with a saved one (StreamingDetector.toJSON, same settings). */
  restore(i: number, state: DetectorState): void {
    this.detector(i).restore(state);
  }

  /** Doubles of one series' state (its part of the slab: {@link stateOf}, {@link load}). */
  get stateLength(): number {
    return this.plan.lay.stride;
  }

  /**
   * What a saved slab region depends on: the layout and the kernel's numbers (sizes, options,
   * scorer parameters). A state saved under another signature must not be loaded.
   */
  get stateSignature(): string {
    return `${this.plan.lay.stride}:${Array.from(this.plan.num).join(',')}`;
  }

  /** Reason code of series i's last point (0 ok, 1 insufficient_data, 2 zero_variance, 3 invalid_value, 4 out_of_order). */
  reasonCode(i: number): number {
    return this.slab[this.at(i) + H_REASON];
  }

  /** Series i's state: a copy of its part of the slab, for binary persistence ({@link load}). */
  stateOf(i: number): Float64Array {
    const b = this.at(i);
    return this.slab.slice(b, b + this.plan.lay.stride);
  }

  /**
   * Replaces series i's state with one from {@link stateOf} (a bank with the same
   * {@link stateSignature}); it continues exactly as the saved series would have.
   */
  load(i: number, state: ArrayLike<number>): void {
    if (state.length !== this.plan.lay.stride) {
      throw new RangeError(`detector bank: state of ${state.length} doubles, ${this.plan.lay.stride} expected`);
    }
    this.slab.set(state, this.at(i));
    // a view's components may cache what the slab held (e.g. a sorted window): start a new one
    this.views[i] = undefined;
  }

  /**
   * Baseline statistics of series i's window now (its last point included: what its next point is
   * judged against); null while it holds fewer than `minSamples` points. A copy: O(window log window).
   */
  windowStats(i: number): WindowStats | null {
    const state = this.stateOf(i);
    const w = new RollingWindow(this.options.windowSize, state, this.plan.lay.window, false);
    return w.size >= this.options.minSamples ? w.stats() : null;
  }

  /**
   * Series i's state as a saved row holds it, in one pass: the slab without its window (and its
   * trend ring when it repeats the window), the window left out, and where it starts; null when
   * the rings disagree (no kernel produces that). See {@link windows}.
   */
  savedParts(i: number): SavedParts | null {
    return this.windows.savedParts(this.stateOf(i));
  }

  /** Series i starts afresh (a slot handed to another series). */
  reset(i: number): void {
    this.load(i, this.fresh);
  }

  private at(i: number): number {
    if (!Number.isInteger(i) || i < 0 || i >= this.size) {
      throw new RangeError(`detector bank: no series ${i} (size ${this.size})`);
    }
    return i * this.plan.lay.stride;
  }
}
