import { StreamingDetector } from './detector';
import { ReferenceDetector } from './reference';
import { dailySeries, rng } from './synthetic';
import type { DetectionResult } from './types';

/** Deep comparison with a relative tolerance on numbers (sums are kept incrementally vs recomputed). */
function expectClose(a: unknown, b: unknown, path = 'result'): void {
  if (typeof a === 'number' && typeof b === 'number') {
    const tol = 1e-7 * Math.max(1, Math.abs(a), Math.abs(b));
    if (!(Math.abs(a - b) <= tol)) {
      throw new Error(`${path}: streaming ${a} vs reference ${b}`);
    }
    return;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      expectClose((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
    }
    return;
  }
  expect(`${path}=${String(a)}`).toBe(`${path}=${String(b)}`);
}

describe('streaming detector vs the guide algorithm recomputed per point', () => {
  it.each([
    ['hourly points with a daily cycle (hour-of-day pattern)', 3_600_000, 20, 'hour_of_day'],
    ['5-minute points (no pattern fits in the window)', 300_000, 5, 'none'],
    ['daily points (day-of-week pattern)', 86_400_000, 0, 'day_of_week'],
  ])('gives the same verdicts: %s', (_name, stepMs, amplitude, season) => {
    const { times, values } = dailySeries({ points: 800, stepMs, amplitude, noise: 2, seed: 21 });
    const u = rng(22);
    // weekday effect, spikes, dips, a level shift, a slope and a flat stretch
    const v = values.map((x, i) => {
      const dow = new Date(times[i]).getUTCDay();
      let y = x + (dow === 0 || dow === 6 ? -8 : 0);
      y += u() < 0.02 ? 25 : u() < 0.02 ? -25 : 0;
      y += i > 400 ? 10 : 0;
      y += i > 500 && i < 560 ? (i - 500) * 0.8 : 0;
      return i >= 600 && i < 720 ? 77 : y;
    });
    const fast = new StreamingDetector({ scoring: 'guide' });
    const slow = new ReferenceDetector();
    const seen = new Set<string>();
    let results: Array<[DetectionResult, DetectionResult]> = [];
    for (let i = 0; i < v.length; i++) {
      results.push([fast.detect(v[i], times[i]), slow.detect(v[i], times[i])]);
    }
    for (const [a, b] of results) {
      expectClose(a, b);
      seen.add(a.anomalyType).add(a.reason).add(a.seasonality);
    }
    // the series must have exercised the interesting paths, or this test would prove little
    expect(seen).toContain('zero_variance');
    expect(seen).toContain('extreme_high');
    expect(seen).toContain(season);
    expect(results.filter(([a]) => a.isAnomaly).length).toBeGreaterThan(5);
    results = [];
  });
});
