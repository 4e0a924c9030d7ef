import type { GraphThresholdsStyleConfig } from '@grafana/schema';
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
  /** Whether the incidents are listed under the chart (default true; off for a small panel). */
  showIncidents: boolean;
}

/** The options the detector runs with. */
export type DetectorSettings = Pick<AnomalyOptions, 'sensitivity' | 'window' | 'scoring'>;

/** The panel's own field options (custom field config), as Grafana's time series panel names them. */
export interface AnomalyFieldConfig {
  /** How the standard thresholds are drawn behind the series (`off` by default). */
  thresholdsStyle?: GraphThresholdsStyleConfig;
}

/** The guide's `AnomalyDetector(window_size=100, sensitivity=3.0)`, with core's default scoring. */
export const defaultAnomalyOptions: AnomalyOptions = {
  sensitivity: 3,
  window: 100,
  scoring: 'likelihood',
  showIncidents: true,
};
