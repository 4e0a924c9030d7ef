/** Options of the anomaly overlay panel (defaults: the guide's AnomalyDetector). */
export interface AnomalyOptions {
  /** Standard deviations from the expected value that count as an anomaly. */
  sensitivity: number;
  /** Number of recent points the detector learns from. */
  window: number;
}

/** The guide's `AnomalyDetector(window_size=100, sensitivity=3.0)`. */
export const defaultAnomalyOptions: AnomalyOptions = { sensitivity: 3, window: 100 };
