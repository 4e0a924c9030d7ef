import { DetectorBank } from './bank';

/** A bank of one series fed `n` points `stepMs` apart: a daily cycle, noise, a NaN now and then. */
function fed(n: number, stepMs: number): DetectorBank {
  const bank = new DetectorBank(1);
  const t0 = Date.UTC(2024, 0, 1);
  for (let i = 0; i < n; i++) {
    const t = t0 + i * stepMs;
    const v = i % 97 === 13 ? Number.NaN : 50 + 10 * Math.sin((t / 86_400_000) * 2 * Math.PI) + ((i * 7919) % 13) / 7;
    bank.pushTick(Float64Array.of(v), t);
  }
  return bank;
}

describe('SlabWindow: the window part of a saved state', () => {
  it.each([
    ['30 s points: no seasonal offset, the trend ring repeats the window', 30_000, true],
    ['10-minute points: seasonal offsets applied, the trend ring is kept', 600_000, false],
  ])('%s', (_, stepMs, trend) => {
    const bank = fed(3000, stepMs);
    const state = bank.stateOf(0);
    const w = bank.windows;
    expect(w.windowPoints(state)).toBe(100);
    expect(w.trendIsWindow(state)).toBe(trend);
    const parts = bank.savedParts(0)!;
    expect(parts.trend).toBe(trend);
    expect(parts.windowFrom).toBe(w.windowStartMs(state));
    expect(parts.windowFrom).toBeLessThanOrEqual(Date.UTC(2024, 0, 1) + 2900 * stepMs);
    expect(Array.from(parts.values)).toEqual(Array.from(w.windowOf(state)!.values));
    // every value and hour index left out, put back bit for bit
    const zeroed = parts.slab.filter((x, i) => x !== state[i]).length;
    expect(zeroed).toBeGreaterThanOrEqual(trend ? 200 : 190);
    w.putWindow(parts.slab, parts.values, parts.hours, parts.trend);
    expect(Array.from(parts.slab)).toEqual(Array.from(state));
    // and the series goes on as if never saved
    const other = new DetectorBank(1);
    other.load(0, parts.slab);
    const t = Date.UTC(2024, 0, 1) + 3000 * stepMs;
    bank.pushTick(Float64Array.of(99), t);
    other.pushTick(Float64Array.of(99), t);
    expect(Array.from(other.stateOf(0))).toEqual(Array.from(bank.stateOf(0)));
  });

  it('refuses a window of the wrong length', () => {
    const bank = fed(50, 30_000);
    const parts = bank.savedParts(0)!;
    expect(parts.values.length).toBe(49); // the NaN at point 13 is not learned
    expect(() => bank.windows.putWindow(parts.slab, parts.values.subarray(1), parts.hours)).toThrow(RangeError);
  });
});
