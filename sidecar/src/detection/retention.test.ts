// Retention: a detector that runs for months keeps its events for `retention` (default 30 days) and
// no longer, so the store stops growing. An accelerated clock: 80 simulated days of 5-minute points
// with a spike every 6 hours, into a real SQLite file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { gaussian, rng } from '@vigil/core';
import type { StoredEvent, Store } from '../store';
import { openSqliteStore } from '../store/sqlite';
import { offlineDetectorConfig, offlineRunner, tickOf } from '../testing/offlineDetector';

jest.setTimeout(120_000);

const STEP = 300_000;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);
const LABELS = Array.from({ length: 12 }, (_, i) => ({ s: String(i) }));
const DAYS = 80;

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-retention-'));
  store = openSqliteStore({ path: join(dir, 'vigil.db') });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Pages in use (what the file would hold after a checkpoint), read through a second connection. */
function pagesInUse(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    const pages = db.pragma('page_count', { simple: true }) as number;
    const free = db.pragma('freelist_count', { simple: true }) as number;
    return pages - free;
  } finally {
    db.close();
  }
}

const key = (e: StoredEvent) => `${e.seriesKey}@${e.startedAt}`;

describe('detection retention', () => {
  it('prunes events past the retention on the runner schedule: the store stays flat over months', async () => {
    const clock = { now: T0 };
    const runner = offlineRunner(offlineDetectorConfig({ interval: '5m' }), store, clock);
    // the same points into a detector that keeps everything: what would have piled up
    const all = openSqliteStore({ path: ':memory:' });
    const keeper = offlineRunner(offlineDetectorConfig({ interval: '5m', retention: '1000d' }), all, clock);
    const g = gaussian(3);
    const u = rng(5);
    const spikeLeft = LABELS.map(() => 0);
    const pages: number[] = [];
    const stored: number[] = [];
    for (let i = 0; i < (DAYS * DAY) / STEP; i++) {
      const t = T0 + i * STEP;
      // 3-point spikes of random height, about one a day per series, at random times
      const values = LABELS.map((_, s) => {
        if (spikeLeft[s] === 0 && u() < 1 / 288) {
          spikeLeft[s] = 3;
        }
        const spike = spikeLeft[s] > 0 ? 30 + 60 * u() : 0;
        spikeLeft[s] = Math.max(0, spikeLeft[s] - 1);
        return 100 + 10 * s + 2 * g() + spike;
      });
      clock.now = t + 1000;
      await runner.evaluatePoints(tickOf(LABELS, t, values), t);
      await keeper.evaluatePoints(tickOf(LABELS, t, values), t);
      if ((t - T0) % (10 * DAY) === 0 && t > T0) {
        const kept = await store.listEvents({ from: 0, to: t + DAY, kind: 'anomaly', limit: 100_000 });
        const everything = await all.listEvents({ from: 0, to: t + DAY, kind: 'anomaly', limit: 100_000 });
        // every event of the last 30 days is kept, none ended before 30 days and an hour (pruned hourly)
        const recent = everything.filter((e) => e.endedAt === null || e.endedAt >= t - 30 * DAY).map(key);
        const keptKeys = new Set(kept.map(key));
        expect(recent.filter((k) => !keptKeys.has(k))).toEqual([]);
        expect(kept.filter((e) => e.endedAt !== null && e.endedAt < t - 30 * DAY - 3_600_000)).toEqual([]);
        stored.push(kept.length);
        pages.push(pagesInUse(join(dir, 'vigil.db')));
        if (i * STEP >= (DAYS - 1) * DAY) {
          expect(everything.length).toBeGreaterThan(2 * kept.length); // what retention saved
        }
      }
    }
    await all.close();
    // from day 40 on (past the retention), the store's pages in use stay flat
    const steady = pages.slice(3);
    expect(Math.max(...steady)).toBeLessThanOrEqual(Math.min(...steady) * 1.1 + 2);
    expect(Math.min(...stored.slice(3))).toBeGreaterThan(100);
  });
  it('a configured retention is honoured and a bad one names its key', () => {
    expect(offlineDetectorConfig().retentionMs).toBe(30 * DAY);
    expect(offlineDetectorConfig({ retention: '7d' }).retentionMs).toBe(7 * DAY);
    expect(() => offlineDetectorConfig({ retention: 'soon' })).toThrow(/detectors\.0\.retention/);
  });
});
