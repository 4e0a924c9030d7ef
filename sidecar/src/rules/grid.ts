/**
 * Where a rule sits on the evaluation grid t = k·interval + offset (core's `evalOffset` and friends).
 * The offset is seeded with what the rule asks, not with its id: rules with the same datasource,
 * query and interval (a warning and a critical rule on one expression, a rule set per team) land on
 * the same instants, so one tick sends their query once; different queries still spread over the
 * interval (in whole seconds, see {@link OFFSET_SLOT_MS}), as Prometheus spreads rule groups. Live
 * evaluation and preview both take the grid from here, so a backtest steps through the instants the
 * engine evaluates.
 */
import { evalOffset, evalTimesBetween, lastEvalTime, type RuleSpec } from '@vigil/core';

/** The string the rule's offset is hashed from: what its evaluation reads. */
export function gridKey(rule: Pick<RuleSpec, 'datasource' | 'query' | 'condition'>): string {
  if (rule.condition.kind === 'anomaly') {
    return `anomaly\u0000${rule.condition.detector}`;
  }
  if (rule.condition.kind === 'slo') {
    return `slo\u0000${rule.condition.slo}`;
  }
  return `${rule.datasource}\u0000${rule.query}`;
}

/**
 * Offsets are whole seconds: rules whose due times fall in the same second share one tick, and
 * their Prometheus queries at that instant go out as one batched request (promBatch.ts), while a
 * 1m interval still has 60 slots to spread the load over.
 */
export const OFFSET_SLOT_MS = 1000;

/** The rule's offset in [0, interval), a whole number of {@link OFFSET_SLOT_MS}. */
export function ruleOffset(rule: Pick<RuleSpec, 'datasource' | 'query' | 'condition' | 'intervalMs'>): number {
  const offset = evalOffset(gridKey(rule), rule.intervalMs);
  return offset - (offset % OFFSET_SLOT_MS);
}

/** The latest grid time of the rule at or before `now`. */
export function lastRuleTime(rule: RuleSpec, now: number): number {
  return lastEvalTime(now, rule.intervalMs, ruleOffset(rule));
}

/** The first grid time of the rule at or after `now`. */
export function firstRuleTimeFrom(rule: RuleSpec, now: number): number {
  const last = lastRuleTime(rule, now);
  return last === now ? now : last + rule.intervalMs;
}

/** The grid times of the rule in [from, to]. */
export function ruleTimesBetween(rule: RuleSpec, from: number, to: number): number[] {
  return evalTimesBetween(from, to, rule.intervalMs, ruleOffset(rule));
}
