import { bucketMeans, defaultAt, hourOfDay, weekHour, windowPoints } from './seasonalBuckets';

describe('seasonal buckets (UTC)', () => {
  it('weekHour agrees with Date.getUTCDay/getUTCHours, before 1970 too', () => {
    let seed = 3;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 500; i++) {
      const t = Math.floor((rnd() - 0.2) * 4e12);
      const d = new Date(t);
      expect([weekHour(t), hourOfDay(t)]).toEqual([d.getUTCDay() * 24 + d.getUTCHours(), d.getUTCHours()]);
    }
    expect(weekHour(Date.UTC(2026, 0, 17, 16))).toBe(6 * 24 + 16); // a Saturday
    expect(weekHour(Date.UTC(2026, 0, 18, 0))).toBe(0); // Sunday midnight
  });

  it('windows are [at − days, at), finite values only', () => {
    const D = 86_400_000;
    const pts: Array<[number, number]> = [
      [10 * D, 1],
      [10 * D + 1, 2],
      [17 * D - 1, 3],
      [17 * D, 4],
      [12 * D, NaN],
    ];
    expect(windowPoints(pts, 17 * D, 7)).toEqual([
      [10 * D, 1],
      [10 * D + 1, 2],
      [17 * D - 1, 3],
    ]);
    expect(defaultAt(pts)).toBe(17 * D + 1);
    expect(defaultAt([])).toBe(0);
  });

  it('bucketMeans gives 0 for empty buckets', () => {
    expect(bucketMeans([[0, 2], [1, 4]], 3, (t) => t)).toEqual({ mean: [2, 4, 0], count: [1, 1, 0] });
  });
});
