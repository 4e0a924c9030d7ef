/**
 * The zod schema of a {@link RuleBody} (see schema.ts for the normalization and config checks built
 * on it). Strict everywhere: a misspelt key is an error, not a silently ignored setting. Sizes are
 * bounded so one request cannot make the store or the engine hold arbitrary amounts of text.
 */
import { COMPARATORS, ERROR_HANDLING, NO_DATA_HANDLING, SEVERITIES, tryParseDuration } from '@vigil/core';
import { z } from 'zod';

/** Limits of a rule body, exported for the editor and the docs. */
export const RULE_LIMITS = {
  name: 200,
  description: 4096,
  query: 16384,
  labels: 64,
  labelValue: 4096,
  actions: 32,
  id: 128,
} as const;

const MAX_DURATION_MS = 365 * 86_400_000;

const finite = (what: string) => z.number({ error: `expected a finite number (${what})` });

/** Milliseconds of a Prometheus duration (`0s` included), or null when the text is not one. */
export const durationMs = (text: string): number | null => tryParseDuration(text);

const duration = (minMs: number, what: string) =>
  z
    .string({ error: `expected a duration such as "30s", "5m" or "1h" (${what})` })
    .max(64, 'duration too long')
    .superRefine((s, ctx) => {
      const ms = durationMs(s);
      if (ms === null) {
        ctx.addIssue({ code: 'custom', message: `expected a duration such as "30s", "5m" or "1h" (${what})` });
      } else if (ms < minMs) {
        ctx.addIssue({ code: 'custom', message: `must be at least ${minMs / 1000}s (${what})` });
      } else if (ms > MAX_DURATION_MS) {
        ctx.addIssue({ code: 'custom', message: `must be at most 365d (${what})` });
      }
    });

// Prometheus' label name syntax; names starting with `__` are reserved for its internal use.
const labelName = z
  .string()
  .regex(/^[a-zA-Z_][a-zA-Z0-9_]{0,127}$/, 'expected a label name ([a-zA-Z_][a-zA-Z0-9_]*, at most 128)')
  .refine((k) => !k.startsWith('__'), 'names starting with "__" are reserved');

const stringMap = (what: string) =>
  z
    .record(labelName, z.string().max(RULE_LIMITS.labelValue, `at most ${RULE_LIMITS.labelValue} characters`), {
      error: `expected an object of ${what}`,
    })
    .refine((m) => Object.keys(m).length <= RULE_LIMITS.labels, `at most ${RULE_LIMITS.labels} ${what}`);

const comparator = z.enum(COMPARATORS, { error: `expected one of ${COMPARATORS.join(' ')}` });
const orderOp = z.enum(['>', '>=', '<', '<='], { error: 'expected one of > >= < <=' });

/** The condition kinds of core's `Condition`, each strict, defaults filled as the guide gives them. */
export const conditionSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('threshold'), op: comparator, threshold: finite('threshold') }),
    z.strictObject({
      kind: z.literal('adaptive'),
      op: orderOp,
      threshold: finite('base threshold'),
      baselineDays: z.number().int().min(1).max(28).default(7),
      stddevs: z.number().positive().max(20).default(2),
      minSamples: z.number().int().min(1).max(1_000_000).default(100),
    }),
    z.strictObject({
      kind: z.literal('baseline'),
      op: comparator,
      threshold: finite('percent change'),
      baselineDays: z.number().int().min(1).max(28).default(7),
    }),
    z.strictObject({
      kind: z.literal('anomaly'),
      detector: z.string().min(1, 'must not be empty').max(64),
      minConfidence: z.number().min(0).max(1),
      fixedSeverity: z.boolean().default(false),
    }),
  ],
  { error: 'expected an object with kind threshold, adaptive, baseline or anomaly' }
);

/** A rule body as written (durations still text, defaults not yet applied). */
export const ruleBodySchema = z.strictObject(
  {
    id: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9_-]{0,127}$/,
        'expected 1-128 lower-case letters, digits, "_" or "-", starting with a letter or digit'
      )
      .optional(),
    name: z
      .string({ error: 'expected a string' })
      .trim()
      .min(1, 'must not be empty')
      .max(RULE_LIMITS.name, `at most ${RULE_LIMITS.name} characters`),
    description: z.string().max(RULE_LIMITS.description, `at most ${RULE_LIMITS.description} characters`).optional(),
    severity: z.enum(SEVERITIES, { error: `expected one of ${SEVERITIES.join(', ')}` }),
    /** `''` is the same as absent (normalized anomaly rules carry it). */
    datasource: z.string().max(64).optional(),
    query: z.string().max(RULE_LIMITS.query, `at most ${RULE_LIMITS.query} characters`).optional(),
    condition: conditionSchema,
    for: duration(0, 'for').optional(),
    keepFiringFor: duration(0, 'keepFiringFor').optional(),
    interval: duration(1000, 'interval').optional(),
    labels: stringMap('labels').optional(),
    annotations: stringMap('annotations').optional(),
    actions: z
      .array(z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'expected a channel name (letters, digits, _ . : -)'))
      .max(RULE_LIMITS.actions, `at most ${RULE_LIMITS.actions} actions`)
      .optional(),
    noDataState: z.enum(NO_DATA_HANDLING, { error: `expected one of ${NO_DATA_HANDLING.join(', ')}` }).optional(),
    execErrState: z.enum(ERROR_HANDLING, { error: `expected one of ${ERROR_HANDLING.join(', ')}` }).optional(),
    missingSeriesEvalsToResolve: z.number().int().min(1).max(1000).optional(),
    enabled: z.boolean().optional(),
  },
  { error: 'expected a JSON object' }
);
