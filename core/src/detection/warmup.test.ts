import { StreamingDetector } from './detector';
import { gaussian } from './synthetic';
import type { DetectionResult, DetectorOptions } from './types';

const T0 = Date.UTC(2024, 0, 1);
const MIN = 60_000;

/** `length` points of `level` with noise of σ `noise`, one a minute; `edit` changes them in place. */
function series(length: number, edit: (v: number[]) => void, level = 100, noise = 1, seed = 31): number[] {
  const g = gaussian(seed);
  const v = Array.from({ length }, () => level + noise * g());
  edit(v);
  return v;
}

function run(values: number[], opts: DetectorOptions = {}): DetectionResult[] {
  const d = new StreamingDetector(opts);
  return values.map((v, i) => d.detect(v, T0 + i * MIN));
}

const flagged = (out: DetectionResult[]) => out.map((r, i) => (r.isAnomaly ? i : -1)).filter((i) => i >= 0);

describe('likelihood scoring during its learning period', () => {
  it('flags an obvious spike at point 150 of a 6-hour, 1-minute series (360 points) as extreme_high, and nothing else', () => {
    const out = run(series(360, (v) => (v[150] = 130)));
    expect(flagged(out)).toEqual([150]);
    expect(out[150].anomalyType).toBe('extreme_high');
    expect(out[150].value).toBeGreaterThan(out[150].upper);
  });

  it('flags a dip during learning as extreme_low', () => {
    const out = run(series(360, (v) => (v[80] = 70)));
    expect(flagged(out)).toEqual([80]);
    expect(out[80].anomalyType).toBe('extreme_low');
  });

  it('stays quiet on ordinary noise and on a moderate bump during learning (the rule is conservative)', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const out = run(series(360, (v) => (v[200] = 103.5), 100, 1, seed));
      expect(flagged(out.slice(0, 300))).toEqual([]);
    }
  });

  it('does not mark the first point after learning for a spike that came just before it', () => {
    // a spike at 295 is flagged itself; the surprise it leaves in the short-term average must not
    // turn up as an unexplained alert at 301, inside the band
    const out = run(series(400, (v) => (v[295] = 125)));
    expect(flagged(out)).toEqual([295]);
    // a smaller one (below the fallback's robust threshold) is not pinned on an ordinary point either
    const small = run(series(400, (v) => (v[296] = 105.5)));
    expect(small.slice(297, 320).filter((r) => r.isAnomaly)).toEqual([]);
  });

  it('exposes its learning period, warm-up and warm state so callers need not read internal parameters', () => {
    const d = new StreamingDetector();
    expect(d.learningPeriod).toBe(300);
    expect(d.warmUpPoints).toBe(30);
    const v = series(301, () => undefined);
    v.slice(0, 300).forEach((x, i) => d.push(x, T0 + i * MIN));
    expect(d.isWarm).toBe(true);
    const g = new StreamingDetector({ scoring: 'guide' });
    expect(g.learningPeriod).toBe(0);
    expect(g.warmUpPoints).toBe(10);
    expect(g.isWarm).toBe(false);
    const fresh = new StreamingDetector();
    fresh.push(1, T0);
    expect(fresh.isWarm).toBe(false);
  });
});

describe('anomaly types explain the verdict', () => {
  it('never reports unknown, and every flagged point lies outside its band or beyond the range seen', () => {
    const bad: string[] = [];
    for (const seed of [41, 42, 43, 44, 45, 46]) {
      const u = gaussian(seed + 100);
      const values = series(
        3000,
        (v) => v.forEach((_, i) => (v[i] += (i % 500 > 480 ? 8 : 0) + (Math.abs(u()) > 3 ? 12 * Math.sign(u()) : 0))),
        100,
        2,
        seed
      );
      const d = new StreamingDetector();
      let lo = Infinity;
      let hi = -Infinity;
      values.forEach((x, i) => {
        const r = d.detect(x, T0 + i * MIN);
        // beyond the whole range seen counts (spatial novelty), provided it is past the 2σ band
        const twoSigma = ((r.upper - r.lower) / 6) * 2;
        const novel = (r.value > hi || r.value < lo) && Math.abs(r.value - r.expected) > twoSigma;
        const outside = r.value > r.upper || r.value < r.lower || novel;
        if (r.isAnomaly && (r.anomalyType === 'unknown' || r.anomalyType === 'none' || !outside)) {
          bad.push(`seed ${seed} point ${i}: ${r.anomalyType} ${r.value} in [${r.lower}, ${r.upper}]`);
        }
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
      });
    }
    expect(bad).toEqual([]);
  });
});

describe('robust expected band', () => {
  it('keeps its normal width after a spike instead of widening for the whole window', () => {
    // latency-like: 100 ms ± 5, one 2 s spike at point 400
    const values = series(600, (v) => (v[400] = 2000), 100, 5);
    const robust = run(values);
    const guide = run(values, { scoring: 'guide' });
    const widths = (out: DetectionResult[]) => out.slice(401, 500).map((r) => r.upper - r.lower);
    // ± 3σ with σ ≈ 5: about 30 ms wide (the guide's band, σ inflated by the spike, is ~1 s wide)
    expect(Math.max(...widths(robust))).toBeLessThan(45);
    expect(Math.min(...widths(guide))).toBeGreaterThan(500);
    expect(Math.min(...robust.slice(401, 500).map((r) => r.lower))).toBeGreaterThan(75);
    expect(Math.max(...robust.slice(401, 500).map((r) => Math.abs(r.expected - 100)))).toBeLessThan(3);
    // the guide's baseline statistics are still reported as they are (mean and σ include the spike)
    expect(robust[450].baseline?.stddev).toBeGreaterThan(100);
    expect(robust[450].baseline?.mean).toBeCloseTo(guide[450].baseline!.mean, 9);
  });
});
