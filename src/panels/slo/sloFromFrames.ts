import { type DataFrame, FieldType, getFieldDisplayName, rangeUtil } from '@grafana/data';
import { detectUnit, type ErrorBudget, errorBudget, toRatio, windowMean } from './budget';
import type { SloOptions } from './types';

/** What the SLO panel shows: nothing to show, a named error, or a budget. */
export type SloView =
  | { kind: 'empty'; message: string }
  | { kind: 'error'; message: string }
  | { kind: 'budget'; name: string; points: number; budget: ErrorBudget; objective: number };

/**
 * Reads the SLI from the first numeric field of the panel's frames, averages it over the window
 * and computes its error budget. Bad options or values give an error view naming what is wrong.
 */
export function sloFromFrames(series: DataFrame[], options: SloOptions): SloView {
  let windowMs: number;
  try {
    windowMs = rangeUtil.intervalToMs(options.window);
  } catch {
    return { kind: 'error', message: `window "${options.window}" is not an interval such as 5m, 1h or 30d` };
  }
  if (windowMs <= 0) {
    return { kind: 'error', message: `window "${options.window}" must be longer than zero` };
  }
  for (const frame of series) {
    const field = frame.fields.find((f) => f.type === FieldType.number);
    if (!field) {
      continue;
    }
    const timeField = frame.fields.find((f) => f.type === FieldType.time);
    const values = Array.from(field.values as ArrayLike<number | null>);
    const times = timeField ? Array.from(timeField.values as ArrayLike<number>) : undefined;
    const mean = windowMean(values, times, windowMs);
    if (!mean) {
      continue;
    }
    try {
      const finite = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
      const unit = options.sliUnit === 'auto' ? detectUnit(finite) : options.sliUnit;
      const budget = errorBudget(toRatio(mean.mean, unit), options.objective);
      return {
        kind: 'budget',
        name: getFieldDisplayName(field, frame, series),
        points: mean.count,
        budget,
        objective: options.objective,
      };
    } catch (err) {
      return { kind: 'error', message: err instanceof Error ? err.message : String(err) };
    }
  }
  return { kind: 'empty', message: 'No SLI data: the query returned no numeric values' };
}
