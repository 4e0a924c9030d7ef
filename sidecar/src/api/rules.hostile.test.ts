// Hostile input: thousands of malformed rule bodies (seeded, so a failure replays) against a started
// sidecar with real Prometheus and InfluxDB behind it. Every answer must be a 4xx, the sidecar must
// keep answering, and nothing may be stored or reach InfluxDB.
import type { RuleValidationErrorBody } from '@vigil/core';
import { influxQuery, startInflux, startPrometheus, writeInfluxLines, type ServerHandle } from '../../../test/harness';
import { startTestServer, type TestServer } from '../testing/fixtures';

jest.setTimeout(180_000);

let prom: ServerHandle;
let influx: ServerHandle;
let srv: TestServer;

beforeAll(async () => {
  [prom, influx] = await Promise.all([startPrometheus(), startInflux({ databases: ['vigil'] })]);
  await writeInfluxLines(influx.url, 'vigil', ['cpu,host=a value=1', 'cpu,host=b value=2']);
  srv = await startTestServer({
    datasources: [
      { name: 'prometheus', type: 'prometheus', url: prom.url },
      { name: 'influxdb', type: 'influxdb', url: influx.url, database: 'vigil' },
    ],
    detectors: [{ name: 'latency', datasource: 'prometheus', query: 'up' }],
  });
});
afterAll(async () => {
  await srv?.stop();
  await Promise.all([prom?.stop(), influx?.stop()]);
});

/** mulberry32: a small seeded PRNG, so the same seed replays the same bodies. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  return { next, int, pick };
}

const VALID = {
  name: 'High CPU Usage',
  severity: 'warning',
  datasource: 'prometheus',
  query: 'avg by (instance) (rate(process_cpu_seconds_total[5m]))',
  condition: { kind: 'threshold', op: '>', threshold: 80 },
  for: '10m',
  labels: { team: 'platform' },
  annotations: { summary: 'high' },
  actions: ['slack'],
};
const FIELDS = Object.keys(VALID).concat([
  'keepFiringFor',
  'interval',
  'noDataState',
  'execErrState',
  'enabled',
  'id',
  'description',
]);
const BAD_PROMQL_SUFFIX = [' (', ')', ' by', '{', '[5m', ' +', ' and', '}', ' offset', '"', ',', ' @'];
const INFLUX_WRITES = [
  'DROP DATABASE vigil',
  'drop measurement cpu',
  'SELECT * INTO copy FROM cpu',
  'select value into "copy" from cpu',
  'SELECT * FROM cpu; DELETE FROM cpu',
  'SELECT * FROM cpu;DROP DATABASE vigil',
  '/* hi */ DROP SERIES FROM cpu',
  '-- c\nDELETE FROM cpu',
  'CREATE DATABASE evil',
  'GRANT ALL TO admin',
  'REVOKE ALL PRIVILEGES FROM admin',
  'KILL QUERY 1',
  'ALTER RETENTION POLICY autogen ON vigil DURATION 1h',
  "SELECT * FROM cpu WHERE host = 'a'; DROP MEASUREMENT cpu",
];
const BAD_DURATIONS: unknown[] = ['5 minutes', '-1m', '1.5h', '', 'm5', '10', '1000y', '1h1h', 'PT5M', 5, null, '10s '];
const BAD_SEVERITIES: unknown[] = ['CRITICAL', 'fatal', 'sev1', '', 1, null, ['warning'], { level: 'warning' }];
const POLLUTION = ['__proto__', 'constructor', 'prototype'];

type Case = { path: string; method: string; raw: string; contentType?: string };

function deep(depth: number, leaf: unknown): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) {
    v = i % 2 ? [v] : { a: v };
  }
  return v;
}

