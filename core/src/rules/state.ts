/**
 * The alert state machine: one evaluation result in, the rule's instances and their transitions out.
 * Pure and deterministic, so live evaluation, backtests and a restart (instances read back from the
 * store) all go through the same code and agree. States and handling follow Grafana Alerting
 * (https://grafana.com/docs/grafana/latest/alerting/fundamentals/alert-rule-evaluation/state-and-health/):
 *
 * - One instance per series, labelled series labels ∪ rule labels (the rule's win) ∪ `alertname`,
 *   without `__name__` (as Prometheus' alert labels); identified by {@link fingerprint}.
 * - Normal instances are not kept (like Prometheus); their last transition is still returned.
 * - A series missing from a result keeps its state for `missingSeriesEvalsToResolve` evaluations.
 * - No data (an `ok` result without samples), by `noDataState`: `NoData` → one instance
 *   `vigil_state="nodata"` in state `nodata` (series instances go the missing-series way);
 *   `Alerting` → that instance is an active sample (Pending/`for`/Firing, with events); `OK` →
 *   every instance inactive; `KeepLast` → nothing changes but `lastEvalAt`.
 * - A query error, by `execErrState`: `Error` → one instance `vigil_state="error"` in state `error`,
 *   the others kept as they are; `Alerting` → that instance active; `OK` → every instance
 *   inactive; `KeepLast` → nothing changes but `lastEvalAt`.
 * - The nodata/error instance returns to Normal on the first result that is not its case (with a
 *   `resolved` event if it had fired through `Alerting`).
 * - A result at or before the last one applied changes nothing: a repeated evaluation (a retry, a
 *   restart replaying the last cycle) can never fire twice.
 */
import { fingerprint } from './fingerprint';
import { move, observe, stepActive, stepInactive, stepMissing, type Observation, type StateRule, type StepContext } from './stateStep';
import { isQuietStep } from './stateQuiet';
import { renderAnnotations } from './template';
import type { AlertInstance, EvaluatedSample, EvaluationResult, Transition } from './types';

export type { StateRule } from './stateStep';

/** Label marking the rule's own NoData / Error instance. */
export const STATE_LABEL = 'vigil_state';

/** Labels of a series' instance: series ∪ rule labels (the rule's win) ∪ alertname, no `__name__`. */
export function instanceLabels(rule: Pick<StateRule, 'name' | 'labels'>, seriesLabels: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = { ...seriesLabels, ...rule.labels, alertname: rule.name };
  delete out.__name__;
  return out;
}

/** Labels of the rule's NoData (`nodata`) or Error (`error`) instance. */
export function specialLabels(rule: Pick<StateRule, 'name' | 'labels'>, kind: 'nodata' | 'error'): Record<string, string> {
  return { ...rule.labels, alertname: rule.name, [STATE_LABEL]: kind };
}

/** The outcome of {@link advance}: kept (non-Normal) instances and this step's transitions. */
export interface AdvanceResult {
  instances: AlertInstance[];
  transitions: Transition[];
}

const byFingerprint = (a: { fingerprint: string }, b: { fingerprint: string }) =>
  a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0;

function observation(
  rule: StateRule,
  labels: Record<string, string>,
  s: Partial<EvaluatedSample> & { error?: string },
  fp = fingerprint(rule.id, labels)
): Observation {
  const value = typeof s.value === 'number' && Number.isFinite(s.value) ? s.value : null;
  const threshold = typeof s.threshold === 'number' && Number.isFinite(s.threshold) ? s.threshold : null;
  const obs: Observation = {
    fingerprint: fp,
    labels,
    value,
    threshold,
    severity: s.severity ?? rule.severity,
    annotations: renderAnnotations(rule.annotations, { value, threshold, labels }),
  };
  if (s.error !== undefined) {
    obs.error = s.error;
  }
  return obs;
}

/** What the two halves of a step share: the context, the previous instances and the kept ones. */
interface Step {
  ctx: StepContext;
  prev: readonly AlertInstance[];
  prevBy: Map<string, AlertInstance>;
  keep: (i: AlertInstance) => void;
}

const isSpecial = (i: AlertInstance) => i.labels[STATE_LABEL] === 'nodata' || i.labels[STATE_LABEL] === 'error';
const touch = (step: Step, i: AlertInstance) => ({ ...i, lastEvalAt: step.ctx.at });

/**
 * Applies one evaluation result to a rule's instances (`prev`: the non-Normal ones from the last
 * step, in any order, e.g. as read from the store). Returns the new non-Normal instances sorted by
 * fingerprint and every state change of this step.
 */
