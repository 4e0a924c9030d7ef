import { randomUUID } from 'node:crypto';
import { StreamingDetector, type DetectionResult, type DetectorState, type StreamEvent } from '@vigil/core';
import type { Logger } from 'pino';
import type { DetectorConfig } from '../config/schema';
import { VigilError } from '../errors';
import type { SidecarMetrics } from '../metrics';
import type { Source } from '../sources';
import type { Store } from '../store';
import { anomalyEvent, ANOMALY_KIND, type EventContext } from './event';
import { IncidentTracker, type Incident, type IncidentChange, type IncidentTrackerState } from './incident';
import { alignDown, queryRangeChunked } from './query';
import { seriesKey } from './seriesKey';
import type { DetectorStatus, RunSummary, SeriesStatus } from './status';

interface SeriesState {
  key: string;
  labels: Record<string, string>;
  detector: StreamingDetector;
  tracker: IncidentTracker;
  last?: DetectionResult;
}

/** What is saved in the store per detector, so a restart continues where it stopped. */
interface SavedState {
  fingerprint: string;
  savedAt: number;
  series: Array<{
    key: string;
    labels: Record<string, string>;
    detector: DetectorState;
    tracker: IncidentTrackerState;
  }>;
}

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

const stateKey = (name: string) => `detector_state:${name}`;

/**
 * One configured detector at work: a StreamingDetector and an IncidentTracker per series, warmed
 * from history (or from its saved state) at start, then fed the points that arrived since the last
 * run on each tick; incidents become `anomaly` events in the store.
 */
export class DetectorRunner {
  private readonly series = new Map<string, SeriesState>();
  private readonly now: () => number;
  private readonly fingerprint: string;
  private warmed = false;
  private runs = 0;
  private lastSuccessAt: number | null = null;
  private warmStartInfo: DetectorStatus['warmStart'] = null;
  private lastRun: RunSummary | null = null;
  private firstRun: RunSummary | null = null;
  private lastSavedAt = 0;

  constructor(
    readonly config: DetectorConfig,
    private readonly deps: RunnerDeps
  ) {
    this.now = deps.now ?? Date.now;
    const { datasource, query, stepMs, options } = config;
    this.fingerprint = JSON.stringify({ datasource, query, stepMs, options });
  }

  /** True once the warm start has succeeded. */
  get isWarm(): boolean {
    return this.warmed;
  }

