/**
 * Severity of an anomaly alert from the detector's confidence: the guide's mapping in "Anomaly Alert
 * Integration" (> 0.9 error, > 0.7 warning, else info).
 */
import type { Severity } from './types';

/** The guide's confidence → severity mapping: > 0.9 `error`, > 0.7 `warning`, else `info`. */
export function confidenceSeverity(confidence: number): Severity {
  if (confidence > 0.9) {
    return 'error';
  }
  if (confidence > 0.7) {
    return 'warning';
  }
  return 'info';
}
