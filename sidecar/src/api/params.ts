import { badRequest } from '../errors';

/**
 * Parses a time query parameter: epoch milliseconds (`1700000000000`) or an ISO 8601 date-time.
 * Returns `fallback` when absent; a bad value is a 400 naming the parameter.
 */
export function timeParam(value: unknown, name: string, fallback: number): number {
  if (value === undefined || value === '') {
    return fallback;
  }
  if (typeof value !== 'string') {
    throw badRequest(`${name}: expected one value`);
  }
  if (/^-?\d+$/.test(value)) {
    return Number(value);
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) {
    throw badRequest(`${name}: expected epoch milliseconds or an ISO 8601 time, got "${value.slice(0, 64)}"`);
  }
  return ms;
}

/** Parses an integer query parameter within [min, max]; `fallback` when absent. */
export function intParam(value: unknown, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined || value === '') {
    return fallback;
  }
  if (typeof value !== 'string' || !/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw badRequest(`${name}: expected an integer from ${min} to ${max}`);
  }
  return Number(value);
}

/** An optional single string query parameter. */
export function stringParam(value: unknown, name: string): string | undefined {
  if (value === undefined || value === '') {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw badRequest(`${name}: expected one value`);
  }
  return value;
}

/** A comma-separated list parameter whose items must be among `allowed`. */
export function listParam<T extends string>(value: unknown, name: string, allowed: readonly T[]): T[] | undefined {
  if (value === undefined || value === '') {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw badRequest(`${name}: expected one comma-separated value`);
  }
  const items = value.split(',').map((s) => s.trim());
  const bad = items.find((s) => !(allowed as readonly string[]).includes(s));
  if (bad !== undefined) {
    throw badRequest(`${name}: unknown value "${bad.slice(0, 40)}" (expected ${allowed.join(', ')})`);
  }
  return items as T[];
}
