import { installFakeBackendSrv } from '../testing/fakeBackendSrv';
import { previewResponse, ruleResource } from '../testing/rules';
import { SIDECAR_PROXY_BASE, SidecarError } from './client';
import {
  alertHistory,
  createRule,
  deleteRule,
  getRule,
  listAlerts,
  listDatasources,
  listDetectors,
  listRules,
  previewRule,
  previewSavedRule,
  updateRule,
} from './rules';

const body = {
  name: 'x',
  severity: 'warning' as const,
  condition: { kind: 'threshold' as const, op: '>' as const, threshold: 1 },
};

describe('rule API calls', () => {
  test('each call goes to its route with its method, params and body', async () => {
    const rule = ruleResource();
    const fake = installFakeBackendSrv((req) => {
      if (req.url.endsWith('/preview')) {
        return { status: 200, body: previewResponse(1000, 2000) };
      }
      if (req.url.endsWith('/rules') && req.method === 'GET') {
        return { status: 200, body: { rules: [rule] } };
      }
      if (req.method === 'DELETE') {
        return { status: 204, body: '' };
      }
      return { status: 200, body: rule };
    });
    await expect(listRules()).resolves.toEqual({ rules: [rule] });
    await expect(getRule('high_cpu_usage')).resolves.toEqual(rule);
    await createRule(body);
    await updateRule('high_cpu_usage', body, 3);
    await updateRule('high_cpu_usage', body);
    await deleteRule('high_cpu_usage');
    await expect(previewRule(body, { from: 1000, to: 2000 })).resolves.toMatchObject({ from: 1000, to: 2000 });
    await previewSavedRule('high_cpu_usage', { from: 1000, to: 2000 });
    const seen = fake.requests.map((r) => [
      r.method,
      r.url.slice(SIDECAR_PROXY_BASE.length),
      r.params,
      r.data,
      r.headers,
    ]);
    expect(seen).toEqual([
      ['GET', '/rules', undefined, undefined, undefined],
      ['GET', '/rules/high_cpu_usage', undefined, undefined, undefined],
      ['POST', '/rules', undefined, body, undefined],
      ['PUT', '/rules/high_cpu_usage', undefined, body, { 'If-Match': '3' }],
      ['PUT', '/rules/high_cpu_usage', undefined, body, undefined],
      ['DELETE', '/rules/high_cpu_usage', undefined, undefined, undefined],
      ['POST', '/rules/preview', { from: 1000, to: 2000 }, body, undefined],
      ['GET', '/rules/high_cpu_usage/preview', { from: 1000, to: 2000 }, undefined, undefined],
    ]);
  });

  test('a 400 invalid_rule keeps its field errors, query position included', async () => {
    installFakeBackendSrv(() => ({
      status: 400,
      body: {
        error: {
          code: 'invalid_rule',
          message: 'query: unexpected ")"',
          fields: [
            { field: 'query', message: 'unexpected ")"', position: 12 },
            { field: 'for', message: 'not a duration: "5 minutes"' },
            { nonsense: true },
          ],
        },
      },
    }));
    const err = (await createRule(body).catch((e: unknown) => e)) as SidecarError;
    expect(err).toBeInstanceOf(SidecarError);
    expect(err).toMatchObject({ status: 400, code: 'invalid_rule', retryable: false });
    expect(err.message).toContain('unexpected ")"');
    expect(err.fields).toEqual([
      { field: 'query', message: 'unexpected ")"', position: 12 },
      { field: 'for', message: 'not a duration: "5 minutes"' },
    ]);
  });

  test('answers of the wrong shape are refused with a message naming the call', async () => {
    installFakeBackendSrv(() => ({ status: 200, body: '<html>login</html>' }));
    await expect(listRules()).rejects.toThrow('sidecar GET /rules: the answer is not a rule list');
    await expect(getRule('a')).rejects.toThrow('sidecar GET /rules/a: the answer is not a rule');
    await expect(previewRule(body, { from: 1, to: 2 })).rejects.toThrow('the answer is not a preview');
    await expect(listAlerts()).rejects.toThrow('the answer is not an alert list');
    await expect(alertHistory('fp')).rejects.toThrow('the answer is not an alert history');
    await expect(listDatasources()).rejects.toThrow('the answer is not a datasource list');
    await expect(listDetectors()).rejects.toThrow('the answer is not a detector list');
  });

  test('bad arguments fail before any request', async () => {
    const fake = installFakeBackendSrv(() => ({ status: 200, body: {} }));
    await expect(previewRule(body, { from: 2, to: 1 })).rejects.toThrow('from < to');
    await expect(getRule('')).rejects.toThrow('non-empty');
    await expect(alertHistory('')).rejects.toThrow('non-empty');
    expect(fake.requests).toHaveLength(0);
  });

  test('ids and fingerprints are encoded into one path segment', async () => {
    const fake = installFakeBackendSrv(() => ({ status: 200, body: { fingerprint: 'a/b', history: [] } }));
    await alertHistory('a/b');
    expect(fake.requests[0].url).toBe(`${SIDECAR_PROXY_BASE}/alerts/a%2Fb/history`);
  });

  test('alerts, datasources and detectors are read as the sidecar sends them', async () => {
    installFakeBackendSrv((req) => {
      if (req.url.endsWith('/alerts')) {
        return { status: 200, body: { alerts: [{ fingerprint: 'f', state: 'firing', ruleName: 'R' }] } };
      }
      if (req.url.endsWith('/datasources')) {
        return { status: 200, body: { datasources: [{ name: 'prometheus', type: 'prometheus', url: 'http://p' }] } };
      }
      return { status: 200, body: { detectors: [{ name: 'api_latency', datasource: 'prometheus', query: 'q' }] } };
    });
    await expect(listAlerts()).resolves.toMatchObject({ alerts: [{ fingerprint: 'f' }] });
    await expect(listDatasources()).resolves.toMatchObject({ datasources: [{ name: 'prometheus' }] });
    await expect(listDetectors()).resolves.toMatchObject({ detectors: [{ name: 'api_latency' }] });
  });
});
