import type { KernelPlan } from './fastPath';
import { clearSeasonal, rebuildSeasonal } from './seasonal';
import { TICK_WASM_BASE64 } from './tickWasm';

/** The tick kernel's exports (core/wasm/tick.ts). */
interface TickExports {
  tick(
    first: number,
    count: number,
    ts: number,
    vAt: number,
    sAt: number,
    pAt: number,
    tAt: number,
    qAt: number
  ): number;
  layoutOf(k: number): number;
  windowQuartiles(o: number, cap: number, q: number): void;
}

/** The plan numbers the kernel is compiled for (PLAN_NUMBERS' first: sizes, stride, offsets). */
const LAYOUT_NUMBERS = 9;

/**
 * The part of the WebAssembly API used here, typed locally: core compiles without DOM or Node
 * typings, and a global declaration would clash with theirs in the projects that have them.
 */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer };
}

/** Largest slab put in WebAssembly memory (wasm32 addresses 4 GiB; beyond this the JS kernel runs). */
const MAX_BYTES = 2 ** 31;
const PAGE_BYTES = 65_536;

/** The functions the kernel imports from the host (its `vigil` module). */
function hostImports(
  rebuildSeasonal: (sp: number, wr: number, cap: number) => void,
  clearSeasonal: (sp: number) => void,
  pow: (x: number, y: number) => number
): Record<string, unknown> {
  return { rebuildSeasonal, clearSeasonal, pow };
}

/** The compiled kernel and the plan numbers it was compiled for (its `layoutOf`). */
interface Compiled {
  api: WasmApi;
  module: object;
  layout: number[];
}

let compiled: Compiled | null | undefined;

/**
 * The compiled tick kernel, or null where WebAssembly is missing or will not compile synchronously
 * (browsers allow only small modules on the main thread): DetectorBank then runs the JS kernel.
 */
function tickModule(): Compiled | null {
  if (compiled === undefined) {
    compiled = null;
    const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    try {
      if (api) {
        const bytes = Uint8Array.from(atob(TICK_WASM_BASE64), (c) => c.charCodeAt(0));
        const module = new api.Module(bytes);
        // an instance on one page, only to read which sizes the kernel was compiled for
        const none = () => 0;
        const imports = { env: { memory: new api.Memory({ initial: 1 }) }, vigil: hostImports(none, none, none) };
        const probe = new api.Instance(module, imports).exports as TickExports;
        const layout = Array.from({ length: LAYOUT_NUMBERS }, (_, k) => probe.layoutOf(k));
        compiled = { api, module, layout };
      }
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/**
 * A DetectorBank's slab in WebAssembly memory, with the tick kernel over it (core/wasm/tick.ts:
 * pushRun's arithmetic, statement for statement; same scores bit for bit). Memory, in doubles: the
 * slab, then the tick's values and scores, the plan's numbers, the score table, and the window
 * quartiles' output and scratch. The memory never grows, so the slab view stays valid for the
 * bank's life.
 */
export class WasmTick {
  /** The bank's slab: a view of the memory, also read and written by the JS side as usual. */
  readonly slab: Float64Array;
  private readonly mem: Float64Array;
  private readonly exports: TickExports;
  private readonly size: number;
  private readonly vAt: number;
  private readonly sAt: number;
  private readonly pAt: number;
  private readonly tAt: number;
  private readonly qAt: number;
  private readonly scoresOut: Float64Array;

  private constructor(api: WasmApi, module: object, plan: KernelPlan, size: number, doubles: number) {
    const slabLength = size * plan.lay.stride;
    this.size = size;
    this.vAt = slabLength;
    this.sAt = this.vAt + size;
    this.pAt = this.sAt + size;
    this.tAt = this.pAt + plan.num.length;
    this.qAt = this.tAt + plan.table.length;
    const memory = new api.Memory({ initial: Math.ceil((doubles * 8) / PAGE_BYTES) });
    const f = new Float64Array(memory.buffer);
    const host = hostImports(
      (sp: number, wr: number, cap: number) => rebuildSeasonal(f, sp, f, wr, cap),
      (sp: number) => clearSeasonal(f, sp),
      Math.pow
    );
    const instance = new api.Instance(module, { env: { memory }, vigil: host });
    this.exports = instance.exports as unknown as TickExports;
    this.mem = f;
    this.slab = f.subarray(0, slabLength);
    this.scoresOut = f.subarray(this.sAt, this.sAt + size);
    f.set(plan.num, this.pAt);
    f.set(plan.table, this.tAt);
  }

  /**
   * The kernel for `size` series of this plan, or null where it cannot run: WebAssembly missing,
   * guide scoring (the kernel scores likelihood only), sizes other than those it was compiled for
   * (the defaults), or a slab too large for wasm32 memory.
   */
  static create(plan: KernelPlan, size: number): WasmTick | null {
    const cap = plan.num[0];
    const doubles = size * (plan.lay.stride + 2) + plan.num.length + plan.table.length + 3 + 2 * cap + 68;
    const wasm = plan.guide || doubles * 8 > MAX_BYTES ? null : tickModule();
    if (!wasm || wasm.layout.some((v, k) => v !== plan.num[k])) {
      return null;
    }
    return new WasmTick(wasm.api, wasm.module, plan, size, doubles);
  }

  /** The quartiles of the window at `o` in the memory, as windowQuartiles gives them (for tests). */
  quartiles(o: number, cap: number): Float64Array {
    this.exports.windowQuartiles(o, cap, this.qAt);
    return this.mem.slice(this.qAt, this.qAt + 3);
  }

  /** One tick of every series: as pushRun(plan, slab, 0, size, 1, values, 0, [ts], 0, 0, scores). */
  tick(values: Float64Array, ts: number, scores: Float64Array | null): number {
    this.mem.set(values, this.vAt);
    const anomalies = this.exports.tick(0, this.size, ts, this.vAt, this.sAt, this.pAt, this.tAt, this.qAt);
    if (scores !== null) {
      scores.set(this.scoresOut);
    }
    return anomalies;
  }
}
