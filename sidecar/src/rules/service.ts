/**
 * The running rule engine: one timer loop over every enabled rule's grid times (a heap, not a timer
 * per rule), ticks that group the rules due together (queries deduplicated and pooled, see
 * evaluator.ts), one store commit per tick, and the API's view (status, preview, reload, stop).
 * State is read from the store at start, so a restart (kill -9 included) continues where the last
 * commit left: a Firing instance stays Firing without a second event, a Pending one keeps its start.
 */
import type { NormalizedRuleBody, PreviewResponse, RuleSpec, RuleStatus } from '@vigil/core';
import type { Logger } from 'pino';
import type { Config } from '../config/schema';
import type { SidecarMetrics } from '../metrics';
import type { Source } from '../sources';
import type { Store } from '../store';
import type { RuleEngine } from './engine';
import { commitTick, publishAlertCounts, type CommitDeps } from './commitTick';
import { evaluateTick, type DueRule, type TickDeps } from './evaluator';
import { DueQueue } from './dueQueue';
import { firstRuleTimeFrom, lastRuleTime } from './grid';
import { previewRule } from './preview';
import { ProfileCache } from './profiles';
import { Pool } from './queryBatch';
import { RuleSet, type RuleEntry } from './ruleSet';
import { toRuleSpec } from './schema';
import type { SloConditionDeps } from './sloCondition';

/** What the engine needs from the server. */
export interface RulesDeps {
  config: Config;
  store: Store;
  sources: readonly Source[];
  logger: Logger;
  metrics: SidecarMetrics;
  /** The clock (tests inject one and drive evaluation with {@link RuleEngineService.evaluateDue}). */
  now?: () => number;
  /** Runs the timer loop (default true; tests that drive the clock pass false). */
  schedule?: boolean;
  /** Shortest time between two ticks: rules due closer together share one tick (default 100 ms). */
  tickMs?: number;
  /**
   * Called after a tick's commit pushed firing/resolved alerts to the dispatcher's inbox, so it routes
   * them now rather than at its next poll (the server passes `NotifyService.kick`).
   */
  onInbound?: () => void;
  /** SLO rules (`slo` conditions): the SLOs and where their evaluations go (the SLO service). */
  slos?: Pick<SloConditionDeps, 'slo' | 'onSloStatus' | 'sloBuckets'>;
}

/** The engine with the handles tests, benchmarks and the server use. */
export interface RuleEngineService extends RuleEngine {
  /** Resolves once rules, instances and statuses are loaded from the store. */
  readonly ready: Promise<void>;
  /** Evaluates every rule due at or before `at` (at its latest grid time), as the loop does; resolves after the commit. */
  evaluateDue(at: number): Promise<void>;
  /** Rules loaded (enabled or not). */
  readonly ruleCount: number;
}

const MAX_TIMER_MS = 60_000;

class RulesEngine implements RuleEngineService {
  private readonly rules = new RuleSet();
  private readonly queue = new DueQueue();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly abort = new AbortController();
  private readonly profiles: ProfileCache;
  private readonly tickDeps: TickDeps;
  private readonly commitDeps: CommitDeps;
  private readonly now: () => number;
  private readonly tickMs: number;
  private timer: NodeJS.Timeout | undefined;
  private lastWake = -Infinity;
  /** When the running ticks began to run without a gap (for `vigil_rule_engine_busy_seconds_total`). */
  private busySince = 0;
  private stopped = false;
  private reloading: Promise<void> = Promise.resolve();
  private loaded: Promise<void>;

