/**
 * Vigil's SLO spec (YAML or JSON) to and from core's `Slo`. A file holds one SLO or `slos: [...]`.
 * Every problem names its field as a dotted path (`slos.1.sli.ratio.total: required`).
 */
import { formatDuration, hasWindow, parseDuration, type FieldError, type Sli, type Slo } from '@vigil/core';
import { VigilError } from '../errors';
import { INFLUX_TIME_FILTER, sloSpecSchema, type SloSpecParsed } from './specSchema';

const DAY = 86_400_000;

/** An SLO spec that failed validation: a 400 `invalid_slo` listing every field problem. */
export class SloSpecError extends VigilError {
  readonly fields: FieldError[];
  constructor(fields: FieldError[], what = 'invalid SLO') {
    const first = fields[0];
    const more = fields.length > 1 ? ` (and ${fields.length - 1} more)` : '';
    super('invalid_slo', `${what}: ${first ? `${first.field}: ${first.message}` : 'no details'}${more}`, {
      status: 400,
    });
    this.fields = fields;
  }
}

/** Field errors of a zod failure, paths prefixed (`slos.2`). */
function zodFields(
  issues: ReadonlyArray<{ code: string; path: PropertyKey[]; message: string; keys?: string[] }>,
  prefix: string
): FieldError[] {
  const join = (p: string) => [prefix, p].filter((x) => x !== '').join('.');
  return issues.flatMap((issue) => {
    const path = join(issue.path.map(String).join('.'));
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      return issue.keys.map((k) => ({ field: path ? `${path}.${k}` : k, message: 'unknown field' }));
    }
    return [{ field: path || '(spec)', message: issue.message }];
  });
}

/** Latency threshold in seconds from `500ms` or a number of seconds. */
function thresholdSeconds(t: string | number): number {
  return typeof t === 'number' ? t : parseDuration(t) / 1000;
}

/** Core's SLI from the parsed spec (the schema guarantees exactly one kind). */
function sliOf(s: SloSpecParsed): Sli {
  if (s.sli.ratio) {
    const { good, bad, total } = s.sli.ratio;
    return { kind: 'ratio', language: s.language, ...(good !== undefined ? { good } : { bad }), total };
  }
  if (s.sli.latency) {
    const l = s.sli.latency;
    return {
      kind: 'latency',
      language: 'promql',
      histogram: l.histogram,
      matchers: l.matchers,
      thresholdSeconds: thresholdSeconds(l.threshold),
    };
  }
  const t = s.sli.timeslice!;
  return {
    kind: 'timeslice',
    language: s.language,
    query: t.query,
    op: t.op,
    threshold: t.threshold,
    sliceMs: parseDuration(t.slice),
  };
}

/** Checks across fields that zod's per-field schema cannot see. */
function crossChecks(s: SloSpecParsed): FieldError[] {
  if (s.sli.latency && s.language !== 'promql') {
    return [{ field: 'language', message: 'a latency SLI reads a Prometheus histogram: language must be promql' }];
  }
  // Each ratio query names its window in its language: PromQL's `$__range` is replaced per window;
  // InfluxQL reads each window through `$timeFilter` (InfluxDB refuses `$__range` as a missing parameter).
  const ratio: Partial<Record<'good' | 'bad' | 'total', string>> = s.sli.ratio ?? {};
  return (['good', 'bad', 'total'] as const).flatMap((side) => {
    const q = ratio[side];
    if (q === undefined) {
      return [];
    }
    if (s.language === 'influxql' && !INFLUX_TIME_FILTER.test(q)) {
      return [{ field: `sli.ratio.${side}`, message: 'must contain $timeFilter where the window goes (InfluxQL)' }];
    }
    if (s.language === 'promql' && !hasWindow(q)) {
      return [{ field: `sli.ratio.${side}`, message: 'must contain $__range (or {{.window}}) where the window goes' }];
    }
    return [];
  });
}

/** One SLO from its spec; `prefix` is the path of the spec in its file. Throws {@link SloSpecError}. */
function parseOne(input: unknown, prefix: string): Slo {
  const r = sloSpecSchema.safeParse(input);
  if (!r.success) {
    throw new SloSpecError(zodFields(r.error.issues as never, prefix));
  }
  const s = r.data;
  const cross = crossChecks(s);
  if (cross.length > 0) {
    throw new SloSpecError(cross.map((f) => ({ ...f, field: prefix ? `${prefix}.${f.field}` : f.field })));
  }
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    service: s.service,
    target: s.target,
    sli: sliOf(s),
    datasource: s.datasource,
    window:
      typeof s.window === 'string'
        ? { kind: 'rolling', durationMs: parseDuration(s.window) }
        : { kind: 'calendar', unit: s.window.calendar, timeZone: s.window.timeZone },
    measurementWindowMs: parseDuration(s.measurementWindow),
    minEvents: s.minEvents,
    alerting: { page: s.alerting.page, ticket: s.alerting.ticket },
    labels: s.labels,
  };
}