  /** One scheduled run: the warm start until it has succeeded, then an evaluation. Never throws. */
  async run(signal?: AbortSignal): Promise<void> {
    const t0 = performance.now();
    const at = this.now();
    const summary: RunSummary = { at, durationMs: 0, ok: true, points: 0, coldPoints: 0, series: 0, anomalies: 0 };
    try {
      if (!this.warmed) {
        await this.warmStart(signal);
      } else {
        await this.evaluate(summary, signal);
      }
      this.lastSuccessAt = at;
      this.deps.metrics.lastSuccess.set({ detector: this.config.name }, at / 1000);
      if (at - this.lastSavedAt >= Math.max(this.config.intervalMs, 60_000)) {
        await this.save();
      }
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
   * Warm start: restores saved state when it matches this config (and evaluates the points missed
   * while stopped, with events), else reads `lookback` of history and feeds it without events.
   */
  async warmStart(signal?: AbortSignal): Promise<void> {
    const { config } = this;
    const end = this.end();
    const saved = await this.deps.store.getSetting<SavedState>(stateKey(config.name));
    const usable = saved && saved.fingerprint === this.fingerprint && end - saved.savedAt <= config.lookbackMs;
    if (usable) {
      for (const s of saved.series) {
        this.series.set(s.key, {
          key: s.key,
          labels: s.labels,
          detector: StreamingDetector.fromJSON(s.detector),
          tracker: this.newTracker().restore(s.tracker),
        });
      }
    } else {
      await this.closeOrphanEvents(end);
    }
    const from = end - config.lookbackMs + config.stepMs;
    const result = await queryRangeChunked(this.deps.source, config.query, from, end, config.stepMs, { signal });
    this.checkCardinality(result.length);
    let points = 0;
    const summary: RunSummary = {
      at: this.now(),
      durationMs: 0,
      ok: true,
      points: 0,
      coldPoints: 0,
      series: 0,
      anomalies: 0,
    };
    for (const s of result) {
      const state = this.stateFor(s.labels);
      const fresh = !usable || state.detector.lastTimestamp === Number.NEGATIVE_INFINITY;
      const pts = s.points.filter(([t]) => t > state.detector.lastTimestamp);
      if (fresh) {
        for (const [t, v] of pts) {
          state.detector.push(v, t);
        }
        points += pts.length;
      } else {
        await this.feed(state, pts, summary);
      }
    }
    this.warmed = true;
    this.warmStartInfo = {
      source: usable ? 'state' : 'history',
      at: summary.at,
      from,
      to: end,
      series: this.series.size,
      historyPoints: points,
      caughtUpPoints: summary.points,
    };
    this.deps.logger.info({ detector: config.name, ...this.warmStartInfo }, 'detector warm start');
  }

  /** Evaluates the points that arrived since each series' last point. */
  async evaluate(summary: RunSummary, signal?: AbortSignal): Promise<void> {
    const { config } = this;
    const end = this.end();
    // Resume from the oldest last point among live series; a series silent for a while (a pod that
    // went away) must not drag every query back to the lookback, and is forgotten after it.
    const staleBefore = end - 5 * Math.max(config.intervalMs, config.stepMs);
    let last = Number.POSITIVE_INFINITY;
    for (const [key, s] of this.series) {
      const ts = s.detector.lastTimestamp;
      if (ts < end - config.lookbackMs && !s.tracker.current) {
        this.series.delete(key);
      } else if (ts >= staleBefore) {
        last = Math.min(last, ts);
      }
    }
    const floor = end - config.lookbackMs + config.stepMs;
    const from = Number.isFinite(last) ? Math.max(last + config.stepMs, floor) : end - 2 * config.intervalMs;
    if (from > end) {
      return;
    }
    const result = await queryRangeChunked(this.deps.source, config.query, from, end, config.stepMs, { signal });
    this.checkCardinality(result.length);
    const seen = new Set<string>();
    for (const s of result) {
      const state = this.stateFor(s.labels);
      seen.add(state.key);
      await this.feed(state, s.points, summary);
    }
    // Series that returned nothing: their open incident ends once the gap is long enough.
    for (const state of this.series.values()) {
      if (!seen.has(state.key)) {
        await this.apply(state, state.tracker.expire(end), summary);
      }
    }
    summary.series = seen.size;
  }

  /** Judges points in order, tracks incidents and writes each changed event once. */
  private async feed(state: SeriesState, points: Array<[number, number]>, summary: RunSummary): Promise<void> {
    const changes: IncidentChange[] = [];
    for (const [t, v] of points) {
      if (t <= state.detector.lastTimestamp) {
        continue;
      }
      const r = state.detector.detect(v, t);
      state.last = r;
      summary.points++;
      if (r.reason === 'insufficient_data') {
        summary.coldPoints++;
      }
      changes.push(...state.tracker.observe(r));
    }
    await this.apply(state, changes, summary);
  }

  private async apply(state: SeriesState, changes: IncidentChange[], summary: RunSummary): Promise<void> {
    const final = new Map<string, { incident: Incident; opened: boolean }>();
    for (const c of changes) {
      const prev = final.get(c.incident.id);
      final.set(c.incident.id, { incident: c.incident, opened: (prev?.opened ?? false) || c.kind === 'open' });
    }
    const ctx = this.eventContext(state);
    for (const { incident, opened } of final.values()) {
      const e = anomalyEvent(incident, ctx);
      this.deps.publish?.({
        type: 'anomaly',
        at: new Date(e.endedAt ?? e.startedAt).toISOString(),
        id: e.id,
        seriesKey: e.seriesKey,
        severity: e.severity,
        message: e.message,
      });
      if (opened) {
        await this.deps.store.insertEvent(e);
        summary.anomalies++;
        this.deps.metrics.anomalies.inc({ detector: this.config.name, type: String(e.metadata?.anomaly_type) });
      } else {
        await this.deps.store.updateEvent(e.id, {
          endedAt: e.endedAt,
          severity: e.severity,
          message: e.message,
          metadata: e.metadata,
        });
      }
    }
  }

  /** Events left open by a run whose state was lost (crash, config change) are closed at their last point. */
  private async closeOrphanEvents(now: number): Promise<void> {
    const open = await this.deps.store.listEvents({ from: now - this.config.lookbackMs, to: now, kind: ANOMALY_KIND });
    for (const e of open) {
      if (e.endedAt !== null || e.metadata.detector !== this.config.name) {
        continue;
      }
      const last = typeof e.metadata.last_anomaly_at === 'number' ? e.metadata.last_anomaly_at : e.startedAt;
      await this.deps.store.updateEvent(e.id, { endedAt: last, metadata: { ...e.metadata, status: 'closed' } });
    }
  }

  /** Saves every series' detector and incident state (on a timer and at shutdown). */
  async save(): Promise<void> {
    if (!this.warmed) {
      return;
    }
    const at = this.now();
    const state: SavedState = {
      fingerprint: this.fingerprint,
      savedAt: at,
      series: [...this.series.values()].map((s) => ({
        key: s.key,
        labels: s.labels,
        detector: s.detector.toJSON(),
        tracker: s.tracker.toJSON(),
      })),
    };
    await this.deps.store.setSetting(stateKey(this.config.name), state);
    this.lastSavedAt = at;
  }

  private checkCardinality(n: number): void {
    if (n > this.config.maxSeries) {
      throw new VigilError(
        'too_many_series',
        `detector "${this.config.name}": query returned ${n} series, more than maxSeries (${this.config.maxSeries})`
      );
    }
  }

  private newTracker(): IncidentTracker {
    const { closeAfter, stepMs } = this.config;
    // A gap longer than closeAfter steps (and at least two scrapes) means no data: the incident ends.
    return new IncidentTracker(closeAfter, Math.max(closeAfter + 1, 3) * stepMs, randomUUID);
  }

  private stateFor(labels: Record<string, string>): SeriesState {
    const key = seriesKey(this.config.name, labels);
    let s = this.series.get(key);
    if (!s) {
      s = { key, labels, detector: new StreamingDetector(this.config.options), tracker: this.newTracker() };
      this.series.set(key, s);
    }
    return s;
  }

  private eventContext(state: SeriesState): EventContext {
    const c = this.config;
    return {
      detector: c.name,
      datasource: c.datasource,
      query: c.query,
      scoring: state.detector.scoring,
      seriesKey: state.key,
      seriesLabels: state.labels,
      labels: c.labels,
    };
  }

  /** What `GET /api/v1/detectors` shows. */
  status(): DetectorStatus {
    const c = this.config;
    const series: SeriesStatus[] = [...this.series.values()].map((s) => ({
      key: s.key,
      labels: s.labels,
      lastTimestamp: Number.isFinite(s.detector.lastTimestamp) ? s.detector.lastTimestamp : null,
      lastReason: s.last?.reason ?? null,
      baseline: s.last?.baseline ?? null,
      lastScore: s.last?.anomalyScore ?? null,
      openEventId: s.tracker.current?.id ?? null,
    }));
    return {
      name: c.name,
      datasource: c.datasource,
      query: c.query,
      intervalMs: c.intervalMs,
      stepMs: c.stepMs,
      lookbackMs: c.lookbackMs,
      warm: this.warmed,
      warmStart: this.warmStartInfo,
      runs: this.runs,
      lastSuccessAt: this.lastSuccessAt,
      firstRun: this.firstRun,
      lastRun: this.lastRun,
      series,
    };
  }
}
