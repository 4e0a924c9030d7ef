/**
 * Offsets into the detector components' state arrays and their constants, shared by the components
 * and by fastPath.ts (the fused push path). Internal: not exported from the package.
 */

// rollingWindow.ts
// Scalars after the ring in RollingWindow's state array (index capacity + k; see `ring`).
export const W_PIVOT = 0;
export const W_SUM = 1;
export const W_SUM_SQ = 2;
export const W_INV_N = 3;
export const W_INV_NM1 = 4;
/** Ring position of the oldest value, values held, pushes since the sums were recomputed. */
export const W_HEAD = 5;
export const W_N = 6;
export const W_SINCE = 7;
/** Pushes ever made: the sorted copy RollingWindow keeps is valid only for the count it was made at. */
export const W_PUSHES = 8;
/** Number of scalars after the ring. */
export const W_SCALARS = 9;

// seasonal.ts
/** The guide: a pattern needs at least 3 samples per bucket… */
export const SP_MIN_SAMPLES = 3;
/**
 * …at least 12 hours of the day covered. The guide names day-of-week patterns without defining
 * them: we require all 7 days covered, and use the weekday pattern only where no hour-of-day
 * pattern is established (points a few hours or more apart). With both in one 100-point window, a
 * weekday bucket holding part of a day carries that part's daily-cycle bias, and adding it would
 * make the expected value jump at midnight.
 */
export const SP_MIN_HOURS = 12;
export const SP_MIN_DAYS = 7;
/** …and at least 50 points in the window before any pattern is looked for. */
export const SP_MIN_WINDOW = 50;
export const SP_HOUR_MS = 3_600_000;
/** Offset of the weekday buckets in SeasonalProfile's `acc`. */
export const SP_DAY = 48;
export const SP_DAY_MS = 86_400_000;
// Scalars after the buckets in SeasonalProfile's `acc` (index SC + k).
export const SP_SC = 2 * (24 + 7);
export const SP_CACHE_START = SP_SC;
export const SP_BUCKET_TS = SP_SC + 1;
export const SP_OFFSET_MS = SP_SC + 2;
/** Window slot of the oldest value, values held, cached hour and weekday, buckets with ≥ 3 samples. */
export const SP_HEAD = SP_SC + 3;
export const SP_N = SP_SC + 4;
export const SP_HOUR = SP_SC + 5;
export const SP_WEEKDAY = SP_SC + 6;
export const SP_HOURS_COVERED = SP_SC + 7;
export const SP_DAYS_COVERED = SP_SC + 8;
/** Index of the cached hour: hours since 1970-01-01T00:00 in the profile's time zone offset. */
export const SP_HOUR_INDEX = SP_SC + 9;
/** 1 while the buckets are kept (the window spans enough hours for a pattern), else 0: see seasonal.ts. */
export const SP_ACTIVE = SP_SC + 10;
export const SP_ACC_LENGTH = SP_SC + 11;
/** The hour index of window slot i, at [SP_SLOTS + i], follows the scalars. */
export const SP_SLOTS = SP_ACC_LENGTH;
/**
 * Hour indexes a window must span before a pattern can be established: 12 hours of the day take
 * at least 11 hours between the oldest and newest point (7 weekdays take far more).
 */
export const SP_ACTIVE_SPAN = SP_MIN_HOURS - 1;

// trend.ts: scalars after TrendTracker's ring (index length + k)
export const TR_HEAD = 0;
export const TR_N = 1;
export const TR_SCALARS = 2;

// scoring.ts
/** Table of {@link likelihoodScoreExact} on [0, SCORE_X_MAX] (beyond it the score is 1 within 1e-12). */
export const SC_SCORE_STEPS_PER_UNIT = 256;
export const SC_SCORE_X_MAX = 10;
// Scalars after the short-term ring in LikelihoodScorer's state array (index shortWindow + k).
export const SC_RECENT_SUM = 0;
export const SC_LONG_MEAN = 1;
export const SC_LONG_VAR = 2;
export const SC_MIN = 3;
export const SC_MAX = 4;
export const SC_ALPHA = 5;
export const SC_INV_Z_CAP = 6;
export const SC_INV_SHORT = 7;
export const SC_SEEN = 8;
export const SC_RECENT_HEAD = 9;
export const SC_COOLDOWN_LEFT = 10;
export const SC_SINCE_ALERT = 11;
export const SC_QUIET = 12;
export const SC_CALM = 13;
export const SC_ALERT_SD = 14;
export const SC_ROBUST_MEDIAN = 15;
export const SC_ROBUST_SD = 16;
export const SC_ROBUST_AGE = 17;
/** Number of scalars after the ring (the DailyProfile's array follows them). */
export const SC_SCALARS = 18;
/**
 * Cool-down points the re-arm rule's robust baseline (window median and IQR-based σ) is reused for
 * before the window is sorted again; a point that looks far out against it is measured afresh.
 */
export const SC_ROBUST_REFRESH = 50;
/** Score of a held-back alert: below any alert threshold, still ranked above ordinary points. */
export const SC_HELD_SCORE = 0.4;

// dailyProfile.ts
export const DP_DAY_MS = 86_400_000;
// Scalars at the head of DailyProfile's state array (see `slots`).
export const DP_START = 0;
export const DP_RESIDUAL_VAR = 1;
export const DP_VALUE_MEAN = 2;
export const DP_VALUE_VAR = 3;
export const DP_LAST_TS = 4;
export const DP_ALPHA_DT = 5;
export const DP_SAMPLE_ALPHA = 6;
export const DP_SLOT_START = 7;
export const DP_SLOT_END = 8;
/** Cached slot (of DP_SLOT_START..DP_SLOT_END), residuals and values seen (for the 1/n warm-up weights). */
export const DP_SLOT = 9;
export const DP_RESIDUAL_SEEN = 10;
export const DP_SEEN = 11;
/** Number of scalars before the per-slot triples. */
export const DP_S = 12;

// detector.ts: the head of a detector's slab (one Float64Array holding all of a series' state:
// this head, then the window, seasonal, trend and scorer regions; see slabLayout)
export const H_LAST_TS = 0;
export const H_SCORE = 1;
export const H_ANOMALY = 2;
/** Reason code of the last point: 0 ok, 1 insufficient_data, 2 zero_variance, 3 invalid_value, 4 out_of_order. */
export const H_REASON = 3;
export const H_SCALARS = 4;

/** Offsets of the regions of a detector's slab, and its length (`stride`: a multiple of 8 doubles). */
export interface SlabLayout {
  window: number;
  seasonal: number;
  trend: number;
  scorer: number;
  daily: number;
  stride: number;
}

/** The slab layout for these sizes (window, trend length, scorer's short window, daily slots). */
export function slabLayout(
  windowSize: number,
  trendLength: number,
  shortWindow: number,
  dailyBuckets: number
): SlabLayout {
  // the regions in an order that puts the scalars read on every point side by side: the window's
  // (after its ring), the trend ring and its scalars, the scorer's short ring and scalars, the daily
  // profile's scalars (before its slots); then the seasonal buckets, scalars and slot hour indexes
  const window = H_SCALARS;
  const trend = window + windowSize + W_SCALARS;
  const scorer = trend + trendLength + TR_SCALARS;
  const daily = scorer + shortWindow + SC_SCALARS;
  const seasonal = daily + DP_S + 3 * dailyBuckets;
  const end = seasonal + SP_ACC_LENGTH + windowSize;
  return { window, seasonal, trend, scorer, daily, stride: Math.ceil(end / 8) * 8 };
}
