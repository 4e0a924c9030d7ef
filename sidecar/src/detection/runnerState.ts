import type { DetectionResult, DetectorState } from '@vigil/core';
import { VigilError } from '../errors';
import type { DetectorStateWrite, Store } from '../store';
import type { IncidentTracker, IncidentTrackerState } from './incident';
import { labelsFromKey } from './seriesKey';
import type { SeriesBanks } from './seriesBanks';
import { decodeSeriesState, encodeSeriesState, signatureHash, windowHash, type SeriesStateRecord } from './stateCodec';

/** A window's values and their hour indexes, oldest first (DetectorBank.windowOf). */
export interface WindowPoints {
  values: Float64Array;
  hours: Float64Array;
  /** The trend ring was left out with it (DetectorBank.trendIsWindow). */
  trend: boolean;
}

/** A saved series as loaded: its labels (from the row's key when the state leaves them out). */
export type LoadedSeriesState = SeriesStateRecord & { labels: Record<string, string> };

const sameLabels = (a: Record<string, string> | null, b: Record<string, string>): boolean => {
  if (a === null) {
    return false;
  }
  const ka = Object.keys(a);
  return (
    ka.length === Object.keys(b).length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && a[k] === b[k])
  );
};

/** One series of a running detector: its bank slot, incident tracker and what is not saved yet. */
export interface SeriesState {
  key: string;
  labels: Record<string, string>;
  /** Its labels' count (the registry compares a result's labels with these in one pass). */
  labelCount: number;
  /** Its slot in the runner's SeriesBanks; −1 once the series is forgotten. */
  slot: number;
  tracker: IncidentTracker;
  /** The tracker has an open incident (its `current`, mirrored: the per-point loop reads this). */
  open: boolean;
  /**
   * (timestamp, value) pairs pushed since the saved state (since a fresh start when never saved), in
   * its first {@link logN} doubles: replayed onto it to explain a point the kernel flagged (see
   * {@link SeriesPersistence.explain}). A typed array kept from save to save (no garbage per point).
   */
  log: Float64Array;
  logN: number;
  /**
   * The series' last learned timestamp as the kernel has it (the bank's lastTimestamp), mirrored
   * here so a run need not read the slab before the kernel does; NaN: unknown, read the bank.
   */
  lastTs: number;
  /** Its window may still be short of minSamples (its points may be `insufficient_data`). */
  cold: boolean;
  /** Its key gives its labels back (a saved row leaves them out); null until first saved. */
  labelsInKey: boolean | null;
  /** A row exists in `detector_series_state` and {@link log} starts from it. */
  saved: boolean;
  /**
   * The window of the saved state, which its row leaves out (the datasource gives those points
   * back at a restart): put back to explain a point. Null when not saved.
   */
  window: WindowPoints | null;
  /** An incident opened since the last save (the series is saved in this run's transaction). */
  trackerChanged: boolean;
  /** The last run whose query returned the series (DetectorRunner's run counter). */
  seenRun: number;
  /** The last run that listed the series as due for a save (PointJudge.due). */
  dueRun: number;
  /**
   * Reason code (status.ts' REASON_CODES) and score of the last point, null before the first;
   * {@link FROM_BANK} when the kernel judged it (its code and score are in the bank's slab).
   */
  lastReason: number | null;
  lastScore: number | null;
}

/** SeriesState.lastReason of a point the kernel judged: read its reason and score from the bank. */
export const FROM_BANK = -1;

/** Appends a point to the series' log (doubling its array when full). */
export function appendLog(s: SeriesState, t: number, v: number): void {
  let log = s.log;
  if (s.logN + 2 > log.length) {
    log = new Float64Array(Math.max(64, 2 * log.length));
    log.set(s.log.subarray(0, s.logN));
    s.log = log;
  }
  log[s.logN] = t;
  log[s.logN + 1] = v;
  s.logN += 2;
}

/** The JSON state of earlier versions (`settings` row `detector_state:<name>`), read once to migrate. */
export interface LegacySavedState {
  fingerprint: string;
  savedAt: number;
  series: Array<{
    key: string;
    labels: Record<string, string>;
    detector: DetectorState;
    tracker: IncidentTrackerState;
  }>;
}

/** Settings key of the JSON state this table replaces. */
export const legacyStateKey = (name: string): string => `detector_state:${name}`;

/**
 * Runs in which every series gets its turn to be saved once (SeriesPersistence.due): a run's turn is
 * a range of bank slots that moves on each run, so a run saves about 1/SAVE_EVERY of the series, and
 * neighbours (slots allocated in the order the rows were first written: SQLite's table order) in
 * one transaction: they share the store's pages, which costs about half as much to write as the same
 * number of rows spread over the table. At its turn a series is saved when it has at least half
 * SAVE_EVERY points since its saved state; at the latest after 2·SAVE_EVERY points (a catch-up of many
 * points per run), and never later than half the lookback (SeriesPersistence's maxLogPoints); and in
 * the run an incident of it opened. Between saves only the points are kept (the log); a restart
 * evaluates the points after the saved state again, from the datasource, with the same results (the
 * detector is deterministic, and a series whose incident opened was saved in that run: a replayed
 * update or close rewrites the same event).
 */
export const SAVE_EVERY = 192;

