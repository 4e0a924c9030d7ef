/**
 * A small language for state machine timelines, as Alertmanager's acceptance tests: results pushed
 * at times, with the states and events expected after each one.
 */
import { advance, type StateRule } from '../state';
import type { AlertInstance, AlertState, EvaluationResult, Severity, Transition } from '../types';

/** Minutes, the evaluation interval of the timelines. */
export const M = 60_000;
/** The first evaluation time of the timelines. */
export const T0 = Date.UTC(2026, 0, 5, 12);

/** A rule `High CPU` (threshold > 80) with the given timing. */
export function rule(timing: Partial<StateRule> = {}): StateRule {
  return {
    id: 'high_cpu',
    name: 'High CPU',
    severity: 'warning',
    labels: { team: 'ops' },
    annotations: { summary: '{{ $labels.instance }} at {{ $value }}' },
    forMs: 0,
    keepFiringForMs: 0,
    noDataState: 'NoData',
    execErrState: 'Error',
    missingSeriesEvalsToResolve: 2,
    ...timing,
  };
}

/** One step: `{ a: 90, b: 50 }` (instance → value; active when > 80), `[]` for no data, or an error. */
export type Input = Record<string, number> | 'nodata' | { error: string };

/** The evaluation result of an input at minute `minute`. */
export function result(minute: number, input: Input, severity?: Severity): EvaluationResult {
  const at = T0 + minute * M;
  if (input === 'nodata') {
    return { kind: 'ok', at, samples: [] };
  }
  if ('error' in input && typeof input.error === 'string') {
    return { kind: 'error', at, message: input.error };
  }
  return {
    kind: 'ok',
    at,
    samples: Object.entries(input as Record<string, number>).map(([instance, value]) => ({
      labels: { instance },
      value,
      active: value > 80,
      threshold: 80,
      ...(severity ? { severity } : {}),
    })),
  };
}

/** The key of an instance in expectations: its `instance` label, or `nodata` / `error`. */
export const keyOf = (x: { labels: Record<string, string> }) => x.labels.instance ?? x.labels.vigil_state;

/** `{ a: 'firing' }`: the kept instances after a step. */
export function states(instances: AlertInstance[]): Record<string, AlertState> {
  return Object.fromEntries(instances.map((i) => [keyOf(i), i.state]));
}

/** `['a firing']`: the notifying events of a step. */
export function events(transitions: Transition[]): string[] {
  return transitions.filter((t) => t.event).map((t) => `${keyOf(t)} ${t.event}`);
}

/** A step of a timeline: minute, input, then the expected states and events after it. */
export type Step = [minute: number, input: Input, states: Record<string, AlertState>, events?: string[]];

/**
 * Runs a timeline; with `restart`, every step starts from the instances as JSON would give them
 * back (what the store does across a restart).
 */
export function run(r: StateRule, steps: Step[], restart = false) {
  let prev: AlertInstance[] = [];
  const log: Array<{ states: Record<string, AlertState>; events: string[] }> = [];
  for (const [minute, input] of steps) {
    const out = advance(r, restart ? (JSON.parse(JSON.stringify(prev)) as AlertInstance[]) : prev, result(minute, input));
    prev = out.instances;
    log.push({ states: states(out.instances), events: events(out.transitions) });
  }
  return { log, instances: prev };
}
