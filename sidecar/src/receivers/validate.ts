// Shared strict validation for receiver payloads (Alertmanager, Grafana): a collector of errors with
// JSON paths, and checks for the value kinds both formats use. Nothing here throws on any input, and
// nothing recurses into the body, so deep nesting costs one type check.
import { fingerprint, type Severity } from '@vigil/core';
import { boundedMemo } from './boundedMemo';
import { RECEIVER_LIMITS, type ReceiverFieldError, type ReceivedAlertStatus } from './types';

/** Keys refused everywhere: harmless in a Map, dangerous if a later consumer copies into an object. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** Prometheus' label name rule (model.LabelNameRE), also what Alertmanager checks for annotations. */
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** With the u flag a paired surrogate is one code point, so this matches only unpaired halves. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const IDENTIFIER = /^[a-zA-Z_$][a-zA-Z0-9_$]*$/;
/** A sender's fingerprint: Alertmanager and Grafana both send 16 hex digits; allow 8–64. */
const HEX_FINGERPRINT = /^[0-9a-fA-F]{8,64}$/;
/** RFC 3339 date-time, as Go's time.RFC3339Nano prints it (fraction up to 9 digits). */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/** Collects errors up to RECEIVER_LIMITS.maxErrors; `full` tells callers to stop looking. */
export class Errors {
  readonly list: ReceiverFieldError[] = [];
  add(path: string, message: string): void {
    if (this.list.length < RECEIVER_LIMITS.maxErrors) {
      this.list.push({ path, message });
    }
  }
  get full(): boolean {
    return this.list.length >= RECEIVER_LIMITS.maxErrors;
  }
}

/** `base.key` or `base["key"]`, with long keys cut so a hostile key cannot bloat the answer. */
export function child(base: string, key: string): string {
  if (IDENTIFIER.test(key) && key.length <= 64) {
    return `${base}.${key}`;
  }
  const shown = key.length > 64 ? `${key.slice(0, 64)}…` : key;
  return `${base}[${JSON.stringify(shown)}]`;
}

/** Name of a value's JSON kind for messages. */
export function kind(v: unknown): string {
  if (v === null) {
    return 'null';
  }
  return Array.isArray(v) ? 'array' : typeof v;
}

/** A plain JSON object (not an array), else records an error and returns undefined. */
export function object(v: unknown, path: string, errs: Errors): Record<string, unknown> | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    errs.add(path, `must be an object, got ${kind(v)}`);
    return undefined;
  }
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (FORBIDDEN_KEYS.has(k)) {
      errs.add(child(path, k), `key "${k}" is not allowed`);
    }
  }
  return o;
}

/** An optional string of at most `max` characters; absent (undefined) passes as undefined. */
export function optString(
  o: Record<string, unknown>,
  key: string,
  path: string,
  errs: Errors,
  max: number = RECEIVER_LIMITS.maxValueLength
): string | undefined {
  const v = o[key];
  if (v === undefined) {
    return undefined;
  }
  if (typeof v !== 'string') {
    errs.add(child(path, key), `must be a string, got ${kind(v)}`);
    return undefined;
  }
  if (v.length > max) {
    errs.add(child(path, key), `must be at most ${max} characters, got ${v.length}`);
    return undefined;
  }
  return v;
}

/** A status, `firing` or `resolved`; `required` when the format always sends it. */
export function status(
  o: Record<string, unknown>,
  path: string,
  errs: Errors,
  required: boolean
): ReceivedAlertStatus | undefined {
  const v = o.status;
  if (v === undefined && !required) {
    return undefined;
  }
  if (v !== 'firing' && v !== 'resolved') {
    errs.add(child(path, 'status'), `must be "firing" or "resolved", got ${describe(v)}`);
    return undefined;
  }
  return v;
}

/** Short description of a bad value for a message (never the whole of a huge string). */
export function describe(v: unknown): string {
  if (typeof v === 'string') {
    return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  }
  return kind(v);
}

/** Label names seen valid: a storm repeats the same few names in every alert. */
const validLabelName = boundedMemo(
  (k) => LABEL_NAME.test(k),
  10_000,
  (ok) => ok
);

/**
 * A label or annotation map: an object of string values, names per Prometheus' rule, bounded in count
 * and size, values valid Unicode (Alertmanager requires UTF-8). Copied into a fresh object.
 * `optional`: absent gives an empty map (annotations, common*), otherwise absent is an error.
 */
