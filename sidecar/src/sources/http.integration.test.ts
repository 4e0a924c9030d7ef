// httpCall against a real Prometheus: datasource answers arrive uncompressed (see requestHeaders in
// http.ts), while the same server compresses when a client asks for gzip, so the check can fail.
import { startPrometheus, type ServerHandle } from '../../../test/harness';
import { httpCall, prepareEndpoint } from './http';

jest.setTimeout(90_000);

describe('httpCall against Prometheus', () => {
  let prom: ServerHandle;
  beforeAll(async () => {
    prom = await startPrometheus();
  });
  afterAll(() => prom?.stop());

  const queryUrl = () => new URL('api/v1/query', prepareEndpoint(prom.url, { kind: 'none' }, 'Bearer').base);
  const form = () => new URLSearchParams({ query: 'vector(1)', time: '1700000000' });

  it('is answered with gzip when a client allows it (what httpCall must avoid)', async () => {
    const res = await fetch(queryUrl(), { method: 'POST', body: form() });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBe('gzip');
    await res.text();
  });

  it('asks for and gets an uncompressed answer on query calls', async () => {
    const { headers } = prepareEndpoint(prom.url, { kind: 'none' }, 'Bearer');
    const res = await httpCall({
      what: 'query Prometheus "prom"',
      url: queryUrl(),
      method: 'POST',
      body: form(),
      headers,
      timeoutMs: 10_000,
    });
    expect(res.status).toBe(200);
    expect(res.contentEncoding).toBeUndefined();
    expect(JSON.parse(res.text)).toMatchObject({ status: 'success', data: { resultType: 'vector' } });
  });

  it('keeps the answer uncompressed even when a caller passes its own Accept-Encoding', async () => {
    const res = await httpCall({
      what: 'ping Prometheus "prom"',
      url: new URL('api/v1/status/buildinfo', prepareEndpoint(prom.url, { kind: 'none' }, 'Bearer').base),
      headers: { 'Accept-Encoding': 'gzip' },
      timeoutMs: 10_000,
    });
    expect(res.status).toBe(200);
    expect(res.contentEncoding).toBeUndefined();
  });
});
