/** mulberry32: a small seeded PRNG, so generated test series are the same on every run. */
export function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Options of {@link testSeries}. */
export interface TestSeriesOptions {
  /** Number of points (one a minute from 2026-01-01 00:00 UTC). */
  n: number;
  /** Points of a full sine cycle (0: no cycle). */
  period?: number;
  /** Peak-to-peak uniform noise. */
  noise?: number;
  /** Value added at these indices (a spike or dip). */
  spikes?: Record<number, number>;
  seed?: number;
}

/** A metric series for panel tests: 100 + 10·sin, seeded noise and optional spikes. */
export function testSeries({ n, period = 0, noise = 0, spikes = {}, seed = 1 }: TestSeriesOptions) {
  const rand = seeded(seed);
  const t0 = Date.UTC(2026, 0, 1);
  const times: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < n; i++) {
    times.push(t0 + i * 60_000);
    const cycle = period > 0 ? 10 * Math.sin((2 * Math.PI * i) / period) : 0;
    values.push(100 + cycle + noise * (rand() - 0.5) + (spikes[i] ?? 0));
  }
  return { times, values };
}
