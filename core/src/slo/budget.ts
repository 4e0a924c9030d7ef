/**
 * Error-budget arithmetic (pure). The guide's `calculate_error_budget` takes an average success rate;
 * here the budget is weighted by events: consumed = bad events / allowed bad events over the window,
 * so a quiet night with one failure out of ten requests does not weigh as much as a busy hour (an
 * average of short ratios would). Statuses keep the guide's thresholds.
 */
import type { BudgetReport, BudgetStatus, EventCounts } from './types';

/** Status from the consumed fraction (the guide's `_get_error_budget_status`). */
export function budgetStatus(consumed: number): BudgetStatus {
  if (consumed >= 1) {
    return 'exhausted';
  }
  if (consumed >= 0.8) {
    return 'critical';
  }
  if (consumed >= 0.6) {
    return 'warning';
  }
  return 'healthy';
}

/**
 * Rounds away binary noise (1 − 0.95 is 0.050000000000000044, so 40 bad of 1000 against 95% would
 * read 0.7999… and miss "critical"): fractions are exact to 12 decimal places.
 */
export function tidy(x: number): number {
  return Math.round(x * 1e12) / 1e12;
}

/** Throws unless the target is a percentage strictly between 0 and 100 (100% leaves no budget). */
export function checkTarget(target: number): void {
  if (!Number.isFinite(target) || target <= 0 || target >= 100) {
    throw new RangeError(`target must be a percentage strictly between 0 and 100, got ${target}`);
  }
}

/** Throws unless the counts are finite, non-negative and good ≤ total. */
export function checkCounts(c: EventCounts): void {
  if (!Number.isFinite(c.good) || !Number.isFinite(c.total) || c.good < 0 || c.total < 0) {
    throw new RangeError(`event counts must be finite and non-negative, got good=${c.good} total=${c.total}`);
  }
  if (c.good > c.total * (1 + 1e-9)) {
    throw new RangeError(`good events (${c.good}) exceed total events (${c.total})`);
  }
}

/**
 * The budget of an SLO with `target` percent over a window in which `counts` happened. Without any
 * event nothing was spent: remaining 1, SLI null. Counters from `increase()` are floats, so a good
 * count a hair above the total is clamped rather than refused.
 */
export function budgetReport(counts: EventCounts, target: number): BudgetReport {
  checkTarget(target);
  checkCounts(counts);
  const objective = target / 100;
  const errorBudget = 1 - objective;
  const good = Math.min(counts.good, counts.total);
  const bad = counts.total - good;
  const allowedBad = counts.total * errorBudget;
  const consumed = counts.total === 0 ? 0 : tidy(bad / allowedBad);
  return {
    sli: counts.total === 0 ? null : good / counts.total,
    objective,
    errorBudget,
    allowedBad,
    bad,
    consumed,
    remaining: Math.max(0, 1 - consumed),
    status: budgetStatus(consumed),
  };
}

/**
 * Burn rate over a span: the bad fraction observed divided by the bad fraction the objective allows.
 * 1 spends the budget exactly over the window; 14.4 spends 2% of a 30-day budget in an hour. Null
 * without events.
 */
export function burnRate(counts: EventCounts, target: number): number | null {
  checkTarget(target);
  checkCounts(counts);
  if (counts.total === 0) {
    return null;
  }
  const bad = counts.total - Math.min(counts.good, counts.total);
  return tidy(bad / counts.total / (1 - target / 100));
}

/**
 * Time until the budget is exhausted if the current burn rate goes on, in ms: the remaining fraction
 * over the fraction spent per ms (burnRate / windowMs). Null when nothing burns (rate ≤ 0 or unknown);
 * 0 when already exhausted.
 */
export function timeToExhaustionMs(remaining: number, rate: number | null, windowMs: number): number | null {
  if (remaining <= 0) {
    return 0;
  }
  if (rate === null || !(rate > 0)) {
    return null;
  }
  return (remaining * windowMs) / rate;
}

/** One SLO's compliance as the guide's dashboard counts it. */
export interface ComplianceInput {
  /** The SLI (ratio) and objective (ratio); a null SLI (no data) is not compliant. */
  sli: number | null;
  objective: number;
}

/**
 * The guide's `get_slo_dashboard_data` figures: compliant SLOs (SLI ≥ objective), total, and overall
 * compliance in percent (0 without SLOs).
 */
export function overallCompliance(slos: readonly ComplianceInput[]): {
  compliant: number;
  total: number;
  overallCompliance: number;
} {
  const compliant = slos.filter((s) => s.sli !== null && s.sli >= s.objective).length;
  return {
    compliant,
    total: slos.length,
    overallCompliance: slos.length === 0 ? 0 : (compliant / slos.length) * 100,
  };
}

/** One step of a burn-down: the budget remaining at `t` counting the events since the window start. */
export interface BurnDownPoint {
  t: number;
  remaining: number;
  consumed: number;
}

/**
 * The burn-down over a window from per-step event counts (`steps[i]` = the events of the step ending
 * at `t`, in time order): cumulative from the first step. Consumption is measured against the budget
 * of the whole window's expected traffic when `expectedTotal` is given (Pyrra's and Grafana SLO's
 * burn-down: the line falls as errors come and never rises), otherwise against the events seen so far.
 */
export function burnDown(
  steps: ReadonlyArray<EventCounts & { t: number }>,
  target: number,
  expectedTotal?: number
): BurnDownPoint[] {
  checkTarget(target);
  const budget = 1 - target / 100;
  let good = 0;
  let total = 0;
  return steps.map((s) => {
    checkCounts(s);
    good += Math.min(s.good, s.total);
    total += s.total;
    const allowed = (expectedTotal ?? total) * budget;
    const consumed = allowed === 0 ? 0 : tidy((total - good) / allowed);
    return { t: s.t, consumed, remaining: Math.max(0, 1 - consumed) };
  });
}
