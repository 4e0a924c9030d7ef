import { linearRegression, sampleStandardDeviation } from 'simple-statistics';
import { TrendTracker } from './trend';
import { gaussian } from './synthetic';

const slope = (ys: number[]) => linearRegression(ys.map((y, x) => [x, y])).m;

describe('TrendTracker', () => {
  it('computes the guide slopes and threshold like a regression over the last 20 points', () => {
    const g = gaussian(5);
    const t = new TrendTracker(20);
    const ys: number[] = [];
    let fired = 0;
    for (let i = 0; i < 400; i++) {
      const y = (i % 60 < 30 ? i % 60 : 60 - (i % 60)) + g();
      t.push(y);
      ys.push(y);
      const last = ys.slice(-20);
      const on = t.evaluate();
      if (ys.length < 20) {
        expect(on).toBe(false);
        continue;
      }
      const change = Math.abs(slope(last.slice(10)) - slope(last.slice(0, 10)));
      expect(t.slope).toBeCloseTo(slope(last), 9);
      expect(t.change).toBeCloseTo(change, 9);
      expect(on).toBe(change > 0.5 * sampleStandardDeviation(last));
      fired += on ? 1 : 0;
    }
    // the zig-zag turns every 30 points: the test must fire around turns and not everywhere
    expect(fired).toBeGreaterThan(5);
    expect(fired).toBeLessThan(200);
  });

  it('reports direction and treats a flat stretch as no trend change', () => {
    const t = new TrendTracker(4);
    [1, 1, 1, 1].forEach((v) => t.push(v));
    expect(t.evaluate()).toBe(false);
    [2, 4].forEach((v) => t.push(v));
    t.evaluate();
    expect(t.analysis().direction).toBe('increasing');
    expect(() => new TrendTracker(5)).toThrow(/even integer/);
  });
});
