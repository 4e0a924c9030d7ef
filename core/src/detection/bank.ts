import { StreamingDetector, type DetectorState } from './detector';
import { pushRun, type KernelPlan } from './fastPath';
import type { ScorerParams } from './scoring';
import type { DetectorOptions } from './types';
import type { ResolvedDetectorOptions } from './options';
import { H_ANOMALY, H_LAST_TS, H_SCORE } from './layout';
import { WasmTick } from './wasmTick';

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
    for (let i = 0; i < size; i++) {
      this.slab.set(fresh, i * stride);
    }
    this.views = new Array<StreamingDetector | undefined>(size);
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

  private at(i: number): number {
    if (!Number.isInteger(i) || i < 0 || i >= this.size) {
      throw new RangeError(`detector bank: no series ${i} (size ${this.size})`);
    }
    return i * this.plan.lay.stride;
  }
}
