/**
 * One instance, one evaluation: the moves of the state machine (see state.ts for the whole step).
 * Every change of state goes through {@link move}, which records the {@link Transition} and decides
 * its notification event, so the event rules live in one place:
 * - `firing` when an instance enters Firing from anything but Recovering (Recovering → Firing is the
 *   same episode going on);
 * - `resolved` when it leaves Firing or Recovering for any other state.
 */
import type { AlertInstance, AlertState, RuleSpec, RuleTiming, Severity, Transition } from './types';

/** The part of a rule the state machine reads. */
export type StateRule = Pick<RuleSpec, 'id' | 'name' | 'severity' | 'labels' | 'annotations'> & RuleTiming;

/** What one evaluation says about one instance. */
export interface Observation {
  fingerprint: string;
  labels: Record<string, string>;
  value: number | null;
  threshold: number | null;
  severity: Severity;
  annotations: Record<string, string>;
  error?: string;
}

/** The evaluation being applied and the transitions it produced so far. */
export interface StepContext {
  rule: StateRule;
  at: number;
  transitions: Transition[];
}

const FIRING_LIKE: ReadonlySet<AlertState> = new Set(['firing', 'recovering']);

/** A fresh Normal instance for an observation (never stored as such: Normal ones are dropped). */
function fresh(ctx: StepContext, obs: Observation): AlertInstance {
  return {
    ruleId: ctx.rule.id,
    fingerprint: obs.fingerprint,
    labels: obs.labels,
    state: 'normal',
    since: ctx.at,
    activeAt: null,
    firedAt: null,
    recoveringSince: null,
    value: obs.value,
    threshold: obs.threshold,
    severity: obs.severity,
    missingEvals: 0,
    lastEvalAt: ctx.at,
    annotations: obs.annotations,
  };
}

/** The instance (a fresh Normal one if none) updated with what this evaluation observed; no state change. */
export function observe(ctx: StepContext, prev: AlertInstance | undefined, obs: Observation): AlertInstance {
  const inst: AlertInstance = { ...(prev ?? fresh(ctx, obs)) };
  inst.labels = obs.labels;
  inst.value = obs.value;
  inst.threshold = obs.threshold;
  inst.severity = obs.severity;
  inst.annotations = obs.annotations;
  inst.missingEvals = 0;
  inst.lastEvalAt = ctx.at;
  if (obs.error !== undefined) {
    inst.error = obs.error;
  } else {
    delete inst.error;
  }
  return inst;
}

/** Moves `inst` to `to` (if it is not there already), recording the transition. */
export function move(ctx: StepContext, inst: AlertInstance, to: AlertState, reason: string): AlertInstance {
  const from = inst.state;
  if (from === to) {
    return inst;
  }
  const t: Transition = {
    ruleId: inst.ruleId,
    fingerprint: inst.fingerprint,
    labels: inst.labels,
    from,
    to,
    at: ctx.at,
    value: inst.value,
    threshold: inst.threshold,
    severity: inst.severity,
    reason,
  };
  if (to === 'firing' && from !== 'recovering') {
    t.event = 'firing';
  } else if (FIRING_LIKE.has(from) && !FIRING_LIKE.has(to)) {
    t.event = 'resolved';
  }
  ctx.transitions.push(t);
  const next: AlertInstance = { ...inst, state: to, since: ctx.at };
  if (to === 'normal' || to === 'nodata' || to === 'error') {
    next.activeAt = null;
    next.firedAt = null;
    next.recoveringSince = null;
  }
  return next;
}

/** The condition holds: Normal → Pending (or Firing with no `for`) → Firing; Recovering → Firing. */
export function stepActive(ctx: StepContext, prev: AlertInstance | undefined, obs: Observation): AlertInstance {
  const { at, rule } = ctx;
  let inst = observe(ctx, prev, obs);
  switch (inst.state) {
    case 'firing':
      return inst;
    case 'recovering':
      inst = move(ctx, inst, 'firing', 'condition holds again within keep_firing_for');
      inst.recoveringSince = null;
      return inst;
    case 'pending': {
      const activeAt = inst.activeAt ?? at;
      if (at - activeAt >= rule.forMs) {
        inst = move(ctx, inst, 'firing', 'condition held for the pending period');
        inst.firedAt = at;
      }
      return inst;
    }
    default:
      if (rule.forMs > 0) {
        inst = move(ctx, inst, 'pending', 'condition holds');
        inst.activeAt = at;
      } else {
        inst = move(ctx, inst, 'firing', 'condition holds');
        inst.activeAt = at;
        inst.firedAt = at;
      }
      return inst;
  }
}

/**
 * The condition does not hold: Pending → Normal; Firing → Recovering (with keep_firing_for) or
 * Normal; Recovering → Normal once keep_firing_for has passed; NoData/Error → Normal.
 * A Normal result is returned too (the caller drops it).
 */
export function stepInactive(ctx: StepContext, prev: AlertInstance | undefined, obs: Observation): AlertInstance {
  const { at, rule } = ctx;
  let inst = observe(ctx, prev, obs);
  switch (inst.state) {
    case 'normal':
      return inst;
    case 'firing':
      if (rule.keepFiringForMs > 0) {
        inst = move(ctx, inst, 'recovering', 'condition cleared, keeping firing for keep_firing_for');
        inst.recoveringSince = at;
        return inst;
      }
      return move(ctx, inst, 'normal', 'condition cleared');
    case 'recovering': {
      const since = inst.recoveringSince ?? at;
      return at - since >= rule.keepFiringForMs ? move(ctx, inst, 'normal', 'keep_firing_for elapsed') : inst;
    }
    case 'pending':
      return move(ctx, inst, 'normal', 'condition cleared before the pending period elapsed');
    default:
      return move(ctx, inst, 'normal', inst.state === 'nodata' ? 'data returned' : 'query succeeded');
  }
}

/**
 * A series instance absent from an evaluation that returned others (or none): it keeps its state
 * for `missingSeriesEvalsToResolve` − 1 evaluations, then resolves (Grafana's stale series rule).
 */
export function stepMissing(ctx: StepContext, prev: AlertInstance): AlertInstance {
  const limit = Math.max(1, ctx.rule.missingSeriesEvalsToResolve);
  const inst: AlertInstance = { ...prev, missingEvals: prev.missingEvals + 1, lastEvalAt: ctx.at };
  if (inst.missingEvals >= limit) {
    return move(ctx, inst, 'normal', `series missing for ${inst.missingEvals} evaluation(s)`);
  }
  return inst;
}