/** Binary persistence of one detector's series (`detector_series_state`; stateCodec.ts). */
export class SeriesPersistence {
  private readonly signature: number;
  /** Runs a save turn lasts (SAVE_EVERY, at most the points a log may hold). */
  private readonly every: number;
  /** The most points a series' log holds before it is saved, its turn or not. */
  private readonly cap: number;
  /** First slot of this run's save turn, and how many slots it spans. */
  private turnFrom = 0;
  private turnSpan = 0;
  private capacity = 1;

  /**
   * `maxLogPoints`: a series is saved at the latest after this many points (half its lookback), so a
   * restart finds every saved state within the lookback and reads the points after it again.
   */
  constructor(
    private readonly store: Store,
    private readonly detector: string,
    fingerprint: string,
    private readonly banks: SeriesBanks,
    maxLogPoints = Number.POSITIVE_INFINITY
  ) {
    this.signature = signatureHash(`${fingerprint}|${banks.stateSignature}`);
    this.every = Math.max(1, Math.min(SAVE_EVERY, maxLogPoints));
    this.cap = Math.max(1, Math.min(2 * this.every, maxLogPoints));
  }

  /** The saved series of this detector made with these settings (others are ignored). */
  async load(): Promise<{ rows: LoadedSeriesState[]; rejected: number }> {
    const rows: LoadedSeriesState[] = [];
    let rejected = 0;
    for (const r of await this.store.loadDetectorStates(this.detector)) {
      const s = decodeSeriesState(this.signature, r.state);
      const labels = s?.labels ?? labelsFromKey(this.detector, r.seriesKey);
      if (s && labels) {
        rows.push({ ...s, labels });
      } else {
        rejected++;
      }
    }
    return { rows, rejected };
  }

  /** Moves the save turn on to the next range of slots (once per run; `capacity`: the banks' slots). */
  beginRun(capacity: number): void {
    this.capacity = Math.max(1, capacity);
    this.turnSpan = Math.ceil(this.capacity / this.every);
    this.turnFrom = (this.turnFrom + this.turnSpan) % this.capacity;
  }

  /** Whether the series is due for a save this run. */
  due(s: SeriesState): boolean {
    if (!s.saved || s.trackerChanged) {
      return true;
    }
    const n = s.logN >> 1; // two doubles a point
    if (n >= this.cap) {
      return true;
    }
    let d = s.slot - this.turnFrom;
    d = d < 0 ? d + this.capacity : d;
    return d < this.turnSpan && 2 * n >= this.every;
  }

  /**
   * Saves `series` (and deletes the rows of `removed`, and writes a run's `events`) in one
   * transaction; on success their logs start afresh from the saved state.
   */
  async save(
    series: readonly SeriesState[],
    removed: readonly string[],
    at: number,
    opts: Pick<DetectorStateWrite, 'replaceAll' | 'dropSetting' | 'events'> = {}
  ): Promise<void> {
    const events = opts.events && opts.events.insert.length + opts.events.update.length > 0;
    if (series.length === 0 && removed.length === 0 && !opts.replaceAll && opts.dropSetting === undefined && !events) {
      return;
    }
    const windows: WindowPoints[] = [];
    const put = series.map((s) => {
      const parts = this.banks.savedParts(s.slot);
      if (!parts) {
        throw new VigilError('detector_state_invalid', `detector "${this.detector}": ${s.key}: window rings disagree`);
      }
      windows.push({ values: parts.values, hours: parts.hours, trend: parts.trend });
      s.labelsInKey ??= sameLabels(labelsFromKey(this.detector, s.key), s.labels);
      return {
        seriesKey: s.key,
        state: encodeSeriesState(this.signature, {
          labels: s.labelsInKey ? null : s.labels,
          tracker: s.tracker.toJSON(),
          slab: parts.slab,
          window: windowHash(parts.values, parts.hours),
          windowFrom: parts.windowFrom,
          trendFromWindow: parts.trend,
        }),
      };
    });
    await this.store.saveDetectorStates(this.detector, { put, remove: removed, at, ...opts });
    for (let i = 0; i < series.length; i++) {
      const s = series[i];
      s.window = windows[i];
      s.saved = true;
      s.logN = 0;
      s.trackerChanged = false;
    }
  }

  /**
   * The full verdict of the series' last point, which the kernel has already learned: the series
   * is put back to its saved state (or a fresh one), the logged points before the last are pushed
   * again, and the last is judged by detect(). The series ends where it was, the same bit for bit
   * (the kernel and detect() share their arithmetic: core's fastPath.test.ts).
   */
  async explain(s: SeriesState): Promise<DetectionResult> {
    if (s.saved) {
      const bytes = await this.store.loadDetectorState(this.detector, s.key);
      const saved = bytes ? decodeSeriesState(this.signature, bytes) : null;
      if (!saved || !s.window) {
        throw new VigilError('detector_state_missing', `detector "${this.detector}": no saved state for ${s.key}`);
      }
      this.banks.windows.putWindow(saved.slab, s.window.values, s.window.hours, s.window.trend);
      this.banks.load(s.slot, saved.slab);
    } else {
      this.banks.reset(s.slot);
    }
    const n = s.logN / 2;
    const d = this.banks.detector(s.slot);
    if (n > 1) {
      const t = new Float64Array(n - 1);
      const v = new Float64Array(n - 1);
      for (let j = 0; j < n - 1; j++) {
        t[j] = s.log[2 * j];
        v[j] = s.log[2 * j + 1];
      }
      d.pushMany(v, t);
    }
    return d.detect(s.log[2 * n - 1], s.log[2 * n - 2]);
  }
}
