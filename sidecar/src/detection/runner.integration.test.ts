// The detector runner against a real Prometheus holding synthetic series pushed by remote write,
// with the runner's clock set by the test, so warm start, evaluation, incidents and restarts are
// checked point by point and deterministically.
import { rng, StreamingDetector } from '@vigil/core';
import pino from 'pino';
import { remoteWrite, startPrometheus, type PrometheusHandle } from '../../../test/harness';
import { loadConfig } from '../config/load';
import type { DetectorConfig } from '../config/schema';
import { createMetrics } from '../metrics';
import { createSource, type Source } from '../sources';
import type { Store } from '../store';
import { openSqliteStore } from '../store/sqlite';
import { TEST_TOKEN } from '../testing/fixtures';
import { DetectorRunner } from './runner';
import { seriesKey } from './seriesKey';

jest.setTimeout(60_000);

const STEP = 60_000;
const END = Math.floor(Date.now() / STEP) * STEP - 5 * STEP;
const POINTS = 600; // 10 hours
const T = (i: number) => END - (POINTS - 1 - i) * STEP;
const SPIKE_IN_HISTORY = 250; // before the warm start's end: fed silently
const SPIKE_LIVE = 520; // after it: one event
const WARM_END = 450;

let prom: PrometheusHandle;
let source: Source;
let store: Store;

function series(service: string, seed: number, spikes: number[]) {
  // bounded noise: a Gaussian's rare new extremes would be (rightly) flagged by the spatial-novelty step
  const u = rng(seed);
  return {
    labels: { __name__: 'vigil_runner_it', service },
    samples: Array.from({ length: POINTS }, (_, i) => ({
      timestamp: T(i),
      value: 100 + 5 * Math.sin(i * 0.7) + 4 * u() + (spikes.some((s) => i >= s && i < s + 3) ? 80 : 0),
    })),
  };
}

function detector(values: Record<string, unknown> = {}): DetectorConfig {
  return loadConfig({
    values: {
      datasources: [{ name: 'prom', type: 'prometheus', url: prom.url }],
      detectors: [
        { name: 'rit', datasource: 'prom', query: 'vigil_runner_it', interval: '1m', lookback: '8h', ...values },
      ],
    },
    env: { VIGIL_TOKEN: TEST_TOKEN },
  }).detectors[0];
}

function runner(config: DetectorConfig, clock: { now: number }): DetectorRunner {
  return new DetectorRunner(config, {
    store,
    source,
    logger: pino({ level: 'silent' }),
    metrics: createMetrics(),
    now: () => clock.now,
  });
}

beforeAll(async () => {
  prom = await startPrometheus({ remoteWrite: true });
  await remoteWrite(prom.url, [series('api', 1, [SPIKE_IN_HISTORY, SPIKE_LIVE]), series('db', 2, [])]);
  source = createSource(
    loadConfig({
      values: { datasources: [{ name: 'prom', type: 'prometheus', url: prom.url }] },
      env: { VIGIL_TOKEN: TEST_TOKEN },
    }).datasources[0]
  );
  store = openSqliteStore({ path: ':memory:' });
});
afterAll(async () => {
  await store?.close();
  await prom?.stop();
});

const events = () => store.listEvents({ from: 0, to: END + STEP, kind: 'anomaly' });

