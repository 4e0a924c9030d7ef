/**
 * The sidecar's own per-tick work for a detector of N series (bench:detect's headline): the scheduled
 * evaluation from fetched points (a range query's result, in memory: no network) to stored events
 * and saved state, i.e. DetectorRunner.evaluatePoints() on a real SQLite store in a temp file.
 * Series: a daily cycle, noise and rare spikes; the detector is warmed with HISTORY points per
 * series first (past the likelihood's learning period), then SETTLE_TICKS runs of one point per series
 * untimed (steady state), then TICKS runs of one new point per series are timed, each in CPU time
 * (the process's: the store's checkpoint thread included).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gaussian, rng } from '../../core/src';
import type { Series } from '../../sidecar/src/sources';
import { openSqliteStore } from '../../sidecar/src/store/sqlite';
import { offlineDetectorConfig, offlineRunner } from '../../sidecar/src/testing/offlineDetector';

const STEP_MS = 30_000; // the detectors' default interval and step
const T0 = Date.UTC(2024, 0, 1);
/** Untimed one-point runs between the warm-up and the timed ticks. */
export const SETTLE_TICKS = 20;

/** What one measurement of the sidecar path gives. */
export interface SidecarPathResult {
  series: number;
  ticks: number;
  /** Points per CPU-second over the timed ticks (one point per series per tick). */
  pps: number;
  /** Median and worst CPU milliseconds of one tick. */
  tickMsMedian: number;
  tickMsMax: number;
  /** Events opened during the timed ticks. */
  anomalies: number;
  /** Mean saved state per series (bytes of its detector_series_state row's blob) after the run. */
  stateBytesPerSeries: number;
  /** The same at its largest. */
  stateBytesMax: number;
  /** The banks' kernel (`wasm` or `js`). */
  kernel: string;
}

function cpuMs(from: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(from);
  return (c.user + c.system) / 1e3;
}

/**
 * The sidecar path's series: value(s, i) is point i of series s (call in order of i per series: a
 * daily cycle, Gaussian noise and a spike of +20 with probability 0.001).
 */
export function sidecarValues(series: number): (s: number, i: number) => number {
  const gens = Array.from({ length: series }, (_, s) => ({
    g: gaussian(s + 1),
    u: rng(s + 7),
    level: 50 + (s % 50),
    amp: 5 + (s % 13),
  }));
  return (s, i) => {
    const x = gens[s];
    const phase = (((T0 + i * STEP_MS) % 86_400_000) / 86_400_000) * 2 * Math.PI;
    return x.level + x.amp * Math.sin(phase) + x.g() + (x.u() < 0.001 ? 20 : 0);
  };
}

/** Runs the sidecar path for `series` series: `history` points to warm, then `ticks` timed ticks. */
export async function runSidecarPath(series: number, history: number, ticks: number): Promise<SidecarPathResult> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-detect-'));
  const store = openSqliteStore({ path: join(dir, 'vigil.db') });
  try {
    const clock = { now: T0 };
    const config = offlineDetectorConfig({ interval: '30s', maxSeries: Math.max(series, 1) });
    const runner = offlineRunner(config, store, clock);
    const labels = Array.from({ length: series }, (_, s) => ({
      __name__: 'http_request_duration_seconds',
      service: `svc-${s % 97}`,
      instance: `10.0.${(s >> 8) & 255}.${s & 255}:8080`,
    }));
    const value = sidecarValues(series);
    // warm: the history arrives as catch-ups of 100 points (late runs), evaluated like any run
    for (let from = 0; from < history; from += 100) {
      const to = Math.min(history, from + 100);
      const warm: Series[] = labels.map((l, s) => ({
        labels: l,
        points: Array.from(
          { length: to - from },
          (_, j) => [T0 + (from + j) * STEP_MS, value(s, from + j)] as [number, number]
        ),
      }));
      clock.now = T0 + to * STEP_MS;
      await runner.evaluatePoints(warm, T0 + (to - 1) * STEP_MS);
    }
    const ms: number[] = [];
    let anomalies = 0;
    // SETTLE_TICKS scheduled runs untimed first: the warm-up's garbage is collected and the one-point
    // run's code compiled, as in a sidecar that has been running (the timed ticks are its steady state)
    for (let k = 0; k < SETTLE_TICKS + ticks; k++) {
      const i = history + k;
      const t = T0 + i * STEP_MS;
      // the query's result, as the source returns it (new objects each run), built outside the timing
      const result: Series[] = labels.map((l, s) => ({ labels: { ...l }, points: [[t, value(s, i)]] }));
      clock.now = t + 1000;
      const c = process.cpuUsage();
      const summary = await runner.evaluatePoints(result, t);
      if (k >= SETTLE_TICKS) {
        ms.push(cpuMs(c));
        anomalies += summary.anomalies;
      }
    }
    const rows = await store.loadDetectorStates(config.name);
    const sizes = rows.map((r) => r.state.length);
    const sorted = [...ms].sort((a, b) => a - b);
    const total = ms.reduce((a, b) => a + b, 0);
    return {
      series,
      ticks,
      pps: (series * ticks) / (total / 1e3),
      tickMsMedian: sorted[sorted.length >> 1],
      tickMsMax: sorted[sorted.length - 1],
      anomalies,
      stateBytesPerSeries: Math.round(sizes.reduce((a, b) => a + b, 0) / Math.max(1, sizes.length)),
      stateBytesMax: Math.max(0, ...sizes),
      kernel: runner.kernel,
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
