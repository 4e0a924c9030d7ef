// The rule engine against a real InfluxDB 1.x: the same lifecycle as with Prometheus through
// InfluxQL instant queries (last value of the 5 minutes before each evaluation), NoData when the
// points stop, Error while InfluxDB is down and a write statement refused by validation.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startInflux, writeInfluxLines, type InfluxHandle } from '../../../test/harness';
import type { Config } from '../config/schema';
import type { Store } from '../store';
import { openSqliteStore } from '../store/sqlite';
import { alertEvents, describeTransitions, putTestRule, ruleTestConfig, testEngine } from '../testing/ruleEngine';
import { firstRuleTimeFrom } from './grid';
import { parseRuleBody, ruleContext, toRuleSpec } from './schema';

jest.setTimeout(120_000);

const MIN = 60_000;
const BASE = Math.floor(Date.now() / MIN) * MIN - 3 * 3600_000;

let influx: InfluxHandle;
let config: Config;
let dir: string;
let store: Store;

beforeAll(async () => {
  influx = await startInflux({ databases: ['vigil'] });
  config = ruleTestConfig({
    datasources: [{ name: 'influx', type: 'influxdb', url: influx.url, database: 'vigil', timeoutSeconds: 5 }],
  });
  dir = mkdtempSync(join(tmpdir(), 'vigil-engine-influx-'));
  store = openSqliteStore({ path: join(dir, 'vigil.db') });
});
afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
  await influx?.stop();
});

const body = {
  id: 'queue-deep',
  name: 'Queue deep',
  severity: 'warning',
  datasource: 'influx',
  query: 'SELECT last("depth") FROM "queue" WHERE $timeFilter GROUP BY "name"',
  condition: { kind: 'threshold', op: '>=', threshold: 100 },
  for: '2m',
  keepFiringFor: '2m',
  interval: '1m',
  annotations: { summary: 'queue {{ $labels.name }} holds {{ $value }}' },
};

it('goes Pending → Firing → Recovering → resolved, then NoData, then Error while InfluxDB is down', async () => {
  const spec = toRuleSpec(parseRuleBody(body, ruleContext(config)));
  const first = firstRuleTimeFrom(spec, BASE);
  const G = Array.from({ length: 30 }, (_, k) => first + k * MIN);
  // One point every 20 s up to G19; deep (150) for the evaluations G2…G6.
  const lines: string[] = [];
  for (let t = G[0] - 5 * MIN; t <= G[19]; t += 20_000) {
    const depth = t > G[2] - 20_000 && t <= G[7] - 20_000 ? 150 : 10;
    lines.push(`queue,name=orders depth=${depth} ${t}`);
  }
  await writeInfluxLines(influx.url, 'vigil', lines, 'ms');
  await putTestRule(store, config, body);
  const clock = { now: G[0] };
  const engine = testEngine(store, config, clock);
  try {
    for (let k = 0; k <= 19; k++) {
      await engine.evaluateDue(G[k]);
      if (k === 2) {
        expect(await store.listInstances()).toEqual([
          expect.objectContaining({
            state: 'pending',
            value: 150,
            labels: { name: 'orders', alertname: 'Queue deep' },
            annotations: { summary: 'queue orders holds 150' },
          }),
        ]);
      }
    }
    // Points stop at G19: more than 5 minutes later the window is empty.
    await engine.evaluateDue(G[25]);
    const events = await alertEvents(store, 'queue-deep');
    expect(events.map((e) => [e.metadata.event, G.indexOf(e.startedAt), e.message])).toEqual([
      ['firing', 4, 'queue orders holds 150'],
      ['resolved', 9, 'Queue deep resolved'],
    ]);
    expect(describeTransitions(await store.listHistory(events[0].seriesKey), G)).toEqual([
      'normal→pending@2',
      'pending→firing@4 (firing)',
      'firing→recovering@7',
      'recovering→normal@9 (resolved)',
    ]);
    expect((await store.listInstances()).map((i) => i.state)).toEqual(['nodata']);

    await influx.stop();
    await engine.evaluateDue(G[26]);
    const status = engine.status('queue-deep');
    expect(status).toMatchObject({ health: 'error', states: { error: 1 } });
    expect(status.lastError).toMatch(/^query InfluxDB "influx": connect ECONNREFUSED/);
  } finally {
    await engine.stop(0);
  }
});
