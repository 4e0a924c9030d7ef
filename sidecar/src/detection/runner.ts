import type { StreamEvent } from '@vigil/core';
import type { Logger } from 'pino';
import type { DetectorConfig } from '../config/schema';
import { VigilError } from '../errors';
import type { SidecarMetrics } from '../metrics';
import type { Series, Source } from '../sources';
import type { Store } from '../store';
import { closeOrphanEvents, writeIncidentChanges, type EventWrites } from './eventWriter';
import { PointJudge } from './ingest';
import { alignDown, queryRangeChunked } from './query';
import {
  legacyStateKey,
  SeriesPersistence,
  type LegacySavedState,
  type LoadedSeriesState,
  type SeriesState,
} from './runnerState';
import { SeriesBanks } from './seriesBanks';
import { SeriesRegistry } from './seriesRegistry';
import { readBack, windowQueryFrom } from './windowRestore';
import { idleStatus, seriesStatus, type DetectorStatus, type RunSummary } from './status';

/** Everything a runner needs besides its config. */
export interface RunnerDeps {
  store: Store;
  source: Source;
  logger: Logger;
  metrics: SidecarMetrics;
  /** Anomaly events opened or updated are published here (`GET /api/v1/stream`). */
  publish?: (event: StreamEvent) => void;
  now?: () => number;
}

/** How often a detector's old events and states are pruned (its retention is days). */
export const DETECTION_PRUNE_EVERY_MS = 3_600_000;

const newSummary = (at: number): RunSummary => ({
  at,
  durationMs: 0,
  ok: true,
  points: 0,
  coldPoints: 0,
  series: 0,
  anomalies: 0,
});

/**
 * One configured detector at work: its series in DetectorBanks (the kernel), an IncidentTracker
 * per series, warmed from history (or from its saved state) at start, then fed the points that
 * arrived since the last run on each tick. The kernel scores every point; the full, explainable
 * verdict is built only for the points that need one (an anomaly, or a point of an open
 * incident). Incidents become `anomaly` events in the store; the series' state is saved
 * incrementally (runnerState.ts), and events and states older than the retention are pruned.
 */
export class DetectorRunner {
  private readonly series: SeriesRegistry;
  private readonly judge: PointJudge;
  private readonly banks: SeriesBanks;
  private readonly persistence: SeriesPersistence;
  private readonly now: () => number;
  private readonly fingerprint: string;
  /** Rows of series gone, deleted with the next save. */
  private removed: string[] = [];
  /** Event writes of a run whose save failed, written with the next run's. */
  private unwritten: EventWrites | null = null;
  /** Series a failed save did not write, saved with the next run's. */
  private unsaved: SeriesState[] = [];
  private warmed = false;
  private runs = 0;
  private lastSuccessAt: number | null = null;
  private warmStartInfo: DetectorStatus['warmStart'] = null;
  private lastRun: RunSummary | null = null;
  private firstRun: RunSummary | null = null;
  private lastPrunedAt = Number.NEGATIVE_INFINITY;
  constructor(
    readonly config: DetectorConfig,
    private readonly deps: RunnerDeps
  ) {
    this.now = deps.now ?? Date.now;
    const { datasource, query, stepMs, options } = config;
    this.fingerprint = JSON.stringify({ datasource, query, stepMs, options });
    this.banks = new SeriesBanks(config.options);
    this.persistence = new SeriesPersistence(
      deps.store,
      config.name,
      this.fingerprint,
      this.banks,
      Math.max(1, Math.floor(config.lookbackMs / config.stepMs / 2))
    );
    this.series = new SeriesRegistry(config.name, config.closeAfter, config.stepMs, this.banks);
    this.judge = new PointJudge(this.series, this.banks, this.persistence);
  }

  /** Which kernel scores this detector's series (DetectorBank.kernel). */
  get kernel(): 'wasm' | 'js' {
    return this.banks.kernel;
  }

  /** True once the warm start has succeeded. */
  get isWarm(): boolean {
    return this.warmed;
  }

  /** One scheduled run: the warm start until it has succeeded, then an evaluation. Never throws. */
  async run(signal?: AbortSignal): Promise<void> {
    const t0 = performance.now();
    const at = this.now();
    let summary = newSummary(at);
    try {
      if (!this.warmed) {
        await this.warmStart(signal);
      } else {
        summary = await this.evaluate(signal);
      }
      this.lastSuccessAt = at;
      this.deps.metrics.lastSuccess.set({ detector: this.config.name }, at / 1000);
    } catch (err) {
      summary.ok = false;
      summary.error = (err as Error).message;
      this.deps.metrics.evaluationFailures.inc({ detector: this.config.name });
      this.deps.logger.warn({ detector: this.config.name, err: summary.error }, 'detector run failed');
    } finally {
      summary.durationMs = Math.round(performance.now() - t0);
      this.deps.metrics.evaluationDuration.observe({ detector: this.config.name }, summary.durationMs / 1000);
      this.deps.metrics.detectorSeries.set({ detector: this.config.name }, this.series.size);
      if (summary.points > 0 || !summary.ok) {
        this.runs++;
        this.lastRun = summary;
        if (summary.points > 0) {
          this.firstRun ??= summary;
        }
      }
    }
  }

