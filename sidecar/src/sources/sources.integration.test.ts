// Prometheus and InfluxDB sources against the real servers (Debian packages) started by the harness.
import {
  remoteWrite,
  startInflux,
  startPrometheus,
  toOpenMetrics,
  writeInfluxLines,
  type ServerHandle,
} from '../../../test/harness';
import { loadConfig } from '../config/load';
import { isVigilError, type VigilError } from '../errors';
import { closedPort, startStalledServer, TEST_TOKEN } from '../testing/fixtures';
import { createSource, type Source } from './index';

jest.setTimeout(90_000);

const HOUR = 3600_000;
const STEP_S = 15;

function source(ds: Record<string, unknown>): Source {
  return createSource(loadConfig({ values: { datasources: [ds] }, env: { VIGIL_TOKEN: TEST_TOKEN } }).datasources[0]);
}

async function rejection(p: Promise<unknown>): Promise<VigilError> {
  try {
    await p;
  } catch (err) {
    if (isVigilError(err)) {
      return err;
    }
    throw err;
  }
  throw new Error('expected a rejection');
}

// Pushed data: two series over the last 10 minutes, one sample per 15 s, on the 15 s grid.
const now = Math.floor(Date.now() / 15_000) * 15_000;
const recentTimes = Array.from({ length: 40 }, (_, i) => now - (39 - i) * STEP_S * 1000);
const pushed = ['api', 'db'].map((service, k) => ({
  labels: { __name__: 'vigil_it_latency_seconds', service },
  samples: recentTimes.map((timestamp, i) => ({ timestamp, value: (k + 1) * 0.1 + i / 1000 })),
}));
// Backfilled history: hourly samples over two days, ending well before the head block.
const histEnd = Math.floor(Date.now() / HOUR) * HOUR - 6 * HOUR;
const histTimes = Array.from({ length: 48 }, (_, i) => histEnd - (47 - i) * HOUR);
const history = [
  {
    labels: { __name__: 'vigil_it_orders', region: 'eu' },
    samples: histTimes.map((timestamp, i) => ({ timestamp, value: 100 + (i % 24) })),
  },
];

describe('PrometheusSource against Prometheus 2.x', () => {
  let prom: ServerHandle;
  let src: Source;
  beforeAll(async () => {
    prom = await startPrometheus({ remoteWrite: true, backfill: toOpenMetrics(history) });
    await remoteWrite(prom.url, pushed);
    src = source({ name: 'prom', type: 'prometheus', url: prom.url });
  });
  afterAll(() => prom?.stop());

  it('pings', async () => {
    const p = await src.ping();
    expect(p.ok).toBe(true);
    expect(p.latencyMs).toBeGreaterThanOrEqual(0);
    expect(p.error).toBeUndefined();
  });

  it('returns the pushed samples from queryRange', async () => {
    const series = await src.queryRange('vigil_it_latency_seconds', recentTimes[0], now, STEP_S);
    const byService = Object.fromEntries(series.map((s) => [s.labels.service, s]));
    expect(Object.keys(byService).sort()).toEqual(['api', 'db']);
    expect(byService.api.labels).toEqual({ __name__: 'vigil_it_latency_seconds', service: 'api' });
    for (const p of pushed) {
      expect(byService[p.labels.service].points).toEqual(p.samples.map((s) => [s.timestamp, s.value]));
    }
  });

  it('returns days of backfilled history', async () => {
    const [s] = await src.queryRange('vigil_it_orders', histTimes[0], histEnd, 3600);
    expect(s.labels).toEqual({ __name__: 'vigil_it_orders', region: 'eu' });
    expect(s.points).toEqual(history[0].samples.map((x) => [x.timestamp, x.value]));
  });

  it("reports a bad query as a non-retryable 400 with Prometheus' message", async () => {
    const err = await rejection(src.queryRange('rate(vigil_it_orders[', histTimes[0], histEnd, 3600));
    expect(err.code).toBe('bad_query');
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/^query Prometheus "prom": HTTP 400: .*parse error/);
  });

  it('evaluates expressions at every step, and rejects bad arguments before sending', async () => {
    const [one] = await src.queryRange('vector(1)', now - 60_000, now, 15);
    expect(one).toEqual({ labels: {}, points: [0, 1, 2, 3, 4].map((i) => [now - 60_000 + i * 15_000, 1]) });
    expect((await rejection(src.queryRange('up', now, now - 1, 15))).message).toBe(
      'query Prometheus "prom": end is before start'
    );
    expect((await rejection(src.queryRange('up', now - 1, now, 0))).code).toBe('invalid_request');
  });
});

