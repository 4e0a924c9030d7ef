import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { burnRateAlerts } from './burnRate';
import {
  prometheusRuleFile,
  prometheusWindowMs,
  ruleWindowName,
  sloRuleGroups,
  SloRulesError,
  type PromAlertingRule,
  type PromRecordingRule,
} from './prometheusRules';
import type { Slo } from './types';

const testdata = join(__dirname, 'testdata');
const guide: Slo[] = JSON.parse(readFileSync(join(testdata, 'rules-guide.slos.json'), 'utf8'));
const DAY = 86_400_000;

/** Compares with a golden file; `UPDATE_GOLDEN=1` rewrites it (review the diff). */
function golden(name: string, text: string): void {
  const file = join(testdata, name);
  if (process.env.UPDATE_GOLDEN) {
    writeFileSync(file, text);
  }
  expect(text).toBe(readFileSync(file, 'utf8'));
}

const recordings = (slo: Slo) => sloRuleGroups(slo)[0].rules as PromRecordingRule[];
const alerts = (slo: Slo) => (sloRuleGroups(slo)[1]?.rules ?? []) as PromAlertingRule[];

describe('prometheusRuleFile', () => {
  it('matches the golden rule file of the guide SLOs (SLO in, YAML out)', () => {
    // The same serialization as the sidecar's `vigil slo generate` (lineWidth 0: no folded exprs; no YAML aliases).
    golden(
      'rules-guide.rules.yaml',
      stringify(prometheusRuleFile(guide), { lineWidth: 0, aliasDuplicateObjects: false })
    );
  });

  it('records the error ratio over every window the alerts read plus the compliance window', () => {
    const names = recordings(guide[0])
      .map((r) => r.record)
      .filter((n) => n.startsWith('slo:sli_error:'));
    expect(names).toEqual(
      ['5m', '30m', '1h', '2h', '6h', '1d', '3d', '30d'].map((w) => `slo:sli_error:ratio_rate${w}`)
    );
    const r30d = recordings(guide[0]).find((r) => r.record === 'slo:sli_error:ratio_rate30d')!;
    // Event-weighted: the SLI's own queries over the whole window, not an average of 5m ratios.
    expect(r30d.expr).toContain('http_requests_total{job="api",code!~"5.."}[30d]');
    expect(r30d.labels).toEqual({ team: 'platform', slo_id: 'api_availability', slo_service: 'api' });
  });

  it('alerts on burnRateAlerts factors for the window, with severities and the SLO in labels', () => {
    const rules = alerts(guide[0]);
    const factors = burnRateAlerts(30 * DAY).map((a) => a.factor);
    expect(factors).toEqual([14.4, 6, 3, 1]);
    expect(rules.map((r) => [r.labels.slo_alert, r.labels.severity])).toEqual([
      ['page_1h', 'critical'],
      ['page_6h', 'critical'],
      ['ticket_1d', 'warning'],
      ['ticket_3d', 'warning'],
    ]);
    expect(rules[0].expr).toBe(
      'slo:burn_rate:ratio_rate1h{slo_id="api_availability"} >= 14.4\nand\nslo:burn_rate:ratio_rate5m{slo_id="api_availability"} >= 14.4'
    );
    expect(rules.every((r) => !('for' in r))).toBe(true);
    expect(rules[3].annotations).toMatchObject({ long_window: '3d', short_window: '6h', burn_rate_factor: '1' });
  });

  it('scales factors to a 28-day window and guards low traffic with minEvents', () => {
    const rules = alerts(guide[1]);
    expect(rules.map((r) => r.annotations.burn_rate_factor)).toEqual(['13.44', '5.6', '2.8', '0.933333333333']);
    expect(rules[0].expr).toContain(
      'and on()\n(sum(increase(http_request_duration_seconds_count{job="api"}[1h]))) >= 100'
    );
    const r5m = recordings(guide[1])[0];
    expect(r5m.expr).toContain('http_request_duration_seconds_bucket{job="api",le="0.5"}[5m]');
  });

  it('reads a calendar month as rolling 30d and leaves disabled alert kinds out', () => {
    expect(prometheusWindowMs(guide[2].window)).toBe(30 * DAY);
    const rules = alerts(guide[2]);
    expect(rules.map((r) => r.labels.slo_alert)).toEqual(['ticket_1d', 'ticket_3d']);
    expect(rules[0].annotations.description).toContain('month (Europe/Berlin), read by Prometheus as rolling 30d');
    expect(sloRuleGroups({ ...guide[2], alerting: { page: false, ticket: false } })).toHaveLength(1);
  });

  it('names windows in whole days and keeps Go template braces in user text literal', () => {
    expect(ruleWindowName(28 * DAY)).toBe('28d');
    expect(ruleWindowName(30 * 60_000)).toBe('30m');
    const rule = alerts({ ...guide[0], name: 'weird {{ name }}' })[0];
    expect(rule.annotations.slo_name).toBe('weird {{ "{{" }} name }}');
  });

  it('refuses timeslice and InfluxQL SLIs and duplicate ids, naming the field', () => {
    const timeslice: Slo = {
      ...guide[0],
      sli: { kind: 'timeslice', language: 'promql', query: 'x', op: '<', threshold: 0.5, sliceMs: 300_000 },
    };
    expect(() => sloRuleGroups(timeslice)).toThrow(SloRulesError);
    expect(() => sloRuleGroups(timeslice)).toThrow(/^SLO api_availability: sli.timeslice: /);
    const influx: Slo = {
      ...guide[0],
      sli: { ...(guide[0].sli as Slo['sli'] & { kind: 'ratio' }), language: 'influxql' },
    };
    expect(() => sloRuleGroups(influx)).toThrow(/language: influxql SLIs cannot run in Prometheus/);
    expect(() => prometheusRuleFile([guide[0], guide[0]])).toThrow(/SLO api_availability: id: appears twice/);
  });
});
