/**
 * The bench:panel workload: `series` metric series of `points` points each, one frame per series as a
 * Prometheus range query returns them (time + value), 15 s apart. Each series is a daily cycle plus
 * noise, with a few spikes, dips and a level shift the detector should mark. Seeded: every run and
 * both sides of the comparison draw the same values.
 */

/** One series' columns (the page turns them into DataFrames). */
export interface BenchSeries {
  name: string;
  times: number[];
  values: number[];
}

const STEP_MS = 15_000;
const START_MS = Date.UTC(2026, 0, 1);
const DAY_MS = 86_400_000;

/** mulberry32: a small seeded PRNG (the same numbers in Node and in the browser). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The workload: `count` series of `points` points (shared timestamps, as one query's series are). */
export function benchSeries(count: number, points: number): BenchSeries[] {
  const times = Array.from({ length: points }, (_, i) => START_MS + i * STEP_MS);
  const out: BenchSeries[] = [];
  for (let s = 0; s < count; s++) {
    const random = rng(1000 + s);
    const base = 100 + 20 * s;
    const amplitude = 10 + 2 * s;
    const values = new Array<number>(points);
    const shiftAt = Math.floor(points * (0.55 + 0.03 * s));
    for (let i = 0; i < points; i++) {
      const phase = (2 * Math.PI * ((times[i] - START_MS) % DAY_MS)) / DAY_MS;
      // Box-Muller normal noise
      const noise = Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
      let v = base + amplitude * Math.sin(phase + s) + noise * (2 + s * 0.2);
      if (i >= shiftAt) {
        v += amplitude * 1.5;
      }
      values[i] = v;
    }
    // a spike and a dip every ~10k points
    for (let k = 1; k * 10_000 < points; k++) {
      const at = k * 10_000 + s * 37;
      if (at < points) {
        values[at] += amplitude * 4;
      }
      if (at + 5_000 < points) {
        values[at + 5_000] -= amplitude * 4;
      }
    }
    out.push({ name: `series_${s}`, times, values });
  }
  return out;
}
