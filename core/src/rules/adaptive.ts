/**
 * The guide's AdaptiveThresholdManager ("Alerting Strategy" → "Adaptive Thresholds"):
 *
 *     threshold = mean + 2 · stddev · seasonal_factor, clamped to [0.5, 2] × base_threshold,
 *     the base threshold itself under 100 samples,
 *
 * over the last 7 days of the series. A profile is a small JSON object built from the history once
 * (the sidecar caches it per series); the threshold at any time is then computed from it.
 *
 * The guide leaves `detect_seasonal_pattern` unspecified. Vigil's seasonal factor at time `at` is the
 * mean of the series in the same (day of week, hour of day) slot, divided by the overall mean, when
 * that slot holds at least {@link MIN_SLOT_SAMPLES} samples; else the same ratio for the hour of day
 * alone when that hour holds enough; else 1. A non-positive overall mean gives 1 (a ratio would flip
 * or explode), and the factor is clamped to [0.1, 10]. So the band widens where the series is
 * habitually high (a daily peak) and narrows where it is low (the night): the same value can be an
 * anomaly at 03:00 and normal at 16:00.
 */
import type { AdaptiveCondition } from './types';
import { bucketMeans, defaultAt, hourOfDay, weekHour, windowPoints } from './seasonalBuckets';

/** Defaults of {@link AdaptiveCondition}'s optional fields (the guide's values). */
export const ADAPTIVE_DEFAULTS = { baselineDays: 7, stddevs: 2, minSamples: 100 } as const;
/** Samples a seasonal slot needs before its mean is trusted. */
export const MIN_SLOT_SAMPLES = 6;
/** Bounds of the seasonal factor. */
export const SEASONAL_FACTOR_RANGE = [0.1, 10] as const;

/** Statistics of a series' baseline window. Serializable (JSON), so it can be cached or stored. */
export interface AdaptiveProfile {
  /** The time the profile was built for: it covers [at − baselineDays, at). */
  at: number;
  baselineDays: number;
  samples: number;
  mean: number;
  /** Sample standard deviation (n − 1); 0 under two samples. */
  stddev: number;
  /** Mean and count per (day of week × 24 + hour of day), UTC: 168 entries each. */
  weekHourMean: number[];
  weekHourCount: number[];
  /** Mean and count per hour of day, UTC: 24 entries each. */
  hourMean: number[];
  hourCount: number[];
}

/** The threshold in force at a time, and how it was reached (reported with every evaluation). */
export interface AdaptiveThreshold {
  threshold: number;
  mean: number;
  stddev: number;
  seasonalFactor: number;
  samples: number;
  /** True when the computed threshold was clamped to [0.5, 2] × base. */
  clamped: boolean;
  /** True when the baseline had fewer than `minSamples` samples and the base threshold applies. */
  usedBase: boolean;
}

/**
 * Builds a profile from `[time, value]` points: those in [at − baselineDays, at) where `at` defaults
 * to just after the newest point. Non-finite values are ignored.
 */
export function buildAdaptiveProfile(
  points: ReadonlyArray<readonly [number, number]>,
  opts: { baselineDays?: number; at?: number } = {}
): AdaptiveProfile {
  const baselineDays = opts.baselineDays ?? ADAPTIVE_DEFAULTS.baselineDays;
  const at = opts.at ?? defaultAt(points);
  const window = windowPoints(points, at, baselineDays);
  // Welford: one pass, stable for large values with small spread.
  let n = 0;
  let mean = 0;
  let m2 = 0;
  for (const [, v] of window) {
    n++;
    const d = v - mean;
    mean += d / n;
    m2 += d * (v - mean);
  }
  const week = bucketMeans(window, 168, weekHour);
  const hour = bucketMeans(window, 24, hourOfDay);
  return {
    at,
    baselineDays,
    samples: n,
    mean,
    stddev: n > 1 ? Math.sqrt(m2 / (n - 1)) : 0,
    weekHourMean: week.mean,
    weekHourCount: week.count,
    hourMean: hour.mean,
    hourCount: hour.count,
  };
}

/** The seasonal factor at `at` (see the module comment for its definition). */
export function seasonalFactor(profile: AdaptiveProfile, at: number): number {
  if (!(profile.mean > 0)) {
    return 1;
  }
  let slotMean: number | null = null;
  const wh = weekHour(at);
  const h = hourOfDay(at);
  if (profile.weekHourCount[wh] >= MIN_SLOT_SAMPLES) {
    slotMean = profile.weekHourMean[wh];
  } else if (profile.hourCount[h] >= MIN_SLOT_SAMPLES) {
    slotMean = profile.hourMean[h];
  }
  if (slotMean === null) {
    return 1;
  }
  const [lo, hi] = SEASONAL_FACTOR_RANGE;
  return Math.min(hi, Math.max(lo, slotMean / profile.mean));
}

/**
 * The adaptive threshold in force at `at`: the base threshold under `minSamples` samples, else
 * mean + stddevs · stddev · seasonal factor clamped to [0.5, 2] × base (for a negative base the two
 * bounds swap, so the range stays min ≤ max). A missing profile counts as zero samples.
 */
export function adaptiveThreshold(
  profile: AdaptiveProfile | undefined,
  at: number,
  cond: Pick<AdaptiveCondition, 'threshold' | 'stddevs' | 'minSamples'>
): AdaptiveThreshold {
  const base = cond.threshold;
  const minSamples = cond.minSamples ?? ADAPTIVE_DEFAULTS.minSamples;
  const stddevs = cond.stddevs ?? ADAPTIVE_DEFAULTS.stddevs;
  if (profile === undefined || profile.samples < minSamples || profile.samples === 0) {
    return {
      threshold: base,
      mean: profile?.mean ?? 0,
      stddev: profile?.stddev ?? 0,
      seasonalFactor: 1,
      samples: profile?.samples ?? 0,
      clamped: false,
      usedBase: true,
    };
  }
  const factor = seasonalFactor(profile, at);
  const raw = profile.mean + stddevs * profile.stddev * factor;
  const lo = Math.min(0.5 * base, 2 * base);
  const hi = Math.max(0.5 * base, 2 * base);
  const threshold = Math.min(hi, Math.max(lo, raw));
  return {
    threshold,
    mean: profile.mean,
    stddev: profile.stddev,
    seasonalFactor: factor,
    samples: profile.samples,
    clamped: threshold !== raw,
    usedBase: false,
  };
}
