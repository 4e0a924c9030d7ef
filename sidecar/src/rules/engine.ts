import type { NormalizedRuleBody, PreviewResponse, RuleStatus } from '@vigil/core';

/**
 * The rule engine as the API sees it (implemented in `rules/engine*.ts`): evaluation runs on its own
 * schedule; the API asks it for backtests and status, and tells it when the stored rules changed.
 */
export interface RuleEngine {
  /**
   * Backtests a rule (saved or not) over [from, to] on the evaluation grid: the same condition and
   * state-machine code as live evaluation. Throws a 400 VigilError for a bad range or query.
   */
  preview(rule: NormalizedRuleBody, from: number, to: number): Promise<PreviewResponse>;
  /** Evaluation status of a rule (`unknown` health before its first evaluation). */
  status(ruleId: string): RuleStatus;
  /** Re-reads the rules from the store (after an API change or a rule-file reload). */
  reload(): Promise<void>;
  /** Stops scheduling, waits for evaluations in flight (aborting them after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}
