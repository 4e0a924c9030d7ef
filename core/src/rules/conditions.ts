/**
 * Applying a rule's condition to the samples of one evaluation. Pure: the history a condition needs
 * (adaptive profile, hourly baseline) is looked up through {@link ConditionContext}, which the
 * sidecar fills from its cache and the backtest from the range it fetched.
 */
import { adaptiveThreshold, type AdaptiveProfile } from './adaptive';
import { confidenceSeverity } from './anomaly';
import { baselineChange, type HourlyBaseline } from './baseline';
import {
  COMPARATORS,
  type Comparator,
  type Condition,
  type EvaluatedSample,
  type Sample,
  type Severity,
} from './types';

/** `a <op> b`. NaN never matches (not even `!=`), so a missing value cannot fire a rule. */
export function compare(op: Comparator, a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) {
    return false;
  }
  switch (op) {
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '==':
      return a === b;
    case '!=':
      return a !== b;
  }
}

/** A parsed guide condition string. */
export interface GuideCondition {
  op: Comparator;
  threshold: number;
  /** The metric name when the text names one (`response_time < 500`). */
  metric?: string;
}

const GUIDE_CONDITION_RE =
  /^\s*([A-Za-z_:][A-Za-z0-9_:]*)?\s*(>=|<=|==|!=|>|<)\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*$/;

/**
 * Parses the guide's `condition` text: `"> 100"`, `"== 0"`, `"< -20"`, optionally after a metric
 * name (`"anomaly_confidence > 0.5"`). Throws an `Error` saying what was expected on anything else.
 */
export function parseGuideCondition(text: string): GuideCondition {
  const m = typeof text === 'string' && text.length <= 256 ? GUIDE_CONDITION_RE.exec(text) : null;
  if (m === null) {
    const shown = typeof text === 'string' ? JSON.stringify(text.slice(0, 64)) : String(typeof text);
    throw new Error(
      `invalid condition ${shown}: expected a comparator (${COMPARATORS.join(' ')}) and a number, such as "> 100"`
    );
  }
  const threshold = Number(m[3]);
  if (!Number.isFinite(threshold)) {
    throw new Error(`invalid condition ${JSON.stringify(text)}: the threshold is not a finite number`);
  }
  const out: GuideCondition = { op: m[2] as Comparator, threshold };
  if (m[1] !== undefined) {
    out.metric = m[1];
  }
  return out;
}

/** History the conditions need, looked up per sample by its labels (the series' own labels). */
export interface ConditionContext {
  /** The adaptive profile of a series (adaptive conditions); undefined: no history yet. */
  adaptiveProfile?: (labels: Record<string, string>) => AdaptiveProfile | undefined;
  /** The hourly baseline of a series (baseline conditions); undefined: no history yet. */
  hourlyBaseline?: (labels: Record<string, string>) => HourlyBaseline | undefined;
  /** The verdict of an SLO's burn-rate alert (slo conditions), by the sample's labels. */
  sloAlert?: (labels: Record<string, string>) => SloAlertVerdict | undefined;
}

/** What an SLO's evaluation decided for one burn-rate alert. */
export interface SloAlertVerdict {
  active: boolean;
  /** The alert's burn-rate factor. */
  threshold: number;
  severity: Severity;
}

/**
 * Applies `cond` to the samples of an evaluation at `at`.
 * - threshold: active = value <op> threshold;
 * - adaptive: the threshold in force at `at` from the series' profile (the base one without
 *   history), reported with every sample;
 * - baseline: `compared` = % change against the hourly baseline, active = change <op> threshold;
 *   inactive (compared absent) when there is no baseline for that hour;
 * - anomaly: the sample's value is the detector's confidence, active = value > minConfidence,
 *   severity from the confidence unless `fixedSeverity`;
 * - slo: the SLO's evaluation decided (`ctx.sloAlert`); inactive when it has no verdict.
 */
export function evaluateSamples(
  cond: Condition,
  samples: readonly Sample[],
  at: number,
  ctx: ConditionContext = {}
): EvaluatedSample[] {
  return samples.map((s) => evaluateSample(cond, s, at, ctx));
}

function evaluateSample(cond: Condition, s: Sample, at: number, ctx: ConditionContext): EvaluatedSample {
  const base = { labels: s.labels, value: s.value };
  switch (cond.kind) {
    case 'threshold':
      return { ...base, active: compare(cond.op, s.value, cond.threshold), threshold: cond.threshold };
    case 'adaptive': {
      const t = adaptiveThreshold(ctx.adaptiveProfile?.(s.labels), at, cond).threshold;
      return { ...base, active: compare(cond.op, s.value, t), threshold: t };
    }
    case 'baseline': {
      const b = ctx.hourlyBaseline?.(s.labels);
      const change = b === undefined ? null : baselineChange(b, at, s.value);
      if (change === null) {
        return { ...base, active: false, threshold: cond.threshold };
      }
      return { ...base, active: compare(cond.op, change, cond.threshold), threshold: cond.threshold, compared: change };
    }
    case 'slo': {
      const v = ctx.sloAlert?.(s.labels);
      return v
        ? { ...base, active: v.active, threshold: v.threshold, severity: v.severity }
        : { ...base, active: false, threshold: null };
    }
    case 'anomaly': {
      const out: EvaluatedSample = {
        ...base,
        active: compare('>', s.value, cond.minConfidence),
        threshold: cond.minConfidence,
      };
      if (!cond.fixedSeverity) {
        out.severity = confidenceSeverity(s.value);
      }
      return out;
    }
  }
}