describe('InfluxSource against InfluxDB 1.x', () => {
  let influx: ServerHandle;
  let src: Source;
  beforeAll(async () => {
    influx = await startInflux({ databases: ['vigil'] });
    const lines = recentTimes.flatMap((t, i) => [
      `cpu,host=a usage=${10 + i},idle=${90 - i} ${t}`,
      `cpu,host=b usage=${20 + i},idle=${80 - i} ${t}`,
    ]);
    await writeInfluxLines(influx.url, 'vigil', lines, 'ms');
    src = source({ name: 'influx', type: 'influxdb', url: influx.url, database: 'vigil' });
  });
  afterAll(() => influx?.stop());

  it('pings (/ping → 204)', async () => {
    expect(await src.ping()).toMatchObject({ ok: true });
  });

  it('returns the written points, grouped by tag, through $timeFilter and $__interval', async () => {
    const series = await src.queryRange(
      'SELECT mean("usage") FROM "cpu" WHERE $timeFilter GROUP BY time($__interval), "host" fill(none)',
      recentTimes[0],
      now,
      STEP_S
    );
    expect(series.map((s) => s.labels)).toEqual([
      { __name__: 'cpu', host: 'a' },
      { __name__: 'cpu', host: 'b' },
    ]);
    expect(series[0].points).toEqual(recentTimes.map((t, i) => [t, 10 + i]));
    expect(series[1].points).toEqual(recentTimes.map((t, i) => [t, 20 + i]));
  });

  it('names the field when a query selects several', async () => {
    const series = await src.queryRange(
      `SELECT "usage", "idle" FROM "cpu" WHERE "host" = 'a' AND $timeFilter`,
      recentTimes[0],
      recentTimes[2],
      STEP_S
    );
    expect(series.map((s) => s.labels)).toEqual([
      { __name__: 'cpu', __field__: 'usage' },
      { __name__: 'cpu', __field__: 'idle' },
    ]);
    expect(series[1].points).toEqual([0, 1, 2].map((i) => [recentTimes[i], 90 - i]));
  });

  it('reports a bad InfluxQL statement as a non-retryable error', async () => {
    const err = await rejection(src.queryRange('SELECT nonsense FROM', recentTimes[0], now, STEP_S));
    expect(err.code).toBe('bad_query');
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/^query InfluxDB "influx": .*error parsing query/);
  });

  it('reports an unknown database', async () => {
    const other = source({ name: 'nodb', type: 'influxdb', url: influx.url, database: 'missing' });
    const err = await rejection(other.queryRange('SELECT * FROM cpu WHERE $timeFilter', recentTimes[0], now, STEP_S));
    expect(err.message).toMatch(/^query InfluxDB "nodb": .*database not found/);
  });
});

describe('unreachable and hung datasources', () => {
  it('times out with a retryable error naming the operation', async () => {
    const stalled = await startStalledServer();
    try {
      const src = source({ name: 'slow', type: 'prometheus', url: stalled.url, timeoutSeconds: 0.3 });
      const err = await rejection(src.queryRange('up', now - 60_000, now, 15));
      expect(err.message).toBe('query Prometheus "slow": timeout after 300ms');
      expect(err).toMatchObject({ code: 'datasource_timeout', retryable: true, status: 504 });
      const ping = await src.ping({ timeoutMs: 200 });
      expect(ping).toMatchObject({ ok: false, error: 'ping Prometheus "slow": timeout after 200ms' });
      expect(ping.latencyMs).toBeGreaterThanOrEqual(150);
    } finally {
      await stalled.close();
    }
  });

  it('reports a refused connection as retryable', async () => {
    const port = await closedPort();
    const src = source({ name: 'gone', type: 'influxdb', url: `http://127.0.0.1:${port}`, database: 'x' });
    const err = await rejection(src.queryRange('SELECT 1', now - 60_000, now, 15));
    expect(err).toMatchObject({ code: 'datasource_unreachable', retryable: true });
    expect(err.message).toBe(`query InfluxDB "gone": connect ECONNREFUSED 127.0.0.1:${port}`);
    expect((await src.ping()).ok).toBe(false);
  });
});
