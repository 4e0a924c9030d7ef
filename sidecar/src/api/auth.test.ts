import { startTestServer, TEST_TOKEN, type TestServer } from '../testing/fixtures';
import { PUBLIC_API_ROUTES, tokensEqual } from './auth';
import type { ErrorBody } from './errors';
import type { HealthReport } from './health';
import { listRoutes } from './routes';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer();
});
afterAll(() => srv.stop());

// Concrete values for path parameters (`:id`) and wildcards (`*rest`) of route templates.
const concrete = (path: string) => path.replace(/:\w+/g, 'test-id').replace(/\*\w+/g, 'x');
// The one exception the contract allows; written out here rather than read from auth.ts, so widening
// PUBLIC_API_ROUTES by mistake fails this test.
const HEALTH = '/api/v1/monitoring/health';
const isPublic = (method: string, path: string) => path === HEALTH && (method === 'GET' || method === 'HEAD');

describe('bearer auth on every /api route', () => {
  const routes = () => listRoutes(srv.app);

  it('finds the registered routes by walking the router stack', () => {
    const paths = routes().map((r) => `${r.method} ${r.path}`);
    // A few we know exist: proves the walk reaches into the mounted routers.
    expect(paths).toEqual(
      expect.arrayContaining([
        'GET /metrics',
        'GET /api/v1/monitoring/health',
        'GET /api/v1/datasources',
        'GET /api/v1/events',
      ])
    );
    expect(routes().filter((r) => r.path.startsWith('/api/')).length).toBeGreaterThanOrEqual(3);
  });

  it('answers 401 without a token on every /api route but health, and not 401 with it', async () => {
    const api = routes().filter((r) => r.path.startsWith('/api/') && !isPublic(r.method, r.path));
    expect(api.length).toBeGreaterThan(0);
    for (const r of api) {
      const methods = r.method === 'ALL' ? ['GET', 'POST'] : [r.method];
      for (const method of methods) {
        const init =
          method === 'GET' || method === 'HEAD'
            ? { method }
            : { method, body: '{}', headers: { 'content-type': 'application/json' } };
        const anon = await srv.call(concrete(r.path), { ...init, token: null });
        expect({ route: `${method} ${r.path}`, status: anon.status }).toEqual({
          route: `${method} ${r.path}`,
          status: 401,
        });
        expect(anon.headers.get('www-authenticate')).toMatch(/^Bearer /);
        if (method !== 'HEAD') {
          expect(((await anon.json()) as ErrorBody).error.code).toBe('unauthorized');
        }

        const wrong = await srv.call(concrete(r.path), { ...init, token: 'wrong-token-0123456789abcdef' });
        expect({ route: `${method} ${r.path}`, status: wrong.status }).toEqual({
          route: `${method} ${r.path}`,
          status: 401,
        });

        const authed = await srv.call(concrete(r.path), init);
        expect({ route: `${method} ${r.path}`, status: authed.status }).not.toEqual({
          route: `${method} ${r.path}`,
          status: 401,
        });
        // An event stream (GET /api/v1/stream) never ends: hang up instead of reading it to the end.
        await (authed.headers.get('content-type')?.startsWith('text/event-stream')
          ? authed.body?.cancel()
          : authed.arrayBuffer());
      }
    }
  });

  it('exempts only the health check', () => {
    expect(PUBLIC_API_ROUTES).toEqual([{ methods: ['GET', 'HEAD'], path: HEALTH }]);
  });

  it('lets the health check through without a token', async () => {
    const res = await srv.call('/api/v1/monitoring/health', { token: null });
    expect(res.status).toBe(200);
    // Status only: the full report is for callers with the token (health.integration.test.ts).
    expect((await res.json()) as Partial<HealthReport>).toEqual({ status: 'healthy' });
  });

  it('cannot be bypassed by case, trailing slashes or unknown paths', async () => {
    for (const path of [
      '/API/v1/datasources',
      '/api/v1/datasources/',
      '/api/v1/nothing-here',
      '/api/v1/monitoring/health/../../datasources',
    ]) {
      const res = await srv.call(path, { token: null });
      expect({ path, status: res.status }).toEqual({ path, status: 401 });
    }
    // POST to the health path is not the public route.
    expect((await srv.call('/api/v1/monitoring/health', { method: 'POST', token: null })).status).toBe(401);
  });

  it('rejects malformed Authorization headers', async () => {
    for (const authorization of [
      `Basic ${TEST_TOKEN}`,
      'Bearer',
      `Bearer ${TEST_TOKEN} extra`,
      TEST_TOKEN,
      `Bearer ${TEST_TOKEN.slice(0, -1)}`,
    ]) {
      const res = await srv.call('/api/v1/datasources', { token: null, headers: { authorization } });
      expect({ authorization, status: res.status }).toEqual({ authorization, status: 401 });
    }
    const lower = await srv.call('/api/v1/datasources', {
      token: null,
      headers: { authorization: `bearer ${TEST_TOKEN}` },
    });
    expect(lower.status).toBe(200);
  });
});

describe('tokensEqual', () => {
  it('compares whatever the lengths', () => {
    expect(tokensEqual(TEST_TOKEN, TEST_TOKEN)).toBe(true);
    expect(tokensEqual(TEST_TOKEN, `${TEST_TOKEN}x`)).toBe(false);
    expect(tokensEqual('', TEST_TOKEN)).toBe(false);
  });
});
