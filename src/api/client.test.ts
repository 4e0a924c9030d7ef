import { installFakeBackendSrv, healthyReport } from '../testing/fakeBackendSrv';
import { getHealth, listAnomalies, SIDECAR_PROXY_BASE, sidecarRequest, sidecarUrl, SidecarError } from './client';

describe('sidecarUrl', () => {
  test('every call goes to the plugin proxy route "sidecar" under /api/v1', () => {
    expect(SIDECAR_PROXY_BASE).toBe('/api/plugin-proxy/vigil-observability-app/sidecar/api/v1');
    expect(sidecarUrl('/monitoring/health')).toBe(
      '/api/plugin-proxy/vigil-observability-app/sidecar/api/v1/monitoring/health'
    );
  });

  test.each([
    ['monitoring/health', 'must start with "/"'],
    ['http://evil.example/x', 'must start with "/"'],
    ['/../../api/admin', 'must not contain "." or ".." segments'],
    ['/rules/./x', 'must not contain "." or ".." segments'],
    ['/rules?x=1', 'must not carry a query or fragment'],
  ])('refuses %p', (path, message) => {
    expect(() => sidecarUrl(path)).toThrow(message);
  });
});

describe('sidecarRequest', () => {
  test('sends method, params and body to the proxy URL without Grafana toasts', async () => {
    const fake = installFakeBackendSrv(() => ({ status: 200, body: { ok: true } }));
    await expect(
      sidecarRequest('/rules', { method: 'POST', params: { limit: 5 }, body: { name: 'x' } })
    ).resolves.toEqual({ ok: true });
    expect(fake.requests).toEqual([
      expect.objectContaining({
        url: `${SIDECAR_PROXY_BASE}/rules`,
        method: 'POST',
        params: { limit: 5 },
        data: { name: 'x' },
        showErrorAlert: false,
      }),
    ]);
  });

  test('an unreachable sidecar (502 from the proxy) is a retryable error that says so', async () => {
    installFakeBackendSrv(() => ({ status: 502, body: {} }));
    const err = await sidecarRequest('/rules').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SidecarError);
    expect(err).toMatchObject({ status: 502, retryable: true });
    expect((err as Error).message).toMatch(
      /^sidecar GET \/rules: the sidecar could not be reached through Grafana's plugin proxy \(HTTP 502\)/
    );
  });

  test("a 502 with the sidecar's error body is its datasource failing, said as the sidecar says it", async () => {
    installFakeBackendSrv(() => ({
      status: 502,
      body: { error: { code: 'source_unavailable', message: 'query Prometheus "prom": connection refused' } },
    }));
    const err = await sidecarRequest('/slos/x/budget').catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 502, retryable: true, code: 'source_unavailable' });
    expect((err as Error).message).toBe(
      'sidecar GET /slos/x/budget: query Prometheus "prom": connection refused (HTTP 502)'
    );
  });

  test('401 points at the token; other errors carry the sidecar message and code', async () => {
    installFakeBackendSrv(() => ({
      status: 401,
      body: { error: { code: 'unauthorized', message: 'missing bearer token' } },
    }));
    await expect(sidecarRequest('/rules')).rejects.toMatchObject({
      status: 401,
      code: 'unauthorized',
      retryable: false,
      message: expect.stringContaining('Check the sidecar token'),
    });
    installFakeBackendSrv(() => ({
      status: 400,
      body: { error: { code: 'invalid', message: 'for: must be a duration' } },
    }));
    await expect(sidecarRequest('/rules')).rejects.toMatchObject({
      message: 'sidecar GET /rules: HTTP 400 for: must be a duration',
      code: 'invalid',
      retryable: false,
    });
  });
});

describe('getHealth', () => {
  test('returns the health report', async () => {
    const fake = installFakeBackendSrv(() => ({ status: 200, body: healthyReport }));
    await expect(getHealth()).resolves.toEqual(healthyReport);
    expect(fake.requests[0].url).toBe(`${SIDECAR_PROXY_BASE}/monitoring/health`);
  });

  test('a 503 with a health body is an "unhealthy" answer, not a failure', async () => {
    const unhealthy = { ...healthyReport, status: 'unhealthy', store: { type: 'sqlite', ok: false, schemaVersion: 1 } };
    installFakeBackendSrv(() => ({ status: 503, body: unhealthy }));
    await expect(getHealth()).resolves.toEqual(unhealthy);
  });

  test('a 503 without a health body, or a 200 that is not a health report, fails', async () => {
    installFakeBackendSrv(() => ({ status: 503, body: 'Service Unavailable' }));
    await expect(getHealth()).rejects.toThrow('sidecar GET /monitoring/health: HTTP 503');
    installFakeBackendSrv(() => ({ status: 200, body: '<html>login</html>' }));
    await expect(getHealth()).rejects.toThrow('sidecar GET /monitoring/health: the answer is not a health report');
  });
});

describe('listAnomalies', () => {
  test('sends the window as from/to params to the proxy path', async () => {
    const body = { from: 1, to: 2, anomalies: [] };
    const fake = installFakeBackendSrv(() => ({ status: 200, body }));
    await expect(listAnomalies({ from: 1, to: 2 })).resolves.toEqual(body);
    expect(fake.requests).toEqual([
      expect.objectContaining({ url: `${SIDECAR_PROXY_BASE}/anomalies`, method: 'GET', params: { from: 1, to: 2 } }),
    ]);
  });

  test('refuses a reversed window before calling the sidecar', async () => {
    const fake = installFakeBackendSrv(() => ({ status: 200, body: {} }));
    await expect(listAnomalies({ from: 2, to: 1 })).rejects.toThrow('from and to must be epoch ms with from <= to');
    expect(fake.requests).toHaveLength(0);
  });
});
