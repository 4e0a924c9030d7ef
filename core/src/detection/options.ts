import type { DetectorOptions } from './types';

/** Options with every default filled in. */
export type ResolvedDetectorOptions = Required<DetectorOptions>;

/** The guide's defaults (AdvancedAnomalyDetector), plus the likelihood step's alert threshold. */
export const DEFAULT_DETECTOR_OPTIONS: ResolvedDetectorOptions = {
  windowSize: 100,
  sensitivity: 3,
  trendLength: 20,
  minSamples: 10,
  utcOffsetMinutes: 0,
  scoring: 'likelihood',
  alertThreshold: 0.5,
};

/** Validates options and fills in defaults; a bad option throws an error that names it. */
export function resolveDetectorOptions(o: DetectorOptions = {}): ResolvedDetectorOptions {
  const r = { ...DEFAULT_DETECTOR_OPTIONS, ...o };
  const bad = (name: string, why: string) => new RangeError(`detector option ${name}: ${why}`);
  if (!Number.isInteger(r.windowSize) || r.windowSize < 20) {
    throw bad('windowSize', `must be an integer >= 20, got ${r.windowSize}`);
  }
  if (!(r.sensitivity > 0) || !Number.isFinite(r.sensitivity)) {
    throw bad('sensitivity', `must be a positive number, got ${r.sensitivity}`);
  }
  if (!Number.isInteger(r.trendLength) || r.trendLength < 4 || r.trendLength % 2 !== 0) {
    throw bad('trendLength', `must be an even integer >= 4, got ${r.trendLength}`);
  }
  if (!Number.isInteger(r.minSamples) || r.minSamples < 2 || r.minSamples > r.windowSize) {
    throw bad('minSamples', `must be an integer in [2, windowSize], got ${r.minSamples}`);
  }
  if (!Number.isFinite(r.utcOffsetMinutes) || Math.abs(r.utcOffsetMinutes) > 14 * 60) {
    throw bad('utcOffsetMinutes', `must be within ±840, got ${r.utcOffsetMinutes}`);
  }
  if (r.scoring !== 'guide' && r.scoring !== 'likelihood') {
    throw bad('scoring', `must be "guide" or "likelihood", got ${JSON.stringify(r.scoring)}`);
  }
  if (!(r.alertThreshold > 0 && r.alertThreshold <= 1)) {
    throw bad('alertThreshold', `must be in (0, 1], got ${r.alertThreshold}`);
  }
  return r;
}
