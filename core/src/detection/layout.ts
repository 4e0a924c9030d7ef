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
/** Number of scalars after the ring. */
export const W_SCALARS = 5;

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
export const SP_ACC_LENGTH = SP_SC + 3;

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
/** Number of scalars after the ring. */
export const SC_SCALARS = 8;
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
/** Number of scalars before the per-slot triples. */
export const DP_S = 9;