  /** The range end on the step grid (InfluxDB's last bucket is still filling: leave it out). */
  private end(): number {
    const end = alignDown(this.now(), this.config.stepMs);
    return this.deps.source.type === 'influxdb' ? end - this.config.stepMs : end;
  }

  /**
   * Warm start: restores the saved series states made with this config (and evaluates the points
   * missed while stopped, with events), else reads `lookback` of history and feeds it without
   * events; then saves every series (the earlier JSON state, if any, is migrated and deleted).
   */
  async warmStart(signal?: AbortSignal): Promise<void> {
    const { config } = this;
    const end = this.end();
    const oldest = end - config.lookbackMs;
    let restored = 0;
    // restored series whose window (left out of the saved row) is read back from the datasource
    const pending = new Map<SeriesState, LoadedSeriesState>();
    let windowFrom = Number.POSITIVE_INFINITY;
    const saved = await this.persistence.load();
    for (const row of saved.rows) {
      const s = this.series.stateFor(row.labels);
      this.banks.load(s.slot, row.slab);
      s.tracker.restore(row.tracker);
      s.open = s.tracker.current !== null;
      s.saved = true;
      if (this.banks.lastTimestamp(s.slot) < oldest) {
        this.forget(s);
      } else if (row.whole) {
        restored++; // a version-1 row holds its window
        const w = this.banks.windows.windowOf(row.slab);
        s.window = w && { ...w, trend: false };
      } else {
        restored++;
        pending.set(s, row);
        // (an empty window, −Infinity, needs no points)
        windowFrom = Number.isFinite(row.windowFrom) ? Math.min(windowFrom, row.windowFrom) : windowFrom;
      }
    }
    const legacy = await this.deps.store.getSetting<LegacySavedState>(legacyStateKey(config.name));
    if (
      restored === 0 &&
      legacy &&
      legacy.fingerprint === this.fingerprint &&
      end - legacy.savedAt <= config.lookbackMs
    ) {
      const migrated = legacy.series.map((l) => {
        const s = this.series.stateFor(l.labels);
        this.banks.detector(s.slot).restore(l.detector);
        s.tracker.restore(l.tracker);
        s.open = s.tracker.current !== null;
        return s;
      });
      // saved before the catch-up below: a flagged point is explained from the saved state
      await this.persistence.save(migrated, [], this.now(), { replaceAll: true });
      restored = migrated.length;
    }
    if (restored === 0) {
      await closeOrphanEvents(this.deps.store, config, end);
    }
    const from = end - config.lookbackMs + config.stepMs;
    const queryFrom = windowQueryFrom(from, end, config.stepMs, config.lookbackMs, windowFrom);
    const result = await queryRangeChunked(this.deps.source, config.query, queryFrom, end, config.stepMs, { signal });
    this.checkCardinality(result.length);
    const { live, historyPoints: points, lost } = readBack(this.banks, this.series, pending, result, from);
    if (lost.length > 0) {
      this.deps.logger.warn(
        { detector: config.name, series: lost.length, example: lost[0].key },
        "detector warm start: the datasource no longer has a saved state's window points; those series start afresh from the history"
      );
    }
    const summary = newSummary(this.now());
    const events = await this.ingest(live, end, summary, false);
    await this.persistence.save([...this.series.values()], [], this.now(), {
      events,
      replaceAll: true,
      dropSetting: legacy === undefined ? undefined : legacyStateKey(config.name),
    });
    this.removed = [];
    this.warmed = true;
    this.warmStartInfo = {
      source: restored > 0 ? 'state' : 'history',
      at: summary.at,
      from,
      to: end,
      series: this.series.size,
      historyPoints: points,
      caughtUpPoints: summary.points,
      discardedStates: saved.rejected,
    };
    if (saved.rejected > 0) {
      this.deps.logger.warn(
        { detector: config.name, series: saved.rejected },
        'detector warm start: saved series states made with other settings or an older detector version are not loaded; those series learned again from the history'
      );
    }
    this.deps.logger.info({ detector: config.name, ...this.warmStartInfo }, 'detector warm start');
  }

