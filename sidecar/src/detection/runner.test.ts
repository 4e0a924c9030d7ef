// The runner's kernel path (a DetectorBank tick per timestamp, a full verdict only where needed,
// states saved incrementally) against the path it replaced: StreamingDetector.detect() on every
// point and an IncidentTracker per series. Same points in, the same events out. Real SQLite store;
// the points are handed to the runner (no query).
import { gaussian, rng, StreamingDetector } from '@vigil/core';
import type { Series } from '../sources';
import type { StoredEvent, Store } from '../store';
import { openSqliteStore } from '../store/sqlite';
import { anomalyEvent } from './event';
import { IncidentTracker, type Incident, type IncidentChange } from './incident';
import { seriesKey } from './seriesKey';
import { offlineDetectorConfig, offlineRunner } from '../testing/offlineDetector';
import { SAVE_EVERY } from './runnerState';

const STEP = 60_000;
const T0 = Date.UTC(2026, 0, 5);
const TICKS = 1400;
const SERIES = 10;

/** The points of run k: one per series, or a burst of seven (a late run); series come and go. */
function runs(): Array<{ end: number; result: Series[] }> {
  const g = gaussian(7);
  const u = rng(11);
  const spikes = Array.from({ length: SERIES }, () => new Set<number>());
  for (let s = 0; s < SERIES; s++) {
    for (let k = 0; k < 12; k++) {
      const at = 150 + Math.floor(u() * (TICKS - 200));
      const len = 1 + Math.floor(u() * 5);
      for (let j = 0; j < len; j++) {
        spikes[s].add(at + j);
      }
    }
  }
  const value = (s: number, i: number) => {
    const base = 100 + 10 * s + 8 * Math.sin((i / 240) * 2 * Math.PI) + 2 * g();
    if (s === 3 && i % 211 === 5) {
      return Number.NaN; // a NaN sample now and then
    }
    const shift = s === 4 && i > 900 ? 40 : 0; // a level shift
    return base + shift + (spikes[s].has(i) ? 25 + 10 * s : 0);
  };
  const out: Array<{ end: number; result: Series[] }> = [];
  for (let i = 0; i < TICKS; i++) {
    const burst = i % 97 === 96; // the runs before were late: this one reads seven points
    if (i % 97 >= 90 && !burst) {
      continue;
    }
    const result: Series[] = [];
    for (let s = 0; s < SERIES; s++) {
      if ((s === 8 && i < 400) || (s === 9 && i >= 700 && i < 760)) {
        continue; // series 8 appears late; series 9 has a gap
      }
      const from = burst ? i - 6 : i;
      const points: Array<[number, number]> = [];
      for (let j = from; j <= i; j++) {
        points.push([T0 + j * STEP, value(s, j)]);
      }
      result.push({ labels: { __name__: 'm', s: String(s) }, points });
    }
    out.push({ end: T0 + i * STEP, result });
  }
  return out;
}

/** The replaced path: detect() per point, the tracker's changes written once per incident per run. */
function reference(closeAfter: number): Map<string, ReturnType<typeof anomalyEvent>> {
  const config = offlineDetectorConfig();
  const series = new Map<string, { d: StreamingDetector; t: IncidentTracker; labels: Record<string, string> }>();
  const events = new Map<string, ReturnType<typeof anomalyEvent>>();
  let id = 0;
  const write = (key: string, labels: Record<string, string>, changes: IncidentChange[]) => {
    const final = new Map<string, Incident>(changes.map((c) => [c.incident.id, c.incident]));
    for (const inc of final.values()) {
      const e = anomalyEvent(inc, {
        detector: 'd',
        datasource: 'prom',
        query: 'q',
        scoring: 'likelihood',
        seriesKey: key,
        seriesLabels: labels,
        labels: config.labels,
      });
      events.set(e.id, e);
    }
  };
  for (const { end, result } of runs()) {
    const seen = new Set<string>();
    for (const r of result) {
      const key = seriesKey('d', r.labels);
      seen.add(key);
      let s = series.get(key);
      if (!s) {
        s = {
          d: new StreamingDetector(),
          t: new IncidentTracker(closeAfter, 4 * STEP, () => `i${id++}`),
          labels: r.labels,
        };
        series.set(key, s);
      }
      const changes: IncidentChange[] = [];
      for (const [t, v] of r.points) {
        if (t > s.d.lastTimestamp) {
          changes.push(...s.t.observe(s.d.detect(v, t)));
        }
      }
      write(key, s.labels, changes);
    }
    for (const [key, s] of series) {
      if (!seen.has(key)) {
        write(key, s.labels, s.t.expire(end));
      }
    }
  }
  return events;
}

const comparable = (
  e: Pick<StoredEvent, 'seriesKey' | 'startedAt' | 'severity' | 'message'> &
    Partial<Pick<StoredEvent, 'endedAt' | 'metadata'>>
) => JSON.stringify([e.seriesKey, e.startedAt, e.endedAt, e.severity, e.message, e.metadata]);

let store: Store;
beforeEach(() => {
  store = openSqliteStore({ path: ':memory:' });
});
afterEach(async () => {
  await store.close();
});

