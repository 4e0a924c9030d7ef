import { baselineChange, buildHourlyBaseline } from './baseline';

const H = 3_600_000;
const D = 24 * H;
const T0 = Date.UTC(2026, 0, 5); // a Monday, 00:00 UTC

describe('hourly baseline', () => {
  // Orders: 100/h at 10:00 and 20/h at 03:00 every day of the last week, plus one older outlier.
  const points: Array<[number, number]> = [[T0 - 30 * D + 10 * H, 1e6]];
  for (let d = 0; d < 7; d++) {
    points.push([T0 + d * D + 10 * H, 100 + d], [T0 + d * D + 3 * H, 20]);
  }
  const at = T0 + 7 * D + 10 * H;
  const b = buildHourlyBaseline(points, 7, at);

  it('averages each hour of day over the window [at − days, at)', () => {
    expect(b.hourCount[10]).toBe(7);
    expect(b.hourMean[10]).toBeCloseTo(103); // 100..106; the 30-day-old outlier is out of the window
    expect(b.hourMean[3]).toBe(20);
    expect(b.hourCount[4]).toBe(0);
  });

  it('gives the percent change against the same hour', () => {
    expect(baselineChange(b, at, 82.4)).toBeCloseTo(-20);
    expect(baselineChange(b, T0 + 7 * D + 3 * H, 30)).toBeCloseTo(50);
  });

  it('is null without samples at that hour, for a zero mean, or a non-finite value', () => {
    expect(baselineChange(b, T0 + 4 * H, 10)).toBeNull();
    const zero = buildHourlyBaseline([[T0 + H, 0]], 7, T0 + 2 * H);
    expect(baselineChange(zero, T0 + D + H, 5)).toBeNull();
    expect(baselineChange(b, at, NaN)).toBeNull();
  });

  it('uses |mean| so a negative baseline keeps the sign of the change', () => {
    const neg = buildHourlyBaseline([[T0 + H, -50]], 7, T0 + 2 * H);
    expect(baselineChange(neg, T0 + D + H, -25)).toBeCloseTo(50);
  });

  it('defaults the time to just after the newest point and survives JSON', () => {
    const d = buildHourlyBaseline(points);
    expect(d.at).toBe(T0 + 6 * D + 10 * H + 1);
    expect(JSON.parse(JSON.stringify(d))).toEqual(d);
  });
});
