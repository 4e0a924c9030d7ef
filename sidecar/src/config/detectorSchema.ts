import { DEFAULT_DETECTOR_OPTIONS, DEFAULT_SCORER_PARAMS, resolveDetectorOptions } from '@vigil/core';
import { z } from 'zod';
import { parseDuration } from './duration';

/**
 * The `detectors:` part of the configuration schema (see schema.ts): anomaly detectors the sidecar
 * evaluates on a schedule. Each runs `query` against `datasource` every `interval`, one
 * StreamingDetector (from @vigil/core) per returned series.
 */

const DAY_MS = 86_400_000;
/** Most points a warm start may read per series (lookback / step). */
export const MAX_WARM_POINTS = 200_000;

const duration = (what: string) =>
  z.string().refine((s) => parseDuration(s) !== null, `expected a duration such as "30s", "5m" or "1h" (${what})`);

/** Options passed to core's StreamingDetector; every one has the guide's default. */
export const detectorOptionsSchema = z.strictObject({
  windowSize: z.number().int().min(20).optional(),
  sensitivity: z.number().positive().optional(),
  trendLength: z.number().int().min(4).optional(),
  minSamples: z.number().int().min(2).optional(),
  utcOffsetMinutes: z.number().min(-840).max(840).optional(),
  scoring: z.enum(['guide', 'likelihood']).optional(),
  alertThreshold: z.number().gt(0).max(1).optional(),
});

/** One configured detector as written in YAML. */
export const detectorSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'expected 1-64 letters, digits, "_", ".", ":" or "-"'),
  /** Name of a configured datasource. */
  datasource: z.string().min(1, 'must not be empty'),
  /** PromQL, or InfluxQL (may use $timeFilter and $__interval). */
  query: z.string().min(1, 'must not be empty'),
  interval: duration('how often the detector runs').default('30s'),
  /** Resolution of the queried series; default: the interval. */
  step: duration('resolution of the series').optional(),
  /** History read at start-up to warm the detector; default: see {@link defaultLookbackMs}. */
  lookback: duration('history read at start-up').optional(),
  options: detectorOptionsSchema.prefault({}),
  /** Labels added to every event of this detector (e.g. team, service). */
  labels: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected a label name'), z.string()).default({}),
  /** An event closes after this many consecutive normal points. */
  closeAfter: z.number().int().min(1).max(1000).default(3),
  /** Most series one query may return; more is an error of that run (protects against cardinality blow-ups). */
  maxSeries: z.number().int().min(1).max(10_000).default(500),
  enabled: z.boolean().default(true),
  /** How long this detector's anomaly events (and states of series gone) are kept; pruned hourly. */
  retention: duration('how long anomaly events are kept').default('30d'),
});

/** A parsed detector entry (durations still as text). */
export type RawDetector = z.infer<typeof detectorSchema>;

/** A detector with its durations resolved to milliseconds. */
export type DetectorConfig = Omit<RawDetector, 'interval' | 'step' | 'lookback' | 'retention'> & {
  intervalMs: number;
  /** How long anomaly events are kept (`retention`, default 30 days). */
  retentionMs: number;
  stepMs: number;
  lookbackMs: number;
};

/**
 * Default warm-start history: enough points to fill the window and the likelihood step's learning
 * period ((windowSize + 300) · step), and at least one day, so the detector has seen a daily peak
 * (and its range) before it judges today's. Restarts with persisted state only read the gap.
 */
export function defaultLookbackMs(stepMs: number, windowSize = DEFAULT_DETECTOR_OPTIONS.windowSize): number {
  return Math.max((windowSize + DEFAULT_SCORER_PARAMS.learningPeriod) * stepMs, DAY_MS);
}

/** Resolves durations to milliseconds (the schema has already validated them). */
export function resolveDetector(d: RawDetector): DetectorConfig {
  const { interval, step, lookback, retention, ...rest } = d;
  const intervalMs = parseDuration(interval) as number;
  const stepMs = step === undefined ? intervalMs : (parseDuration(step) as number);
  const lookbackMs =
    lookback === undefined
      ? Math.min(defaultLookbackMs(stepMs, d.options.windowSize), MAX_WARM_POINTS * stepMs)
      : (parseDuration(lookback) as number);
  return { ...rest, intervalMs, stepMs, lookbackMs, retentionMs: parseDuration(retention) as number };
}

/** Cross-field checks of one detector (datasource reference, option ranges); calls `issue` per problem. */
export function checkDetector(
  d: RawDetector,
  datasources: readonly string[],
  issue: (path: Array<string | number>, message: string) => void
): void {
  if (!datasources.includes(d.datasource)) {
    const known = datasources.length ? `configured: ${datasources.join(', ')}` : 'no datasources are configured';
    issue(['datasource'], `unknown datasource "${d.datasource}" (${known})`);
  }
  try {
    resolveDetectorOptions(d.options);
  } catch (err) {
    // core names the option: "detector option minSamples: must be ..."
    const m = /^detector option (\w+): (.*)$/.exec((err as Error).message);
    issue(m ? ['options', m[1]] : ['options'], m ? m[2] : (err as Error).message);
  }
  const durations = [d.interval, d.step, d.lookback, d.retention].filter((x): x is string => x !== undefined);
  if (!durations.every((x) => parseDuration(x) !== null)) {
    return;
  } // already reported by the schema
  const r = resolveDetector(d);
  if (r.lookbackMs < r.stepMs) {
    issue(['lookback'], 'must be at least one step');
  }
  if (r.lookbackMs / r.stepMs > MAX_WARM_POINTS) {
    issue(['lookback'], `covers ${Math.ceil(r.lookbackMs / r.stepMs)} points; at most ${MAX_WARM_POINTS} per series`);
  }
}