describe('DetectorRunner on the kernel path', () => {
  it('raises exactly the events detect() on every point raised (anomalies, open incidents, gaps, NaN, bursts)', async () => {
    const clock = { now: T0 };
    const runner = offlineRunner(offlineDetectorConfig(), store, clock);
    for (const { end, result } of runs()) {
      clock.now = end + 1000;
      await runner.evaluatePoints(result, end);
    }
    const ours = await store.listEvents({ from: 0, to: T0 + TICKS * STEP, kind: 'anomaly', limit: 10_000 });
    const expected = [...reference(3).values()];
    expect(expected.length).toBeGreaterThan(20); // the spikes were seen (a cool-down merges some)
    expect(ours.map(comparable).sort()).toEqual(expected.map(comparable).sort());
  });

  it("keeps a failed save's events for the next run: the same events when every 7th save fails", async () => {
    const clock = { now: T0 };
    const save = store.saveDetectorStates.bind(store);
    let calls = 0;
    store.saveDetectorStates = async (detector, w) => {
      if (++calls % 7 === 0) {
        throw new Error('disk full');
      }
      return save(detector, w);
    };
    const runner = offlineRunner(offlineDetectorConfig(), store, clock);
    let failed = 0;
    for (const { end, result } of runs()) {
      clock.now = end + 1000;
      await runner.evaluatePoints(result, end).catch(() => failed++);
    }
    const ours = await store.listEvents({ from: 0, to: T0 + TICKS * STEP, kind: 'anomaly', limit: 10_000 });
    const expected = [...reference(3).values()];
    expect(failed).toBeGreaterThan(10); // runs with something to save: events, or states due
    expect(ours.map(comparable).sort()).toEqual(expected.map(comparable).sort());
  });

  it('keeps a series state small and binary, and writes only the series that are due', async () => {
    const clock = { now: T0 };
    const runner = offlineRunner(offlineDetectorConfig(), store, clock);
    const all = runs();
    for (const { end, result } of all.slice(0, 600)) {
      clock.now = end + 1000;
      await runner.evaluatePoints(result, end);
    }
    const rows = await store.loadDetectorStates('d');
    expect(rows.map((r) => r.seriesKey).sort()).toEqual(
      Array.from({ length: SERIES }, (_, s) => seriesKey('d', { __name__: 'm', s: String(s) })).sort()
    );
    // 640 doubles in memory (5,120 bytes); zeros and float32-exact values take less on disk
    for (const r of rows) {
      expect(r.state.length).toBeLessThan(5120);
    }
    const before = new Map(rows.map((r) => [r.seriesKey, r.updatedAt]));
    const { end, result } = all[600];
    clock.now = end + 1000;
    await runner.evaluatePoints(result, end);
    const changed = (await store.loadDetectorStates('d')).filter((r) => r.updatedAt !== before.get(r.seriesKey));
    expect(changed.length).toBeLessThan(SERIES); // a due share, not every series every run
  });

  it('saves the series in turns of neighbouring slots, each once per SAVE_EVERY runs', async () => {
    const clock = { now: T0 };
    // the series each run saved, by run
    const writes = new Map<number, string[]>();
    let run = 0;
    const save = store.saveDetectorStates.bind(store);
    store.saveDetectorStates = async (detector, w) => {
      writes.set(
        run,
        w.put.map((p) => p.seriesKey)
      );
      return save(detector, w);
    };
    const n = 300; // slots 0…299 of 512 (banks of 64, 64, 128, 256): a turn spans ceil(512 / SAVE_EVERY)
    const span = Math.ceil(512 / SAVE_EVERY);
    const labels = Array.from({ length: n }, (_, s) => ({ __name__: 'm', s: String(s) }));
    const index = new Map(labels.map((l, s) => [seriesKey('d', l), s]));
    const runner = offlineRunner(offlineDetectorConfig(), store, clock);
    const runsCount = 1 + 3 * SAVE_EVERY;
    for (run = 0; run < runsCount; run++) {
      const t = T0 + run * STEP;
      clock.now = t + 1000;
      // smooth series: no anomaly, so no save out of turn
      const result = labels.map((l, s) => ({
        labels: l,
        points: [[t, 100 + s + 5 * Math.sin(run / 40 + s)]] as Array<[number, number]>,
      }));
      const summary = await runner.evaluatePoints(result, t);
      expect(summary.anomalies).toBe(0);
    }
    expect(writes.get(0)).toHaveLength(n); // the first run saves every series
    const lastSaved = new Array<number>(n).fill(0);
    let rows = 0;
    for (const [at, keys] of writes) {
      if (at === 0) {
        continue;
      }
      const slots = keys.map((k) => index.get(k) as number).sort((a, b) => a - b);
      expect(slots.length).toBeLessThanOrEqual(span);
      // neighbours: consecutive slots
      slots.forEach((x, j) => expect(x).toBe(slots[0] + j));
      for (const x of slots) {
        expect(at - lastSaved[x]).toBeGreaterThanOrEqual(SAVE_EVERY / 2);
        expect(at - lastSaved[x]).toBeLessThanOrEqual(2 * SAVE_EVERY);
        lastSaved[x] = at;
      }
      rows += slots.length;
    }
    // every series saved again within the last turn; about one row per series per turn, not more
    for (const at of lastSaved) {
      expect(runsCount - at).toBeLessThanOrEqual(SAVE_EVERY + 1);
    }
    expect(rows).toBeLessThanOrEqual(3 * n);
  });
});