  constructor(private readonly deps: RulesDeps) {
    this.now = deps.now ?? Date.now;
    this.tickMs = deps.tickMs ?? 100;
    const timeouts = new Map(deps.config.datasources.map((d) => [d.name, d.timeoutSeconds * 1000]));
    const sources = new Map(deps.sources.map((s) => [s.name, s]));
    const m = deps.metrics.rules;
    const pool = new Pool(deps.config.rules.queryConcurrency);
    this.profiles = new ProfileCache(pool);
    this.tickDeps = {
      store: deps.store,
      sourceFor: (name) => sources.get(name),
      slo: deps.slos?.slo,
      onSloStatus: deps.slos?.onSloStatus,
      sloBuckets: deps.slos?.sloBuckets,
      timeoutFor: (rule) => Math.min(timeouts.get(rule.datasource) ?? 30_000, rule.intervalMs),
      pool,
      profiles: this.profiles,
      maxSeriesPerRule: deps.config.rules.maxSeriesPerRule,
      counter: {
        sent: () => m.queries.inc({ deduplicated: 'false' }),
        deduplicated: () => m.queries.inc({ deduplicated: 'true' }),
        request: () => m.queryRequests.inc(),
      },
      solo: new Set(),
      signal: this.abort.signal,
    };
    this.commitDeps = {
      store: deps.store,
      rules: this.rules,
      metrics: m,
      logger: deps.logger,
      onInbound: deps.onInbound,
    };
    this.loaded = this.load();
    // A failed load is reported by reload/evaluateDue callers and logged here; the loop does not start
    // until a reload loads again.
    this.loaded.catch((err) => deps.logger.error({ err }, 'rules: loading from the store failed'));
  }

  /** Resolves once rules, instances and statuses are loaded from the store. */
  get ready(): Promise<void> {
    return this.loaded;
  }

  get ruleCount(): number {
    return this.rules.size;
  }

  private async load(): Promise<void> {
    const { store } = this.deps;
    const [records, instances, statuses] = await Promise.all([
      store.listRules(),
      store.listInstances(),
      store.listRuleStatuses(),
    ]);
    this.apply(records);
    for (const st of statuses) {
      const entry = this.rules.get(st.ruleId);
      if (entry) {
        entry.status = st;
      }
    }
    const byRule = new Map<string, typeof instances>();
    for (const i of instances) {
      byRule.set(i.ruleId, [...(byRule.get(i.ruleId) ?? []), i]);
    }
    for (const [ruleId, list] of byRule) {
      const entry = this.rules.get(ruleId);
      if (entry) {
        this.rules.setInstances(entry, list);
      }
    }
    this.publishAlertCounts();
    this.deps.logger.info({ rules: this.rules.size, instances: instances.length }, 'rules loaded');
    this.arm();
  }

  /** Applies the stored rules: new and changed ones (re)scheduled, removed ones forgotten. */
  private apply(records: Awaited<ReturnType<Store['listRules']>>): void {
    const changes = this.rules.replace(records, (r) => toRuleSpec(r.body));
    const now = this.now();
    for (const entry of [...changes.added, ...changes.changed]) {
      if (entry.spec.enabled) {
        this.queue.set(entry.spec.id, firstRuleTimeFrom(entry.spec, now));
      } else {
        this.queue.delete(entry.spec.id);
      }
    }
    const m = this.deps.metrics.rules;
    for (const id of changes.removed) {
      this.queue.delete(id);
      for (const metric of [
        m.evaluationDuration,
        m.evaluationFailures,
        m.evaluationSkips,
        m.lastEvaluation,
        m.series,
      ]) {
        metric.remove({ rule: id });
      }
    }
    for (const bad of changes.invalid) {
      this.deps.logger.error({ rule: bad.id, err: bad.error }, 'rules: stored rule is invalid, not evaluated');
    }
    this.profiles.retain([...this.rules.values()].map((e) => e.spec));
  }

  async reload(): Promise<void> {
    // Serialized: two API writes in a row must not apply an older listing after a newer one.
    const next = this.reloading.then(async () => {
      // A load that failed (the store out of reach at start, or a replica's connections cut while it
      // loaded) is tried again, instead of failing every reload after it for good.
      await this.loaded.catch(() => (this.loaded = this.load()));
      this.apply(await this.deps.store.listRules());
      this.publishAlertCounts();
      this.arm();
    });
    this.reloading = next.catch(() => undefined);
    return next;
  }

  status(ruleId: string): RuleStatus {
    return this.rules.status(ruleId);
  }

