/**
 * One evaluation tick: every rule due at it asks its query (identical (datasource, query, time) sent
 * once, Prometheus queries of one time batched into one request, all through the engine's query
 * pool), its condition is applied (history through the profile cache), and the state machine moves
 * its instances (commitTick.ts commits the whole tick at once).
 */
import { advance, type AlertInstance, type ConditionContext, type EvaluationResult, type RuleSpec } from '@vigil/core';
import { isVigilError } from '../errors';
import type { Source } from '../sources';
import type { Store, StoredEvent } from '../store';
import type { EvaluationCommit, RuleStatusRecord } from '../store/store';
import {
  ANOMALY_EVENT_KIND,
  anomalySamples,
  detectorPrefix,
  evaluationAt,
  samplesAt,
  stateRule,
  type QueryOutcome,
} from './evaluation';
import { inboundFor } from './inbound';
import { sloOutcome, type SloConditionDeps } from './sloCondition';
import type { ProfileCache } from './profiles';
import { Pool, QueryBatch } from './queryBatch';
import { TickQueries, type TickCounter } from './tickQueries';

/** What a tick needs from the engine. */
export interface TickDeps extends SloConditionDeps {
  store: Store;
  sourceFor(name: string): Source | undefined;
  /** Per-query timeout of a rule: its datasource's timeout, at most its interval. */
  timeoutFor(rule: RuleSpec): number;
  pool: Pool;
  profiles: ProfileCache;
  maxSeriesPerRule: number;
  counter?: TickCounter;
  /** Prometheus queries that broke a batch before: sent alone (kept across ticks by the engine). */
  solo: Set<string>;
  signal?: AbortSignal;
}

/** A rule due at a grid time. */
export interface DueRule {
  rule: RuleSpec;
  at: number;
}

/** A rule's evaluation: the result the state machine got, and how long the rule waited for it. */
export interface RuleEvaluation extends DueRule {
  result: EvaluationResult;
  durationMs: number;
}

const message = (err: unknown): string => (isVigilError(err) || err instanceof Error ? err.message : String(err));

/** Queries and conditions of every due rule (never throws: failures become error results). */
export async function evaluateTick(due: readonly DueRule[], deps: TickDeps): Promise<RuleEvaluation[]> {
  const queries = new TickQueries(deps.pool, deps.solo, deps.counter, deps.signal);
  // The store is local: no pool, but one read per detector and time all the same.
  const events = new QueryBatch<StoredEvent[]>(new Pool(Number.MAX_SAFE_INTEGER));
  const t0 = performance.now();
  // Every rule registers its query synchronously (before its first await), then one flush sends them.
  const evaluations = due.map(async ({ rule, at }): Promise<RuleEvaluation> => {
    const { outcome, ctx } = await ruleOutcome(rule, at, deps, queries, events);
    const result = evaluationAt(rule, at, outcome, ctx, deps.maxSeriesPerRule);
    return { rule, at, result, durationMs: performance.now() - t0 };
  });
  void queries.flush();
  return Promise.all(evaluations);
}

async function ruleOutcome(
  rule: RuleSpec,
  at: number,
  deps: TickDeps,
  queries: TickQueries,
  events: QueryBatch<StoredEvent[]>
): Promise<{ outcome: QueryOutcome; ctx: ConditionContext }> {
  const cond = rule.condition;
  try {
    if (cond.kind === 'slo') {
      // Prometheus SLOs share the tick's batched queries and the engine's pool (InfluxQL ones query alone).
      const timeoutMs = deps.timeoutFor(rule);
      return await sloOutcome(cond.slo, at, deps, (source) =>
        source.type !== 'prometheus'
          ? {}
          : {
              instant: (q) => queries.get(source, q, at, timeoutMs),
              range: (q, start, end, step) =>
                deps.pool.run(() => {
                  deps.counter?.request();
                  return source.queryRange(q, start, end, step, { timeoutMs, signal: deps.signal });
                }),
            }
      );
    }
    if (cond.kind === 'anomaly') {
      const key = `${cond.detector}\u0000${at}`;
      const list = await events.get(key, () =>
        deps.store.listEvents({
          from: at,
          to: at,
          kind: ANOMALY_EVENT_KIND,
          seriesKeyPrefix: detectorPrefix(cond.detector),
          limit: deps.maxSeriesPerRule + 1,
        })
      );
      return { outcome: { ok: true, samples: anomalySamples(list, cond.detector, at) }, ctx: {} };
    }
    const source = deps.sourceFor(rule.datasource);
    if (!source) {
      return { outcome: { ok: false, message: `unknown datasource "${rule.datasource}"` }, ctx: {} };
    }
    const [series, ctx] = await Promise.all([
      queries.get(source, rule.query, at, deps.timeoutFor(rule)),
      deps.profiles.context(rule, at, source, { signal: deps.signal }),
    ]);
    return { outcome: { ok: true, samples: samplesAt(series, at) }, ctx };
  } catch (err) {
    return { outcome: { ok: false, message: message(err) }, ctx: {} };
  }
}

/** The status a rule's evaluation leaves. */
export function statusOf(ev: RuleEvaluation): RuleStatusRecord {
  const r = ev.result;
  return {
    ruleId: ev.rule.id,
    health: r.kind === 'error' ? 'error' : r.samples.length === 0 ? 'nodata' : 'ok',
    lastEvaluation: ev.at,
    lastDurationMs: Math.round(ev.durationMs * 1000) / 1000,
    lastError: r.kind === 'error' ? r.message : null,
    seriesCount: r.kind === 'error' ? 0 : r.samples.length,
  };
}

/** The state machine applied to a rule's evaluation: what to commit for it (with the dispatcher's alert updates). */
export function commitFor(ev: RuleEvaluation, previous: readonly AlertInstance[]): EvaluationCommit {
  const { instances, transitions } = advance(stateRule(ev.rule), previous, ev.result);
  const commit: EvaluationCommit = {
    ruleId: ev.rule.id,
    ruleName: ev.rule.name,
    instances,
    transitions,
    status: statusOf(ev),
  };
  const inbound = inboundFor(ev.rule, transitions, previous, instances);
  if (inbound.length > 0) {
    commit.inbound = inbound;
  }
  return commit;
}
