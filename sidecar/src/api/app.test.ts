import { startTestServer, TEST_TOKEN, type TestServer } from '../testing/fixtures';
import type { StoredEvent } from '../store';
import { MASK } from './datasources';
import type { ErrorBody } from './errors';

const DS_PASSWORD = 'ds-password-4f1c9a77';
const DS_TOKEN = 'ds-token-8b2e6d10aa';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer({
    server: { port: 0, bodyLimit: '1kb' },
    datasources: [
      {
        name: 'prom',
        type: 'prometheus',
        url: 'http://127.0.0.1:1',
        basicAuth: { username: 'vigil', password: DS_PASSWORD },
      },
      { name: 'influx', type: 'influxdb', url: 'http://127.0.0.1:1', database: 'vigil', token: DS_TOKEN },
      { name: 'inline', type: 'prometheus', url: `http://me:${DS_PASSWORD}@127.0.0.1:1` },
    ],
  });
});
afterAll(() => srv.stop());

describe('error bodies', () => {
  it('413 as JSON for a body over the limit', async () => {
    const res = await srv.call('/api/v1/events', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pad: 'x'.repeat(2048) }),
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ error: { code: 'payload_too_large', message: 'request body too large' } });
  });

  it('400 as JSON for malformed JSON', async () => {
    const res = await srv.call('/api/v1/events', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: 'invalid_json', message: 'request body is not valid JSON' } });
  });

  it('404 as JSON for unknown routes, inside and outside /api', async () => {
    for (const path of ['/api/v1/nope', '/nope']) {
      const res = await srv.call(path);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(((await res.json()) as ErrorBody).error.code).toBe('not_found');
    }
  });

  it('400 naming the bad query parameter', async () => {
    const res = await srv.call('/api/v1/events?from=yesterday');
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.message).toMatch(/^from: expected epoch milliseconds or an ISO 8601 time/);
  });
});

describe('GET /api/v1/datasources', () => {
  it('lists datasources with every credential masked', async () => {
    const res = await srv.call('/api/v1/datasources');
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain(DS_PASSWORD);
    expect(text).not.toContain(DS_TOKEN);
    expect(JSON.parse(text).datasources).toEqual([
      {
        name: 'prom',
        type: 'prometheus',
        url: 'http://127.0.0.1:1',
        timeoutSeconds: 30,
        basicAuth: { username: 'vigil', password: MASK },
      },
      {
        name: 'influx',
        type: 'influxdb',
        url: 'http://127.0.0.1:1',
        timeoutSeconds: 30,
        database: 'vigil',
        token: MASK,
      },
      { name: 'inline', type: 'prometheus', url: `http://me:${MASK}@127.0.0.1:1`, timeoutSeconds: 30 },
    ]);
  });
});

describe('GET /api/v1/events', () => {
  it('returns stored events in the window', async () => {
    await srv.store.insertEvent({
      kind: 'anomaly',
      seriesKey: 's',
      startedAt: 1_000,
      endedAt: 2_000,
      severity: 'warning',
      message: 'spike',
    });
    const res = await srv.call('/api/v1/events?from=0&to=1970-01-01T00:00:05Z');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { from: number; to: number; events: StoredEvent[] };
    expect(body).toMatchObject({ from: 0, to: 5_000 });
    expect(body.events.map((e) => e.message)).toEqual(['spike']);
  });
});

describe('health', () => {
  it('answers an anonymous caller with the status alone', async () => {
    const res = await srv.call('/api/v1/monitoring/health', { token: null });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ status: 'degraded' });
    expect(text).not.toMatch(/127\.0\.0\.1|prom|influx|inline/);
  });

  it('reports unreachable datasources as degraded, with no credentials in the report', async () => {
    const res = await srv.call('/api/v1/monitoring/health');
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain(DS_PASSWORD);
    const body = JSON.parse(text);
    expect(body.status).toBe('degraded');
    expect(body.datasources.map((d: { name: string; reachable: boolean }) => [d.name, d.reachable])).toEqual([
      ['prom', false],
      ['influx', false],
      ['inline', false],
    ]);
    expect(body.datasources[2].url).toBe('http://127.0.0.1:1');
  });
});

describe('/metrics', () => {
  it('serves request metrics by route template and process metrics, without auth', async () => {
    await (await srv.call('/api/v1/datasources')).text();
    await (await srv.call('/api/v1/datasources', { token: null })).text();
    const res = await srv.call('/metrics', { token: null });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/^http_requests_total\{route="\/api\/v1\/datasources",method="GET",code="200"\} [1-9]/m);
    expect(text).toMatch(/^http_requests_total\{route="\(unmatched\)",method="GET",code="401"\} [1-9]/m);
    expect(text).toMatch(
      /^http_request_duration_seconds_bucket\{le="0.005",route="\/api\/v1\/datasources",method="GET",code="200"\}/m
    );
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
  });

  it('keeps one registry per server, so two servers run side by side', async () => {
    const other = await startTestServer();
    try {
      const text = await (await other.call('/metrics', { token: null })).text();
      expect(text).toMatch(/^process_cpu_user_seconds_total /m);
      expect(text).not.toContain('/api/v1/datasources');
    } finally {
      await other.stop();
    }
  });
});

describe('logs', () => {
  it('are JSON request records with the Authorization header and every secret redacted', async () => {
    await (await srv.call('/api/v1/datasources')).text();
    const text = srv.log.text();
    expect(text).not.toContain(TEST_TOKEN);
    expect(text).not.toContain(DS_PASSWORD);
    expect(text).not.toContain(DS_TOKEN);
    const req = srv.log.records().find((r) => r.msg === 'request' && r.route === '/api/v1/datasources');
    expect(req).toMatchObject({
      req: { method: 'GET', headers: { authorization: '[redacted]' } },
      res: { statusCode: 200 },
    });
  });
});
