/**
 * Validation and normalization of a rule as users write it ({@link RuleBody}: the API's POST/PUT body,
 * one entry of a rule file) into a {@link NormalizedRuleBody} with every default filled in, plus the
 * checks against the configuration (datasource, query syntax, detector). Every problem is reported at
 * once, each naming its field as a dotted path, so the editor can mark all of them.
 */
import { formatDuration, type FieldError, type NormalizedRuleBody, type RuleBody, type RuleSpec } from '@vigil/core';
import { VigilError } from '../errors';
import { checkQueryFields, checkRuleQuery, type RuleContext } from './queryCheck';
import { durationMs, ruleBodySchema } from './schemaZod';

export { ruleContext, type RuleContext } from './queryCheck';

/** Outcome of {@link checkRuleBody}. */
export type RuleCheck = { ok: true; body: NormalizedRuleBody } | { ok: false; errors: FieldError[] };

/** A rule that failed validation: a 400 `invalid_rule` whose body lists every field problem. */
export class RuleValidationError extends VigilError {
  readonly fields: FieldError[];
  constructor(fields: FieldError[], what = 'invalid rule') {
    const first = fields[0];
    const more = fields.length > 1 ? ` (and ${fields.length - 1} more)` : '';
    super('invalid_rule', `${what}: ${first ? `${first.field}: ${first.message}` : 'no details'}${more}`, {
      status: 400,
    });
    this.fields = fields;
  }
}

// Deepest legitimate nesting of a rule body is 3 (body → labels → value); anything much deeper is
// garbage, and walking it recursively would let a caller pick our stack depth.
const MAX_DEPTH = 6;
const MAX_ID = 128;
/** Ids that would shadow the fixed routes under `/api/v1/rules/`. */
const RESERVED_IDS = new Set(['export', 'preview']);

/**
 * Finds keys that could reach an object's prototype (`__proto__`, as JSON.parse creates it) and
 * nesting deeper than any rule needs, without recursion.
 */
function hostileShape(input: unknown): FieldError[] {
  const errors: FieldError[] = [];
  const stack: Array<{ v: unknown; path: string; depth: number }> = [{ v: input, path: '', depth: 0 }];
  while (stack.length > 0 && errors.length < 10) {
    const { v, path, depth } = stack.pop()!;
    if (v === null || typeof v !== 'object') {
      continue;
    }
    if (depth > MAX_DEPTH) {
      errors.push({ field: path || '(body)', message: `nested more than ${MAX_DEPTH} levels deep` });
      continue;
    }
    for (const key of Object.keys(v)) {
      const field = path ? `${path}.${key}` : key;
      if (key === '__proto__' || key === 'constructor' || key === 'prototype') {
        errors.push({ field, message: `"${key}" is not allowed as a key` });
        continue;
      }
      stack.push({ v: (v as Record<string, unknown>)[key], path: field, depth: depth + 1 });
    }
  }
  return errors;
}

/**
 * A rule id from its name: lower case, runs of anything but `[a-z0-9]` become `_`, trimmed, at most
 * 128 characters (`"Service Completely Down"` → `service_completely_down`). Names without a single
 * letter or digit get `rule`.
 */
export function ruleIdFromName(name: string): string {
  const slug = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, MAX_ID)
    .replace(/_+$/, '');
  return slug || 'rule';
}

/** Every problem of a zod-parsed body, as field errors. */
function zodErrors(issues: ReadonlyArray<{ code: string; path: PropertyKey[]; message: string; keys?: string[] }>) {
  const out: FieldError[] = [];
  for (const issue of issues) {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      for (const k of issue.keys) {
        out.push({ field: path ? `${path}.${k}` : k, message: 'unknown field' });
      }
    } else {
      out.push({ field: path || '(body)', message: issue.message });
    }
  }
  return out;
}

/**
 * The query checks of a body that failed elsewhere, so one answer lists the query's problem (and its
 * position) along with the others; skipped when the query or datasource field is itself malformed.
 */
