/**
 * Backtest: replays a rule over past evaluation results with the live state machine
 * ({@link advance}, from an empty state), so a preview shows exactly what live evaluation would have
 * done over that range: the Pending/Firing/… intervals of each instance and its firing/resolved
 * events.
 */
import type { PreviewInterval, PreviewResponse, PreviewSeries } from './api';
import { fingerprint } from './fingerprint';
import { advance, instanceLabels, type StateRule } from './state';
import type { AlertInstance, EvaluationResult, Transition } from './types';

/** Options of {@link backtest}. */
export interface BacktestOptions {
  from: number;
  to: number;
  stepMs: number;
}

/**
 * Runs `steps` (evaluation results in time order, typically at {@link evalTimesBetween}) through
 * {@link advance}. An interval is a run of consecutive steps in which an instance held the same
 * non-Normal state: it starts at the step that entered the state and ends at the step that left it,
 * or at `opts.to` if it was still open. `events` are the transitions that notify.
 */
export function backtest(
  rule: StateRule,
  steps: readonly EvaluationResult[],
  opts: BacktestOptions
): Pick<PreviewResponse, 'intervals' | 'events'> {
  let instances: AlertInstance[] = [];
  const open = new Map<string, PreviewInterval>();
  const intervals: PreviewInterval[] = [];
  const events: Transition[] = [];
  for (const result of steps) {
    const out = advance(rule, instances, result);
    instances = out.instances;
    for (const t of out.transitions) {
      if (t.event !== undefined) {
        events.push(t);
      }
    }
    const current = new Map(instances.map((i) => [i.fingerprint, i]));
    for (const [fp, iv] of open) {
      const inst = current.get(fp);
      if (inst === undefined || inst.state !== iv.state) {
        iv.to = result.at;
        intervals.push(iv);
        open.delete(fp);
      }
    }
    for (const inst of instances) {
      if (inst.state !== 'normal' && !open.has(inst.fingerprint)) {
        open.set(inst.fingerprint, { fingerprint: inst.fingerprint, state: inst.state, from: result.at, to: result.at });
      }
    }
  }
  for (const iv of open.values()) {
    iv.to = Math.max(opts.to, iv.from);
    intervals.push(iv);
  }
  intervals.sort((a, b) => a.from - b.from || (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0));
  return { intervals, events };
}

/**
 * The series of a preview, keyed by instance fingerprint (the same as the intervals'): per step the
 * value, the threshold in force and (baseline conditions) the compared % change; null where the
 * series had no sample at that step, so every array has one entry per step.
 */
export function previewSeries(rule: Pick<StateRule, 'id' | 'name' | 'labels'>, steps: readonly EvaluationResult[]): PreviewSeries[] {
  const series = new Map<string, PreviewSeries>();
  const finite = (v: number | null | undefined) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  steps.forEach((result, i) => {
    const seen = new Set<string>();
    if (result.kind === 'ok') {
      for (const s of result.samples) {
        const labels = instanceLabels(rule, s.labels);
        const fp = fingerprint(rule.id, labels);
        if (seen.has(fp)) {
          continue;
        }
        seen.add(fp);
        let ps = series.get(fp);
        if (ps === undefined) {
          ps = { fingerprint: fp, labels, points: [], thresholds: [] };
          // Earlier steps had no sample of this series.
          for (const earlier of steps.slice(0, i)) {
            ps.points.push([earlier.at, null]);
            ps.thresholds.push([earlier.at, null]);
          }
          series.set(fp, ps);
        }
        ps.points.push([result.at, finite(s.value)]);
        ps.thresholds.push([result.at, finite(s.threshold)]);
        if (s.compared !== undefined) {
          ps.compared ??= ps.points.slice(0, -1).map(([t]) => [t, null]);
          ps.compared.push([result.at, finite(s.compared)]);
        }
      }
    }
    for (const ps of series.values()) {
      if (!seen.has(ps.fingerprint)) {
        ps.points.push([result.at, null]);
        ps.thresholds.push([result.at, null]);
      }
      if (ps.compared !== undefined && ps.compared.length < ps.points.length) {
        ps.compared.push([result.at, null]);
      }
    }
  });
  return [...series.values()].sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0));
}
