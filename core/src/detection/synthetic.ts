/**
 * Deterministic synthetic series for tests and benchmarks: a seeded generator (mulberry32) and a
 * daily-cycle series with noise, into which tests inject spikes, dips, level shifts and trends.
 */

/** A seeded uniform generator in [0, 1) (mulberry32: tiny, fast, good enough for test data). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seeded standard normal generator (Box–Muller). */
export function gaussian(seed: number): () => number {
  const u = rng(seed);
  return () => {
    const a = u() || Number.MIN_VALUE;
    return Math.sqrt(-2 * Math.log(a)) * Math.cos(2 * Math.PI * u());
  };
}

/** Options of {@link dailySeries}. */
export interface DailySeriesOptions {
  points: number;
  /** Milliseconds between points (default one hour). */
  stepMs?: number;
  /** First timestamp (default 2024-01-01T00:00:00Z). */
  start?: number;
  level?: number;
  /** Amplitude of the daily sine cycle (0 = none). */
  amplitude?: number;
  noise?: number;
  seed?: number;
}

/** A level plus a daily sine cycle plus Gaussian noise, with its timestamps. */
export function dailySeries(o: DailySeriesOptions): { times: number[]; values: number[] } {
  const step = o.stepMs ?? 3_600_000;
  const start = o.start ?? Date.UTC(2024, 0, 1);
  const g = gaussian(o.seed ?? 1);
  const times: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < o.points; i++) {
    const t = start + i * step;
    const phase = ((t % 86_400_000) / 86_400_000) * 2 * Math.PI;
    times.push(t);
    values.push((o.level ?? 100) + (o.amplitude ?? 0) * Math.sin(phase) + (o.noise ?? 1) * g());
  }
  return { times, values };
}