export function advance(rule: StateRule, prev: readonly AlertInstance[], result: EvaluationResult): AdvanceResult {
  if (isQuietStep(rule, prev, result)) {
    return { instances: [], transitions: [] }; // most rules, most of the time (see stateQuiet.ts)
  }
  return advanceFull(rule, prev, result);
}

/**
 * {@link advance} without its shortcut for quiet steps: the same answer, computed the long way
 * (exported for the test that compares the two).
 */
export function advanceFull(rule: StateRule, prev: readonly AlertInstance[], result: EvaluationResult): AdvanceResult {
  const lastAt = prev.reduce((m, i) => Math.max(m, i.lastEvalAt), -Infinity);
  if (result.at <= lastAt) {
    return { instances: [...prev].sort(byFingerprint), transitions: [] };
  }
  const next = new Map<string, AlertInstance>();
  const step: Step = {
    ctx: { rule, at: result.at, transitions: [] },
    prev,
    prevBy: new Map(prev.map((i) => [i.fingerprint, i])),
    keep: (i) => {
      if (i.state !== 'normal') {
        next.set(i.fingerprint, i);
      }
    },
  };
  if (result.kind === 'ok' && result.samples.length > 0) {
    const duplicate = applySamples(step, result.samples);
    if (duplicate) {
      // Prometheus refuses such a vector too: two series would be one alert.
      const message = 'the query returned series with the same label set after applying the rule labels';
      return advanceFull(rule, prev, { kind: 'error', at: result.at, message });
    }
  } else {
    applyNoSamples(step, result.kind === 'ok' ? undefined : result.message);
  }
  const transitions = step.ctx.transitions.sort(byFingerprint);
  return { instances: [...next.values()].sort(byFingerprint), transitions };
}

/** Samples came back: each series steps; absent series go the missing way; nodata/error instances end. */
function applySamples(step: Step, samples: readonly EvaluatedSample[]): boolean {
  const { ctx, prevBy, keep } = step;
  const { rule } = ctx;
  const seen = new Set<string>();
  const series: Array<[EvaluatedSample, Record<string, string>, string]> = [];
  for (const s of samples) {
    const labels = instanceLabels(rule, s.labels);
    const fp = fingerprint(rule.id, labels);
    if (seen.has(fp)) {
      return true;
    }
    seen.add(fp);
    series.push([s, labels, fp]);
  }
  for (const [s, labels, fp] of series) {
    const p = prevBy.get(fp);
    if (!s.active && p === undefined) {
      continue; // Normal stays Normal: nothing to keep, nothing to render (most series, most of the time)
    }
    keep((s.active ? stepActive : stepInactive)(ctx, p, observation(rule, labels, s, fp)));
  }
  for (const p of step.prev) {
    if (!seen.has(p.fingerprint)) {
      keep(isSpecial(p) ? move(ctx, touch(step, p), 'normal', 'the query returned data') : stepMissing(ctx, p));
    }
  }
  return false;
}

/** No samples (`message` undefined) or a failed query: the rule's NoData / Error handling. */
function applyNoSamples(step: Step, message: string | undefined): void {
  const { ctx, keep } = step;
  const { rule } = ctx;
  const kind = message === undefined ? 'nodata' : 'error';
  const handling = message === undefined ? rule.noDataState : rule.execErrState;
  if (handling === 'KeepLast') {
    step.prev.forEach((p) => keep(touch(step, p)));
    return;
  }
  if (handling === 'OK') {
    for (const p of step.prev) {
      keep(isSpecial(p) ? move(ctx, touch(step, p), 'normal', `${kind} handled as OK`) : stepInactive(ctx, p, observationOf(p)));
    }
    return;
  }
  const special = observation(rule, specialLabels(rule, kind), message === undefined ? {} : { error: message });
  const own = step.prevBy.get(special.fingerprint);
  if (handling === 'Alerting') {
    keep(stepActive(ctx, own, special));
  } else if (own?.state === kind) {
    keep(observe(ctx, own, special));
  } else {
    const reason = kind === 'nodata' ? 'the query returned no data' : `query failed: ${message}`;
    keep(move(ctx, observe(ctx, own, special), kind, reason));
  }
  for (const p of step.prev) {
    if (p.fingerprint === special.fingerprint) {
      continue;
    }
    if (kind === 'error') {
      keep(touch(step, p)); // a failed query says nothing about the series: they keep their state (as Grafana)
    } else if (isSpecial(p)) {
      keep(move(ctx, touch(step, p), 'normal', 'the query succeeded'));
    } else {
      keep(stepMissing(ctx, p));
    }
  }
}

/** An instance's last observation, for steps that have no new sample for it (OK handling). */
function observationOf(p: AlertInstance): Observation {
  const { fingerprint: fp, labels, value, threshold, severity, annotations } = p;
  return { fingerprint: fp, labels, value, threshold, severity, annotations };
}
