/**
 * Helpers for tests of the rule engine: a config for given datasources, rules validated by the
 * API's own schema and stored as the API stores them, and an engine on a clock the test sets.
 */
import type { NormalizedRuleBody, RuleSpec, Transition } from '@vigil/core';
import pino from 'pino';
import { loadConfig } from '../config/load';
import type { Config } from '../config/schema';
import { createMetrics, type SidecarMetrics } from '../metrics';
import { parseRuleBody, ruleContext, toRuleSpec } from '../rules/schema';
import { startRules, type RuleEngineService, type RulesDeps } from '../rules/service';
import { createSource } from '../sources';
import type { Store, StoredEvent } from '../store';
import { TEST_TOKEN } from './fixtures';

/** A validated config with these datasources (and optional detectors / rules settings). */
export function ruleTestConfig(values: Record<string, unknown>): Config {
  return loadConfig({ values, env: { VIGIL_TOKEN: TEST_TOKEN } });
}

/** Validates a rule body as the API does and stores it; returns the engine's view of it. */
export async function putTestRule(store: Store, config: Config, body: Record<string, unknown>): Promise<RuleSpec> {
  const normalized: NormalizedRuleBody = parseRuleBody(body, ruleContext(config));
  const existing = await store.getRule(normalized.id);
  const at = Date.now();
  await store.putRule(
    {
      id: normalized.id,
      origin: 'api',
      file: null,
      body: normalized,
      createdAt: existing?.createdAt ?? at,
      createdBy: 'test',
      updatedAt: at,
      updatedBy: 'test',
      version: (existing?.version ?? 0) + 1,
    },
    {
      at,
      user: 'test',
      action: existing ? 'update' : 'create',
      objectType: 'rule',
      objectId: normalized.id,
      detail: normalized,
    }
  );
  return toRuleSpec(normalized);
}

/** An engine on `clock`, without its timer loop (the test calls `evaluateDue`). */
export function testEngine(
  store: Store,
  config: Config,
  clock: { now: number },
  metrics: SidecarMetrics = createMetrics(),
  extra: Partial<RulesDeps> = {}
): RuleEngineService {
  return startRules({
    ...extra,
    config,
    store,
    sources: config.datasources.map(createSource),
    logger: pino({ level: 'silent' }),
    metrics,
    now: () => clock.now,
    schedule: false,
  });
}

/** The `alert` events of the store, oldest first, as `event@time`. */
export async function alertEvents(store: Store, ruleId?: string): Promise<StoredEvent[]> {
  const events = await store.listEvents({ from: 0, to: Number.MAX_SAFE_INTEGER, kind: 'alert', limit: 10_000 });
  return events.filter((e) => ruleId === undefined || e.metadata.ruleId === ruleId).reverse();
}

/** Transitions as `from→to@k` with k the index of their time in `grid` (readable assertions). */
export function describeTransitions(history: readonly Transition[], grid: readonly number[]): string[] {
  return [...history]
    .sort((a, b) => a.at - b.at)
    .map((t) => `${t.from}→${t.to}@${grid.indexOf(t.at)}${t.event ? ` (${t.event})` : ''}`);
}

/** Reads one sample of a Prometheus text exposition (`name{labels} value`), 0 when absent. */
export function readMetric(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) {
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) {
      continue;
    }
    const have = Object.fromEntries([...(m[3] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) {
      return Number(m[4]);
    }
  }
  return 0;
}
