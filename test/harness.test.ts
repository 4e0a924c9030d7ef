// The harness itself, against the real binaries: each server starts, takes data, answers queries, and
// stop() removes its data dir.
import { existsSync } from 'node:fs';
import {
  findBinary,
  influxQuery,
  listAlerts,
  pushAlerts,
  queryPrometheus,
  queryPrometheusRange,
  remoteWrite,
  snappyEncodeLiteral,
  startAlertmanager,
  startInflux,
  startPrometheus,
  toOpenMetrics,
  waitFor,
  writeInfluxLines,
  ServerHandle,
} from './harness';

jest.setTimeout(60000);

const started: ServerHandle[] = [];
afterAll(async () => {
  await Promise.all(started.map((s) => s.stop()));
});

describe('Prometheus', () => {
  it('accepts remote write and answers queries; stop() removes the data dir', async () => {
    const prom = await startPrometheus({ remoteWrite: true });
    started.push(prom);
    expect(prom.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(existsSync(prom.dataDir)).toBe(true);

    const now = Date.now();
    await remoteWrite(prom.url, [
      {
        labels: { __name__: 'harness_pushed', job: 'test', instance: 'a' },
        samples: [
          { timestamp: now - 2000, value: 1.5 },
          { timestamp: now - 1000, value: 2.5 },
        ],
      },
    ]);
    const result = await queryPrometheus(prom.url, 'harness_pushed', now / 1000);
    expect(result).toHaveLength(1);
    expect(result[0].metric).toEqual({ __name__: 'harness_pushed', job: 'test', instance: 'a' });
    expect(Number(result[0].value[1])).toBe(2.5);

    await prom.stop();
    expect(existsSync(prom.dataDir)).toBe(false);
    await prom.stop(); // idempotent
  });

  it('backfills days of history from OpenMetrics', async () => {
    const hour = 3600_000;
    const end = Math.floor(Date.now() / hour) * hour - 4 * hour; // clear of the head block
    const start = end - 3 * 24 * hour;
    const samples = [];
    for (let t = start; t <= end; t += hour) {
      samples.push({ timestamp: t, value: (t - start) / hour });
    }
    const prom = await startPrometheus({
      backfill: toOpenMetrics([{ labels: { __name__: 'harness_history', service: 'api' }, samples }]),
    });
    started.push(prom);
    const series = await queryPrometheusRange(prom.url, 'harness_history', start / 1000, end / 1000, 3600);
    expect(series).toHaveLength(1);
    expect(series[0].metric.service).toBe('api');
    expect(series[0].values).toHaveLength(samples.length);
    expect(Number(series[0].values[series[0].values.length - 1][1])).toBe(72);
    await prom.stop();
  });

  it('scrapes a target on its own', async () => {
    const { createServer } = await import('node:http');
    const target = createServer((_req, res) => res.end('# TYPE harness_scraped gauge\nharness_scraped 42\n'));
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    const port = (target.address() as { port: number }).port;
    try {
      const prom = await startPrometheus({ scrapeTargets: [`127.0.0.1:${port}`], scrapeInterval: '1s' });
      started.push(prom);
      const v = await waitFor('harness_scraped in Prometheus', async () => {
        const r = await queryPrometheus(prom.url, 'harness_scraped');
        return r.length ? r[0] : undefined;
      });
      expect(v.metric.job).toBe('vigil');
      expect(v.value[1]).toBe('42');
      await prom.stop();
    } finally {
      target.close();
    }
  });

  it('shows the server log when Prometheus exits during start-up', async () => {
    await expect(
      startPrometheus({ rules: 'groups: [{name: g, rules: [{record: "not a valid name", expr: "up"}]}]' })
    ).rejects.toThrow(/prometheus exited before it was ready \(code 1[\s\S]*not a valid name/);
  });

  it('refuses a port that is already taken', async () => {
    // Taking the port of a running Prometheus makes the second one fail to bind.
    const first = await startPrometheus();
    started.push(first);
    await expect(startPrometheus({ port: first.port, readyTimeoutMs: 10000 })).rejects.toThrow(
      /prometheus cannot start: 127\.0\.0\.1:\d+ address already in use/
    );
    await first.stop();
  });
});

describe('InfluxDB', () => {
  it('writes line protocol and queries it back; stop() removes the data dir', async () => {
    const influx = await startInflux({ databases: ['vigil'] });
    started.push(influx);
    const t = Date.now();
    await writeInfluxLines(
      influx.url,
      'vigil',
      [`cpu,host=a value=0.5 ${t - 1000}`, `cpu,host=a value=0.75 ${t}`, `cpu,host=b value=0.25 ${t}`],
      'ms'
    );
    const series = await influxQuery(influx.url, 'SELECT mean("value") FROM "cpu" GROUP BY "host"', 'vigil');
    const byHost = Object.fromEntries(series.map((s) => [s.tags?.host, s.values[0][1]]));
    expect(byHost).toEqual({ a: 0.625, b: 0.25 });

    await expect(writeInfluxLines(influx.url, 'missing_db', ['cpu value=1'])).rejects.toThrow(/missing_db.*HTTP 404/);

    await influx.stop();
    expect(existsSync(influx.dataDir)).toBe(false);
  });
});

describe('Alertmanager', () => {
  it('accepts alerts and lists them; stop() removes the data dir', async () => {
    const am = await startAlertmanager();
    started.push(am);
    await pushAlerts(am.url, [{ labels: { alertname: 'HarnessTest', severity: 'warning' } }]);
    const alerts = await waitFor('the alert in Alertmanager', async () => {
      const list = await listAlerts(am.url);
      return list.length ? list : undefined;
    });
    expect(alerts[0].labels).toEqual({ alertname: 'HarnessTest', severity: 'warning' });
    expect(alerts[0].status.state).toBe('active');
    await am.stop();
    expect(existsSync(am.dataDir)).toBe(false);
  });

  it('delivers notifications to a webhook', async () => {
    const { createServer } = await import('node:http');
    const received: Array<{ status: string; alerts: Array<{ labels: Record<string, string> }> }> = [];
    const hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push(JSON.parse(body));
        res.end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    try {
      const port = (hook.address() as { port: number }).port;
      const am = await startAlertmanager({ webhookUrl: `http://127.0.0.1:${port}/hook` });
      started.push(am);
      await pushAlerts(am.url, [{ labels: { alertname: 'HookTest', service: 'api' } }]);
      const msg = await waitFor('a webhook notification', async () => received[0]);
      expect(msg.status).toBe('firing');
      expect(msg.alerts[0].labels).toMatchObject({ alertname: 'HookTest', service: 'api' });
      await am.stop();
    } finally {
      hook.close();
    }
  });
});

describe('missing binaries and encodings', () => {
  it('names the Debian package when a binary is missing', () => {
    process.env.VIGIL_TEST_MISSING_BIN = '/nonexistent/prometheus';
    try {
      expect(() => findBinary('prometheus', 'prometheus', 'VIGIL_TEST_MISSING_BIN')).toThrow(
        'prometheus not found (VIGIL_TEST_MISSING_BIN=/nonexistent/prometheus): apt-get install prometheus'
      );
      expect(() => findBinary('no-such-binary-vigil', 'no-such-package')).toThrow(
        'no-such-binary-vigil not found: apt-get install no-such-package'
      );
    } finally {
      delete process.env.VIGIL_TEST_MISSING_BIN;
    }
  });

  it('encodes snappy literals with the right length prefixes', () => {
    expect(Array.from(snappyEncodeLiteral(Uint8Array.from([7, 8, 9])))).toEqual([3, 2 << 2, 7, 8, 9]);
    const big = snappyEncodeLiteral(new Uint8Array(300));
    expect(Array.from(big.subarray(0, 5))).toEqual([0xac, 0x02, 61 << 2, 299 & 0xff, 299 >> 8]);
    expect(big.length).toBe(305);
  });

  it('rejects series without a metric name in OpenMetrics', () => {
    expect(() => toOpenMetrics([{ labels: { job: 'x' }, samples: [] }])).toThrow(/valid __name__/);
  });
});
