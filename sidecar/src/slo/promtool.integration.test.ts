/**
 * The generated rule files against the real promtool (Debian package `prometheus`): every golden
 * rule file passes `promtool check rules`, and `promtool test rules` shows the burn-rate alerts
 * firing on synthetic counters as the workbook predicts.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { promtoolBinary } from '../../../test/harness';

const run = promisify(execFile);
const coreTestdata = join(__dirname, '../../../core/src/slo/testdata');
const sidecarTestdata = join(__dirname, 'testdata');
const goldenRuleFiles = [
  ...readdirSync(coreTestdata).map((f) => join(coreTestdata, f)),
  ...readdirSync(sidecarTestdata).map((f) => join(sidecarTestdata, f)),
].filter((f) => f.endsWith('.rules.yaml'));

/** promtool's exit code and output. */
async function promtool(args: string[], cwd?: string): Promise<{ code: number; out: string }> {
  try {
    const r = await run(promtoolBinary(), args, { cwd, timeout: 60_000 });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-slo-promtool-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('promtool check rules', () => {
  it('finds the golden rule files', () => {
    expect(goldenRuleFiles.length).toBeGreaterThanOrEqual(3);
  });

  it.each(goldenRuleFiles)('accepts %s', async (file) => {
    const r = await promtool(['check', 'rules', file]);
    expect(r.out).toMatch(/SUCCESS: \d+ rules found/);
    expect(r.code).toBe(0);
  });

  it('rejects a broken file (the check can fail)', async () => {
    const bad = join(dir, 'bad.rules.yaml');
    writeFileSync(bad, 'groups:\n  - name: x\n    rules:\n      - record: slo:x\n        expr: sum(rate(x[5m])\n');
    const r = await promtool(['check', 'rules', bad]);
    expect(r.code).not.toBe(0);
  });
});

/** ALERTS labels of the guide's api_availability SLO for one of its alerts. */
const firing = (name: string, severity: string) =>
  `ALERTS{alertname="SLOBurnRate",alertstate="firing",severity="${severity}",slo_alert="${name}",slo_id="api_availability",slo_service="api",team="platform"}`;

describe('promtool test rules on the guide SLOs', () => {
  it('a 0.2% error rate opens only the 3-day ticket, a burst pages, low traffic does not page', async () => {
    copyFileSync(join(coreTestdata, 'rules-guide.rules.yaml'), join(dir, 'rules.yaml'));
    const alerts = 'ALERTS{alertstate="firing", slo_id="api_availability"}';
    const latencyAlerts = 'ALERTS{alertstate="firing", slo_id="api_response_time"}';
    const latencyFiring = (name: string, severity: string) =>
      `ALERTS{alertname="SLOBurnRate",alertstate="firing",severity="${severity}",slo_alert="${name}",slo_id="api_response_time",slo_service="api"}`;
    const tests = {
      rule_files: ['rules.yaml'],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: [
            { series: 'http_requests_total{job="api",code="200"}', values: '0+998x240' },
            { series: 'http_requests_total{job="api",code="500"}', values: '0+2x240' },
          ],
          promql_expr_test: [
            { expr: alerts, eval_time: '3h', exp_samples: [{ labels: firing('ticket_3d', 'warning'), value: 1 }] },
            // Burn rate 2 over the window so far: the budget is spent twice over, remaining clamps at 0.
            {
              expr: 'round(slo:period_burn_rate:ratio{slo_id="api_availability"}, 0.001)',
              eval_time: '3h',
              exp_samples: [{ labels: '{slo_id="api_availability",slo_service="api",team="platform"}', value: 2 }],
            },
          ],
        },
        {
          interval: '1m',
          // Three quiet hours, then 200 errors a minute (a 17% error rate) for ten minutes.
          input_series: [
            { series: 'http_requests_total{job="api",code="200"}', values: '0+1000x200' },
            { series: 'http_requests_total{job="api",code="500"}', values: '0x180 0+200x20' },
          ],
          promql_expr_test: [
            { expr: alerts, eval_time: '180m', exp_samples: [] },
            {
              expr: alerts,
              eval_time: '190m',
              exp_samples: [
                { labels: firing('page_1h', 'critical'), value: 1 },
                { labels: firing('page_6h', 'critical'), value: 1 },
                { labels: firing('ticket_1d', 'warning'), value: 1 },
                { labels: firing('ticket_3d', 'warning'), value: 1 },
              ],
            },
          ],
        },
        {
          interval: '1m',
          // api_response_time (95% under 500 ms, minEvents 100): one request a minute, half of them slow.
          input_series: [
            { series: 'http_request_duration_seconds_bucket{job="api",le="0.5"}', values: '0+0.5x180' },
            { series: 'http_request_duration_seconds_count{job="api"}', values: '0+1x180' },
          ],
          promql_expr_test: [
            // 90 requests so far: below minEvents in every long window, nothing fires.
            { expr: latencyAlerts, eval_time: '90m', exp_samples: [] },
            // 180 requests: enough for 6h, 1d and 3d; the last hour's 60 are still too few to page.
            {
              expr: latencyAlerts,
              eval_time: '3h',
              exp_samples: [
                { labels: latencyFiring('page_6h', 'critical'), value: 1 },
                { labels: latencyFiring('ticket_1d', 'warning'), value: 1 },
                { labels: latencyFiring('ticket_3d', 'warning'), value: 1 },
              ],
            },
          ],
        },
      ],
    };
    writeFileSync(join(dir, 'tests.yaml'), stringify(tests));
    const r = await promtool(['test', 'rules', 'tests.yaml'], dir);
    expect(r.out).toContain('SUCCESS');
    expect(r.code).toBe(0);
  });
});
