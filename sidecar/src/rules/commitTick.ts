/**
 * The second half of a tick: the state machine applied to every rule's evaluation, ONE store commit
 * for all of them, and only then memory, metrics and logs, so memory never runs ahead of the store
 * (a restart continues from what memory showed).
 */
import type { Logger } from 'pino';
import type { RuleMetrics } from '../metrics';
import type { Store } from '../store';
import type { EvaluationCommit } from '../store/store';
import { commitFor, type RuleEvaluation } from './evaluator';
import type { RuleEntry, RuleSet } from './ruleSet';

/** Where a tick's outcome goes. */
export interface CommitDeps {
  store: Store;
  rules: RuleSet;
  metrics: RuleMetrics;
  logger: Logger;
  /** Called after a commit that pushed alert updates to the dispatcher's inbox (it routes them at once). */
  onInbound?: () => void;
}

/** Commits a tick's evaluations; never throws (a failed commit is logged and counted). */
export async function commitTick(evals: readonly RuleEvaluation[], deps: CommitDeps): Promise<void> {
  const { metrics: m, logger } = deps;
  const applied: Array<{ entry: RuleEntry; commit: EvaluationCommit }> = [];
  for (const ev of evals) {
    const entry = deps.rules.get(ev.rule.id);
    // Deleted while its query ran: committing would bring its instances back.
    if (entry) {
      applied.push({ entry, commit: commitFor(ev, entry.instances) });
    }
  }
  try {
    await deps.store.commitEvaluations(applied.map((a) => a.commit));
  } catch (err) {
    // Nothing of the tick was stored: memory keeps the last committed state and the next tick
    // evaluates again (an event can come late, never twice: its id is deterministic).
    logger.error({ err, rules: applied.length }, 'rules: committing the evaluation tick failed');
    for (const { entry } of applied) {
      m.evaluationFailures.inc({ rule: entry.spec.id });
    }
    return;
  }
  for (const { entry, commit } of applied) {
    const st = commit.status;
    const rule = entry.spec.id;
    entry.status = st;
    deps.rules.setInstances(entry, commit.instances);
    m.evaluationDuration.set({ rule }, (st.lastDurationMs ?? 0) / 1000);
    m.lastEvaluation.set({ rule }, (st.lastEvaluation ?? 0) / 1000);
    m.series.set({ rule }, st.seriesCount);
    if (st.health === 'error') {
      m.evaluationFailures.inc({ rule });
      // debug: 10k rules on one dead datasource must not flood the log (health and metrics show it).
      logger.debug({ rule, err: st.lastError }, 'rule evaluation failed');
    }
    for (const t of commit.transitions) {
      if (t.event) {
        logger.info({ rule, fingerprint: t.fingerprint, event: t.event, at: t.at, value: t.value }, `alert ${t.event}`);
      }
    }
  }
  publishAlertCounts(deps.rules, m);
  if (deps.onInbound && applied.some(({ commit }) => (commit.inbound?.length ?? 0) > 0)) {
    try {
      deps.onInbound();
    } catch (err) {
      // The updates are in the inbox: the dispatcher's own poll still routes them.
      logger.error({ err }, 'rules: waking the notification dispatcher failed');
    }
  }
}

/** Sets `vigil_alerts{state}` from the rule set's counts. */
export function publishAlertCounts(rules: RuleSet, m: RuleMetrics): void {
  for (const [state, n] of Object.entries(rules.stateCounts())) {
    m.alerts.set({ state }, n);
  }
}
