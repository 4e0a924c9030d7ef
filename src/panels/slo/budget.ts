/**
 * Error-budget arithmetic of the guide's `SLO.calculate_error_budget` (SLA/SLO Management) for the
 * panel's own queries (an average SLI); the status thresholds are core's, as the sidecar's:
 *   error budget = 1 - target; consumed = (1 - sli) / budget; remaining = max(0, 1 - consumed);
 *   status: exhausted (consumed >= 1), critical (>= 0.8), warning (>= 0.6), else healthy.
 */

import { budgetStatus } from '@vigil/core/slo/budget';
import type { BudgetStatus } from '@vigil/core/slo/types';

export { budgetStatus, type BudgetStatus };

/** How SLI values are expressed: a ratio in [0, 1], a percentage in [0, 100], or guessed from the data. */
export type SliUnit = 'auto' | 'ratio' | 'percent';

/** The budget of one SLO at one moment. All fractions are ratios (0.999, not 99.9). */
export interface ErrorBudget {
  /** Current SLI, as a ratio. */
  sli: number;
  /** Objective, as a ratio. */
  target: number;
  /** Allowed error ratio: 1 - target. */
  errorBudget: number;
  /** Fraction of the budget used; above 1 when overspent. */
  consumed: number;
  /** Fraction of the budget left, never below 0. */
  remaining: number;
  status: BudgetStatus;
}

/**
 * Computes the error budget of an SLI (ratio) against an objective in percent (99.9).
 * Throws when the objective is not strictly between 0 and 100 (a 100% objective has no budget to
 * spend) or when the SLI is not a ratio in [0, 1].
 */
export function errorBudget(sli: number, objectivePercent: number): ErrorBudget {
  if (!Number.isFinite(objectivePercent) || objectivePercent <= 0 || objectivePercent >= 100) {
    throw new Error(`objective must be a percentage strictly between 0 and 100, got ${objectivePercent}`);
  }
  if (!Number.isFinite(sli) || sli < 0 || sli > 1) {
    throw new Error(`SLI must be a ratio between 0 and 1, got ${sli}`);
  }
  const target = objectivePercent / 100;
  const budget = 1 - target;
  const consumed = (1 - sli) / budget;
  return {
    sli,
    target,
    errorBudget: budget,
    consumed,
    remaining: Math.max(0, 1 - consumed),
    status: budgetStatus(consumed),
  };
}

/**
 * Guesses the unit of SLI values: all within [0, 1] reads as a ratio, otherwise as a percentage.
 * (An SLI at or below 1% expressed in percent would be misread: set the unit explicitly then.)
 */
export function detectUnit(values: readonly number[]): 'ratio' | 'percent' {
  return values.every((v) => v >= 0 && v <= 1) ? 'ratio' : 'percent';
}

/** Converts an SLI value to a ratio; throws when it is out of range for its unit. */
export function toRatio(value: number, unit: 'ratio' | 'percent'): number {
  const max = unit === 'ratio' ? 1 : 100;
  if (!Number.isFinite(value) || value < 0 || value > max) {
    throw new Error(`SLI value ${value} is out of range for a ${unit} (0 to ${max})`);
  }
  return unit === 'ratio' ? value : value / 100;
}

/** Mean of the finite values in the window, and how many there were. */
export interface WindowMean {
  mean: number;
  count: number;
}

/**
 * Mean of the values whose time falls within `windowMs` before the latest time (the guide averages
 * the SLI over the SLO's measurement window). Without times every finite value counts.
 * Returns undefined when no finite value is left.
 */
export function windowMean(
  values: ReadonlyArray<number | null | undefined>,
  times: readonly number[] | undefined,
  windowMs: number
): WindowMean | undefined {
  let latest = -Infinity;
  if (times) {
    values.forEach((v, i) => {
      if (typeof v === 'number' && Number.isFinite(v) && times[i] > latest) {
        latest = times[i];
      }
    });
  }
  let sum = 0;
  let count = 0;
  values.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      return;
    }
    if (times && times[i] <= latest - windowMs) {
      return;
    }
    sum += v;
    count++;
  });
  return count === 0 ? undefined : { mean: sum / count, count };
}
