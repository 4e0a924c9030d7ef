import { BUCKET_MS, FINAL_AFTER_MS, SloBucketCache, toEvents, withTail, type BucketRows } from './bucketCounts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 11, 1);

/** A reader over a model of 60 events a minute, 1 of them bad, that records what it was asked. */
function model(badAt: (t: number) => number = () => 1) {
  const asked: Array<[number, number]> = [];
  const read = async (fromEnd: number, toEnd: number): Promise<BucketRows> => {
    asked.push([fromEnd, toEnd]);
    const rows: BucketRows = new Map();
    for (let end = fromEnd; end <= toEnd; end += BUCKET_MS) {
      let side = 0;
      for (let t = end - BUCKET_MS + MIN; t <= end; t += MIN) {
        side += badAt(t);
      }
      rows.set(end, { side, total: 60 * 60 });
    }
    return rows;
  };
  return { read, asked };
}

describe('SloBucketCache', () => {
  it('sums whole hours of an aligned window and reads each hour once', async () => {
    const cache = new SloBucketCache();
    const m = model();
    const now = T0 + 30 * DAY;
    const c = await cache.windows('k', [DAY, 30 * DAY], now, m.read);
    expect(c.get(DAY)).toEqual({ side: 24 * 60, total: 24 * 3600 });
    expect(c.get(30 * DAY)).toEqual({ side: 30 * 24 * 60, total: 30 * 24 * 3600 });
    // The oldest hour of the 30-day window ends an hour after its start.
    expect(m.asked).toEqual([[now - 30 * DAY + HOUR, now]]);
  });

  it('pro-rates the oldest hour of an unaligned window (the tail is the caller’s)', async () => {
    const cache = new SloBucketCache();
    // Bad events only in the minutes of the first quarter of each hour.
    const m = model((t) => ((t % HOUR) / MIN > 0 && (t % HOUR) / MIN <= 15 ? 4 : 0));
    const now = T0 + 10 * DAY + 20 * MIN;
    const c = (await cache.windows('k', [DAY], now, m.read)).get(DAY)!;
    // 23 whole hours (60 bad each) and 40/60 of the oldest one.
    expect(c.total).toBeCloseTo(23 * 3600 + (40 / 60) * 3600, 6);
    expect(c.side).toBeCloseTo(23 * 60 + (40 / 60) * 60, 6);
  });

  it('reads only the new hour after an hour passes, and an hour read too early once more', async () => {
    const cache = new SloBucketCache();
    const m = model();
    const start = T0 + 5 * DAY;
    await cache.windows('k', [DAY], start + MIN, m.read);
    expect(m.asked).toEqual([[start - DAY + HOUR, start]]);
    // The last hour was read a minute after its end: read again until FINAL_AFTER_MS has passed.
    await cache.windows('k', [DAY], start + 2 * MIN, m.read);
    expect(m.asked[1]).toEqual([start, start]);
    await cache.windows('k', [DAY], start + FINAL_AFTER_MS + MIN, m.read);
    await cache.windows('k', [DAY], start + FINAL_AFTER_MS + 2 * MIN, m.read);
    expect(m.asked.length).toBe(3);
    // The next hour: only it.
    const c = await cache.windows('k', [DAY], start + HOUR + 10 * MIN, m.read);
    expect(m.asked[3]).toEqual([start + HOUR, start + HOUR]);
    expect(c.get(DAY)!.total).toBeCloseTo(23 * 3600 + (50 / 60) * 3600, 6);
  });

  it('keeps separate keys apart and drops hours no window reaches', async () => {
    const cache = new SloBucketCache();
    const a = model(() => 1);
    const b = model(() => 2);
    const now = T0 + 3 * DAY;
    expect((await cache.windows('a', [DAY], now, a.read)).get(DAY)!.side).toBe(24 * 60);
    expect((await cache.windows('b', [DAY], now, b.read)).get(DAY)!.side).toBe(24 * 120);
    expect(cache.size).toBe(2);
    // A day later the first day's hours are gone: the counts are still one day's.
    const later = await cache.windows('a', [DAY], now + DAY, a.read);
    expect(later.get(DAY)).toEqual({ side: 24 * 60, total: 24 * 3600 });
  });

  it('forgets a fresh entry whose read failed, and reads again next time', async () => {
    const cache = new SloBucketCache();
    const failing = async (): Promise<BucketRows> => {
      throw new Error('datasource down');
    };
    await expect(cache.windows('k', [DAY], T0 + DAY, failing)).rejects.toThrow('datasource down');
    expect(cache.size).toBe(0);
    const m = model();
    expect((await cache.windows('k', [DAY], T0 + DAY, m.read)).get(DAY)!.total).toBe(24 * 3600);
  });
});

describe('withTail and toEvents', () => {
  it('adds the tail and turns a bad count into good events', () => {
    const w = withTail(new Map([[DAY, { side: 10, total: 1000 }]]), { side: 1, total: 100 });
    expect(w.get(DAY)).toEqual({ side: 11, total: 1100 });
    expect(toEvents({ side: 11, total: 1100 }, false)).toEqual({ good: 1089, total: 1100 });
    expect(toEvents({ side: 1200, total: 1100 }, true)).toEqual({ good: 1100, total: 1100 });
  });
});
