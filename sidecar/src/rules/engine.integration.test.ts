// The rule engine against a real Prometheus (samples pushed by remote write at chosen timestamps),
// on a clock the test sets: every evaluation happens at a known grid time, so each state change and
// each alert event is asserted exactly. Covers the threshold lifecycle, NoData, restarts of the
// engine (Pending start kept, no second firing event), query deduplication, and Error while
// Prometheus is down with recovery after its restart.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { remoteWrite, startPrometheus, type PrometheusHandle } from '../../../test/harness';
import type { Config } from '../config/schema';
import { createMetrics } from '../metrics';
import type { Store } from '../store';
import { openSqliteStore } from '../store/sqlite';
import {
  alertEvents,
  describeTransitions,
  putTestRule,
  readMetric,
  ruleTestConfig,
  testEngine,
} from '../testing/ruleEngine';
import { firstRuleTimeFrom, ruleOffset } from './grid';
import { parseRuleBody, ruleContext, toRuleSpec } from './schema';
import type { RuleEngineService } from './service';

jest.setTimeout(120_000);

const MIN = 60_000;
const SCRAPE = 15_000;
// Everything happens in the last hour (Prometheus' head accepts remote-written samples there).
const BASE = Math.floor((Date.now() - 50 * MIN) / MIN) * MIN;

let prom: PrometheusHandle;
let config: Config;
let dir: string;
let store: Store;
const engines: RuleEngineService[] = [];

/** The grid times of a rule from BASE on. */
function gridOf(body: Record<string, unknown>, n: number): number[] {
  const spec = toRuleSpec(parseRuleBody(body, ruleContext(config)));
  const first = firstRuleTimeFrom(spec, BASE);
  return Array.from({ length: n }, (_, k) => first + k * spec.intervalMs);
}

/** Samples every 15 s (on the 15 s grid) in [from, to], valued by `value(t)`. */
function samples(from: number, to: number, value: (t: number) => number) {
  const out: Array<{ timestamp: number; value: number }> = [];
  for (let t = Math.ceil(from / SCRAPE) * SCRAPE; t <= to; t += SCRAPE) {
    out.push({ timestamp: t, value: value(t) });
  }
  return out;
}

function engineAt(clock: { now: number }, metrics = createMetrics()): RuleEngineService {
  const e = testEngine(store, config, clock, metrics);
  engines.push(e);
  return e;
}

