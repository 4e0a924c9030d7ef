/**
 * "Change against a baseline" for business metrics: the series' average over the last
 * `baselineDays` (7) at the same hour of day, and the percent change of a value against it
 * ("orders 20% below their 7-day average at this hour").
 */
import { bucketMeans, defaultAt, hourOfDay, windowPoints } from './seasonalBuckets';

/** Per hour of day (UTC) the mean and sample count of the baseline window. Serializable (JSON). */
export interface HourlyBaseline {
  /** The time the baseline was built for: it covers [at − baselineDays, at). */
  at: number;
  baselineDays: number;
  hourMean: number[];
  hourCount: number[];
}

/**
 * Builds the hourly baseline from `[time, value]` points: those in [at − baselineDays, at), where
 * `at` defaults to just after the newest point. Non-finite values are ignored.
 */
export function buildHourlyBaseline(points: ReadonlyArray<readonly [number, number]>, baselineDays = 7, at = defaultAt(points)): HourlyBaseline {
  const window = windowPoints(points, at, baselineDays);
  const { mean, count } = bucketMeans(window, 24, hourOfDay);
  return { at, baselineDays, hourMean: mean, hourCount: count };
}

/**
 * Percent change of `value` against the baseline mean at `at`'s hour of day:
 * (value − mean) / |mean| · 100. Null when that hour holds no samples, its mean is 0 or the value is
 * not finite (no meaningful percentage).
 */
export function baselineChange(baseline: HourlyBaseline, at: number, value: number): number | null {
  const h = hourOfDay(at);
  const mean = baseline.hourMean[h];
  if (!(baseline.hourCount[h] > 0) || mean === 0 || !Number.isFinite(mean) || !Number.isFinite(value)) {
    return null;
  }
  return ((value - mean) / Math.abs(mean)) * 100;
}
