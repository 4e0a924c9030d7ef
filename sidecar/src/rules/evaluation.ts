/**
 * The one place where a rule's query answer at a time becomes an {@link EvaluationResult}: live
 * evaluation (an instant query at `t`) and the backtest preview (step `t` of a range query) both call
 * {@link evaluationAt}, so a preview shows exactly what live evaluation would have done.
 */
import { evaluateSamples, type ConditionContext, type EvaluationResult, type RuleSpec, type Sample } from '@vigil/core';
import type { Series } from '../sources';
import type { StoredEvent } from '../store';

/** What a rule's query gave at one time: samples, or the error that stopped it. */
export type QueryOutcome = { ok: true; samples: Sample[] } | { ok: false; message: string };

/** Kind of the detector events anomaly conditions read. */
export const ANOMALY_EVENT_KIND = 'anomaly';

/**
 * The samples of `series` at exactly `at` (one per series that has a point there). An instant query
 * stamps its points `at`; a range query on the rule's grid has one point per step.
 */
export function samplesAt(series: readonly Series[], at: number): Sample[] {
  const out: Sample[] = [];
  for (const s of series) {
    const p = pointAt(s.points, at);
    if (p !== undefined) {
      out.push({ labels: s.labels, value: p });
    }
  }
  return out;
}

// Binary search: range series hold thousands of points and a preview asks for each step.
function pointAt(points: ReadonlyArray<[number, number]>, at: number): number | undefined {
  let lo = 0;
  let hi = points.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const t = points[mid][0];
    if (t === at) {
      return points[mid][1];
    }
    if (t < at) {
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return undefined;
}

/** The seriesKey prefix of a detector's events (`<detector>{`, see detection/seriesKey.ts). */
export function detectorPrefix(detector: string): string {
  return `${detector}{`;
}

/**
 * Samples of an anomaly condition at `at`: one per series of the detector with an anomaly event
 * open at `at` (started at or before it, not ended before it), valued by the event's confidence,
 * labelled by its `metadata.labels` (the series' labels, the detector's labels and `detector`).
 * A series whose anomaly ended is absent: its instance resolves through the missing-series rule, or
 * at once when no anomaly is left (see {@link stateRule}), keeping the severity it fired with.
 */
export function anomalySamples(events: readonly StoredEvent[], detector: string, at: number): Sample[] {
  const prefix = detectorPrefix(detector);
  const byKey = new Map<string, Sample>();
  for (const e of events) {
    if (e.kind !== ANOMALY_EVENT_KIND || !e.seriesKey.startsWith(prefix)) {
      continue;
    }
    if (e.startedAt > at || (e.endedAt !== null && e.endedAt < at)) {
      continue;
    }
    const confidence = e.metadata.confidence;
    const value = typeof confidence === 'number' ? confidence : NaN;
    const labels = isLabels(e.metadata.labels) ? e.metadata.labels : { series: e.seriesKey };
    const prev = byKey.get(e.seriesKey);
    // Two overlapping events of one series (a restart between them): the stronger one counts.
    if (!prev || value > prev.value) {
      byKey.set(e.seriesKey, { labels, value });
    }
  }
  return [...byKey.values()];
}

/**
 * The rule as the state machine sees it. For an anomaly condition, no open anomaly is the normal
 * case, not missing data: its NoData handling is OK (every instance inactive), so an anomaly that
 * ends resolves instead of turning into NoData. Live evaluation and the backtest both use this.
 */
export function stateRule(rule: RuleSpec): RuleSpec {
  return rule.condition.kind === 'anomaly' ? { ...rule, noDataState: 'OK' } : rule;
}

function isLabels(v: unknown): v is Record<string, string> {
  return (
    typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string')
  );
}

/**
 * The evaluation of `rule` at `at` from its query outcome: an error result for a failed query or
 * for more series than `maxSeries` (protects the store from a query gone wide), else the samples
 * with the condition applied (history through `ctx`).
 */
export function evaluationAt(
  rule: RuleSpec,
  at: number,
  outcome: QueryOutcome,
  ctx: ConditionContext,
  maxSeries: number
): EvaluationResult {
  if (!outcome.ok) {
    return { kind: 'error', at, message: outcome.message };
  }
  if (outcome.samples.length > maxSeries) {
    return {
      kind: 'error',
      at,
      message: `rule "${rule.id}": query returned ${outcome.samples.length} series, more than maxSeriesPerRule (${maxSeries})`,
    };
  }
  return { kind: 'ok', at, samples: evaluateSamples(rule.condition, outcome.samples, at, ctx) };
}

/** A canonical string of a label set (sorted keys), to match a series with its profile. */
export function labelsKey(labels: Record<string, string>): string {
  return JSON.stringify(
    Object.keys(labels)
      .sort()
      .map((k) => [k, labels[k]])
  );
}
