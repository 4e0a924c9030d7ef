import { quantile, sampleStandardDeviation, mean } from 'simple-statistics';
import { QUARTILES, RollingWindow, windowQuartiles } from './rollingWindow';
import { gaussian, rng } from './synthetic';

describe('RollingWindow', () => {
  it('matches statistics recomputed from the raw window on a long stream with ties and jumps', () => {
    const g = gaussian(3);
    const u = rng(4);
    const w = new RollingWindow(37);
    const raw: number[] = [];
    for (let i = 0; i < 3000; i++) {
      // repeated values, level jumps and a large offset exercise the sorted copy and the pivot
      const v = u() < 0.2 ? 5 : 1e6 + (i > 1500 ? 50 : 0) + Math.round(g() * 10) / 2;
      w.push(v);
      raw.push(v);
      if (raw.length > 37) {
        raw.shift();
      }
      if (i % 7 === 0 && raw.length > 1) {
        const s = w.stats();
        expect(s.count).toBe(raw.length);
        expect(s.mean).toBeCloseTo(mean(raw), 6);
        expect(s.stddev).toBeCloseTo(sampleStandardDeviation(raw), 6);
        expect(s.median).toBe(quantile(raw, 0.5));
        expect(s.p95).toBe(quantile(raw, 0.95));
        expect(s.p99).toBe(quantile(raw, 0.99));
        expect(s.min).toBe(Math.min(...raw));
        expect(s.max).toBe(Math.max(...raw));
        expect(w.recent(0)).toBe(v);
      }
    }
  });

  it('round-trips through JSON and continues identically', () => {
    const g = gaussian(9);
    const a = new RollingWindow(20);
    for (let i = 0; i < 55; i++) {
      a.push(g());
    }
    const b = RollingWindow.fromJSON(JSON.parse(JSON.stringify(a)));
    for (let i = 0; i < 100; i++) {
      const v = g();
      a.push(v);
      b.push(v);
      expect(b.stats()).toEqual(a.stats());
    }
  });

  it('rejects a bad capacity and a corrupt state with a message naming the problem', () => {
    expect(() => new RollingWindow(1)).toThrow(/capacity must be an integer >= 2/);
    expect(() => RollingWindow.fromJSON({ capacity: 2, values: [1, 2, 3] } as never)).toThrow(
      /values.length <= capacity/
    );
    expect(() =>
      RollingWindow.fromJSON({ capacity: 3, values: [1, NaN], pivot: 0, sum: 0, sumSq: 0, sinceRecompute: 0 })
    ).toThrow(/non-finite value/);
  });
});

describe('windowQuartiles', () => {
  it('gives the quartiles quantile() gives, bit for bit, for every window size and shape', () => {
    let seed = 7;
    const rand = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (const cap of [2, 3, 4, 5, 7, 20, 100, 101, 300]) {
      const w = new RollingWindow(cap);
      for (let i = 0; i < 3 * cap; i++) {
        // ties, plateaus, negatives and outliers (most values in one bucket), which must rank as a
        // sort ranks them
        const r = rand();
        const v = i % 5 === 0 ? 42 : r < 0.1 ? 1e6 * rand() : r < 0.2 ? -rand() : Math.round(rand() * 20) / 4;
        w.push(v);
        windowQuartiles(w.ring, 0, cap);
        const got = Array.from(QUARTILES);
        const want = [w.quantile(0.25), w.quantile(0.5), w.quantile(0.75)];
        w.releaseSorted();
        if (!got.every((g, k) => Object.is(g, want[k]))) {
          throw new Error(`capacity ${cap}, push ${i}: ${got.join(',')} vs ${want.join(',')}`);
        }
      }
    }
  });
});
