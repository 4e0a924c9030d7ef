/**
 * The state machine's shortcut for the common case: a rule with no instance whose evaluation
 * returned series, none of them active. The full step (state.ts) would build every series' instance
 * labels and fingerprint only to find nothing to keep, and at 10k rules that was most of the step's
 * cost. The one thing the full step can still do in this case is refuse the result because two
 * series share a label set once the rule labels apply (an evaluation error, as in Prometheus), so
 * that is checked here on the series' own labels, without building or hashing anything.
 */
import type { StateRule } from './stateStep';
import type { AlertInstance, EvaluatedSample, EvaluationResult } from './types';

// A high surrogate not followed by a low one, or a low one not preceded by a high one (no `u`
// flag nor lookbehind: core also runs in the plugin's ES5/ES2015 bundle).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * An injective key of the labels a series' instance gets from the series: all of them but
 * `__name__`, `alertname` and the rule's own label names (which the rule overrides). Undefined when
 * a label has a lone surrogate: the fingerprint encodes those as U+FFFD, so two different strings
 * can be one instance there, and only the full step decides such a case exactly.
 */
function seriesKey(labels: Record<string, string>, overridden: ReadonlySet<string>): string | undefined {
  const names = Object.keys(labels).sort();
  let key = '';
  for (const name of names) {
    if (name === '__name__' || name === 'alertname' || overridden.has(name)) {
      continue;
    }
    const value = String(labels[name]);
    key += `${name.length}:${name}${value.length}:${value}`; // lengths first: no separator to escape
  }
  return LONE_SURROGATE.test(key) ? undefined : key;
}

/** True when two of the samples could be one instance (or it cannot be decided cheaply). */
function mayShareInstance(rule: Pick<StateRule, 'labels'>, samples: readonly EvaluatedSample[]): boolean {
  const overridden = new Set(Object.keys(rule.labels));
  const seen = new Set<string>();
  for (const s of samples) {
    const key = seriesKey(s.labels, overridden);
    if (key === undefined || seen.has(key)) {
      return true;
    }
    seen.add(key);
  }
  return false;
}

/**
 * True when applying `result` to `prev` gives no instances and no transitions for certain, which
 * the full step would compute at a much higher cost: no previous instance, an `ok` result with
 * samples, none active, no two series on one label set. Exact but for one case: two different
 * label sets whose 64-bit FNV-1a fingerprints collide, which the full step takes for duplicates.
 */
export function isQuietStep(rule: Pick<StateRule, 'labels'>, prev: readonly AlertInstance[], result: EvaluationResult): boolean {
  if (prev.length > 0 || result.kind !== 'ok' || result.samples.length === 0) {
    return false;
  }
  for (const s of result.samples) {
    if (s.active) {
      return false;
    }
  }
  return !mayShareInstance(rule, result.samples);
}
