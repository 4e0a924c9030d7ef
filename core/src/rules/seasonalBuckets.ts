/**
 * Time buckets shared by the adaptive profile and the hourly baseline: hour of day and
 * (day of week × hour of day), both in UTC so a profile means the same on every machine.
 */

/** Milliseconds in a day. */
export const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Hour of day (0–23, UTC) of an epoch-ms time. */
export function hourOfDay(at: number): number {
  return Math.floor((((at % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS);
}

/** Slot 0–167 of the week (Sunday 00:00 UTC is 0, as `Date.getUTCDay`), one per hour. */
export function weekHour(at: number): number {
  // 1970-01-01 was a Thursday (day 4).
  const day = Math.floor(at / DAY_MS);
  const weekday = (((day + 4) % 7) + 7) % 7;
  return weekday * 24 + hourOfDay(at);
}

/** Points in [at − days, at): the window a profile built "at" `at` looks at. Non-finite values dropped. */
export function windowPoints(points: ReadonlyArray<readonly [number, number]>, at: number, days: number): Array<readonly [number, number]> {
  const from = at - days * DAY_MS;
  return points.filter(([t, v]) => t >= from && t < at && Number.isFinite(v) && Number.isFinite(t));
}

/** Means and counts per bucket, rounded-trip safe as JSON (means of empty buckets are 0). */
export function bucketMeans(points: ReadonlyArray<readonly [number, number]>, buckets: number, bucketOf: (t: number) => number) {
  const sum = new Array<number>(buckets).fill(0);
  const count = new Array<number>(buckets).fill(0);
  for (const [t, v] of points) {
    const b = bucketOf(t);
    sum[b] += v;
    count[b]++;
  }
  return { mean: sum.map((s, i) => (count[i] > 0 ? s / count[i] : 0)), count };
}

/** The profile time when none is given: just after the newest point, so every point counts. */
export function defaultAt(points: ReadonlyArray<readonly [number, number]>): number {
  let max = -Infinity;
  for (const [t] of points) {
    if (t > max) {
      max = t;
    }
  }
  return Number.isFinite(max) ? max + 1 : 0;
}
