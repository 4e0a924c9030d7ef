/**
 * The body of `POST /api/v1/silences` (core's `SilenceBody`), checked field by field: matchers as
 * objects (`{name, op, value}`, or Alertmanager API v2's `{name, value, isRegex, isEqual}`) or as one
 * string in Alertmanager's syntax, RFC 3339 times, a comment. Every problem is reported with its field,
 * then core's `validateSilence` adds Alertmanager's rules (a matcher that does not match everything,
 * endsAt not before startsAt, an author and a comment).
 */
import {
  MATCH_OPS,
  MatcherParseError,
  parseMatchers,
  validateSilence,
  type Matcher,
  type MatchOp,
  type Silence,
  type SilenceFieldErrorView,
} from '@vigil/core';
import { VigilError } from '../errors';

/** Bounds on a silence body: a silence is a few matchers and a sentence, not a data store. */
export const SILENCE_LIMITS = {
  id: 128,
  matchers: 64,
  matcherText: 8192,
  name: 256,
  value: 4096,
  comment: 4096,
} as const;

/** A silence body that failed validation: 400 `invalid_silence` with every field problem. */
export class SilenceValidationError extends VigilError {
  readonly fields: SilenceFieldErrorView[];
  constructor(fields: SilenceFieldErrorView[]) {
    const first = fields[0];
    const more = fields.length > 1 ? ` (and ${fields.length - 1} more)` : '';
    super('invalid_silence', `invalid silence: ${first ? `${first.field}: ${first.message}` : 'no details'}${more}`, {
      status: 400,
    });
    this.fields = fields;
  }
}

const KNOWN = new Set(['id', 'matchers', 'startsAt', 'endsAt', 'comment', 'createdBy']);
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:[Zz]|[+-]\d{2}:\d{2})$/;

const kind = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An RFC 3339 time or epoch milliseconds; undefined when absent, NaN (with an error) when bad. */
function time(v: unknown, field: string, errs: SilenceFieldErrorView[]): number | undefined {
  if (v === undefined) {
    return undefined;
  }
  if (typeof v === 'number' && Number.isSafeInteger(v)) {
    return v;
  }
  const ms = typeof v === 'string' && v.length <= 40 && RFC3339.test(v) ? Date.parse(v) : NaN;
  if (Number.isNaN(ms)) {
    errs.push({
      field,
      message: `expected an RFC 3339 time such as "2026-12-07T10:00:00Z", got ${
        typeof v === 'string' ? JSON.stringify(v.slice(0, 40)) : kind(v)
      }`,
    });
  }
  return ms;
}

function matcherObject(v: unknown, field: string, errs: SilenceFieldErrorView[]): Matcher | undefined {
  if (!isObject(v)) {
    errs.push({ field, message: `expected a matcher object {name, op, value}, got ${kind(v)}` });
    return undefined;
  }
  const { name, value } = v;
  let op = v.op;
  // Alertmanager API v2 (and amtool) spell the operator as two booleans.
  if (op === undefined && (v.isRegex !== undefined || v.isEqual !== undefined)) {
    const regex = v.isRegex === true;
    const equal = v.isEqual !== false;
    op = regex ? (equal ? '=~' : '!~') : equal ? '=' : '!=';
  }
  const before = errs.length;
  if (typeof name !== 'string' || name.length === 0 || name.length > SILENCE_LIMITS.name) {
    errs.push({ field: `${field}.name`, message: `expected a label name of 1 to ${SILENCE_LIMITS.name} characters` });
  }
  if (typeof op !== 'string' || !(MATCH_OPS as readonly string[]).includes(op)) {
    errs.push({ field: `${field}.op`, message: `expected one of ${MATCH_OPS.join(' ')}` });
  }
  if (typeof value !== 'string' || value.length > SILENCE_LIMITS.value) {
    errs.push({ field: `${field}.value`, message: `expected a string of at most ${SILENCE_LIMITS.value} characters` });
  }
  return errs.length > before ? undefined : { name: name as string, op: op as MatchOp, value: value as string };
}