beforeAll(async () => {
  prom = await startPrometheus({ remoteWrite: true });
  config = ruleTestConfig({ datasources: [{ name: 'prom', type: 'prometheus', url: prom.url, timeoutSeconds: 5 }] });
});
afterAll(() => prom?.stop());
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-engine-it-'));
  store = openSqliteStore({ path: join(dir, 'vigil.db') });
});
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.stop(0)));
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('threshold rule lifecycle', () => {
  const body = {
    id: 'latency-high',
    name: 'Latency high',
    severity: 'critical',
    datasource: 'prom',
    query: 'vigil_rule_it_latency',
    condition: { kind: 'threshold', op: '>', threshold: 5 },
    for: '2m',
    keepFiringFor: '1m',
    interval: '1m',
    labels: { team: 'core' },
    annotations: { summary: '{{ $labels.service }} latency {{ $value }}s above {{ $threshold }}s' },
  };

  it('goes Pending → Firing after `for` → Recovering → resolved, then NoData, across engine restarts', async () => {
    const G = gridOf(body, 27);
    // High (9) for the evaluations G3…G7: the sample an instant query at Gk sees is at most 15 s old.
    await remoteWrite(prom.url, [
      {
        labels: { __name__: 'vigil_rule_it_latency', service: 'api' },
        samples: samples(G[0] - 6 * MIN, G[20], (t) => (t >= G[3] - 30_000 && t < G[8] - 30_000 ? 9 : 1)),
      },
    ]);
    await putTestRule(store, config, body);
    const clock = { now: G[0] };
    let engine = engineAt(clock);
    for (let k = 0; k <= 3; k++) {
      await engine.evaluateDue(G[k]);
    }
    const [pending] = await store.listInstances({ ruleId: 'latency-high' });
    expect(pending).toMatchObject({
      state: 'pending',
      since: G[3],
      activeAt: G[3],
      value: 9,
      threshold: 5,
      severity: 'critical',
      labels: { service: 'api', team: 'core', alertname: 'Latency high' },
      annotations: { summary: 'api latency 9s above 5s' },
    });
    await engine.evaluateDue(G[4]);

    // A restart while Pending keeps its start: Firing comes at G5, `for` after G3.
    await engine.stop();
    clock.now = G[4] + 1_000;
    engine = engineAt(clock);
    await engine.evaluateDue(G[5]);
    await engine.evaluateDue(G[6]);
    // A restart while Firing: no second firing event.
    await engine.stop();
    clock.now = G[6] + 1_000;
    engine = engineAt(clock);
    for (let k = 7; k <= 24; k++) {
      await engine.evaluateDue(G[k]);
    }
    expect(await store.listInstances({ ruleId: 'latency-high' })).toEqual([]);
    // Samples stop after G20: 5 minutes later Prometheus returns nothing.
    await engine.evaluateDue(G[26]);

    const events = await alertEvents(store, 'latency-high');
    expect(events.map((e) => [e.metadata.event, G.indexOf(e.startedAt), e.severity, e.message])).toEqual([
      ['firing', 5, 'critical', 'api latency 9s above 5s'],
      ['resolved', 9, 'critical', 'Latency high resolved'],
    ]);
    const fp = events[0].seriesKey;
    expect(events[0].metadata).toMatchObject({
      ruleId: 'latency-high',
      ruleName: 'Latency high',
      value: 9,
      threshold: 5,
    });
    expect(describeTransitions(await store.listHistory(fp), G)).toEqual([
      'normal→pending@3',
      'pending→firing@5 (firing)',
      'firing→recovering@8',
      'recovering→normal@9 (resolved)',
    ]);
    const [nodata] = await store.listInstances({ ruleId: 'latency-high' });
    expect(nodata).toMatchObject({ state: 'nodata', since: G[26], labels: { vigil_state: 'nodata', team: 'core' } });
    expect(engine.status('latency-high')).toEqual({
      health: 'nodata',
      lastEvaluation: G[26],
      lastDurationMs: expect.any(Number),
      lastError: null,
      seriesCount: 0,
      states: { nodata: 1 },
    });

    // The backtest over the same range shows the same intervals and events as live evaluation.
    const preview = await engine.preview(parseRuleBody(body, ruleContext(config)), G[0], G[24]);
    expect(preview.stepMs).toBe(MIN);
    expect(preview.intervals.map((i) => [i.state, G.indexOf(i.from), G.indexOf(i.to)])).toEqual([
      ['pending', 3, 5],
      ['firing', 5, 8],
      ['recovering', 8, 9],
    ]);
    expect(preview.events.map((e) => [e.event, G.indexOf(e.at), e.fingerprint])).toEqual([
      ['firing', 5, fp],
      ['resolved', 9, fp],
    ]);
    const [series] = preview.series;
    expect(series.points.slice(0, 10).map(([t, v]) => [G.indexOf(t), v])).toEqual(
      [1, 1, 1, 9, 9, 9, 9, 9, 1, 1].map((v, k) => [k, v])
    );
  });
});

