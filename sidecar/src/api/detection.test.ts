import { gaussian } from '@vigil/core';
import { startTestServer, type TestServer } from '../testing/fixtures';
import { MAX_DETECT_POINTS } from './detect';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer({
    server: { port: 0, bodyLimit: '10mb' },
    // Never queried by these tests: they stop at validation.
    datasources: [{ name: 'prom', type: 'prometheus', url: 'http://127.0.0.1:9' }],
  });
});
afterAll(() => srv.stop());

const T0 = Date.UTC(2026, 0, 1);
const STEP = 60_000;

async function post(body: unknown): Promise<{ status: number; json: any }> {
  const res = await srv.call('/api/v1/detect', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

async function get(path: string): Promise<{ status: number; json: any }> {
  const res = await srv.call(path);
  return { status: res.status, json: await res.json() };
}

/** 600 points of noise around 100 with a spike of +40 at point 500. */
function spikeSeries(): Array<[number, number]> {
  const g = gaussian(11);
  return Array.from({ length: 600 }, (_, i): [number, number] => [T0 + i * STEP, 100 + 2 * g() + (i === 500 ? 40 : 0)]);
}

describe('POST /api/v1/detect', () => {
  it('finds a spike in a series and explains every point', async () => {
    const { status, json } = await post({ series: [{ labels: { service: 'api' }, points: spikeSeries() }] });
    expect(status).toBe(200);
    expect(json.series).toHaveLength(1);
    const points = json.series[0].points;
    expect(points).toHaveLength(600);
    expect(points[0]).toMatchObject({ t: T0, expected: null, lower: null, upper: null, reason: 'insufficient_data' });
    const spike = points[500];
    expect(spike).toMatchObject({ isAnomaly: true, type: 'extreme_high', reason: 'ok' });
    expect(spike.value).toBeGreaterThan(spike.upper);
    expect(spike.expected).toBeGreaterThan(95);
    expect(spike.expected).toBeLessThan(105);
    expect(spike.score).toBeGreaterThanOrEqual(0.5);
    expect(json.anomalies).toEqual([
      expect.objectContaining({
        labels: { service: 'api' },
        t: T0 + 500 * STEP,
        type: 'extreme_high',
        severity: 'error',
        message: expect.stringMatching(
          /^Anomaly in \{service="api"\}: current=1\d\d\.\d\d, expected=\d+\.\d\d±\d+\.\d\d$/
        ),
      }),
    ]);
  });

  it('passes options to the detector (guide scoring flags more points than likelihood)', async () => {
    const points = spikeSeries();
    const guide = await post({ series: [{ points }], options: { scoring: 'guide', sensitivity: 2 } });
    expect(guide.status).toBe(200);
    expect(guide.json.anomalies.length).toBeGreaterThan(1);
    expect(guide.json.anomalies.map((a: { t: number }) => a.t)).toContain(T0 + 500 * STEP);
  });

  it('answers 400 naming what is wrong', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [[1, 2], /^body: expected a JSON object/],
      [{ series: [] }, /^series: Too small/],
      [
        {
          series: [
            {
              points: [
                [T0, 1],
                [T0 + 1, 'x'],
              ],
            },
          ],
        },
        /^series\.0\.points\.1\.1: expected number/,
      ],
      [
        {
          series: [
            {
              points: [
                [T0, 1],
                [T0, 2],
              ],
            },
          ],
        },
        /^series\.0\.points\.1: timestamps must increase$/,
      ],
      [{ series: [{ points: [[T0, 1]] }], extra: 1 }, /^body: Unrecognized key: "extra"/],
      [{ series: [{ points: [[T0, 1]] }], options: { windowSize: 5 } }, /^options\.windowSize: Too small/],
      [
        { series: [{ points: [[T0, 1]] }], options: { windowSize: 30, minSamples: 40 } },
        /^options: detector option minSamples/,
      ],
      [{ datasource: 'prom', query: 'up', from: T0, to: T0 + STEP }, /^step: /],
      [
        { datasource: 'nope', query: 'up', from: T0, to: T0 + STEP, step: 60 },
        /^datasource: unknown datasource "nope" \(configured: prom\)$/,
      ],
      [{ datasource: 'prom', query: 'up', from: 'yesterday', to: T0, step: 60 }, /^from: /],
      [{ datasource: 'prom', query: 'up', from: T0 + STEP, to: T0, step: 60 }, /^from: must not be after to$/],
      [
        { datasource: 'prom', query: 'up', from: T0, to: T0 + 86_400_000 * 365, step: '1s' },
        /^step: the range has \d+ steps, at most 100000/,
      ],
    ];
    for (const [body, message] of cases) {
      const { status, json } = await post(body);
      expect({ body, status, message: json.error?.message }).toEqual({
        body,
        status: 400,
        message: expect.stringMatching(message),
      });
      expect(json.error.code).toBe('invalid_request');
    }
  });

  it('limits the number of points', async () => {
    const points = Array.from({ length: MAX_DETECT_POINTS + 1 }, (_, i) => [T0 + i * STEP, 1]);
    const { status, json } = await post({ series: [{ points }] });
    expect(status).toBe(400);
    expect(json.error.message).toBe(`series: ${MAX_DETECT_POINTS + 1} points in total, at most ${MAX_DETECT_POINTS}`);
  });

  it('needs the token', async () => {
    const res = await srv.call('/api/v1/detect', { method: 'POST', token: null, body: '{}' });
    expect(res.status).toBe(401);
  });
});

