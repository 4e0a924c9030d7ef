import type { AnomalyType, DetectionResult, ScoringMode } from './types';

/** The guide's alert severities for anomalies (`handle_detected_anomaly`). */
export type AnomalySeverity = 'error' | 'warning' | 'info';

/** Guide: confidence > 0.9 → error, > 0.7 → warning, else info. */
export function severityForConfidence(confidence: number): AnomalySeverity {
  if (confidence > 0.9) {
    return 'error';
  }
  return confidence > 0.7 ? 'warning' : 'info';
}

/** The guide's anomaly alert metadata, with the same keys (snake_case, as on the wire). */
export interface AnomalyMetadata {
  anomaly_type: AnomalyType;
  z_score: number;
  baseline_mean: number;
  baseline_stdev: number;
  confidence: number;
  severity: AnomalySeverity;
  /** Guide: 'ml_statistical'. */
  detection_method: 'ml_statistical';
  /** Ours: which scoring decided the verdict, and its score. */
  scoring: ScoringMode;
  anomaly_score: number;
  expected: number;
  lower: number;
  upper: number;
}

/** Metadata of an anomalous point, as the guide attaches it to the alert. */
export function anomalyMetadata(r: DetectionResult, scoring: ScoringMode): AnomalyMetadata {
  return {
    anomaly_type: r.anomalyType,
    z_score: r.zScore,
    baseline_mean: r.baseline ? r.baseline.mean : r.expected,
    baseline_stdev: r.baseline ? r.baseline.stddev : 0,
    confidence: r.confidence,
    severity: severityForConfidence(r.confidence),
    detection_method: 'ml_statistical',
    scoring,
    anomaly_score: r.anomalyScore,
    expected: r.expected,
    lower: r.lower,
    upper: r.upper,
  };
}

/**
 * The guide's alert message: "Anomaly in X: current=…, expected=…±…" (two decimals). The expected
 * value is the detector's (the window mean, or the seasonal expectation when that was used) and the
 * ± is the window's standard deviation, as in the guide.
 */
export function anomalyMessage(metric: string, r: DetectionResult): string {
  const sd = r.baseline ? r.baseline.stddev : 0;
  return `Anomaly in ${metric}: current=${r.value.toFixed(2)}, expected=${r.expected.toFixed(2)}±${sd.toFixed(2)}`;
}
