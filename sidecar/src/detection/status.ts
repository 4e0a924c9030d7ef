import type { BaselineStats, DetectionReason } from '@vigil/core';
import type { DetectorConfig } from '../config/detectorSchema';
import { FROM_BANK, type SeriesState } from './runnerState';
import type { SeriesBanks } from './seriesBanks';

/** DetectionReason by the kernel's reason code (core layout.ts H_REASON). */
export const REASON_CODES: readonly DetectionReason[] = [
  'ok',
  'insufficient_data',
  'zero_variance',
  'invalid_value',
  'out_of_order',
];

/** One evaluation run of a detector. */
export interface RunSummary {
  at: number;
  durationMs: number;
  ok: boolean;
  error?: string;
  /** Points judged (new since the previous run). */
  points: number;
  /** Of those, points judged without enough history (`insufficient_data`): a blind start shows here. */
  coldPoints: number;
  series: number;
  /** Events opened. */
  anomalies: number;
}

/** One series of a detector. */
export interface SeriesStatus {
  key: string;
  labels: Record<string, string>;
  lastTimestamp: number | null;
  lastReason: DetectionReason | null;
  /**
   * Baseline statistics of the window now, the last point included: what the next point is judged
   * against (null until the window has `minSamples` points).
   */
  baseline: BaselineStats | null;
  lastScore: number | null;
  openEventId: string | null;
}

/** The state of one detector, as `GET /api/v1/detectors` reports it. */
export interface DetectorStatus {
  name: string;
  datasource: string;
  query: string;
  intervalMs: number;
  stepMs: number;
  lookbackMs: number;
  /** True once the warm start has succeeded. */
  warm: boolean;
  warmStart: {
    /** `state`: saved detector state restored; `history`: lookback read from the datasource. */
    source: 'state' | 'history';
    at: number;
    from: number;
    to: number;
    series: number;
    /** Points fed without events (history). */
    historyPoints: number;
    /** Points missed while stopped, evaluated with events (state). */
    caughtUpPoints: number;
    /**
     * Saved series states not loaded: made with other settings (query, options) or by an older
     * detector layout (an upgrade); those series learned again from the history.
     */
    discardedStates: number;
  } | null;
  /** Runs that judged points or failed (a failed warm start included). */
  runs: number;
  lastSuccessAt: number | null;
  /** The first run after the warm start that judged points (a restart's first evaluation). */
  firstRun: RunSummary | null;
  lastRun: RunSummary | null;
  series: SeriesStatus[];
}

/**
 * A series' status. The baseline is the window's now, the last point included (the kernel keeps no
 * result object per point): what the series' next point is judged against.
 */
export function seriesStatus(s: SeriesState, banks: SeriesBanks): SeriesStatus {
  const last = banks.lastTimestamp(s.slot);
  const fromBank = s.lastReason === FROM_BANK;
  const code = fromBank ? banks.reasonCode(s.slot) : (s.lastReason ?? null);
  return {
    key: s.key,
    labels: s.labels,
    lastTimestamp: Number.isFinite(last) ? last : null,
    lastReason: code === null ? null : (REASON_CODES[code] ?? null),
    baseline: banks.windowStats(s.slot),
    lastScore: fromBank ? banks.score(s.slot) : (s.lastScore ?? null),
    openEventId: s.tracker.current?.id ?? null,
  };
}

/**
 * A configured detector as a replica that does not run it reports it (an HA standby): its settings,
 * not warm, no runs, no series. The rule editor's detector picker reads the names from any replica.
 */
export function idleStatus(c: DetectorConfig): DetectorStatus {
  return {
    name: c.name,
    datasource: c.datasource,
    query: c.query,
    intervalMs: c.intervalMs,
    stepMs: c.stepMs,
    lookbackMs: c.lookbackMs,
    warm: false,
    warmStart: null,
    runs: 0,
    lastSuccessAt: null,
    firstRun: null,
    lastRun: null,
    series: [],
  };
}