/** One SLO from Vigil's spec (already decoded from YAML/JSON). Throws a {@link SloSpecError} naming the field. */
export function parseSloSpec(input: unknown): Slo {
  return parseOne(input, '');
}

/** True when a decoded document is a list of SLOs (`slos: [...]`) rather than one. */
export function isSloList(input: unknown): input is { slos: unknown } {
  return typeof input === 'object' && input !== null && !Array.isArray(input) && 'slos' in input;
}

/** Every SLO of a spec file: one SLO or `slos: [...]` (ids distinct). Throws a {@link SloSpecError}. */
export function parseSloFile(input: unknown): Slo[] {
  if (!isSloList(input)) {
    return [parseSloSpec(input)];
  }
  const extra = Object.keys(input).filter((k) => k !== 'slos');
  if (extra.length > 0) {
    throw new SloSpecError(extra.map((k) => ({ field: k, message: 'unknown field' })));
  }
  if (!Array.isArray(input.slos) || input.slos.length === 0) {
    throw new SloSpecError([{ field: 'slos', message: 'expected a non-empty list of SLOs' }]);
  }
  const slos = input.slos.map((s, i) => parseOne(s, `slos.${i}`));
  slos.forEach((s, i) => {
    if (slos.findIndex((o) => o.id === s.id) !== i) {
      throw new SloSpecError([{ field: `slos.${i}.id`, message: `duplicate id ${s.id}` }]);
    }
  });
  return slos;
}

/** A duration as users write it: whole days as `30d`, else Prometheus' form. */
function durationOut(ms: number): string {
  return ms % DAY === 0 ? `${ms / DAY}d` : formatDuration(ms);
}

/** The spec of an SLO's SLI. */
function sliSpec(sli: Sli): Record<string, unknown> {
  if (sli.kind === 'ratio') {
    return { ratio: { ...(sli.good !== undefined ? { good: sli.good } : { bad: sli.bad }), total: sli.total } };
  }
  if (sli.kind === 'latency') {
    const ms = sli.thresholdSeconds * 1000;
    const threshold = Number.isInteger(ms) ? formatDuration(ms) : sli.thresholdSeconds;
    return { latency: { histogram: sli.histogram, ...(sli.matchers ? { matchers: sli.matchers } : {}), threshold } };
  }
  return { timeslice: { query: sli.query, op: sli.op, threshold: sli.threshold, slice: formatDuration(sli.sliceMs) } };
}

/**
 * Vigil's spec of an SLO, leaving out fields at their default, so `parseSloSpec(sloToSpec(slo))`
 * equals `slo`. Plain data, ready for `yaml.stringify`.
 */
export function sloToSpec(slo: Slo): Record<string, unknown> {
  const w = slo.window;
  const window = w.kind === 'rolling' ? durationOut(w.durationMs) : { calendar: w.unit, timeZone: w.timeZone };
  return {
    id: slo.id,
    name: slo.name,
    ...(slo.description ? { description: slo.description } : {}),
    service: slo.service,
    target: slo.target,
    ...(window === '30d' ? {} : { window }),
    sli: sliSpec(slo.sli),
    ...(slo.sli.language === 'promql' ? {} : { language: slo.sli.language }),
    ...(slo.datasource ? { datasource: slo.datasource } : {}),
    ...(slo.measurementWindowMs === 300_000 ? {} : { measurementWindow: durationOut(slo.measurementWindowMs) }),
    ...(slo.minEvents ? { minEvents: slo.minEvents } : {}),
    ...(slo.alerting.page && slo.alerting.ticket ? {} : { alerting: { ...slo.alerting } }),
    ...(Object.keys(slo.labels).length > 0 ? { labels: { ...slo.labels } } : {}),
  };
}

/** A spec file of SLOs: the single spec for one, `slos: [...]` for several. */
export function slosToSpecFile(slos: readonly Slo[]): Record<string, unknown> {
  return slos.length === 1 ? sloToSpec(slos[0]) : { slos: slos.map(sloToSpec) };
}

/**
 * Parses a spec built from an imported document (OpenSLO, Sloth); a problem names the field of that
 * document (`fieldNames` maps Vigil's paths back to the source's) under `at`, and says which format.
 */
export function parseImportedSpec(
  spec: unknown,
  at: string,
  fieldNames: ReadonlyArray<[RegExp, string]>,
  what: string
): Slo {
  try {
    return parseSloSpec(spec);
  } catch (err) {
    if (!(err instanceof SloSpecError)) {
      throw err;
    }
    const fields = err.fields.map((f) => {
      const hit = fieldNames.find(([re]) => re.test(f.field));
      return { field: `${at}.${hit ? hit[1] : f.field}`, message: f.message };
    });
    throw new SloSpecError(fields, what);
  }
}
