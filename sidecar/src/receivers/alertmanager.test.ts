import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fingerprint } from '@vigil/core';
import { parseAlertmanagerWebhook } from './alertmanager';

const golden = (): Record<string, unknown> =>
  JSON.parse(readFileSync(join(__dirname, 'testdata', 'alertmanager-v4.json'), 'utf8')) as Record<string, unknown>;

function errorsOf(body: unknown): Array<{ path: string; message: string }> {
  const r = parseAlertmanagerWebhook(body);
  if (r.ok) {
    throw new Error('expected the body to be refused');
  }
  return r.errors;
}

describe('parseAlertmanagerWebhook', () => {
  it('parses the golden version 4 body', () => {
    const r = parseAlertmanagerWebhook(golden());
    expect(r).toEqual({
      ok: true,
      alerts: [
        {
          source: 'alertmanager',
          status: 'firing',
          labels: { alertname: 'HighErrorRate', job: 'api', instance: '10.0.0.1:8080', severity: 'critical' },
          annotations: { summary: 'Error rate above 5%', runbook_url: 'http://127.0.0.1/runbooks/errors' },
          startsAt: Date.parse('2026-12-07T01:02:03.456Z'),
          endsAt: null,
          fingerprint: '1a2b3c4d5e6f7081',
          generatorURL: 'http://127.0.0.1:9090/graph?g0.expr=rate%28errors%5B5m%5D%29',
          severity: 'critical',
        },
        {
          source: 'alertmanager',
          status: 'resolved',
          labels: { alertname: 'HighErrorRate', job: 'api', instance: '10.0.0.2:8080', severity: 'page' },
          annotations: { summary: 'Error rate above 5%' },
          startsAt: Date.parse('2026-12-06T23:30:00Z'),
          endsAt: Date.parse('2026-12-07T01:10:00Z'),
          // "not-hex" is not a usable fingerprint: Vigil computes its own over the labels.
          fingerprint: fingerprint('alertmanager', {
            alertname: 'HighErrorRate',
            job: 'api',
            instance: '10.0.0.2:8080',
            severity: 'page',
          }),
          severity: 'critical',
        },
      ],
    });
  });

  it('maps severities and defaults unknown ones to warning', () => {
    const body = golden();
    const alerts = body.alerts as Array<{ labels: Record<string, string> }>;
    const cases: Array<[string | undefined, string]> = [
      ['ERROR', 'error'],
      ['high', 'error'],
      ['info', 'info'],
      ['warn', 'warning'],
      ['banana', 'warning'],
      [undefined, 'warning'],
    ];
    for (const [given, want] of cases) {
      if (given === undefined) {
        delete alerts[0].labels.severity;
      } else {
        alerts[0].labels.severity = given;
      }
      const r = parseAlertmanagerWebhook(body);
      expect(r.ok && r.alerts[0].severity).toBe(want);
    }
  });

  it('refuses with JSON paths', () => {
    const body = golden();
    const alerts = body.alerts as Array<Record<string, unknown>>;
    (alerts[1].labels as Record<string, unknown>).severity = { nested: 'x' };
    alerts[0].startsAt = '2026-02-30T00:00:00Z';
    alerts[0].status = 'pending';
    expect(errorsOf(body)).toEqual([
      { path: '$.alerts[0].status', message: 'must be "firing" or "resolved", got "pending"' },
      { path: '$.alerts[0].startsAt', message: 'must be an RFC 3339 time, got "2026-02-30T00:00:00Z"' },
      { path: '$.alerts[1].labels.severity', message: 'must be a string, got object' },
    ]);
  });

  it('refuses bad label names, prototype keys, a wrong version and too many alerts', () => {
    const body = golden();
    const alerts = body.alerts as Array<Record<string, unknown>>;
    alerts[0].labels = JSON.parse('{"__proto__": "x", "0bad": "y", "ok": "z"}');
    body.version = '3';
    expect(errorsOf(body).map((e) => e.path)).toEqual([
      '$.version',
      '$.alerts[0].labels.__proto__',
      '$.alerts[0].labels["0bad"]',
    ]);
    expect(errorsOf({ ...golden(), alerts: new Array(1001).fill(alerts[1]) })).toEqual([
      { path: '$.alerts', message: 'must hold at most 1000 alerts, got 1001' },
    ]);
    expect(errorsOf([])).toEqual([{ path: '$', message: 'must be an object, got array' }]);
  });

  it('refuses label values that are not valid UTF-8 but keeps astral characters', () => {
    const body = golden();
    const alerts = body.alerts as Array<{ labels: Record<string, string> }>;
    alerts[0].labels.job = 'ok \u{1F600}';
    alerts[1].labels.job = 'bad \uD800';
    expect(errorsOf(body)).toEqual([
      { path: '$.alerts[1].labels.job', message: 'must be valid UTF-8 (has a lone surrogate escape)' },
    ]);
  });

  it('accepts the zero time only for endsAt', () => {
    const body = golden();
    (body.alerts as Array<Record<string, unknown>>)[0].startsAt = '0001-01-01T00:00:00Z';
    expect(errorsOf(body)).toEqual([{ path: '$.alerts[0].startsAt', message: 'must be set (got the zero time)' }]);
  });
});
