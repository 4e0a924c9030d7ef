import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fingerprint } from '@vigil/core';
import { parseGrafanaWebhook } from './grafana';

const golden = (): Record<string, unknown> =>
  JSON.parse(readFileSync(join(__dirname, 'testdata', 'grafana.json'), 'utf8')) as Record<string, unknown>;

describe('parseGrafanaWebhook', () => {
  it('parses the golden body', () => {
    const labels2 = { alertname: 'CPU high', grafana_folder: 'Infra', host: 'web-2' };
    expect(parseGrafanaWebhook(golden())).toEqual({
      ok: true,
      alerts: [
        {
          source: 'grafana',
          status: 'firing',
          labels: { alertname: 'CPU high', grafana_folder: 'Infra', host: 'web-1', severity: 'warning' },
          annotations: {
            summary: 'CPU above 90% on web-1',
            dashboard_url: 'http://127.0.0.1:3000/d/dash1?orgId=1',
            panel_url: 'http://127.0.0.1:3000/d/dash1?orgId=1&viewPanel=2',
          },
          startsAt: Date.parse('2026-12-07T01:00:00Z'),
          endsAt: null,
          fingerprint: 'c6eadffa33fcdf37',
          generatorURL: 'http://127.0.0.1:3000/alerting/grafana/abc123/view?orgId=1',
          severity: 'warning',
          value: 93.5,
        },
        {
          source: 'grafana',
          status: 'resolved',
          labels: labels2,
          // The alert's own dashboard_url annotation wins over dashboardURL.
          annotations: { summary: 'CPU above 90% on web-2', dashboard_url: 'http://127.0.0.1:3000/d/custom' },
          startsAt: Date.parse('2026-12-07T00:50:00Z'),
          endsAt: Date.parse('2026-12-07T01:05:00Z'),
          fingerprint: fingerprint('grafana', labels2),
          generatorURL: 'http://127.0.0.1:3000/alerting/grafana/abc123/view?orgId=1',
          severity: 'warning',
        },
      ],
    });
  });

  it('refuses wrong types with JSON paths', () => {
    const body = golden();
    const alerts = body.alerts as Array<Record<string, unknown>>;
    alerts[0].values = { B: 'high' };
    alerts[1].dashboardURL = ['x'];
    body.orgId = '1';
    const r = parseGrafanaWebhook(body);
    expect(r).toEqual({
      ok: false,
      errors: [
        { path: '$.orgId', message: 'must be a non-negative integer, got string' },
        { path: '$.alerts[0].values.B', message: 'must be a number, got string' },
        { path: '$.alerts[1].dashboardURL', message: 'must be a string, got array' },
      ],
    });
  });
});
