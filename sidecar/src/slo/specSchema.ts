/**
 * The zod schema of Vigil's SLO spec, the YAML/JSON users write (spec.ts turns it into core's `Slo`).
 * Strict like the rule schema: a misspelt key is an error. A missing field says `required`, so a
 * message reads `sli.ratio.total: required`.
 */
import { checkTimeZone, formatDuration, hasWindow, tryParseDuration } from '@vigil/core';
import { z } from 'zod';

const DAY = 86_400_000;

/** Limits of an SLO spec, exported for the editor and the docs. */
export const SLO_LIMITS = {
  id: 128,
  name: 200,
  description: 4096,
  query: 16384,
  labels: 64,
  labelValue: 4096,
} as const;

/** `required` when the field is absent, else `expected <what>`. */
const expect = (what: string) => ({
  error: (iss: { input?: unknown }) => (iss.input === undefined ? 'required' : `expected ${what}`),
});

const text = (max: number) => z.string(expect('a string')).max(max, `at most ${max} characters`);
const nonEmpty = (max: number) => text(max).trim().min(1, 'must not be empty');

/** A Prometheus duration text within bounds. */
export const durationText = (minMs: number, maxMs: number) =>
  z.string(expect('a duration such as "5m" or "30d"')).superRefine((s, ctx) => {
    const ms = tryParseDuration(s);
    if (ms === null) {
      ctx.addIssue({ code: 'custom', message: `expected a duration such as "5m" or "30d", got ${JSON.stringify(s)}` });
    } else if (ms < minMs || ms > maxMs) {
      ctx.addIssue({
        code: 'custom',
        message: `must be between ${formatDuration(minMs)} and ${formatDuration(maxMs)}`,
      });
    }
  });

const query = text(SLO_LIMITS.query).min(1, 'must not be empty');
/** InfluxQL's window marker: the evaluation fills in each window's time range (`$__range` would be an unbound parameter). */
export const INFLUX_TIME_FILTER = /\$timeFilter\b/;
/**
 * A ratio query: an event count over a window the generator fills in. Either marker passes here;
 * `spec.ts` then asks for the one of the SLO's language.
 */
const windowedQuery = query.refine(
  (q) => hasWindow(q) || INFLUX_TIME_FILTER.test(q),
  'must contain $__range (or {{.window}}) where the window goes ($timeFilter in InfluxQL)'
);

const labelName = z
  .string()
  .regex(/^[a-zA-Z_][a-zA-Z0-9_]{0,127}$/, 'expected a label name ([a-zA-Z_][a-zA-Z0-9_]*)')
  .refine((k) => !k.startsWith('__'), 'names starting with "__" are reserved')
  .refine((k) => k !== 'slo_id' && k !== 'slo_service', 'slo_id and slo_service are set by Vigil');

const ratioSchema = z
  .strictObject(
    { good: windowedQuery.optional(), bad: windowedQuery.optional(), total: windowedQuery },
    expect('an object')
  )
  .superRefine((r, ctx) => {
    if ((r.good === undefined) === (r.bad === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'expected exactly one of good, bad' });
    }
  });

const latencySchema = z.strictObject(
  {
    histogram: z
      .string(expect('a metric name'))
      .regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, 'expected a metric name (the histogram without _bucket)'),
    matchers: text(4096).default(''),
    threshold: z.union(
      [durationText(1, 3_600_000), z.number().positive('must be positive').finite()],
      expect('a duration such as "500ms" or a number of seconds')
    ),
  },
  expect('an object')
);

const timesliceSchema = z.strictObject(
  {
    query,
    op: z.enum(['<', '<=', '>', '>='], expect('one of < <= > >=')),
    threshold: z.number(expect('a finite number')).finite(),
    slice: durationText(10_000, DAY).default('5m'),
  },
  expect('an object')
);

const sliSchema = z
  .strictObject(
    { ratio: ratioSchema.optional(), latency: latencySchema.optional(), timeslice: timesliceSchema.optional() },
    expect('an object with one of ratio, latency, timeslice')
  )
  .superRefine((s, ctx) => {
    const kinds = Object.keys(s).filter((k) => s[k as keyof typeof s] !== undefined);
    if (kinds.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: `expected exactly one of ratio, latency, timeslice, got ${kinds.length}`,
      });
    }
  });

const calendarSchema = z.strictObject(
  {
    calendar: z.enum(['week', 'month', 'quarter'], expect('one of week, month, quarter')),
    timeZone: z
      .string(expect('an IANA time zone such as Europe/Berlin'))
      .default('UTC')
      .superRefine((tz, ctx) => {
        try {
          checkTimeZone(tz);
        } catch {
          ctx.addIssue({ code: 'custom', message: `unknown time zone ${JSON.stringify(tz)}` });
        }
      }),
  },
  expect('an object')
);

/** One SLO as written (durations still text, defaults filled). */
export const sloSpecSchema = z.strictObject(
  {
    id: z
      .string(expect('a string'))
      .regex(/^[a-z0-9_-]+$/, 'expected lower-case letters, digits, "_" or "-" ([a-z0-9_-]+)')
      .max(SLO_LIMITS.id, `at most ${SLO_LIMITS.id} characters`),
    name: nonEmpty(SLO_LIMITS.name),
    description: text(SLO_LIMITS.description).default(''),
    service: nonEmpty(SLO_LIMITS.name),
    target: z
      .number(expect('a percentage such as 99.9'))
      .gt(0, 'must be a percentage strictly between 0 and 100')
      .lt(100, 'must be a percentage strictly between 0 and 100'),
    window: z
      .union(
        [durationText(DAY, 366 * DAY), calendarSchema],
        expect('a duration such as "30d" or { calendar, timeZone }')
      )
      .default('30d'),
    sli: sliSchema,
    language: z.enum(['promql', 'influxql'], expect('one of promql, influxql')).default('promql'),
    datasource: text(128).default(''),
    measurementWindow: durationText(10_000, 31 * DAY).default('5m'),
    minEvents: z.number(expect('a number')).int('must be an integer').min(0, 'must not be negative').default(0),
    alerting: z
      .strictObject(
        {
          page: z.boolean(expect('true or false')).default(true),
          ticket: z.boolean(expect('true or false')).default(true),
        },
        expect('an object')
      )
      .default({ page: true, ticket: true }),
    labels: z
      .record(labelName, text(SLO_LIMITS.labelValue), expect('an object of labels'))
      .refine((m) => Object.keys(m).length <= SLO_LIMITS.labels, `at most ${SLO_LIMITS.labels} labels`)
      .default({}),
  },
  expect('an object')
);

/** An SLO spec after zod (defaults filled). */
export type SloSpecParsed = z.infer<typeof sloSpecSchema>;
