// GET /api/v1/monitoring/health with real Prometheus and InfluxDB behind the sidecar.
import { startInflux, startPrometheus, type ServerHandle } from '../../../test/harness';
import { startStalledServer, startTestServer, type TestServer } from '../testing/fixtures';
import type { HealthReport } from './health';

jest.setTimeout(90_000);

let prom: ServerHandle;
let influx: ServerHandle;
let srv: TestServer;

beforeAll(async () => {
  [prom, influx] = await Promise.all([startPrometheus(), startInflux({ databases: ['vigil'] })]);
  srv = await startTestServer({
    server: { port: 0, healthTimeoutMs: 500 },
    datasources: [
      { name: 'prometheus', type: 'prometheus', url: prom.url },
      { name: 'influxdb', type: 'influxdb', url: influx.url, database: 'vigil' },
    ],
  });
});
afterAll(async () => {
  await srv?.stop();
  await Promise.all([prom?.stop(), influx?.stop()]);
});

// The full report needs the token; without it the body is the status alone (tested below).
async function health(s: TestServer): Promise<{ status: number; body: HealthReport }> {
  const res = await s.call('/api/v1/monitoring/health');
  return { status: res.status, body: (await res.json()) as HealthReport };
}

describe('GET /api/v1/monitoring/health', () => {
  it('is 200 healthy with Prometheus and InfluxDB reachable', async () => {
    const { status, body } = await health(srv);
    expect(status).toBe(200);
    expect(body.status).toBe('healthy');
    expect(Date.parse(body.timestamp)).toBeGreaterThan(Date.now() - 60_000);
    expect(body.datasources).toEqual([
      { name: 'prometheus', type: 'prometheus', url: prom.url, reachable: true, latencyMs: expect.any(Number) },
      { name: 'influxdb', type: 'influxdb', url: influx.url, reachable: true, latencyMs: expect.any(Number) },
    ]);
    expect(body.store).toEqual({ type: 'sqlite', ok: true, schemaVersion: expect.any(Number) });
    expect(body.store.schemaVersion).toBeGreaterThanOrEqual(1);
  });

  it('tells an anonymous caller the status only: no URLs, datasource names or error texts', async () => {
    for (const token of [null, 'wrong-token-0123456789abcdef']) {
      const res = await srv.call('/api/v1/monitoring/health', { token });
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(JSON.parse(text)).toEqual({ status: 'healthy' });
      expect(text).not.toContain(prom.url);
    }
  });

  it('is 200 degraded, naming the datasource and the error, when InfluxDB goes down', async () => {
    await influx.stop();
    const { status, body } = await health(srv);
    expect(status).toBe(200);
    expect(body.status).toBe('degraded');
    const [p, i] = body.datasources;
    expect(p).toMatchObject({ name: 'prometheus', reachable: true });
    expect(i).toMatchObject({ name: 'influxdb', reachable: false });
    expect(i.error).toMatch(/^ping InfluxDB "influxdb": connect ECONNREFUSED/);
    const anon = await srv.call('/api/v1/monitoring/health', { token: null });
    expect(await anon.json()).toEqual({ status: 'degraded' });
  });

  it('checks datasources concurrently, each bounded by the health timeout', async () => {
    const stalled = await Promise.all([startStalledServer(), startStalledServer(), startStalledServer()]);
    const slow = await startTestServer({
      server: { port: 0, healthTimeoutMs: 600 },
      datasources: stalled.map((s, n) => ({ name: `hung${n}`, type: 'prometheus', url: s.url })),
    });
    try {
      const t0 = Date.now();
      const { status, body } = await health(slow);
      const elapsed = Date.now() - t0;
      expect(status).toBe(200);
      expect(body.status).toBe('degraded');
      expect(body.datasources.map((d) => d.error)).toEqual(
        [0, 1, 2].map((n) => `ping Prometheus "hung${n}": timeout after 600ms`)
      );
      // Three 600 ms timeouts one after the other would take 1.8 s.
      expect(elapsed).toBeGreaterThanOrEqual(550);
      expect(elapsed).toBeLessThan(1500);
    } finally {
      await slow.stop();
      await Promise.all(stalled.map((s) => s.close()));
    }
  });

  it('is 503 unhealthy when the store is not ok', async () => {
    const broken = await startTestServer({ datasources: [{ name: 'prometheus', type: 'prometheus', url: prom.url }] });
    try {
      await broken.store.close();
      const { status, body } = await health(broken);
      expect(status).toBe(503);
      expect(body.status).toBe('unhealthy');
      expect(body.store).toMatchObject({ type: 'sqlite', ok: false });
      expect(body.datasources[0].reachable).toBe(true);
      const anon = await broken.call('/api/v1/monitoring/health', { token: null });
      expect({ status: anon.status, body: await anon.json() }).toEqual({ status: 503, body: { status: 'unhealthy' } });
    } finally {
      await broken.stop();
    }
  });
});
