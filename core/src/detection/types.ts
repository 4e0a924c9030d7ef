import type { WindowStats } from './rollingWindow';
import type { SeasonalityKind } from './seasonal';
import type { TrendAnalysis } from './trend';

/**
 * The guide's anomaly classes (`_classify_anomaly_type`), plus `none` for points that are not
 * anomalous. Wire values are plain strings; this list is the one place they are spelled out (API
 * schema, panel parsing).
 */
export const ANOMALY_TYPES = [
  'extreme_high',
  'extreme_low',
  'trend_change_increasing',
  'trend_change_decreasing',
  'statistical_high',
  'statistical_low',
  'unknown',
  'none',
] as const;

/** One of {@link ANOMALY_TYPES}. */
export type AnomalyType = (typeof ANOMALY_TYPES)[number];

/**
 * Why a point got the verdict it got: `ok` when it was scored, else the guide's reasons for not
 * scoring (`insufficient_data`: fewer than `minSamples` points seen; `zero_variance`: the window is
 * flat so no z-score exists), `invalid_value` (NaN/±Infinity) or `out_of_order` (a timestamp not
 * after the last learned one, e.g. history re-fed after a restart); the last two are skipped, not
 * learned, so re-feeding overlapping history is harmless.
 */
export type DetectionReason = 'ok' | 'insufficient_data' | 'zero_variance' | 'invalid_value' | 'out_of_order';

/**
 * How `anomalyScore` and `isAnomaly` are produced. `guide`: exactly the guide's rule (|z| above the
 * sensitivity, or a trend change; score = confidence). `likelihood` (default): the guide's statistics
 * feed a raw surprise score, turned into an anomaly likelihood (how unusual the recent surprise is
 * compared with this series' own history) with a cool-down after each alert, which is what makes one
 * incident give one early alert (see scoring.ts).
 */
export type ScoringMode = 'guide' | 'likelihood';

/** Options of the streaming detector; every field has the guide's default. */
export interface DetectorOptions {
  /** Rolling window length in points (guide: 100). */
  windowSize?: number;
  /** Anomaly threshold in standard deviations (guide: 3). */
  sensitivity?: number;
  /** Points in the trend-change test (guide: 20, two halves of 10). */
  trendLength?: number;
  /** Points needed before any verdict (guide: 10). */
  minSamples?: number;
  /** Offset of the local time zone from UTC, for hour-of-day and day-of-week patterns (default 0). */
  utcOffsetMinutes?: number;
  /** Scoring mode (default `likelihood`). */
  scoring?: ScoringMode;
  /** `likelihood` mode: anomalyScore at or above which a point is an anomaly (default 0.5). */
  alertThreshold?: number;
}

/** The detector's baseline statistics for one point (the guide's `baselines[metric]`). */
export type BaselineStats = WindowStats;

/** Everything the detector says about one point, explainable as the guide's `detect_anomaly`. */
export interface DetectionResult {
  /** Timestamp of the point, ms since the epoch. */
  timestamp: number;
  value: number;
  isAnomaly: boolean;
  /** Anomaly score in [0, 1] (see {@link ScoringMode}). */
  anomalyScore: number;
  /**
   * Guide: min(|z| / sensitivity, 1), or the trend test's confidence when higher. With `likelihood`
   * scoring an anomaly's confidence is at least its `anomalyScore` (≥ alertThreshold), so a point
   * called an anomaly never says "confidence 0%".
   */
  confidence: number;
  /** Signed z-score of the value against `expected` (|zScore| is the guide's z_score without seasonality). */
  zScore: number;
  /** Expected value: window mean, adjusted by the seasonal pattern when that explains the value better. */
  expected: number;
  /** Expected band: expected ± sensitivity · stddev. */
  lower: number;
  upper: number;
  anomalyType: AnomalyType;
  reason: DetectionReason;
  /** Seasonal pattern used for `expected` (`none` when the plain mean was used). */
  seasonality: SeasonalityKind;
  /** Baseline statistics of the window before this point (null until `minSamples` points). */
  baseline: BaselineStats | null;
  trend: TrendAnalysis;
}
