import { DailyProfile } from './dailyProfile';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);

describe('DailyProfile slots', () => {
  it.each([96, 7, 1440, 13])('puts a point on a slot edge in that slot, whatever came before (%i slots)', (buckets) => {
    const afresh = (t: number) => new DailyProfile(buckets).bucket(t);
    const walked = new DailyProfile(buckets);
    for (let k = 0; k < buckets; k++) {
      const edge = T0 + Math.ceil((k * DAY) / buckets);
      // the millisecond before the edge first (it caches slot k − 1 and its edges), then the edge
      if (k > 0) {
        expect(walked.bucket(edge - 1)).toBe(k - 1);
      }
      expect(walked.bucket(edge)).toBe(k);
      expect(afresh(edge)).toBe(k);
      expect(afresh(edge - 1)).toBe(k === 0 ? buckets - 1 : k - 1);
    }
  });
});
