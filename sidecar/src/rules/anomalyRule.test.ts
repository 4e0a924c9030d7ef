// Anomaly conditions end to end on a real store: a detector's open anomaly events are the samples
// (value = confidence, severity from the guide's mapping), live and in the preview; plus the
// preview's argument checks, which answer 400 before any query is sent.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../config/schema';
import { isVigilError } from '../errors';
import type { Store } from '../store';
import { openSqliteStore } from '../store/sqlite';
import { closedPort } from '../testing/fixtures';
import { alertEvents, putTestRule, ruleTestConfig, testEngine } from '../testing/ruleEngine';
import { ruleTimesBetween } from './grid';
import { parseRuleBody, ruleContext, toRuleSpec } from './schema';
import type { RuleEngineService } from './service';

const MIN = 60_000;
const T0 = Date.UTC(2026, 2, 4, 12, 0, 0);

let config: Config;
let dir: string;
let store: Store;
let engine: RuleEngineService | undefined;

beforeAll(async () => {
  const url = `http://127.0.0.1:${await closedPort()}`;
  config = ruleTestConfig({
    datasources: [{ name: 'prom', type: 'prometheus', url }],
    detectors: [{ name: 'latency', datasource: 'prom', query: 'up', interval: '1m' }],
  });
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-anomaly-rule-'));
  store = openSqliteStore({ path: join(dir, 'vigil.db') });
});
afterEach(async () => {
  await engine?.stop(0);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const body = {
  id: 'latency-anomaly',
  name: 'Latency anomaly',
  severity: 'warning',
  condition: { kind: 'anomaly', detector: 'latency', minConfidence: 0.5 },
  interval: '1m',
  annotations: { summary: 'anomaly on {{ $labels.service }} (confidence {{ $value }})' },
};

async function anomaly(series: string, startedAt: number, endedAt: number | null, confidence: number) {
  await store.insertEvent({
    kind: 'anomaly',
    seriesKey: `${series}{service="api"}`,
    startedAt,
    endedAt,
    severity: 'warning',
    message: 'anomaly',
    metadata: { confidence, labels: { service: 'api', detector: series } },
  });
}

it("fires on the detector's open anomaly with the confidence's severity, resolves when it ends, and previews the same", async () => {
  const spec = toRuleSpec(parseRuleBody(body, ruleContext(config)));
  const G = ruleTimesBetween(spec, T0, T0 + 20 * MIN);
  await anomaly('latency', G[2] - 10_000, G[5] - 10_000, 0.95); // open at G2…G4
  await anomaly('latency', G[8] - 10_000, null, 0.3); // below minConfidence
  await anomaly('other', G[1], null, 0.99); // another detector
  await putTestRule(store, config, body);
  const clock = { now: G[0] };
  engine = testEngine(store, config, clock);
  for (let k = 0; k <= 9; k++) {
    await engine.evaluateDue(G[k]);
    if (k === 3) {
      expect(await store.listInstances()).toEqual([
        expect.objectContaining({
          state: 'firing',
          severity: 'error',
          value: 0.95,
          threshold: 0.5,
          labels: { service: 'api', detector: 'latency', alertname: 'Latency anomaly' },
          annotations: { summary: 'anomaly on api (confidence 0.95)' },
        }),
      ]);
    }
  }
  const events = await alertEvents(store, 'latency-anomaly');
  expect(events.map((e) => [e.metadata.event, G.indexOf(e.startedAt), e.severity])).toEqual([
    ['firing', 2, 'error'],
    ['resolved', 5, 'error'],
  ]);
  // G8, G9: the low-confidence event is a sample, not active; G5…G7 had none and are not NoData.
  expect(engine.status('latency-anomaly')).toMatchObject({ health: 'ok', seriesCount: 1, states: {} });
  expect((await store.listHistory(events[0].seriesKey)).length).toBe(2);

  const preview = await engine.preview(parseRuleBody(body, ruleContext(config)), G[0], G[9]);
  expect(preview.events.map((e) => [e.event, G.indexOf(e.at), e.fingerprint])).toEqual(
    events.map((e) => [e.metadata.event, G.indexOf(e.startedAt), e.seriesKey])
  );
  expect(preview.intervals.map((i) => [i.state, G.indexOf(i.from), G.indexOf(i.to)])).toEqual([['firing', 2, 5]]);
  expect(preview.series[0].points.map(([, v]) => v)).toEqual([
    null,
    null,
    0.95,
    0.95,
    0.95,
    null,
    null,
    null,
    0.3,
    0.3,
  ]);
});

it('refuses a preview with too many steps or a reversed range with a 400, before querying', async () => {
  engine = testEngine(store, config, { now: T0 });
  const threshold = parseRuleBody(
    {
      name: 'Up',
      severity: 'info',
      query: 'up',
      condition: { kind: 'threshold', op: '<', threshold: 1 },
      interval: '1s',
    },
    ruleContext(config)
  );
  for (const [from, to, message] of [
    [T0, T0 + 86_400_000, /^preview: 86401 evaluation steps of 1s between from and to, more than 11000/],
    [T0, T0 - 1, /^preview: to is before from$/],
    [T0, NaN, /^preview: from and to must be epoch milliseconds$/],
  ] as const) {
    const err = await engine.preview(threshold, from, to).then(
      () => null,
      (e: unknown) => e
    );
    expect(isVigilError(err)).toBe(true);
    expect(err).toMatchObject({ status: 400, message: expect.stringMatching(message) });
  }
  // A query the datasource cannot answer keeps its status (here: unreachable, 502).
  const down = await engine.preview(threshold, T0, T0 + 60_000).then(
    () => null,
    (e: unknown) => e
  );
  expect(down).toMatchObject({
    code: 'datasource_unreachable',
    status: 502,
    message: expect.stringMatching(/^preview: /),
  });
});
