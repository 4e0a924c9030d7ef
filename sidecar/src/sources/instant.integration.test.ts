// Instant queries (what the rule engine evaluates) and the read-only guard, against the real servers.
import {
  influxQuery,
  remoteWrite,
  startInflux,
  startPrometheus,
  writeInfluxLines,
  type ServerHandle,
} from '../../../test/harness';
import { loadConfig } from '../config/load';
import { isVigilError, type VigilError } from '../errors';
import { TEST_TOKEN } from '../testing/fixtures';
import { createSource, type Source } from './index';

jest.setTimeout(90_000);

const STEP = 15_000;
const now = Math.floor(Date.now() / STEP) * STEP;
const times = Array.from({ length: 40 }, (_, i) => now - (39 - i) * STEP);

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

describe('PrometheusSource.queryInstant', () => {
  let prom: ServerHandle;
  let src: Source;
  beforeAll(async () => {
    prom = await startPrometheus({ remoteWrite: true });
    await remoteWrite(
      prom.url,
      ['api', 'db'].map((service, k) => ({
        labels: { __name__: 'vigil_instant_it', service },
        samples: times.map((timestamp, i) => ({ timestamp, value: 100 * (k + 1) + i })),
      }))
    );
    src = source({ name: 'prom', type: 'prometheus', url: prom.url });
  });
  afterAll(() => prom?.stop());

  it('returns one point per series, stamped with the asked time', async () => {
    const series = await src.queryInstant('vigil_instant_it', times[10]);
    const sorted = [...series].sort((a, b) => a.labels.service.localeCompare(b.labels.service));
    expect(sorted).toEqual([
      { labels: { __name__: 'vigil_instant_it', service: 'api' }, points: [[times[10], 110]] },
      { labels: { __name__: 'vigil_instant_it', service: 'db' }, points: [[times[10], 210]] },
    ]);
    // Between two samples Prometheus answers with the latest one before the time.
    const between = await src.queryInstant('vigil_instant_it{service="api"}', times[10] + 7_000);
    expect(between).toEqual([
      { labels: { __name__: 'vigil_instant_it', service: 'api' }, points: [[times[10] + 7_000, 110]] },
    ]);
  });

  it('gives a scalar as one series without labels', async () => {
    expect(await src.queryInstant('scalar(vigil_instant_it{service="db"}) * 2', times[5])).toEqual([
      { labels: {}, points: [[times[5], 410]] },
    ]);
  });

  it('agrees with a range query at the same timestamps (what backtests rely on)', async () => {
    const q = 'sum by (service) (rate(vigil_instant_it[1m])) * 60 + on(service) vigil_instant_it';
    const range = await src.queryRange(q, times[8], times[20], STEP / 1000);
    for (const t of [times[8], times[13], times[20]]) {
      const instant = await src.queryInstant(q, t);
      for (const s of instant) {
        const r = range.find((x) => x.labels.service === s.labels.service);
        expect(r?.points.find(([pt]) => pt === t)).toEqual(s.points[0]);
      }
      expect(instant).toHaveLength(2);
    }
  });

  it('refuses a range vector and reports bad PromQL as a 400', async () => {
    const matrix = await rejection(src.queryInstant('vigil_instant_it[1m]', now));
    expect(matrix).toMatchObject({ code: 'bad_query', status: 400, retryable: false });
    expect(matrix.message).toBe('query Prometheus "prom": expected an instant vector or a scalar, got matrix');
    const bad = await rejection(src.queryInstant('sum(', now));
    expect(bad.message).toMatch(/^query Prometheus "prom": HTTP 400: .*parse error/);
    expect((await rejection(src.queryInstant(' ', now))).code).toBe('invalid_request');
  });
});

describe('InfluxSource.queryInstant and the read-only guard', () => {
  let influx: ServerHandle;
  let src: Source;
  beforeAll(async () => {
    influx = await startInflux({ databases: ['vigil'] });
    const lines = times.flatMap((t, i) => [`cpu,host=a usage=${10 + i} ${t}`, `cpu,host=b usage=${20 + i} ${t}`]);
    // host c stops reporting after times[5]: no value in a 5 minute window later on.
    lines.push(`cpu,host=c usage=1 ${times[5]}`);
    await writeInfluxLines(influx.url, 'vigil', lines, 'ms');
    src = source({ name: 'influx', type: 'influxdb', url: influx.url, database: 'vigil' });
  });
  afterAll(() => influx?.stop());

  it('returns the last value per series in (time − lookback, time], stamped with the time', async () => {
    const q = 'SELECT "usage" FROM "cpu" WHERE $timeFilter GROUP BY "host"';
    expect(await src.queryInstant(q, times[30] + 3_000)).toEqual([
      { labels: { __name__: 'cpu', host: 'a' }, points: [[times[30] + 3_000, 40]] },
      { labels: { __name__: 'cpu', host: 'b' }, points: [[times[30] + 3_000, 50]] },
    ]);
    // The window is open at its start: (t10, t11] holds t11 only; (t10, t11 − 1ms] holds nothing.
    const a = `SELECT last("usage") FROM "cpu" WHERE "host" = 'a' AND $timeFilter`;
    expect(await src.queryInstant(a, times[11], { lookbackMs: STEP })).toEqual([
      { labels: { __name__: 'cpu' }, points: [[times[11], 21]] },
    ]);
    expect(await src.queryInstant(a, times[11] - 1, { lookbackMs: STEP - 1 })).toEqual([]);
    // host c's last point is 2 minutes before times[13], 5 minutes by default: still there; gone after.
    expect((await src.queryInstant(q, times[13])).map((s) => s.labels.host)).toEqual(['a', 'b', 'c']);
    expect((await src.queryInstant(q, times[30])).map((s) => s.labels.host)).toEqual(['a', 'b']);
  });

  it('refuses DROP MEASUREMENT with a 400 before sending it: the measurement still exists', async () => {
    for (const call of [
      () => src.queryInstant('DROP MEASUREMENT "cpu"', now),
      () => src.queryRange('DROP MEASUREMENT "cpu"', times[0], now, 15),
      () => src.queryRange('SELECT * FROM cpu WHERE $timeFilter; DROP MEASUREMENT cpu', times[0], now, 15),
    ]) {
      const err = await rejection(call());
      expect(err).toMatchObject({ code: 'query_not_read_only', status: 400, retryable: false });
      expect(err.message).toMatch(/^query InfluxDB "influx": InfluxQL: only SELECT and SHOW statements are allowed, /);
    }
    const measurements = await influxQuery(influx.url, 'SHOW MEASUREMENTS', 'vigil');
    expect(measurements.flatMap((s) => s.values.map((v) => v[0]))).toEqual(['cpu']);
    const [count] = await influxQuery(influx.url, 'SELECT count("usage") FROM "cpu"', 'vigil');
    expect(count.values[0][1]).toBe(81);
  });

  it('refuses SELECT … INTO: nothing is written', async () => {
    const err = await rejection(
      src.queryRange(
        'SELECT mean("usage") INTO "copy" FROM "cpu" WHERE $timeFilter GROUP BY time(1m)',
        times[0],
        now,
        60
      )
    );
    expect(err.code).toBe('query_not_read_only');
    const measurements = await influxQuery(influx.url, 'SHOW MEASUREMENTS', 'vigil');
    expect(measurements.flatMap((s) => s.values.map((v) => v[0]))).toEqual(['cpu']);
  });

  it('runs SHOW statements', async () => {
    const series = await src.queryInstant('SHOW TAG VALUES FROM "cpu" WITH KEY = "host"', now);
    expect(series).toEqual([]); // no numeric column: no series, and no error
  });
});
