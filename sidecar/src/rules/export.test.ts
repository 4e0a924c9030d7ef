import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NormalizedRuleBody, RuleBody } from '@vigil/core';
import { promtoolBinary } from '../../../test/harness/prometheus';
import { toPrometheusRuleFile, toRuleFile } from './export';
import { parseRuleFile } from './files';
import { parseRuleBody, type RuleContext } from './schema';

const ctx: RuleContext = {
  datasources: [
    { name: 'prom', type: 'prometheus' },
    { name: 'influx', type: 'influxdb' },
  ],
  detectors: [{ name: 'latency' }],
};
const typeOf = (name: string) => ctx.datasources.find((d) => d.name === name)?.type;

const threshold = (op: string, t: number) => ({ kind: 'threshold', op, threshold: t }) as RuleBody['condition'];

/** The guide's rule sets plus one of each kind Prometheus cannot take. */
const bodies: NormalizedRuleBody[] = (
  [
    {
      id: 'service_down',
      name: 'Service Completely Down',
      description: 'Service is not responding to health checks',
      severity: 'critical',
      query: 'up{job="api"}',
      condition: threshold('==', 0),
      for: '1m',
      labels: { team: 'platform' },
      annotations: {
        summary: '{{ $labels.instance }} is down',
        runbook_url: 'https://runbooks.example.com/service-down',
      },
      actions: ['pagerduty', 'slack', 'email'],
    },
    {
      id: 'high_error_rate',
      name: 'High API Error Rate',
      severity: 'error',
      query:
        '100 * sum by (service) (rate(http_requests_total{code=~"5.."}[5m]))\n  / sum by (service) (rate(http_requests_total[5m])) # percent',
      condition: threshold('>', 5),
      for: '5m',
      keepFiringFor: '2m',
      interval: '15s',
      annotations: { summary: '{{ $labels.service }} error rate is {{ $value }}%' },
    },
    {
      id: 'high_cpu_usage',
      name: 'High CPU Usage',
      severity: 'warning',
      query: 'cpu_usage',
      condition: threshold('>', 80),
      for: '10m',
    },
    {
      id: 'cpu_adaptive',
      name: 'CPU adaptive',
      severity: 'warning',
      query: 'cpu_usage',
      condition: { kind: 'adaptive', op: '>', threshold: 80 },
    },
    {
      id: 'revenue_drop',
      name: 'Significant Revenue Drop',
      severity: 'error',
      query: 'sum(revenue)',
      condition: { kind: 'baseline', op: '<', threshold: -20 },
    },
    {
      id: 'latency_anomaly',
      name: 'Latency anomaly',
      severity: 'info',
      condition: { kind: 'anomaly', detector: 'latency', minConfidence: 0.5 },
    },
    {
      id: 'influx_cpu',
      name: 'Influx CPU',
      severity: 'warning',
      datasource: 'influx',
      query: 'SELECT last(v) FROM cpu',
      condition: threshold('>', 1),
    },
    {
      id: 'disabled_one',
      name: 'Disabled',
      severity: 'info',
      query: 'up',
      condition: threshold('<', 1),
      enabled: false,
    },
  ] as RuleBody[]
).map((b) =>
  parseRuleBody({ datasource: 'prom', ...b, ...(b.condition.kind === 'anomaly' ? { datasource: undefined } : {}) }, ctx)
);

describe('rule-file export', () => {
  it('reads back as the same rules', () => {
    const text = toRuleFile(bodies);
    expect(text).toMatch(/^# Vigil alert rules/);
    const back = parseRuleFile(text, ctx);
    expect(back.problems).toEqual([]);
    expect(back.bodies).toEqual(bodies);
  });
});

describe('Prometheus export', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-export-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const promtool = (text: string) => {
    const file = join(dir, `rules-${Math.random().toString(36).slice(2)}.yml`);
    writeFileSync(file, text);
    const r = spawnSync(promtoolBinary(), ['check', 'rules', file], { encoding: 'utf8' });
    return { status: r.status, output: `${r.stdout}${r.stderr}` };
  };

  it('matches the golden file', () => {
    const golden = readFileSync(join(__dirname, 'testdata', 'export-prometheus.yml'), 'utf8');
    expect(toPrometheusRuleFile(bodies, typeOf)).toBe(golden);
  });

  it('passes promtool check rules, with the threshold rules only', () => {
    const text = toPrometheusRuleFile(bodies, typeOf);
    const r = promtool(text);
    expect(r).toEqual({ status: 0, output: expect.stringMatching(/SUCCESS: 3 rules found/) });
  });

  it('lists what it left out in the leading comment', () => {
    const head = toPrometheusRuleFile(bodies, typeOf).split('\ngroups:')[0];
    for (const line of [
      'cpu_adaptive (CPU adaptive): adaptive condition',
      'revenue_drop (Significant Revenue Drop): baseline condition',
      'latency_anomaly (Latency anomaly): anomaly condition',
      'influx_cpu (Influx CPU): InfluxDB datasource "influx"',
      'disabled_one (Disabled): disabled',
    ]) {
      expect(head).toContain(`#   - ${line}`);
    }
  });

  it('is checked for real: promtool fails a broken expression', () => {
    const broken = toPrometheusRuleFile([{ ...bodies[2], query: 'sum(cpu_usage' }], typeOf);
    expect(promtool(broken).status).not.toBe(0);
  });

  it('writes an empty group list when nothing exports', () => {
    const text = toPrometheusRuleFile([bodies[3]], typeOf);
    expect(promtool(text)).toEqual({ status: 0, output: expect.stringMatching(/SUCCESS: 0 rules found/) });
  });
});