  /** Queries the points that arrived since each series' last point and evaluates them. */
  async evaluate(signal?: AbortSignal): Promise<RunSummary> {
    const { config } = this;
    const end = this.end();
    // Resume from the oldest last point among live series; a series silent for a while (a pod that
    // went away) must not drag every query back to the lookback, and is forgotten after it.
    const staleBefore = end - 5 * Math.max(config.intervalMs, config.stepMs);
    let last = Number.POSITIVE_INFINITY;
    for (const s of [...this.series.values()]) {
      const ts = this.banks.lastTimestamp(s.slot);
      if (ts < end - config.lookbackMs && !s.tracker.current) {
        this.forget(s);
      } else if (ts >= staleBefore) {
        last = Math.min(last, ts);
      }
    }
    const floor = end - config.lookbackMs + config.stepMs;
    const from = Number.isFinite(last) ? Math.max(last + config.stepMs, floor) : end - 2 * config.intervalMs;
    if (from > end) {
      return newSummary(this.now());
    }
    const result = await queryRangeChunked(this.deps.source, config.query, from, end, config.stepMs, { signal });
    return this.evaluatePoints(result, end);
  }

  /**
   * The sidecar's per-tick work on fetched points (the range query's result, ending at `end`):
   * scores them, turns incidents into events, saves the states that changed (one transaction) and
   * prunes past the retention when due. `npm run bench:detect` measures this.
   */
  async evaluatePoints(result: readonly Series[], end: number): Promise<RunSummary> {
    this.checkCardinality(result.length);
    const summary = newSummary(this.now());
    const events = await this.ingest(result, end, summary, true);
    // the series due for a save are found as their points are judged (no pass over every series);
    // those of a failed save are tried again
    const due = this.judge.due.slice();
    if (this.unsaved.length > 0) {
      const listed = new Set(due);
      for (const s of this.unsaved) {
        if (s.slot >= 0 && !listed.has(s)) {
          due.push(s);
        }
      }
    }
    // the run's events and the states due: one transaction; events a failed save did not write go
    // with the next run's (the incidents are already past them in memory)
    if (this.unwritten) {
      events.insert.unshift(...this.unwritten.insert);
      events.update.unshift(...this.unwritten.update);
    }
    this.unwritten = events;
    this.unsaved = due;
    await this.persistence.save(due, this.removed, this.now(), { events });
    this.unwritten = null;
    this.unsaved = [];
    this.removed = [];
    await this.prune();
    return summary;
  }

  /** Judges a run's points; returns the event writes of the incidents they changed (ingest.ts, eventWriter.ts). */
  private async ingest(
    result: readonly Series[],
    end: number,
    summary: RunSummary,
    expire: boolean
  ): Promise<EventWrites> {
    const changes = await this.judge.judge(result, end, summary, expire);
    const scoring = this.config.options.scoring ?? 'likelihood';
    const writes: EventWrites = { insert: [], update: [] };
    for (const [s, c] of changes) {
      writeIncidentChanges(this.deps, this.config, scoring, s, c, summary, writes);
    }
    return writes;
  }

  /** A series gone for longer than the lookback: its slot is freed and its row deleted. */
  private forget(s: SeriesState): void {
    this.series.forget(s);
    if (s.saved) {
      this.removed.push(s.key);
    }
  }

  /** Saves every series not saved since its last point (at shutdown; runs save what is due). */
  async save(): Promise<void> {
    if (!this.warmed) {
      return;
    }
    const dirty = [...this.series.values()].filter((s) => !s.saved || s.trackerChanged || s.logN > 0);
    await this.persistence.save(dirty, this.removed, this.now());
    this.removed = [];
  }

  /** Deletes this detector's events and states older than its retention, at most once an hour. */
  private async prune(): Promise<void> {
    const at = this.now();
    if (at - this.lastPrunedAt < DETECTION_PRUNE_EVERY_MS) {
      return;
    }
    this.lastPrunedAt = at;
    const name = this.config.name;
    const n = await this.deps.store.pruneDetection(name, `${name}{`, at - this.config.retentionMs);
    if (n.events > 0 || n.states > 0) {
      this.deps.logger.info({ detector: name, ...n }, 'detector retention: pruned');
    }
  }

  private checkCardinality(n: number): void {
    if (n > this.config.maxSeries) {
      throw new VigilError(
        'too_many_series',
        `detector "${this.config.name}": query returned ${n} series, more than maxSeries (${this.config.maxSeries})`
      );
    }
  }

  /** What `GET /api/v1/detectors` shows. */
  status(): DetectorStatus {
    return {
      ...idleStatus(this.config),
      warm: this.warmed,
      warmStart: this.warmStartInfo,
      runs: this.runs,
      lastSuccessAt: this.lastSuccessAt,
      firstRun: this.firstRun,
      lastRun: this.lastRun,
      series: [...this.series.values()].map((s) => seriesStatus(s, this.banks)),
    };
  }
}