function matchers(v: unknown, errs: SilenceFieldErrorView[]): Matcher[] | undefined {
  if (typeof v === 'string') {
    if (v.length > SILENCE_LIMITS.matcherText) {
      errs.push({ field: 'matchers', message: `must be at most ${SILENCE_LIMITS.matcherText} characters` });
      return undefined;
    }
    try {
      return parseMatchers(v);
    } catch (e) {
      const message = e instanceof MatcherParseError ? e.message : 'not a matcher list';
      errs.push({ field: 'matchers', message: message.slice(0, 300) });
      return undefined;
    }
  }
  if (!Array.isArray(v)) {
    errs.push({
      field: 'matchers',
      message: `expected a list of matchers or one string such as '{alertname="X"}', got ${kind(v)}`,
    });
    return undefined;
  }
  if (v.length > SILENCE_LIMITS.matchers) {
    errs.push({ field: 'matchers', message: `at most ${SILENCE_LIMITS.matchers} matchers` });
    return undefined;
  }
  const out = v.map((m, i) => matcherObject(m, `matchers[${i}]`, errs));
  return out.every((m): m is Matcher => m !== undefined) ? out : undefined;
}

/** What a silence body needs besides itself. */
export interface SilenceContext {
  now: number;
  /** The author (the Grafana user). */
  actor: string;
  /** The stored silence a body with `id` replaces; null for a create. */
  existing: Silence | null;
  /** Id for a new silence. */
  newId: () => string;
}

/** The silence a body describes, or a {@link SilenceValidationError} listing every problem. */
export function parseSilenceBody(input: unknown, ctx: SilenceContext): Silence {
  if (!isObject(input)) {
    throw new SilenceValidationError([{ field: 'body', message: `expected a JSON object, got ${kind(input)}` }]);
  }
  const errs: SilenceFieldErrorView[] = [];
  for (const key of Object.keys(input)) {
    if (!KNOWN.has(key)) {
      errs.push({ field: key.slice(0, 64), message: 'unknown field' });
    }
  }
  const ms = matchers(input.matchers, errs);
  const startsAt = time(input.startsAt, 'startsAt', errs);
  const endsAt = time(input.endsAt, 'endsAt', errs);
  if (input.endsAt === undefined) {
    errs.push({ field: 'endsAt', message: 'end time is required' });
  }
  const comment = input.comment;
  if (typeof comment !== 'string' || comment.length > SILENCE_LIMITS.comment) {
    errs.push({ field: 'comment', message: `expected a string of at most ${SILENCE_LIMITS.comment} characters` });
  }
  if (errs.length > 0 || !ms || endsAt === undefined) {
    throw new SilenceValidationError(errs.slice(0, 20));
  }
  // As Alertmanager: a new silence does not start in the past; a changed one keeps its start unless given.
  const start = ctx.existing ? (startsAt ?? ctx.existing.startsAt) : Math.max(startsAt ?? ctx.now, ctx.now);
  const silence: Silence = {
    id: ctx.existing?.id ?? ctx.newId(),
    matchers: ms,
    startsAt: start,
    endsAt,
    createdBy: ctx.actor,
    comment: comment as string,
  };
  const problems = validateSilence(silence);
  if (problems.length === 0 && endsAt <= ctx.now) {
    problems.push({ field: 'endsAt', message: 'end time must be in the future' });
  }
  if (problems.length > 0) {
    throw new SilenceValidationError(problems);
  }
  return silence;
}

/** The `id` of a body that replaces a silence; undefined for a create. */
export function silenceIdOf(input: unknown): string | undefined {
  const id = isObject(input) ? input.id : undefined;
  if (id === undefined) {
    return undefined;
  }
  if (typeof id !== 'string' || id.length === 0 || id.length > SILENCE_LIMITS.id) {
    throw new SilenceValidationError([
      { field: 'id', message: `expected the id of an existing silence (1 to ${SILENCE_LIMITS.id} characters)` },
    ]);
  }
  return id;
}