function queryErrorsOfRaw(input: unknown, found: FieldError[], ctx: RuleContext): FieldError[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return [];
  }
  const raw = input as Record<string, unknown>;
  const cond = raw.condition as { kind?: unknown } | null | undefined;
  if (
    (typeof cond === 'object' && cond?.kind === 'anomaly') ||
    found.some((e) => /^(query|datasource)$/.test(e.field))
  ) {
    return [];
  }
  const ds = raw.datasource === undefined || raw.datasource === '' ? (ctx.datasources[0]?.name ?? '') : raw.datasource;
  const query = raw.query ?? '';
  return typeof ds === 'string' && typeof query === 'string' ? checkQueryFields(ds, query, ctx) : [];
}

/**
 * Validates a rule body and fills in its defaults; with `ctx`, also checks it against the
 * configuration (datasource, query syntax and read-only InfluxQL, anomaly detector). Never throws.
 */
export function checkRuleBody(input: unknown, ctx: RuleContext): RuleCheck {
  const hostile = hostileShape(input);
  if (hostile.length > 0) {
    return { ok: false, errors: hostile };
  }
  const parsed = ruleBodySchema.safeParse(input);
  if (!parsed.success) {
    const errors = zodErrors(parsed.error.issues as never);
    return { ok: false, errors: [...errors, ...queryErrorsOfRaw(input, errors, ctx)] };
  }
  const b = parsed.data;
  const errors: FieldError[] = [];
  const id = b.id ?? ruleIdFromName(b.name);
  if (RESERVED_IDS.has(id)) {
    errors.push({ field: 'id', message: `"${id}" is reserved (it names a route); choose another id` });
  }
  const anomaly = b.condition.kind === 'anomaly';
  const datasource = anomaly ? '' : b.datasource || (ctx.datasources[0]?.name ?? '');
  const query = anomaly ? '' : (b.query ?? '');
  const body: NormalizedRuleBody = {
    id,
    name: b.name,
    description: b.description ?? '',
    severity: b.severity,
    datasource,
    query,
    condition: b.condition,
    for: formatDuration(durationMs(b.for ?? '0s') ?? 0),
    keepFiringFor: formatDuration(durationMs(b.keepFiringFor ?? '0s') ?? 0),
    interval: formatDuration(durationMs(b.interval ?? '1m') ?? 60_000),
    labels: b.labels ?? {},
    annotations: b.annotations ?? {},
    actions: [...new Set(b.actions ?? [])],
    noDataState: b.noDataState ?? 'NoData',
    execErrState: b.execErrState ?? 'Error',
    missingSeriesEvalsToResolve: b.missingSeriesEvalsToResolve ?? 2,
    enabled: b.enabled ?? true,
  };
  errors.push(...checkRuleQuery(body, ctx));
  return errors.length > 0 ? { ok: false, errors } : { ok: true, body };
}

/** {@link checkRuleBody}, throwing a {@link RuleValidationError} (400 `invalid_rule`) on any problem. */
export function parseRuleBody(input: unknown, ctx: RuleContext): NormalizedRuleBody {
  const r = checkRuleBody(input, ctx);
  if (!r.ok) {
    throw new RuleValidationError(r.errors);
  }
  return r.body;
}

/** The engine's view of a stored rule: the same fields with durations in milliseconds. */
export function toRuleSpec(body: NormalizedRuleBody): RuleSpec {
  // The body was validated, so the durations parse; `?? 0` only keeps the types honest.
  return {
    id: body.id,
    name: body.name,
    description: body.description,
    severity: body.severity,
    datasource: body.datasource,
    query: body.query,
    condition: body.condition,
    forMs: durationMs(body.for) ?? 0,
    keepFiringForMs: durationMs(body.keepFiringFor) ?? 0,
    intervalMs: durationMs(body.interval) ?? 60_000,
    labels: body.labels,
    annotations: body.annotations,
    actions: body.actions,
    enabled: body.enabled,
    noDataState: body.noDataState,
    execErrState: body.execErrState,
    missingSeriesEvalsToResolve: body.missingSeriesEvalsToResolve,
  };
}

/** Same as {@link toRuleSpec}, under the name the engine's store readers use. */
export const ruleFromRecord = (record: { body: NormalizedRuleBody }): RuleSpec => toRuleSpec(record.body);

/** A rule body as typed by a user, for callers that build one (the guide's alert API, rule files). */
export type { RuleBody };
