// /api/v1/rules against a started sidecar with real Prometheus and InfluxDB behind it.
import type { NormalizedRuleBody, PreviewResponse, RuleResource, RuleValidationErrorBody } from '@vigil/core';
import { startInflux, startPrometheus, type ServerHandle } from '../../../test/harness';
import { closedPort, startTestServer, type TestServer } from '../testing/fixtures';
import type { ErrorBody } from './errors';

jest.setTimeout(90_000);

let prom: ServerHandle;
let influx: ServerHandle;
let srv: TestServer;

beforeAll(async () => {
  [prom, influx] = await Promise.all([startPrometheus(), startInflux({ databases: ['vigil'] })]);
  srv = await startTestServer({
    datasources: [
      { name: 'prometheus', type: 'prometheus', url: prom.url },
      { name: 'influxdb', type: 'influxdb', url: influx.url, database: 'vigil' },
      { name: 'down', type: 'prometheus', url: `http://127.0.0.1:${await closedPort()}` },
    ],
  });
});
afterAll(async () => {
  await srv?.stop();
  await Promise.all([prom?.stop(), influx?.stop()]);
});

const cpu = {
  name: 'High CPU Usage',
  severity: 'warning',
  query: 'avg by (instance) (rate(process_cpu_seconds_total[5m])) * 100',
  condition: { kind: 'threshold', op: '>', threshold: 80 },
  for: '10m',
  labels: { team: 'platform' },
  annotations: { summary: 'CPU on {{ $labels.instance }} is {{ $value }}%' },
  actions: ['slack', 'email'],
};

async function send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await srv.call(path, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as unknown) : undefined };
}
const ruleIds = async () =>
  ((await send('GET', '/api/v1/rules')).body as { rules: RuleResource[] }).rules.map((r) => r.id);

