import type { FieldError } from '@vigil/core';
import {
  checkRuleBody,
  parseRuleBody,
  RuleValidationError,
  ruleIdFromName,
  toRuleSpec,
  type RuleContext,
} from './schema';
import { promqlProblem } from './queryCheck';

const ctx: RuleContext = {
  datasources: [
    { name: 'prom', type: 'prometheus' },
    { name: 'influx', type: 'influxdb' },
  ],
  detectors: [{ name: 'api_latency' }],
};

const minimal = {
  name: 'High CPU Usage',
  severity: 'warning',
  query: 'cpu_usage',
  condition: { kind: 'threshold', op: '>', threshold: 80 },
};

function errorsOf(input: unknown, c: RuleContext = ctx): FieldError[] {
  const r = checkRuleBody(input, c);
  if (r.ok) {
    throw new Error(`expected problems, got ${JSON.stringify(r.body)}`);
  }
  return r.errors;
}
const fieldsOf = (input: unknown, c?: RuleContext) => errorsOf(input, c).map((e) => e.field);

describe('checkRuleBody', () => {
  it('fills every default', () => {
    expect(parseRuleBody(minimal, ctx)).toEqual({
      id: 'high_cpu_usage',
      name: 'High CPU Usage',
      description: '',
      severity: 'warning',
      datasource: 'prom',
      query: 'cpu_usage',
      condition: { kind: 'threshold', op: '>', threshold: 80 },
      for: '0s',
      keepFiringFor: '0s',
      interval: '1m',
      labels: {},
      annotations: {},
      actions: [],
      noDataState: 'NoData',
      execErrState: 'Error',
      missingSeriesEvalsToResolve: 2,
      enabled: true,
    });
  });

  it('keeps given values, normalizing durations and de-duplicating actions', () => {
    const body = parseRuleBody(
      {
        ...minimal,
        id: 'cpu-1',
        datasource: 'prom',
        for: '600s',
        keepFiringFor: '90s',
        interval: '15s',
        labels: { team: 'platform' },
        annotations: { runbook_url: 'https://runbooks.example.com/cpu' },
        actions: ['slack', 'email', 'slack'],
        noDataState: 'KeepLast',
        execErrState: 'Alerting',
        missingSeriesEvalsToResolve: 5,
        enabled: false,
      },
      ctx
    );
    expect(body).toMatchObject({
      id: 'cpu-1',
      for: '10m',
      keepFiringFor: '1m30s',
      interval: '15s',
      actions: ['slack', 'email'],
    });
    expect(toRuleSpec(body)).toMatchObject({
      forMs: 600_000,
      keepFiringForMs: 90_000,
      intervalMs: 15_000,
      enabled: false,
    });
  });

  it('fills the guide defaults of adaptive and baseline conditions; anomaly rules drop datasource and query', () => {
    expect(
      parseRuleBody({ ...minimal, condition: { kind: 'adaptive', op: '>', threshold: 80 } }, ctx).condition
    ).toEqual({
      kind: 'adaptive',
      op: '>',
      threshold: 80,
      baselineDays: 7,
      stddevs: 2,
      minSamples: 100,
    });
    expect(
      parseRuleBody({ ...minimal, condition: { kind: 'baseline', op: '<', threshold: -20 } }, ctx).condition
    ).toEqual({
      kind: 'baseline',
      op: '<',
      threshold: -20,
      baselineDays: 7,
    });
    const anomaly = parseRuleBody(
      {
        name: 'Latency anomaly',
        severity: 'info',
        condition: { kind: 'anomaly', detector: 'api_latency', minConfidence: 0.5 },
      },
      ctx
    );
    expect(anomaly).toMatchObject({ datasource: '', query: '', condition: { fixedSeverity: false } });
  });

  it('names every bad field at once', () => {
    const errors = errorsOf({
      name: '',
      severity: 'fatal',
      query: 'up',
      condition: { kind: 'threshold', op: '=>', threshold: 'high' },
      for: '5 minutes',
      interval: '500ms',
      labels: { 'bad-name': 'x', __name__: 'y' },
      actions: ['ok', 'not ok'],
      noDataState: 'Panic',
      extra: 1,
    });
    expect(errors.map((e) => e.field).sort()).toEqual(
      [
        'name',
        'severity',
        'condition.op',
        'condition.threshold',
        'for',
        'interval',
        'labels.bad-name',
        'labels.__name__',
        'actions.1',
        'noDataState',
        'extra',
      ].sort()
    );
    expect(errors.find((e) => e.field === 'extra')?.message).toBe('unknown field');
    expect(errors.find((e) => e.field === 'interval')?.message).toMatch(/at least 1s/);
    expect(errors.find((e) => e.field === 'severity')?.message).toMatch(/critical, error, warning, info/);
  });

  it('bounds sizes', () => {
    const labels = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`l${i}`, 'v']));
    expect(
      fieldsOf({
        ...minimal,
        name: 'n'.repeat(201),
        description: 'd'.repeat(4097),
        query: 'q'.repeat(16385),
        labels,
        annotations: { summary: 's'.repeat(4097) },
        actions: Array.from({ length: 33 }, (_, i) => `a${i}`),
      }).sort()
    ).toEqual(['actions', 'annotations.summary', 'description', 'labels', 'name', 'query'].sort());
  });

  it('refuses prototype keys and deep nesting before looking further', () => {
    expect(fieldsOf(JSON.parse('{"__proto__": {"polluted": true}, "name": "x"}'))).toEqual(['__proto__']);
    expect(fieldsOf(JSON.parse('{"labels": {"__proto__": "x"}}'))).toEqual(['labels.__proto__']);
    let deep: unknown = 'x';
    for (let i = 0; i < 10_000; i++) {
      deep = { a: deep };
    }
    expect(errorsOf({ ...minimal, labels: deep })[0].message).toMatch(/nested more than/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects a body that is not an object, and an unknown condition kind', () => {
    for (const v of [null, 42, 'rule', [minimal]]) {
      expect(fieldsOf(v)).toEqual(['(body)']);
    }
    expect(fieldsOf({ ...minimal, condition: { kind: 'magic' } })).toEqual(['condition.kind']);
    expect(fieldsOf({ ...minimal, condition: { kind: 'threshold', op: '>', threshold: 1, extra: 2 } })).toEqual([
      'condition.extra',
    ]);
  });

  it('checks the datasource, the detector and reserved ids against the configuration', () => {
    expect(errorsOf({ ...minimal, datasource: 'nope' })).toEqual([
      { field: 'datasource', message: 'unknown datasource "nope" (configured: prom, influx)' },
    ]);
    expect(errorsOf(minimal, { datasources: [], detectors: [] })).toEqual([
      { field: 'datasource', message: 'no datasource is configured' },
    ]);
    expect(errorsOf({ ...minimal, condition: { kind: 'anomaly', detector: 'nope', minConfidence: 0.5 } })[0]).toEqual({
      field: 'condition.detector',
      message: 'unknown detector "nope" (configured: api_latency)',
    });
    expect(fieldsOf({ ...minimal, id: 'export' })).toEqual(['id']);
    expect(fieldsOf({ ...minimal, id: 'Has Spaces' })).toEqual(['id']);
  });

  it('gives the PromQL error and its position', () => {
    expect(errorsOf({ ...minimal, query: 'sum(rate(http_requests_total[5m])' })).toEqual([
      { field: 'query', message: 'PromQL syntax error at position 33: unexpected end of query', position: 33 },
    ]);
    expect(errorsOf({ ...minimal, query: 'cpu_usage > > 1' })[0]).toMatchObject({ field: 'query', position: 12 });
    expect(errorsOf({ ...minimal, query: '   ' })[0]).toMatchObject({ field: 'query', message: 'must not be empty' });
    expect(
      checkRuleBody({ ...minimal, query: 'histogram_quantile(0.95, sum by (le) (rate(x_bucket[5m]))) * 1000' }, ctx).ok
    ).toBe(true);
  });

  it('accepts read-only InfluxQL and refuses writes', () => {
    const influx = { ...minimal, datasource: 'influx' };
    const ok = [
      'SELECT mean("value") FROM "cpu" WHERE $timeFilter GROUP BY time(1m), "host"',
      "SELECT value FROM cpu WHERE host = 'drop; delete'",
      'SHOW MEASUREMENTS',
      'SELECT * FROM a; SELECT * FROM b',
      '-- DROP DATABASE x\nSELECT * FROM cpu',
    ];
    for (const query of ok) {
      expect({ query, ok: checkRuleBody({ ...influx, query }, ctx).ok }).toEqual({ query, ok: true });
    }
    const bad = [
      'DROP DATABASE telegraf',
      'SELECT * INTO copy FROM cpu',
      'SELECT * FROM cpu; DELETE FROM cpu',
      "CREATE USER x WITH PASSWORD 'y' WITH ALL PRIVILEGES",
      'GRANT ALL TO x',
      'KILL QUERY 1',
      'ALTER RETENTION POLICY rp ON db DURATION 1h',
      'REVOKE ALL FROM x',
    ];
    for (const query of bad) {
      expect({ query, fields: fieldsOf({ ...influx, query }) }).toEqual({ query, fields: ['query'] });
    }
  });

  it('throws a 400 invalid_rule naming the first field and counting the rest', () => {
    try {
      parseRuleBody({ ...minimal, severity: 'x', for: 'y' }, ctx);
      throw new Error('expected a throw');
    } catch (err) {
      expect(err).toBeInstanceOf(RuleValidationError);
      const e = err as RuleValidationError;
      expect(e.status).toBe(400);
      expect(e.code).toBe('invalid_rule');
      expect(e.message).toMatch(/^invalid rule: \w+: .+ \(and 1 more\)$/);
      expect(e.fields).toHaveLength(2);
    }
  });
});

describe('ruleIdFromName', () => {
  it.each([
    ['Service Completely Down', 'service_completely_down'],
    ['  High API Error-Rate (5%)!', 'high_api_error_rate_5'],
    ['Café latency', 'cafe_latency'],
    ['🔥🔥', 'rule'],
  ])('%s → %s', (name, id) => {
    expect(ruleIdFromName(name)).toBe(id);
  });
  it('stays within 128 characters without a trailing underscore', () => {
    const id = ruleIdFromName(`${'a'.repeat(127)} b`);
    expect(id).toBe('a'.repeat(127));
  });
});

describe('promqlProblem', () => {
  it('is null for valid PromQL', () => {
    expect(promqlProblem('rate(x[5m]) > 1')).toBeNull();
  });
  it('points at the stray token', () => {
    expect(promqlProblem('foo bar')).toEqual({
      message: 'PromQL syntax error at position 4: unexpected "bar"',
      position: 4,
    });
  });
});
