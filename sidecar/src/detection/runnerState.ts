import type { DetectionResult, DetectorState } from '@vigil/core';
import { VigilError } from '../errors';
import type { Store } from '../store';
import type { IncidentTracker, IncidentTrackerState } from './incident';
import type { SeriesBanks } from './seriesBanks';
import { decodeSeriesState, encodeSeriesState, signatureHash, type SeriesStateRecord } from './stateCodec';

/** One series of a running detector: its bank slot, incident tracker and what is not saved yet. */
export interface SeriesState {
  key: string;
  labels: Record<string, string>;
  /** Its slot in the runner's SeriesBanks; −1 once the series is forgotten. */
  slot: number;
  tracker: IncidentTracker;
  /**
   * (timestamp, value) pairs pushed since the saved state (since a fresh start when never saved):
   * replayed onto it to explain a point the kernel flagged (see {@link SeriesPersistence.explain}).
   */
  log: number[];
  /** A row exists in `detector_series_state` and {@link log} starts from it. */
  saved: boolean;
  /** An incident opened since the last save (the series is saved in this run's transaction). */
  trackerChanged: boolean;
  /** The last run whose query returned the series (DetectorRunner's run counter). */
  seenRun: number;
  /** Reason code (status.ts' REASON_CODES) and score of the last point, null before the first. */
  lastReason: number | null;
  lastScore: number | null;
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
 * A series' state is saved at least every 2·SAVE_AFTER_MIN…4·SAVE_AFTER_MIN − 2 points (spread over
 * series by slot, so a detector's series are not all written in the same run), and in the run an
 * incident of it opened. Between saves only the points are kept (the log); a restart evaluates the points
 * after the saved state again, from the datasource, with the same results (the detector is
 * deterministic, and a series whose incident opened was saved in that run: a replayed update or
 * close rewrites the same event).
 */
export const SAVE_AFTER_MIN = 64;

/** Binary persistence of one detector's series (`detector_series_state`; stateCodec.ts). */
export class SeriesPersistence {
  private readonly signature: number;

  constructor(
    private readonly store: Store,
    private readonly detector: string,
    fingerprint: string,
    private readonly banks: SeriesBanks
  ) {
    this.signature = signatureHash(`${fingerprint}|${banks.stateSignature}`);
  }

  /** The saved series of this detector made with these settings (others are ignored). */
  async load(): Promise<{ rows: SeriesStateRecord[]; rejected: number }> {
    const rows: SeriesStateRecord[] = [];
    let rejected = 0;
    for (const r of await this.store.loadDetectorStates(this.detector)) {
      const s = decodeSeriesState(this.signature, r.state);
      if (s) {
        rows.push(s);
      } else {
        rejected++;
      }
    }
    return { rows, rejected };
  }

  /** Whether the series is due for a save this run. */
  due(s: SeriesState): boolean {
    return !s.saved || s.trackerChanged || s.log.length >= 2 * (SAVE_AFTER_MIN + (s.slot % SAVE_AFTER_MIN));
  }

  /**
   * Saves `series` (and deletes the rows of `removed`) in one transaction; on success their logs
   * start afresh from the saved state.
   */
  async save(
    series: readonly SeriesState[],
    removed: readonly string[],
    at: number,
    opts: { replaceAll?: boolean; dropSetting?: string } = {}
  ): Promise<void> {
    if (series.length === 0 && removed.length === 0 && !opts.replaceAll && opts.dropSetting === undefined) {
      return;
    }
    const put = series.map((s) => ({
      seriesKey: s.key,
      state: encodeSeriesState(this.signature, {
        labels: s.labels,
        tracker: s.tracker.toJSON(),
        slab: this.banks.stateOf(s.slot),
      }),
    }));
    await this.store.saveDetectorStates(this.detector, { put, remove: removed, at, ...opts });
    for (const s of series) {
      s.saved = true;
      s.log.length = 0;
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
      if (!saved) {
        throw new VigilError('detector_state_missing', `detector "${this.detector}": no saved state for ${s.key}`);
      }
      this.banks.load(s.slot, saved.slab);
    } else {
      this.banks.reset(s.slot);
    }
    const n = s.log.length / 2;
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
