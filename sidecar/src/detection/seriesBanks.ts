import { DetectorBank, type DetectorOptions, type StreamingDetector, type WindowStats } from '@vigil/core';

/** Slots of the first bank; each new bank doubles the capacity, up to {@link MAX_CHUNK}. */
const FIRST_CHUNK = 64;
const MAX_CHUNK = 1024;

/**
 * A detector's series in DetectorBanks (the kernel `npm run bench:detect` measures), addressed by
 * slot: a slot is allocated when a series appears and freed when it is gone, and more banks are
 * added as series come (a bank's size is fixed: its slab may live in WebAssembly memory). A tick
 * pushes the points set for it through every bank holding one; slots without a point get NaN,
 * which the kernel skips without learning.
 */
export class SeriesBanks {
  private readonly banks: DetectorBank[] = [];
  private readonly values: Float64Array[] = [];
  /** Points set for the next tick, per bank. */
  private readonly pending: number[] = [];
  private readonly freeSlots: number[] = [];
  /** First slot of each bank, and each slot's bank (slot → bank in O(1): it is looked up per point). */
  private readonly starts: number[] = [];
  private readonly bankIndex: number[] = [];
  private capacity = 0;

  constructor(private readonly options: DetectorOptions) {
    this.grow();
  }

  /** What a saved slab depends on (DetectorBank.stateSignature). */
  get stateSignature(): string {
    return this.banks[0].stateSignature;
  }

  /** Slots in all banks (used or free). */
  get slots(): number {
    return this.capacity;
  }

  /** Which kernel the banks run (DetectorBank.kernel). */
  get kernel(): 'wasm' | 'js' {
    return this.banks[0].kernel;
  }

  /**
   * The window part of the banks' state layout (DetectorBank.windows, core's slabWindow.ts): a
   * saved state leaves out the window's points, which the datasource gives back.
   */
  get windows(): DetectorBank['windows'] {
    return this.banks[0].windows;
  }

  /** A slot for a new series, starting afresh. */
  alloc(): number {
    if (this.freeSlots.length === 0) {
      this.grow();
    }
    return this.freeSlots.pop() as number;
  }

  /** Frees a slot (its series is gone); its state is reset. */
  free(slot: number): void {
    const k = this.bankOf(slot);
    this.banks[k].reset(slot - this.starts[k]);
    this.freeSlots.push(slot);
  }

  /** The slot's series as a StreamingDetector (a view of its state: detect(), pushMany()). */
  detector(slot: number): StreamingDetector {
    const k = this.bankOf(slot);
    return this.banks[k].detector(slot - this.starts[k]);
  }

  /** Timestamp of the slot's last learned point (−Infinity before the first). */
  lastTimestamp(slot: number): number {
    const k = this.bankOf(slot);
    return this.banks[k].lastTimestamp(slot - this.starts[k]);
  }

  /** Score of the slot's last point. */
  score(slot: number): number {
    const k = this.bankOf(slot);
    return this.banks[k].score(slot - this.starts[k]);
  }

  /** Reason code of the slot's last point (DetectorBank.reasonCode). */
  reasonCode(slot: number): number {
    const k = this.bankOf(slot);
    return this.banks[k].reasonCode(slot - this.starts[k]);
  }

  /** Whether the slot's last point was an anomaly. */
  isAnomaly(slot: number): boolean {
    const k = this.bankOf(slot);
    return this.banks[k].isAnomaly(slot - this.starts[k]);
  }

  /** Baseline statistics of the slot's window now (DetectorBank.windowStats). */
  windowStats(slot: number): WindowStats | null {
    const k = this.bankOf(slot);
    return this.banks[k].windowStats(slot - this.starts[k]);
  }

  /** A copy of the slot's state (DetectorBank.stateOf). */
  stateOf(slot: number): Float64Array {
    const k = this.bankOf(slot);
    return this.banks[k].stateOf(slot - this.starts[k]);
  }

  /** The slot's state as a saved row holds it (DetectorBank.savedParts). */
  savedParts(slot: number): ReturnType<DetectorBank['savedParts']> {
    const k = this.bankOf(slot);
    return this.banks[k].savedParts(slot - this.starts[k]);
  }

  /** Loads a saved state into the slot (DetectorBank.load). */
  load(slot: number, state: ArrayLike<number>): void {
    const k = this.bankOf(slot);
    this.banks[k].load(slot - this.starts[k], state);
  }

  /** The slot starts afresh. */
  reset(slot: number): void {
    const k = this.bankOf(slot);
    this.banks[k].reset(slot - this.starts[k]);
  }

  /** Sets the slot's point for the next {@link tick}. */
  set(slot: number, value: number): void {
    const k = this.bankOf(slot);
    this.values[k][slot - this.starts[k]] = value;
    this.pending[k]++;
  }

  /**
   * Pushes the points set since the last tick, all at `timestamp`, through the kernel; calls
   * `anomaly(slot)` for each that was an anomaly. Same results as detector(slot).push(value, timestamp).
   */
  tick(timestamp: number, anomaly: (slot: number) => void): void {
    for (let k = 0; k < this.banks.length; k++) {
      if (this.pending[k] === 0) {
        continue;
      }
      const b = this.banks[k];
      const v = this.values[k];
      const n = b.pushTick(v, timestamp);
      if (n > 0) {
        for (let i = 0; i < b.size; i++) {
          if (v[i] === v[i] && b.isAnomaly(i)) {
            anomaly(this.starts[k] + i);
          }
        }
      }
      v.fill(Number.NaN);
      this.pending[k] = 0;
    }
  }

  private grow(): void {
    const k = this.banks.length;
    const size = sizeOf(k);
    this.banks.push(new DetectorBank(size, this.options));
    this.values.push(new Float64Array(size).fill(Number.NaN));
    this.pending.push(0);
    this.starts.push(this.capacity);
    for (let i = 0; i < size; i++) {
      this.bankIndex.push(k);
    }
    // pop() hands out the lowest slots first
    for (let i = size - 1; i >= 0; i--) {
      this.freeSlots.push(this.capacity + i);
    }
    this.capacity += size;
  }

  private bankOf(slot: number): number {
    if (!(slot >= 0 && slot < this.capacity)) {
      throw new RangeError(`series banks: no slot ${slot}`);
    }
    return this.bankIndex[slot];
  }
}

/** Size of the k-th bank: 64, 64, 128, 256, 512, 1024, 1024, … (capacity doubles up to 1024 a bank). */
function sizeOf(k: number): number {
  return k === 0 ? FIRST_CHUNK : Math.min(MAX_CHUNK, FIRST_CHUNK * 2 ** (k - 1));
}
