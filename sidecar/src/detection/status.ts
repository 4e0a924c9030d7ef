import type { BaselineStats, DetectionReason } from '@vigil/core';

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
  /** Baseline statistics at the last point (null until the window has `minSamples` points). */
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
  } | null;
  /** Runs that judged points or failed (a failed warm start included). */
  runs: number;
  lastSuccessAt: number | null;
  /** The first run after the warm start that judged points (a restart's first evaluation). */
  firstRun: RunSummary | null;
  lastRun: RunSummary | null;
  series: SeriesStatus[];
}