  preview(body: NormalizedRuleBody, from: number, to: number): Promise<PreviewResponse> {
    return previewRule(toRuleSpec(body), from, to, {
      store: this.deps.store,
      sourceFor: this.tickDeps.sourceFor,
      maxSeriesPerRule: this.tickDeps.maxSeriesPerRule,
      timeoutMs: (rule: RuleSpec) => this.tickDeps.timeoutFor({ ...rule, intervalMs: Number.MAX_SAFE_INTEGER }),
    });
  }

  async evaluateDue(at: number): Promise<void> {
    await this.ready;
    await this.dispatch(at);
  }

  /** Pops the rules due by `now`, evaluates them as one tick and reschedules them. */
  private dispatch(now: number): Promise<void> {
    const due: DueRule[] = [];
    const entries: RuleEntry[] = [];
    const m = this.deps.metrics.rules;
    if (this.stopped) {
      return Promise.resolve();
    }
    for (const popped of this.queue.popDue(now)) {
      const entry = this.rules.get(popped.key);
      if (!entry || !entry.spec.enabled) {
        continue;
      }
      const { spec } = entry;
      const at = lastRuleTime(spec, now);
      this.queue.set(spec.id, at + spec.intervalMs);
      // Grid times passed while the process was stalled (or the clock jumped) are not caught up.
      const missed = Math.floor((at - popped.at) / spec.intervalMs);
      if (missed > 0) {
        m.evaluationSkips.inc({ rule: spec.id }, missed);
      }
      if (entry.running) {
        m.evaluationSkips.inc({ rule: spec.id });
        this.deps.logger.debug({ rule: spec.id, at }, 'rule evaluation skipped: previous one still running');
        continue;
      }
      entry.running = true;
      entries.push(entry);
      due.push({ rule: spec, at });
    }
    if (due.length === 0) {
      return Promise.resolve();
    }
    // Tick time (first query to commit) and the engine's busy wall time, for /metrics and bench:rules.
    const tickStart = performance.now();
    if (this.inFlight.size === 0) {
      this.busySince = tickStart;
    }
    const tick = this.runTick(due).finally(() => {
      for (const e of entries) {
        e.running = false;
      }
      this.inFlight.delete(tick);
      const end = performance.now();
      m.tickDuration.observe((end - tickStart) / 1000);
      if (this.inFlight.size === 0) {
        m.busySeconds.inc((end - this.busySince) / 1000);
      }
    });
    this.inFlight.add(tick);
    return tick;
  }

  private async runTick(due: DueRule[]): Promise<void> {
    const evals = await evaluateTick(due, this.tickDeps);
    await commitTick(evals, this.commitDeps);
  }

  private publishAlertCounts(): void {
    publishAlertCounts(this.rules, this.deps.metrics.rules);
  }

  /** Sleeps until the earliest due time (ticks at least `tickMs` apart, so close rules share one). */
  private arm(): void {
    if (this.stopped || this.deps.schedule === false) {
      return;
    }
    clearTimeout(this.timer);
    const next = this.queue.peek();
    if (next === undefined) {
      return;
    }
    const now = this.now();
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, next - now, this.lastWake + this.tickMs - now));
    this.timer = setTimeout(() => {
      const at = this.now();
      this.lastWake = at;
      void this.dispatch(at);
      this.arm();
    }, delay);
    this.timer.unref();
  }

  async stop(graceMs = 10_000): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.ready.catch(() => undefined);
    const all = Promise.allSettled([...this.inFlight]);
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), graceMs);
    });
    if ((await Promise.race([all, grace])) === 'timeout') {
      this.deps.logger.warn({ ticks: this.inFlight.size }, 'rules: aborting evaluations still running at shutdown');
      this.abort.abort();
      await all;
    }
    clearTimeout(timer);
  }
}

/** Starts the rule engine: loads rules and alert state from the store, then evaluates on schedule. */
export function startRules(deps: RulesDeps): RuleEngineService {
  return new RulesEngine(deps);
}