/** One malformed request; every branch leaves at least one defect in the body. */
function makeCase(r: ReturnType<typeof rng>): Case {
  const body: Record<string, unknown> = structuredClone(VALID);
  const kind = r.int(12);
  let raw: string | undefined;
  switch (kind) {
    case 0: {
      // a value of the wrong JSON type
      const field = r.pick(Object.keys(VALID));
      const wrong: Record<string, unknown[]> = {
        labels: [null, 0, true, [], 'x'],
        annotations: [null, 0, true, [], 'x'],
        actions: [null, 0, true, {}, 'x', [1]],
        condition: [null, 0, true, [], 'x', {}],
      };
      body[field] = r.pick(wrong[field] ?? [null, 0, 1.5, true, [], {}, ['x']]);
      break;
    }
    case 1: // huge strings
      // now and then beyond the body limit (1 MB): a 413
      body[r.pick(['name', 'description', 'query'])] = 'x'.repeat(
        r.int(10) === 0 ? 1_100_000 : 20_000 + r.int(200_000)
      );
      break;
    case 2: // deep nesting, somewhere
      body[r.pick(FIELDS)] = deep(20 + r.int(3000), r.pick(['x', 1, null]));
      break;
    case 3: {
      // prototype-pollution keys at the top, in labels or in the condition, written as raw JSON
      const key = r.pick(POLLUTION);
      const where = r.int(3);
      const inner = `{"${key}": {"polluted": true, "isAdmin": true}}`;
      const text = JSON.stringify(body);
      raw =
        where === 0
          ? `{"${key}": {"polluted": true}, ${text.slice(1)}`
          : where === 1
            ? text.replace('"labels":{', `"labels":{"${key}": "x", `)
            : text.replace('"condition":', `"condition": ${inner}, "x":`);
      break;
    }
    case 4: // PromQL that does not parse
      body.query = `${r.pick([VALID.query, 'up', 'sum(rate(x[5m]))', '100 * a / b'])}${r.pick(BAD_PROMQL_SUFFIX)}`;
      break;
    case 5: // InfluxQL that writes
      body.datasource = 'influxdb';
      body.query = r.pick(INFLUX_WRITES);
      break;
    case 6:
      body[r.pick(['for', 'keepFiringFor', 'interval'])] = r.pick(BAD_DURATIONS);
      break;
    case 7:
      body.severity = r.pick(BAD_SEVERITIES);
      break;
    case 8:
      body.datasource = `ds_${r.int(1e6)}`;
      break;
    case 9: // broken conditions
      body.condition = r.pick<unknown>([
        { kind: 'magic' },
        { kind: 'threshold', op: '=>', threshold: 1 },
        { kind: 'threshold', op: '>', threshold: '80' },
        { kind: 'adaptive', op: '!=', threshold: 1 },
        { kind: 'anomaly', detector: 'nope', minConfidence: 0.5 },
        { kind: 'anomaly', detector: 'latency', minConfidence: 7 },
        { kind: 'baseline', op: '<', threshold: -20, baselineDays: 0 },
        'threshold > 80',
        null,
      ]);
      break;
    case 10: // unknown fields, ids that may not be
      if (r.int(2)) {
        body[`extra_${r.int(1000)}`] = r.int(10);
      } else {
        body.id = r.pick(['UPPER', 'has space', '../etc', 'export', 'preview', '', 'x'.repeat(200), '-lead']);
      }
      break;
    default: {
      // not a rule at all
      raw = r.pick([
        '[]',
        '"rule"',
        '42',
        'null',
        '{',
        '{"name": }',
        `[${JSON.stringify(VALID)}]`,
        '',
        'true',
        '{"a":1}{"b":2}',
      ]);
    }
  }
  raw ??= JSON.stringify(body);
  const target = r.int(10);
  const route =
    target < 5
      ? { method: 'POST', path: '/api/v1/rules' }
      : target < 7
        ? { method: 'POST', path: '/api/v1/rules/preview' }
        : target < 9
          ? { method: 'PUT', path: `/api/v1/rules/${r.int(4) ? 'target' : r.pick(['x', '%2e%2e', 'a%00b', 'export'])}` }
          : { method: 'POST', path: '/api/v1/monitoring/alerts' };
  return {
    ...route,
    raw,
    contentType: r.int(20) === 0 ? r.pick(['text/plain', 'application/x-www-form-urlencoded']) : 'application/json',
  };
}

describe('hostile rule bodies', () => {
  it('answers every malformed body with a 4xx, stores nothing and keeps running', async () => {
    // One stored rule, so PUTs reach validation (rather than a 404); it must come out unchanged.
    const created = await srv.call('/api/v1/rules', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...VALID, id: 'target' }),
    });
    expect(created.status).toBe(201);
    const before = await srv.store.getRule('target');
    const r = rng(20261207);
    const statuses = new Map<number, number>();
    const fiveXX: string[] = [];
    const N = 3000;
    const cases = Array.from({ length: N }, () => makeCase(r));
    // A few at a time, as concurrent clients would.
    for (let i = 0; i < N; i += 8) {
      await Promise.all(
        cases.slice(i, i + 8).map(async (c, k) => {
          const res = await srv.call(c.path, {
            method: c.method,
            headers: { 'content-type': c.contentType ?? 'application/json' },
            body: c.raw,
          });
          await res.arrayBuffer();
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status < 400 || res.status >= 500) {
            fiveXX.push(`#${i + k} ${c.method} ${c.path} → ${res.status}: ${c.raw.slice(0, 200)}`);
          }
        })
      );
    }
    expect(fiveXX).toEqual([]);
    expect([...statuses.keys()].every((s) => s >= 400 && s < 500)).toBe(true);
    expect([...statuses.keys()]).toEqual(expect.arrayContaining([400, 404, 413]));
    // Alive, nothing stored or changed, no unhandled error logged, nothing polluted.
    expect((await srv.call('/api/v1/monitoring/health')).status).toBe(200);
    expect(await srv.store.getRule('target')).toEqual(before);
    expect((await srv.store.listChanges('rule', 'target')).map((c) => c.action)).toEqual(['create']);
    expect((await srv.call('/api/v1/rules/target', { method: 'DELETE' })).status).toBe(204);
    expect(await (await srv.call('/api/v1/rules')).json()).toEqual({ rules: [] });
    expect(await srv.store.listRules()).toEqual([]);
    expect(await srv.store.listChanges('rule', 'high_cpu_usage')).toEqual([]);
    expect(srv.log.text()).not.toMatch(/unhandled error/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    // The InfluxDB data is still there: no write statement reached it.
    const rows = await influxQuery(influx.url, 'SELECT count(value) FROM cpu', 'vigil');
    expect(rows.map((s) => s.values[0][1])).toEqual([2]);
    expect((await influxQuery(influx.url, 'SHOW DATABASES')).flatMap((s) => s.values.flat())).not.toContain('evil');
  });

  it('names the field and gives the PromQL error position in the 400 body', async () => {
    const res = await srv.call('/api/v1/rules', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...VALID, query: 'sum by (job) (rate(http_requests_total[5m]) > 1', severity: 'loud' }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as RuleValidationErrorBody;
    expect(body.error.code).toBe('invalid_rule');
    expect(body.error.fields).toEqual([
      { field: 'severity', message: 'expected one of critical, error, warning, info' },
      { field: 'query', message: 'PromQL syntax error at position 47: unexpected end of query', position: 47 },
    ]);
  });
});