describe('query deduplication', () => {
  it('sends one query for two rules with the same query at the same time', async () => {
    const warn = { name: 'Dup warn', severity: 'warning', query: 'vigil_rule_it_dup', interval: '1m' };
    const G = gridOf({ ...warn, condition: { kind: 'threshold', op: '>', threshold: 1 } }, 3);
    await remoteWrite(prom.url, [
      { labels: { __name__: 'vigil_rule_it_dup', service: 'api' }, samples: samples(G[0] - 6 * MIN, G[2], () => 3) },
    ]);
    await putTestRule(store, config, {
      ...warn,
      id: 'dup-warn',
      condition: { kind: 'threshold', op: '>', threshold: 1 },
    });
    await putTestRule(store, config, {
      ...warn,
      id: 'dup-crit',
      name: 'Dup crit',
      severity: 'critical',
      condition: { kind: 'threshold', op: '>', threshold: 2 },
    });
    const metrics = createMetrics();
    const engine = engineAt({ now: G[0] }, metrics);
    await engine.ready;
    const requests = async () =>
      readMetric(await (await fetch(`${prom.url}/metrics`)).text(), 'prometheus_http_requests_total', {
        handler: '/api/v1/query',
      });
    const before = await requests();
    await engine.evaluateDue(G[0]);
    expect((await requests()) - before).toBe(1);
    expect([engine.status('dup-warn').lastEvaluation, engine.status('dup-crit').lastEvaluation]).toEqual([G[0], G[0]]);
    expect((await store.listInstances()).map((i) => [i.ruleId, i.state])).toEqual([
      ['dup-crit', 'firing'],
      ['dup-warn', 'firing'],
    ]);
    const text = await metrics.registry.metrics();
    expect(readMetric(text, 'vigil_rule_queries_total', { deduplicated: 'false' })).toBe(1);
    expect(readMetric(text, 'vigil_rule_queries_total', { deduplicated: 'true' })).toBe(1);
    expect(readMetric(text, 'vigil_rule_series', { rule: 'dup-warn' })).toBe(1);
    expect(readMetric(text, 'vigil_rule_last_evaluation_timestamp_seconds', { rule: 'dup-crit' })).toBe(G[0] / 1000);
    expect(readMetric(text, 'vigil_alerts', { state: 'firing' })).toBe(2);
  });

  it('sends different queries due in the same second as one batched request, each with its own answer', async () => {
    const rule = (id: string, query: string) => ({
      id,
      name: id,
      severity: 'info',
      query,
      condition: { kind: 'threshold', op: '>', threshold: 1 },
      interval: '1m',
    });
    const spec = (body: Record<string, unknown>) => toRuleSpec(parseRuleBody(body, ruleContext(config)));
    const first = rule('batch-a', 'vigil_rule_it_batch');
    // A second query whose grid second is the same (offsets are hashed from the query).
    let k = 2;
    while (ruleOffset(spec(rule('batch-b', `vigil_rule_it_batch * ${k}`))) !== ruleOffset(spec(first))) {
      k++;
    }
    const second = rule('batch-b', `vigil_rule_it_batch * ${k}`);
    const G = gridOf(first, 2);
    await remoteWrite(prom.url, [
      { labels: { __name__: 'vigil_rule_it_batch', service: 'api' }, samples: samples(G[0] - 6 * MIN, G[1], () => 3) },
    ]);
    await putTestRule(store, config, first);
    await putTestRule(store, config, second);
    const metrics = createMetrics();
    const engine = engineAt({ now: G[0] }, metrics);
    await engine.ready;
    const before = await queryRequests();
    await engine.evaluateDue(G[0]);
    expect((await queryRequests()) - before).toBe(1);
    expect((await store.listInstances()).map((i) => [i.ruleId, i.value, i.labels])).toEqual([
      ['batch-a', 3, { service: 'api', alertname: 'batch-a' }],
      ['batch-b', 3 * k, { service: 'api', alertname: 'batch-b' }],
    ]);
    const text = await metrics.registry.metrics();
    expect(readMetric(text, 'vigil_rule_queries_total', { deduplicated: 'false' })).toBe(2);
    expect(readMetric(text, 'vigil_rule_query_requests_total')).toBe(1);
  });
});

/** Instant queries Prometheus has served (its own counter, read without a query). */
async function queryRequests(): Promise<number> {
  const text = await (await fetch(`${prom.url}/metrics`)).text();
  return readMetric(text, 'prometheus_http_requests_total', { handler: '/api/v1/query' });
}

describe('Error while Prometheus is down', () => {
  it('goes to Error, keeps the firing instance, and recovers after a restart without a second firing event', async () => {
    const body = {
      id: 'errors-high',
      name: 'Errors high',
      severity: 'error',
      query: 'vigil_rule_it_errors',
      condition: { kind: 'threshold', op: '>', threshold: 1 },
      interval: '1m',
    };
    const G = gridOf(body, 5);
    const series = [
      { labels: { __name__: 'vigil_rule_it_errors', service: 'db' }, samples: samples(G[0] - 6 * MIN, G[4], () => 5) },
    ];
    await remoteWrite(prom.url, series);
    await putTestRule(store, config, body);
    const clock = { now: G[0] };
    let engine = engineAt(clock);
    await engine.evaluateDue(G[0]);
    expect((await store.listInstances()).map((i) => i.state)).toEqual(['firing']);

    const port = prom.port;
    await prom.stop();
    await engine.evaluateDue(G[1]);
    const down = await store.listInstances();
    expect(down.map((i) => [i.state, i.labels.vigil_state ?? i.labels.service]).sort()).toEqual([
      ['error', 'error'],
      ['firing', 'db'],
    ]);
    expect(down.find((i) => i.state === 'error')?.error).toMatch(/^query Prometheus "prom": connect ECONNREFUSED/);
    expect(engine.status('errors-high')).toMatchObject({ health: 'error', states: { error: 1, firing: 1 } });

    prom = await startPrometheus({ remoteWrite: true, port });
    await remoteWrite(prom.url, series);
    await engine.evaluateDue(G[2]);
    await engine.stop();
    clock.now = G[2] + 1_000;
    engine = engineAt(clock);
    await engine.evaluateDue(G[3]);
    expect((await store.listInstances()).map((i) => [i.state, i.labels.service])).toEqual([['firing', 'db']]);
    expect(engine.status('errors-high')).toMatchObject({ health: 'ok', lastError: null, seriesCount: 1 });
    const events = await alertEvents(store, 'errors-high');
    expect(events.map((e) => [e.metadata.event, G.indexOf(e.startedAt)])).toEqual([['firing', 0]]);
  });
});
