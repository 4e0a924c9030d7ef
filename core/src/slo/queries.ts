/**
 * The PromQL that counts an SLI's events over a window, shared by the sidecar's evaluation and the
 * generated Prometheus rules so both measure the same thing. Ratio SLIs are the user's templates with
 * `$__range` (Grafana's name; Sloth's `{{.window}}` is accepted too) replaced by the window; latency
 * SLIs count a histogram's bucket at the threshold against its count.
 */
import { formatDuration } from '../rules/duration';
import type { LatencySli, RatioSli, Sli } from './types';

/** The event-count queries of one window: `good` or `bad`, and `total`. */
export interface CountQueries {
  good?: string;
  bad?: string;
  total: string;
}

/** Replaces the window placeholders (`$__range`, `${__range}`, `{{.window}}`) with a PromQL duration. */
export function withWindow(template: string, windowMs: number): string {
  const d = formatDuration(windowMs);
  return template
    .replace(/\$\{__range\}/g, d)
    .replace(/\$__range\b/g, d)
    .replace(/\{\{\s*\.window\s*\}\}/g, d);
}

/** Whether a template names its window (a query without one would count the same span for every window). */
export function hasWindow(template: string): boolean {
  return /\$\{__range\}|\$__range\b|\{\{\s*\.window\s*\}\}/.test(template);
}

/** Prometheus' `le` label text of a bucket bound (0.5 → "0.5", 1 → "1"). */
function leText(seconds: number): string {
  return String(seconds);
}

/** The latency SLI's queries: requests under the threshold (the `le` bucket) and all requests. */
function latencyQueries(sli: LatencySli, windowMs: number): CountQueries {
  const d = formatDuration(windowMs);
  const sep = sli.matchers.trim() === '' ? '' : ',';
  return {
    good: `sum(increase(${sli.histogram}_bucket{${sli.matchers}${sep}le="${leText(sli.thresholdSeconds)}"}[${d}]))`,
    total: `sum(increase(${sli.histogram}_count{${sli.matchers}}[${d}]))`,
  };
}

/** The ratio SLI's queries over a window. */
function ratioQueries(sli: RatioSli, windowMs: number): CountQueries {
  return {
    ...(sli.good !== undefined ? { good: withWindow(sli.good, windowMs) } : {}),
    ...(sli.bad !== undefined ? { bad: withWindow(sli.bad, windowMs) } : {}),
    total: withWindow(sli.total, windowMs),
  };
}

/**
 * The PromQL counting an SLI's events over `windowMs` (evaluated at one instant). Timeslice SLIs are
 * not counted this way (their slices come from a range query): they throw.
 */
export function countQueries(sli: Sli, windowMs: number): CountQueries {
  if (sli.kind === 'latency') {
    return latencyQueries(sli, windowMs);
  }
  if (sli.kind === 'ratio') {
    return ratioQueries(sli, windowMs);
  }
  throw new Error('a timeslice SLI is counted in slices from a range query, not with count queries');
}
