import type { ScoringMode } from '@vigil/core';

/** Options of the anomaly overlay panel (defaults: the guide's AnomalyDetector, core's scoring). */
export interface AnomalyOptions {
  /** Standard deviations from the expected value that count as an anomaly (the band's half-width). */
  sensitivity: number;
  /** Number of recent points the detector learns from. */
  window: number;
  /**
   * How the detector decides a point is an anomaly (@vigil/core's `ScoringMode`): `likelihood` as the
   * sidecar does by default (one early mark per incident, after a learning period), or `guide`
   * (every point beyond the band, and the guide's trend changes).
   */
  scoring: ScoringMode;
}

/** The guide's `AnomalyDetector(window_size=100, sensitivity=3.0)`, with core's default scoring. */
export const defaultAnomalyOptions: AnomalyOptions = { sensitivity: 3, window: 100, scoring: 'likelihood' };
