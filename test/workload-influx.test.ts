// The workload's optional InfluxDB output, written to a real InfluxDB 1.x and read back with InfluxQL.
import { quantile } from '../demo/workload/influx';
import { startWorkload } from '../demo/workload';
import { influxQuery, startInflux, waitFor } from './harness';

jest.setTimeout(60000);

describe('workload → InfluxDB', () => {
  it('writes per-service and business points; a service_down shows as up=0 and errors', async () => {
    const influx = await startInflux({ databases: ['vigil'] });
    const errors: string[] = [];
    const workload = await startWorkload({
      tickMs: 100,
      influx: { url: influx.url, database: 'vigil', intervalSeconds: 0.5, onError: (m) => errors.push(m) },
    });
    try {
      const services = await waitFor('points for all five services', async () => {
        const s = await influxQuery(
          influx.url,
          'SELECT last("up") FROM "vigil_demo_service" GROUP BY "service"',
          'vigil'
        );
        return s.length === 5 ? s : undefined;
      });
      expect(services.map((s) => s.tags?.service).sort()).toEqual(['api', 'database', 'gateway', 'orders', 'payments']);
      const fields = await influxQuery(influx.url, 'SHOW FIELD KEYS FROM "vigil_demo_service"', 'vigil');
      expect(fields[0].values.map((v) => v[0])).toEqual(
        expect.arrayContaining([
          'requests',
          'errors',
          'error_ratio',
          'latency_p95_seconds',
          'cpu_percent',
          'memory_bytes',
          'up',
        ])
      );
      await waitFor('orders in the business measurement', async () => {
        const b = await influxQuery(influx.url, 'SELECT sum("orders") FROM "vigil_demo_business"', 'vigil');
        return b.length && Number(b[0].values[0][1]) > 0;
      });

      const since = Date.now();
      workload.inject({ type: 'service_down', service: 'database', durationSeconds: 30 });
      // The first flush after the injection mixes steps from before it; a later one is all "down".
      const down = await waitFor('database down in InfluxDB', async () => {
        const q = `SELECT "up", "error_ratio" FROM "vigil_demo_service" WHERE "service" = 'database' AND time > ${since}ms ORDER BY time DESC LIMIT 1`;
        const r = await influxQuery(influx.url, q, 'vigil');
        return r.length && r[0].values[0][1] === 0 && r[0].values[0][2] === 1 ? r[0].values[0] : undefined;
      });
      expect(down.slice(1)).toEqual([0, 1]); // up=0, every database request fails
      const q = `SELECT max("error_ratio") FROM "vigil_demo_service" WHERE "service" = 'gateway' AND time > ${since}ms`;
      const gateway = await influxQuery(influx.url, q, 'vigil');
      expect(Number(gateway[0].values[0][1])).toBeGreaterThan(0.3);
      expect(errors).toEqual([]);
    } finally {
      await workload.close();
      await influx.stop();
    }
  });

  it('reports a failing write once instead of throwing', async () => {
    const errors: string[] = [];
    const workload = await startWorkload({
      tickMs: 50,
      // Nothing listens on port 9 of loopback (discard), so every write fails.
      influx: { url: 'http://127.0.0.1:9', database: 'vigil', intervalSeconds: 0.2, onError: (m) => errors.push(m) },
    });
    await waitFor('a reported write error', async () => errors.length > 0);
    await new Promise((r) => setTimeout(r, 600));
    await workload.close();
    expect(errors.length).toBe(1);
    expect(errors[0]).toMatch(/^write to InfluxDB http:\/\/127\.0\.0\.1:9 db vigil: /);
  });

  it('computes nearest-rank quantiles', () => {
    expect(quantile([5, 1, 4, 2, 3], 0.95)).toBe(5);
    expect(quantile([5, 1, 4, 2, 3], 0.5)).toBe(3);
    expect(quantile([], 0.5)).toBeNaN();
  });
});
