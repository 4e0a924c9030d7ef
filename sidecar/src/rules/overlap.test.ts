// A rule never overlaps itself: while its query hangs (a datasource that accepts and never answers),
// the next due time is skipped and counted; the hung query ends at the per-query timeout as an
// Error evaluation; stop() aborts what is still running after its grace.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMetrics } from '../metrics';
import type { Store } from '../store';
import { openSqliteStore } from '../store/sqlite';
import { startStalledServer } from '../testing/fixtures';
import { putTestRule, readMetric, ruleTestConfig, testEngine } from '../testing/ruleEngine';
import { ruleTimesBetween } from './grid';
import { parseRuleBody, ruleContext, toRuleSpec } from './schema';

let dir: string;
let store: Store;
let stalled: Awaited<ReturnType<typeof startStalledServer>>;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-overlap-'));
  store = openSqliteStore({ path: join(dir, 'vigil.db') });
  stalled = await startStalledServer();
});
afterEach(async () => {
  await stalled.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const body = {
  id: 'slow',
  name: 'Slow',
  severity: 'info',
  query: 'up',
  condition: { kind: 'threshold', op: '<', threshold: 1 },
  interval: '10s',
};

it('skips (and counts) a due time while the previous evaluation runs; the query times out as Error', async () => {
  const config = ruleTestConfig({
    datasources: [{ name: 'prom', type: 'prometheus', url: stalled.url, timeoutSeconds: 0.3 }],
  });
  const G = ruleTimesBetween(toRuleSpec(parseRuleBody(body, ruleContext(config))), 1e12, 1e12 + 60_000);
  await putTestRule(store, config, body);
  const metrics = createMetrics();
  const engine = testEngine(store, config, { now: G[0] }, metrics);
  try {
    const first = engine.evaluateDue(G[0]);
    await engine.ready;
    await engine.evaluateDue(G[1]); // the G0 evaluation still waits for its answer
    const text = await metrics.registry.metrics();
    expect(readMetric(text, 'vigil_rule_evaluation_skips_total', { rule: 'slow' })).toBe(1);
    await first;
    expect(engine.status('slow')).toMatchObject({
      health: 'error',
      lastEvaluation: G[0],
      lastError: 'query Prometheus "prom": timeout after 300ms',
      states: { error: 1 },
    });
    expect(stalled.connections()).toBe(1);
    // The next due time is evaluated again.
    const next = engine.evaluateDue(G[2]);
    await new Promise((resolve) => setImmediate(resolve)); // its query is sent
    await engine.stop(0); // aborts it at once, and the tick still commits
    await next;
    expect(engine.status('slow')).toMatchObject({
      lastEvaluation: G[2],
      lastError: 'query Prometheus "prom": aborted',
    });
    await engine.evaluateDue(G[3]);
    expect(engine.status('slow').lastEvaluation).toBe(G[2]); // stopped: nothing more runs
  } finally {
    await engine.stop(0);
  }
});
