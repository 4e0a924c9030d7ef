import type { Series } from '../sources';
import type { LoadedSeriesState, SeriesState } from './runnerState';
import type { SeriesBanks } from './seriesBanks';
import type { SeriesRegistry } from './seriesRegistry';
import { windowHash } from './stateCodec';

/**
 * Where a warm start's range query must begin so that it holds the saved windows' points as well
 * as the lookback (`from` on): the earliest `windowFrom` of the saved states, but no earlier than
 * one more lookback (a window of sparse points spanning weeks would make every series' query that
 * long: such a series starts afresh instead), put on the step grid of `end` (the grid every run
 * queried, so the datasource evaluates the same timestamps again).
 */
export function windowQueryFrom(
  from: number,
  end: number,
  stepMs: number,
  lookbackMs: number,
  windowFrom: number
): number {
  const earliest = Math.max(windowFrom, from - lookbackMs);
  if (!(earliest < from)) {
    return from;
  }
  return end - Math.ceil((end - earliest) / stepMs) * stepMs;
}

/**
 * Puts back the window a saved state left out (stateCodec.ts), from the datasource's points of the
 * series (oldest first): the last `n` valid points up to the series' last learned point, as the
 * kernel learned them. True when they are the saved ones (same window hash): the series then
 * continues exactly as if it had never stopped. False when the datasource no longer has them (a
 * retention shorter than the outage, a backfill that changed a value): the caller starts the series
 * afresh from the history instead, which keeps every event the detector raises explainable.
 */
export function restoreWindow(
  banks: SeriesBanks,
  s: SeriesState,
  saved: { window: number; trendFromWindow: boolean },
  points: ReadonlyArray<readonly [number, number]>
): boolean {
  const w = banks.windows;
  const state = banks.stateOf(s.slot);
  const n = w.windowPoints(state);
  const last = banks.lastTimestamp(s.slot);
  const values = new Float64Array(n);
  const hours = new Float64Array(n);
  let k = n;
  for (let i = points.length - 1; i >= 0 && k > 0; i--) {
    const t = points[i][0];
    const v = points[i][1];
    // the kernel learns a point whose value and timestamp are finite (NaN is skipped, not learned)
    if (t <= last && v - v === 0) {
      k--;
      values[k] = v;
      hours[k] = w.hourIndexOf(state, t);
    }
  }
  if (k > 0 || windowHash(values, hours) !== saved.window) {
    return false;
  }
  w.putWindow(state, values, hours, saved.trendFromWindow);
  banks.load(s.slot, state);
  s.window = { values, hours, trend: saved.trendFromWindow };
  return true;
}

/**
 * A warm start's query result, after the saved states are loaded (`pending`: those whose window is
 * to be read back): puts each saved window back ({@link restoreWindow}), or starts the series
 * afresh when the datasource no longer has it (`lost`; also a saved series not returned at all);
 * feeds the history from `from` on, without events, to each series without a saved state; and
 * returns the series with a saved state (`live`), whose points after it are to be judged.
 */
export function readBack(
  banks: SeriesBanks,
  registry: SeriesRegistry,
  pending: Map<SeriesState, LoadedSeriesState>,
  result: readonly Series[],
  from: number
): { live: Series[]; historyPoints: number; lost: SeriesState[] } {
  const afresh = (s: SeriesState) => {
    banks.reset(s.slot);
    s.saved = false;
    s.window = null;
    lost.push(s);
  };
  let historyPoints = 0;
  const live: Series[] = [];
  const lost: SeriesState[] = [];
  for (const r of result) {
    const s = registry.stateFor(r.labels);
    const saved = pending.get(s);
    if (saved !== undefined) {
      pending.delete(s);
      if (!restoreWindow(banks, s, saved, r.points)) {
        afresh(s);
      }
    }
    if (banks.lastTimestamp(s.slot) === Number.NEGATIVE_INFINITY) {
      const pts = r.points.filter(([t]) => t >= from);
      banks.detector(s.slot).pushMany(
        pts.map((p) => p[1]),
        pts.map((p) => p[0])
      );
      historyPoints += pts.length;
    } else {
      live.push(r);
    }
  }
  // not returned at all: nothing to read its window from (it is forgotten after the lookback)
  for (const s of pending.keys()) {
    afresh(s);
  }
  for (const s of registry.values()) {
    // loaded, restored or fed history: the runs' mirrors of the banks start afresh
    s.lastTs = Number.NaN;
    s.cold = true;
  }
  return { live, historyPoints, lost };
}