describe('DetectorRunner', () => {
  const clock = { now: T(WARM_END) + 1000 };
  let r: DetectorRunner;

  it('warms up from history without events, then evaluates new points with one event per incident', async () => {
    r = runner(detector(), clock);
    await r.run();
    const warm = r.status();
    expect(warm.lastRun?.error).toBeUndefined();
    expect(warm.warmStart).toMatchObject({ source: 'history', series: 2, to: T(WARM_END) });
    expect(warm.warmStart!.historyPoints).toBe(2 * (WARM_END + 1)); // all the data up to the warm start's end (less than the 8h lookback)
    expect(await events()).toEqual([]); // the spike in history raised nothing
    for (let i = WARM_END + 1; i < POINTS; i++) {
      clock.now = T(i) + 1000;
      await r.run();
    }
    const st = r.status();
    expect(st.firstRun).toMatchObject({ ok: true, points: 2, coldPoints: 0 });
    expect(st.runs).toBe(POINTS - 1 - WARM_END);
    const all = await events();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({
      seriesKey: 'rit{__name__="vigil_runner_it",service="api"}',
      endedAt: T(SPIKE_LIVE + 2),
    });
    // The spike repeats one seen in the history, so the likelihood step may need its three points.
    expect(all[0].startedAt).toBeGreaterThanOrEqual(T(SPIKE_LIVE));
    expect(all[0].startedAt).toBeLessThanOrEqual(T(SPIKE_LIVE + 2));
    expect(all[0].metadata).toMatchObject({ anomaly_type: 'extreme_high', status: 'closed' });
  });

  it('restores its saved state on restart and reads only the missed points', async () => {
    await r.save();
    const again = runner(detector(), clock);
    await again.run();
    expect(again.status().warmStart).toMatchObject({ source: 'state', series: 2, historyPoints: 0, caughtUpPoints: 0 });
    const before = r.status().series.map((s) => [s.key, s.lastTimestamp]);
    expect(again.status().series.map((s) => [s.key, s.lastTimestamp])).toEqual(before);
  });

  it('after a crash (no save at exit) a restart re-judges the points after each saved state: no event lost or doubled', async () => {
    const crashClock = { now: T(WARM_END) + 1000 };
    const config = detector({ name: 'crash' } as Record<string, unknown>);
    const first = runner(config, crashClock);
    await first.run();
    for (let i = WARM_END + 1; i <= SPIKE_LIVE + 3; i++) {
      crashClock.now = T(i) + 1000;
      await first.run();
    }
    // the process dies here: states on disk are those saved by the runs (a few dozen points old)
    const crashEvents = async () =>
      (await store.listEvents({ from: 0, to: END + STEP, kind: 'anomaly' })).filter(
        (e) => e.metadata.detector === 'crash'
      );
    const before = await crashEvents();
    expect(before).toHaveLength(1);
    crashClock.now = T(POINTS - 1) + 1000;
    const second = runner(config, crashClock);
    await second.run();
    expect(second.status().warmStart).toMatchObject({ source: 'state', series: 2, historyPoints: 0 });
    expect(second.status().warmStart!.caughtUpPoints).toBeGreaterThan(2 * (POINTS - 2 - SPIKE_LIVE));
    const after = await crashEvents();
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: before[0].id, endedAt: T(SPIKE_LIVE + 2), metadata: { status: 'closed' } });
  });

  it("reads a saved state's window back from the datasource, and starts a series afresh whose points it no longer has", async () => {
    const lostClock = { now: T(WARM_END) + 1000 };
    const config = detector({ name: 'lost' } as Record<string, unknown>);
    const first = runner(config, lostClock);
    await first.run();
    for (let i = WARM_END + 1; i <= WARM_END + 40; i++) {
      lostClock.now = T(i) + 1000;
      await first.run();
    }
    await first.save();
    const saved = await store.loadDetectorStates('lost');
    // the window is left out of the row (100 points: at least 800 bytes as doubles)
    expect(Math.max(...saved.map((r) => r.state.length))).toBeLessThan(1600);
    // the datasource now gives another value for one of the api's points inside its saved window
    // (a backfill): that series cannot continue exactly, so it learns its history afresh instead
    const changed: Source = {
      ...source,
      queryRange: async (...args: Parameters<Source['queryRange']>) =>
        (await source.queryRange(...args)).map((s) => ({
          ...s,
          points: s.points.map(([t, v]) => [t, s.labels.service === 'api' && t === T(WARM_END) ? v + 1 : v]),
        })),
    };
    lostClock.now = T(WARM_END + 45) + 1000;
    const second = new DetectorRunner(config, {
      store,
      source: changed,
      logger: pino({ level: 'silent' }),
      metrics: createMetrics(),
      now: () => lostClock.now,
    });
    await second.run();
    const warm = second.status().warmStart!;
    expect(warm).toMatchObject({ source: 'state', series: 2 });
    expect(warm.historyPoints).toBe(480); // the api's points in the 8 h lookback, learned afresh
    expect(warm.caughtUpPoints).toBe(5); // the db's points missed, judged from its saved state
    expect(second.status().series.map((s) => s.lastTimestamp)).toEqual([T(WARM_END + 45), T(WARM_END + 45)]);
    lostClock.now = T(WARM_END + 46) + 1000;
    await second.run();
    expect(second.status().lastRun).toMatchObject({ ok: true, points: 2 });
  });

  it('migrates the JSON state of earlier versions once: restored, written as rows, the settings row deleted', async () => {
    const config = detector({ name: 'legacy' } as Record<string, unknown>);
    const { datasource, query, stepMs, options } = config;
    const legacy = [series('api', 1, [SPIKE_IN_HISTORY, SPIKE_LIVE]), series('db', 2, [])].map((s) => {
      const d = new StreamingDetector(options);
      for (const p of s.samples.slice(0, WARM_END + 1)) {
        d.push(p.value, p.timestamp);
      }
      const tracker = { open: null, normalRun: 0, lastPointAt: T(WARM_END) };
      return { key: seriesKey('legacy', s.labels), labels: s.labels, detector: d.toJSON(), tracker };
    });
    const fingerprint = JSON.stringify({ datasource, query, stepMs, options });
    await store.setSetting('detector_state:legacy', { fingerprint, savedAt: T(WARM_END), series: legacy });
    const clock2 = { now: T(WARM_END + 10) + 1000 };
    const r2 = runner(config, clock2);
    await r2.run();
    expect(r2.status().warmStart).toMatchObject({ source: 'state', series: 2, historyPoints: 0, caughtUpPoints: 20 });
    expect(await store.getSetting('detector_state:legacy')).toBeUndefined();
    expect((await store.loadDetectorStates('legacy')).map((r) => r.seriesKey).sort()).toEqual(
      legacy.map((l) => l.key).sort()
    );
  });

  it('a changed query or options start from history, closing events left open', async () => {
    const open = await store.insertEvent({
      kind: 'anomaly',
      seriesKey: 'rit{x="1"}',
      startedAt: T(590),
      severity: 'info',
      message: 'm',
      metadata: { detector: 'rit', last_anomaly_at: T(592) },
    });
    const changed = runner(detector({ options: { sensitivity: 4 } }), clock);
    await changed.run();
    expect(changed.status().warmStart).toMatchObject({ source: 'history' });
    // the two series' states saved with sensitivity 3 are counted, not loaded
    expect(changed.status().warmStart?.discardedStates).toBe(2);
    const closed = (await events()).find((e) => e.id === open.id);
    expect(closed).toMatchObject({ endedAt: T(592), metadata: { status: 'closed' } });
  });

  it('fails a run whose query returns more series than maxSeries, naming the detector', async () => {
    const small = runner(detector({ maxSeries: 1 }), clock);
    await small.run();
    expect(small.status().warm).toBe(false);
    expect(small.status().lastRun).toMatchObject({
      ok: false,
      error: 'detector "rit": query returned 2 series, more than maxSeries (1)',
    });
  });
});