export function stringMap(
  v: unknown,
  path: string,
  errs: Errors,
  optional: boolean
): Record<string, string> | undefined {
  if (v === undefined && optional) {
    return {};
  }
  const o = object(v, path, errs);
  if (!o) {
    return undefined;
  }
  const keys = Object.keys(o);
  if (keys.length > RECEIVER_LIMITS.maxLabels) {
    errs.add(path, `must have at most ${RECEIVER_LIMITS.maxLabels} entries, got ${keys.length}`);
    return undefined;
  }
  const out: Record<string, string> = {};
  let ok = true;
  for (const k of keys) {
    // The path is built only for an error: a storm's bodies hold hundreds of thousands of valid labels.
    const val = o[k];
    if (FORBIDDEN_KEYS.has(k)) {
      ok = false; // already reported by object()
    } else if (k.length > RECEIVER_LIMITS.maxNameLength) {
      errs.add(child(path, k), `name must be at most ${RECEIVER_LIMITS.maxNameLength} characters, got ${k.length}`);
      ok = false;
    } else if (!validLabelName(k)) {
      errs.add(child(path, k), 'name must match [a-zA-Z_][a-zA-Z0-9_]*');
      ok = false;
    } else if (typeof val !== 'string') {
      errs.add(child(path, k), `must be a string, got ${kind(val)}`);
      ok = false;
    } else if (val.length > RECEIVER_LIMITS.maxValueLength) {
      errs.add(child(path, k), `must be at most ${RECEIVER_LIMITS.maxValueLength} characters, got ${val.length}`);
      ok = false;
    } else if (LONE_SURROGATE.test(val)) {
      errs.add(child(path, k), 'must be valid UTF-8 (has a lone surrogate escape)');
      ok = false;
    } else {
      out[k] = val;
    }
  }
  return ok ? out : undefined;
}

/** Result of reading an RFC 3339 time: epoch ms, or null for Go's zero time (year 1). */
export type ParsedTime = number | null;

/** Parses an RFC 3339 time strictly (real calendar date, offsets within ±23:59); undefined if bad. */
export function parseRfc3339(s: string): ParsedTime | undefined {
  if (s.length > 40) {
    return undefined;
  }
  const m = RFC3339.exec(s);
  if (!m) {
    return undefined;
  }
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const maxDay = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  if (maxDay === undefined || day < 1 || day > maxDay || hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }
  let offsetMin = 0;
  if (!m[8]) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) {
      return undefined;
    }
    offsetMin = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  if (year <= 1) {
    return null; // Go's zero time (0001-01-01T00:00:00Z) means "not set"
  }
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day); // setUTCFullYear, unlike Date.UTC, keeps years 0–99 as given
  d.setUTCHours(hour, minute, second, Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3)));
  return d.getTime() - offsetMin * 60_000;
}

/** Valid times parsed lately: a body's alerts mostly share a few (one rule evaluation, the zero time). */
const parseTimeCached = boundedMemo(parseRfc3339, 4096, (t) => t !== undefined);

/** A time field: epoch ms, null for the zero time or (when not `required`) absence, undefined if bad. */
export function time(
  o: Record<string, unknown>,
  key: string,
  path: string,
  errs: Errors,
  required: boolean
): ParsedTime | undefined {
  const v = o[key];
  if (v === undefined && !required) {
    return null;
  }
  if (typeof v !== 'string') {
    errs.add(child(path, key), `must be an RFC 3339 time string, got ${kind(v)}`);
    return undefined;
  }
  const t = parseTimeCached(v);
  if (t === undefined) {
    errs.add(child(path, key), `must be an RFC 3339 time, got ${describe(v)}`);
  }
  return t;
}

/** The sender's fingerprint (lower-cased) if well-formed hex, else Vigil's own over the labels. */
export function alertFingerprint(given: string | undefined, ruleId: string, labels: Record<string, string>): string {
  if (given !== undefined && HEX_FINGERPRINT.test(given)) {
    return given.toLowerCase();
  }
  return fingerprint(ruleId, labels);
}

/** Spellings of `labels.severity` seen in the wild, mapped onto Vigil's four severities. */
const SEVERITY_ALIASES: Record<string, Severity> = {
  critical: 'critical',
  crit: 'critical',
  fatal: 'critical',
  emergency: 'critical',
  emerg: 'critical',
  alert: 'critical',
  page: 'critical',
  p1: 'critical',
  disaster: 'critical',
  error: 'error',
  err: 'error',
  high: 'error',
  major: 'error',
  p2: 'error',
  warning: 'warning',
  warn: 'warning',
  medium: 'warning',
  minor: 'warning',
  average: 'warning',
  p3: 'warning',
  info: 'info',
  informational: 'info',
  information: 'info',
  notice: 'info',
  low: 'info',
  none: 'info',
  p4: 'info',
  p5: 'info',
};

/** Maps a `severity` label value onto Vigil's severities; unknown or absent → warning. */
export function mapSeverity(v: string | undefined): Severity {
  if (v === undefined) {
    return 'warning';
  }
  const key = v.trim().toLowerCase();
  return Object.prototype.hasOwnProperty.call(SEVERITY_ALIASES, key) ? SEVERITY_ALIASES[key] : 'warning';
}

/** A non-empty alerts array within bounds, else an error (the 10k-alert body is refused without iterating). */
export function alertsArray(o: Record<string, unknown>, path: string, errs: Errors): unknown[] | undefined {
  const v = o.alerts;
  const p = child(path, 'alerts');
  if (!Array.isArray(v)) {
    errs.add(p, `must be an array, got ${kind(v)}`);
    return undefined;
  }
  if (v.length === 0) {
    errs.add(p, 'must hold at least one alert'); // neither sender posts an empty group
    return undefined;
  }
  if (v.length > RECEIVER_LIMITS.maxAlerts) {
    errs.add(p, `must hold at most ${RECEIVER_LIMITS.maxAlerts} alerts, got ${v.length}`);
    return undefined;
  }
  return v;
}
