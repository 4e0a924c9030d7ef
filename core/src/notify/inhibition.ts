/**
 * Inhibition rules, with Alertmanager's semantics (inhibit/inhibit.go,
 * https://prometheus.io/docs/alerting/latest/configuration/#inhibit_rule): a firing alert matching
 * `sourceMatchers` mutes every alert matching `targetMatchers` that has the same values for the
 * `equal` labels (a label missing on both sides counts as equal). When an alert matches both sides,
 * source alerts that also match the target side are ignored for it, so such alerts never mute each
 * other (nor themselves).
 */
import { Matcher, matches } from './matchers';

/** One inhibition rule. */
export interface InhibitRule {
  sourceMatchers: Matcher[];
  targetMatchers: Matcher[];
  equal: string[];
}

/** Which rule and which source alert mute a target. */
export interface Inhibition {
  /** Index of the rule in the list. */
  rule: number;
  /** Labels of the inhibiting (source) alert. */
  source: Record<string, string>;
}

function same(a: Record<string, string>, b: Record<string, string>, names: string[]): boolean {
  // A missing label reads as "" in Alertmanager's LabelSet, so missing equals missing (and equals "").
  return names.every((n) => (a[n] ?? '') === (b[n] ?? ''));
}

/**
 * The first (rule, source alert) that mutes `target`, or null. `firing` holds the labels of the alerts
 * currently firing (resolved ones must not be passed: they inhibit nothing).
 */
export function inhibitedBy(
  target: Record<string, string>,
  firing: ReadonlyArray<Record<string, string>>,
  rules: readonly InhibitRule[]
): Inhibition | null {
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i];
    if (!matches(r.targetMatchers, target)) {
      continue;
    }
    const twoSided = matches(r.sourceMatchers, target);
    for (const source of firing) {
      if (!matches(r.sourceMatchers, source) || !same(source, target, r.equal)) {
        continue;
      }
      if (twoSided && matches(r.targetMatchers, source)) {
        continue;
      }
      return { rule: i, source };
    }
  }
  return null;
}

/** True when some rule and firing source alert mute `target` (see {@link inhibitedBy}). */
export function isInhibited(
  target: Record<string, string>,
  firing: ReadonlyArray<Record<string, string>>,
  rules: readonly InhibitRule[]
): boolean {
  return inhibitedBy(target, firing, rules) !== null;
}