describe('GET /api/v1/anomalies', () => {
  beforeAll(async () => {
    const base = { kind: 'anomaly', message: 'm', metadata: {} };
    await srv.store.insertEvent({
      ...base,
      seriesKey: 'lat{service="api"}',
      startedAt: T0,
      endedAt: T0 + STEP,
      severity: 'error',
    });
    await srv.store.insertEvent({
      ...base,
      seriesKey: 'lat{service="db"}',
      startedAt: T0 + 2 * STEP,
      severity: 'info',
    });
    await srv.store.insertEvent({ ...base, seriesKey: 'latency{}', startedAt: T0, severity: 'warning' });
    await srv.store.insertEvent({ ...base, kind: 'other', seriesKey: 'lat{}', startedAt: T0, severity: 'error' });
  });

  it('lists anomaly events in the window, filtered by detector and severity', async () => {
    const all = await get(`/api/v1/anomalies?from=${T0}&to=${new Date(T0 + 10 * STEP).toISOString()}`);
    expect(all.status).toBe(200);
    expect(all.json.anomalies.map((e: { seriesKey: string }) => e.seriesKey).sort()).toEqual([
      'latency{}',
      'lat{service="api"}',
      'lat{service="db"}',
    ]);
    const lat = await get(`/api/v1/anomalies?from=${T0}&to=${T0 + 10 * STEP}&detector=lat`);
    expect(lat.json.anomalies.map((e: { seriesKey: string }) => e.seriesKey)).toEqual([
      'lat{service="db"}',
      'lat{service="api"}',
    ]);
    const severe = await get(`/api/v1/anomalies?from=${T0}&to=${T0 + 10 * STEP}&severity=error,warning`);
    expect(severe.json.anomalies.map((e: { severity: string }) => e.severity).sort()).toEqual(['error', 'warning']);
    const later = await get(`/api/v1/anomalies?from=${T0 + 3 * STEP}&to=${T0 + 10 * STEP}`);
    // the open event (no end yet) overlaps every later window; the closed one does not
    expect(later.json.anomalies.map((e: { seriesKey: string }) => e.seriesKey)).toEqual([
      'lat{service="db"}',
      'latency{}',
    ]);
  });

  it('answers 400 naming the parameter', async () => {
    for (const [query, message] of [
      ['from=yesterday', /^from: expected epoch milliseconds or an ISO 8601 time/],
      ['to=2026-13-45', /^to: /],
      [`from=${T0 + 1}&to=${T0}`, /^from: must not be after to$/],
      ['severity=critical', /^severity: expected info, warning, error/],
      ['limit=0', /^limit: /],
    ] as const) {
      const { status, json } = await get(`/api/v1/anomalies?${query}`);
      expect({ query, status, message: json.error.message }).toEqual({
        query,
        status: 400,
        message: expect.stringMatching(message),
      });
    }
  });
});

describe('GET /api/v1/detectors', () => {
  it('lists the configured detectors (none here)', async () => {
    const { status, json } = await get('/api/v1/detectors');
    expect(status).toBe(200);
    expect(json).toEqual({ detectors: [] });
  });
});