describe('/api/v1/rules', () => {
  afterEach(async () => {
    for (const r of await srv.store.listRules()) {
      if (r.origin === 'api') {
        await srv.store.deleteRule(r.id, {
          at: 0,
          user: 'test',
          action: 'delete',
          objectType: 'rule',
          objectId: r.id,
          detail: null,
        });
      }
    }
  });

  it('creates a rule (201) with defaults, the Grafana user and a change record, and lists it with its status', async () => {
    const res = await send('POST', '/api/v1/rules', cpu, { 'X-Grafana-User': 'alice' });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe('/api/v1/rules/high_cpu_usage');
    expect(res.headers.get('etag')).toBe('"1"');
    const rule = res.body as RuleResource;
    expect(rule).toMatchObject({
      id: 'high_cpu_usage',
      datasource: 'prometheus',
      for: '10m',
      interval: '1m',
      origin: 'api',
      readOnly: false,
      createdBy: 'alice',
      updatedBy: 'alice',
      version: 1,
      status: { health: expect.any(String) },
    });
    expect((await srv.store.listChanges('rule', 'high_cpu_usage'))[0]).toMatchObject({
      user: 'alice',
      action: 'create',
    });

    // A second rule of the same name gets the next free id; an explicit existing id is a 409.
    expect(((await send('POST', '/api/v1/rules', cpu)).body as RuleResource).id).toBe('high_cpu_usage_2');
    expect((await send('POST', '/api/v1/rules', { ...cpu, id: 'high_cpu_usage' })).status).toBe(409);

    const list = (await send('GET', '/api/v1/rules')).body as { rules: RuleResource[] };
    expect(list.rules.map((r) => [r.id, r.createdBy])).toEqual([
      ['high_cpu_usage', 'alice'],
      ['high_cpu_usage_2', 'api'],
    ]);
    expect(((await send('GET', '/api/v1/rules/high_cpu_usage')).body as RuleResource).name).toBe('High CPU Usage');
  });

  it('filters the list by severity, state and text', async () => {
    await send('POST', '/api/v1/rules', cpu);
    await send('POST', '/api/v1/rules', { ...cpu, name: 'Service down', severity: 'critical', query: 'up == 0' });
    const ids = async (qs: string) =>
      ((await send('GET', `/api/v1/rules?${qs}`)).body as { rules: RuleResource[] }).rules.map((r) => r.id);
    expect(await ids('severity=critical')).toEqual(['service_down']);
    expect(await ids('severity=critical,warning')).toEqual(['high_cpu_usage', 'service_down']);
    expect(await ids('q=CPU')).toEqual(['high_cpu_usage']);
    expect(await ids('q=platform')).toEqual(['high_cpu_usage', 'service_down']);
    expect(await ids('state=firing')).toEqual([]);
    expect(await ids('state=normal')).toEqual(['high_cpu_usage', 'service_down']);
    expect((await send('GET', '/api/v1/rules?severity=loud')).status).toBe(400);
  });

  it('answers 400 naming every field, with the PromQL error position, and stores nothing', async () => {
    const res = await send('POST', '/api/v1/rules', {
      ...cpu,
      severity: 'urgent',
      for: 'ten minutes',
      query: 'sum(rate(x[5m])',
    });
    expect(res.status).toBe(400);
    const body = res.body as RuleValidationErrorBody;
    expect(body.error.code).toBe('invalid_rule');
    expect(body.error.fields.map((f) => f.field).sort()).toEqual(['for', 'query', 'severity']);
    expect(body.error.fields.find((f) => f.field === 'query')?.position).toBe(15);
    const q = await send('POST', '/api/v1/rules', { ...cpu, query: 'sum(rate(x[5m])' });
    expect((q.body as RuleValidationErrorBody).error.fields).toEqual([
      { field: 'query', message: 'PromQL syntax error at position 15: unexpected end of query', position: 15 },
    ]);
    const ds = await send('POST', '/api/v1/rules', { ...cpu, datasource: 'nope' });
    expect((ds.body as RuleValidationErrorBody).error.fields[0]).toMatchObject({ field: 'datasource' });
    expect(await ruleIds()).toEqual([]);
  });

  it('test-runs the query: a query Prometheus refuses is a 400 on query, an unreachable source a 502', async () => {
    // Parses, but Prometheus refuses it: rate() needs a range vector.
    const bad = await send('POST', '/api/v1/rules', { ...cpu, query: 'rate(process_cpu_seconds_total)' });
    expect(bad.status).toBe(400);
    expect((bad.body as RuleValidationErrorBody).error.fields).toEqual([
      { field: 'query', message: expect.stringMatching(/range vector/) },
    ]);
    const down = await send('POST', '/api/v1/rules', { ...cpu, datasource: 'down' });
    expect(down.status).toBe(502);
    expect((down.body as ErrorBody).error).toMatchObject({
      code: 'datasource_unavailable',
      message: expect.stringMatching(
        /^test-run of the query on datasource "down" failed, nothing saved: .*ECONNREFUSED/
      ),
    });
    expect(await ruleIds()).toEqual([]);
  });

  it('refuses InfluxQL writes before they reach InfluxDB, and accepts a SELECT', async () => {
    const influxRule = { ...cpu, datasource: 'influxdb' };
    for (const query of [
      'DROP DATABASE vigil',
      'SELECT * INTO copy FROM cpu',
      'SELECT * FROM cpu; DROP MEASUREMENT cpu',
    ]) {
      const res = await send('POST', '/api/v1/rules', { ...influxRule, query });
      expect({
        query,
        status: res.status,
        field: (res.body as RuleValidationErrorBody).error.fields?.[0]?.field,
      }).toEqual({
        query,
        status: 400,
        field: 'query',
      });
    }
    const ok = await send('POST', '/api/v1/rules', {
      ...influxRule,
      query: 'SELECT last("value") FROM "cpu" WHERE $timeFilter GROUP BY "host"',
    });
    expect(ok.status).toBe(201);
    expect(await ruleIds()).toEqual(['high_cpu_usage']);
  });

  it('updates with optimistic locking (If-Match) and records who changed it', async () => {
    await send('POST', '/api/v1/rules', cpu, { 'X-Grafana-User': 'alice' });
    const stale = await send('PUT', '/api/v1/rules/high_cpu_usage', { ...cpu, for: '5m' }, { 'If-Match': '7' });
    expect(stale.status).toBe(409);
    const ok = await send(
      'PUT',
      '/api/v1/rules/high_cpu_usage',
      { ...cpu, for: '5m' },
      { 'If-Match': '"1"', 'X-Grafana-User': 'bob' }
    );
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ for: '5m', version: 2, createdBy: 'alice', updatedBy: 'bob' });
    expect(ok.headers.get('etag')).toBe('"2"');
    // Without If-Match the last writer wins, still one version at a time.
    expect(((await send('PUT', '/api/v1/rules/high_cpu_usage', cpu)).body as RuleResource).version).toBe(3);
    expect((await send('PUT', '/api/v1/rules/high_cpu_usage', { ...cpu, id: 'other' })).status).toBe(400);
    expect((await send('PUT', '/api/v1/rules/missing', cpu)).status).toBe(404);
    expect((await send('PUT', '/api/v1/rules/high_cpu_usage', { ...cpu, severity: 'x' })).status).toBe(400);
    expect(((await send('GET', '/api/v1/rules/high_cpu_usage')).body as RuleResource).version).toBe(3);
    // Newest first; earlier tests' changes of the same id follow.
    const users = (await srv.store.listChanges('rule', 'high_cpu_usage', 3)).map((c) => `${c.action}:${c.user}`);
    expect(users).toEqual(['update:api', 'update:bob', 'create:alice']);
  });

  it('deletes (204, then 404)', async () => {
    await send('POST', '/api/v1/rules', cpu);
    expect(
      (await send('DELETE', '/api/v1/rules/high_cpu_usage', undefined, { 'X-Grafana-User': 'carol' })).status
    ).toBe(204);
    expect((await send('GET', '/api/v1/rules/high_cpu_usage')).status).toBe(404);
    expect((await send('DELETE', '/api/v1/rules/high_cpu_usage')).status).toBe(404);
    expect((await srv.store.listChanges('rule', 'high_cpu_usage'))[0]).toMatchObject({
      action: 'delete',
      user: 'carol',
    });
  });

  it('keeps file rules read-only (403 naming the file) but readable', async () => {
    const body = (await send('POST', '/api/v1/rules', { ...cpu, id: 'tmp' })).body as NormalizedRuleBody;
    await send('DELETE', '/api/v1/rules/tmp');
    const at = Date.now();
    await srv.store.replaceFileRules(
      [
        {
          id: 'from_file',
          origin: 'file',
          file: 'team.yml',
          body: { ...body, id: 'from_file' },
          createdAt: at,
          createdBy: 'file:team.yml',
          updatedAt: at,
          updatedBy: 'file:team.yml',
          version: 1,
        },
      ],
      'file:*'
    );
    try {
      expect((await send('GET', '/api/v1/rules/from_file')).body).toMatchObject({
        origin: 'file',
        file: 'team.yml',
        readOnly: true,
      });
      for (const [method, payload] of [
        ['PUT', cpu],
        ['DELETE', undefined],
      ] as const) {
        const res = await send(method, '/api/v1/rules/from_file', payload);
        expect(res.status).toBe(403);
        expect((res.body as ErrorBody).error).toEqual({
          code: 'read_only',
          message:
            'rule "from_file" comes from the rule file "team.yml" and is read-only through the API: edit the file',
        });
      }
    } finally {
      await srv.store.replaceFileRules([], 'file:*');
    }
  });

  it('exports the rules as a rule file and as Prometheus rules', async () => {
    await send('POST', '/api/v1/rules', cpu);
    const file = await srv.call('/api/v1/rules/export');
    expect(file.headers.get('content-type')).toMatch(/^application\/yaml/);
    expect(await file.text()).toMatch(/^rules:\n {2}- id: high_cpu_usage$/m);
    const prom = await srv.call('/api/v1/rules/export?format=prometheus');
    expect(await prom.text()).toMatch(/- alert: High CPU Usage\n\s+expr: \(avg by \(instance\)/);
    expect((await srv.call('/api/v1/rules/export?format=json')).status).toBe(400);
  });

  it('backtests a saved and an unsaved rule through the engine, with the same outcome', async () => {
    const rule = { ...cpu, query: 'vector(100)', for: '10m' };
    const to = Date.now();
    const from = to - 3_600_000;
    const unsaved = await send('POST', `/api/v1/rules/preview?from=${from}&to=${to}`, rule);
    expect(unsaved.status).toBe(200);
    const p = unsaved.body as PreviewResponse;
    expect(p).toMatchObject({ from, to });
    expect(p.series).toHaveLength(1);
    expect(p.intervals.map((i) => i.state)).toEqual(['pending', 'firing']);
    const [pending, firing] = p.intervals;
    expect(firing.from - pending.from).toBe(600_000);
    expect(p.events.map((e) => e.event)).toEqual(['firing']);
    // The wrapped form, and the same rule saved.
    const wrapped = await send('POST', '/api/v1/rules/preview', { rule, from, to });
    expect((wrapped.body as PreviewResponse).intervals).toEqual(p.intervals);
    await send('POST', '/api/v1/rules', rule);
    const saved = await send('GET', `/api/v1/rules/high_cpu_usage/preview?from=${from}&to=${to}`);
    expect((saved.body as PreviewResponse).intervals).toEqual(p.intervals);
  });

  it('checks the preview range before backtesting', async () => {
    const bad = async (qs: string) => (await send('POST', `/api/v1/rules/preview?${qs}`, cpu)).body as ErrorBody;
    expect((await bad('from=2000&to=1000')).error.message).toBe('from: must be before to');
    expect((await bad(`from=0&to=${32 * 86_400_000}`)).error.message).toMatch(/at most 31 days/);
    expect((await bad('from=yesterday')).error.message).toMatch(/^from: expected epoch/);
    const invalid = await send('POST', '/api/v1/rules/preview', { rule: { ...cpu, severity: 'x' }, to: 5 });
    expect((invalid.body as RuleValidationErrorBody).error.fields.map((f) => f.field)).toEqual(['rule.severity']);
    expect((await send('GET', '/api/v1/rules/missing/preview')).status).toBe(404);
  });
});
