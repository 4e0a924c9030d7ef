import type { DetectionResult } from './types';

/**
 * Anomalous points grouped into incidents: one implementation for the sidecar (one stored event per
 * incident, `sidecar/src/detection/runner.ts`) and the overlay panel (one row per incident), so both
 * show the same incidents for the same series and settings. Pure, no I/O.
 *
 * - An incident opens on an anomalous point (`isAnomaly`).
 * - It continues while points are anomalous or still outside the expected band: the likelihood
 *   scoring holds its score at 0 for a cool-down after an alert (one early alert per incident), so
 *   the band, not the score, says whether the series is still off.
 * - It closes after `closeAfter` consecutive normal points, or when the series has a gap longer than
 *   `gapMs` (no data: the incident cannot be said to go on); `endedAt` is its last anomalous point.
 * - A re-armed alert (a second incident during the first one's cool-down, see ScorerParams
 *   .rearmRobustZ) is anomalous too: it continues the open incident when that one is still open
 *   (the series never came back for `closeAfter` points), else it opens its own.
 */

/** One incident of a series. */
export interface AnomalyIncident {
  id: string;
  startedAt: number;
  /** Timestamp of the last anomalous (or out-of-band) point. */
  lastAnomalyAt: number;
  /** Null while open; then equal to `lastAnomalyAt`. */
  endedAt: number | null;
  /** The point that opened it (its type is the incident's type). */
  first: DetectionResult;
  /** The point with the highest confidence so far (the event's message and severity). */
  peak: DetectionResult;
  /** Anomalous or out-of-band points so far. */
  points: number;
}

/** What happened to the series' incident on a point. */
export type IncidentChange =
  | { kind: 'open'; incident: AnomalyIncident }
  | { kind: 'update'; incident: AnomalyIncident }
  | { kind: 'close'; incident: AnomalyIncident };

/** JSON-safe tracker state (persisted with the detector's state). */
export interface IncidentTrackerState {
  open: AnomalyIncident | null;
  normalRun: number;
  lastPointAt: number | null;
}

/** Normal points after which an incident closes, unless configured (the sidecar's `closeAfter`). */
export const DEFAULT_CLOSE_AFTER = 3;

/**
 * The gap after which a series' open incident closes for lack of data: longer than `closeAfter`
 * steps, and at least two scrapes (the sidecar's rule; the panel uses it with the series' own step).
 */
export function incidentGapMs(closeAfter: number, stepMs: number): number {
  return Math.max(closeAfter + 1, 3) * stepMs;
}

const outOfBand = (r: DetectionResult) => r.reason === 'ok' && (r.value > r.upper || r.value < r.lower);

/** Tracks the open incident of one series. */
export class IncidentTracker {
  private open: AnomalyIncident | null = null;
  private normalRun = 0;
  private lastPointAt: number | null = null;

  constructor(
    private readonly closeAfter: number,
    private readonly gapMs: number,
    private readonly newId: () => string
  ) {}

  /** The open incident, if any. */
  get current(): AnomalyIncident | null {
    return this.open;
  }

  /** Feeds one judged point; returns the changes it caused (at most a close then an open). */
  observe(r: DetectionResult): IncidentChange[] {
    if (r.reason === 'invalid_value' || r.reason === 'out_of_order') {
      return [];
    }
    const changes = this.expire(r.timestamp);
    this.lastPointAt = r.timestamp;
    const inc = this.open;
    if (inc) {
      if (r.isAnomaly || outOfBand(r)) {
        inc.lastAnomalyAt = r.timestamp;
        inc.points++;
        this.normalRun = 0;
        if (r.confidence > inc.peak.confidence) {
          inc.peak = r;
        }
        changes.push({ kind: 'update', incident: inc });
      } else if (++this.normalRun >= this.closeAfter) {
        changes.push(this.close());
      }
    } else if (r.isAnomaly) {
      this.open = {
        id: this.newId(),
        startedAt: r.timestamp,
        lastAnomalyAt: r.timestamp,
        endedAt: null,
        first: r,
        peak: r,
        points: 1,
      };
      this.normalRun = 0;
      changes.push({ kind: 'open', incident: this.open });
    }
    return changes;
  }

  /** Closes the open incident when the series has had no point for longer than the gap before `now`. */
  expire(now: number): IncidentChange[] {
    if (this.open && this.lastPointAt !== null && now - this.lastPointAt > this.gapMs) {
      return [this.close()];
    }
    return [];
  }

  private close(): IncidentChange {
    const inc = this.open as AnomalyIncident;
    inc.endedAt = inc.lastAnomalyAt;
    this.open = null;
    this.normalRun = 0;
    return { kind: 'close', incident: inc };
  }

  /** JSON-safe state. */
  toJSON(): IncidentTrackerState {
    return { open: this.open, normalRun: this.normalRun, lastPointAt: this.lastPointAt };
  }

  /** Restores the state saved by {@link toJSON}. */
  restore(s: IncidentTrackerState | undefined): this {
    if (s) {
      this.open = s.open;
      this.normalRun = s.normalRun;
      this.lastPointAt = s.lastPointAt;
    }
    return this;
  }
}

/** Options of {@link trackIncidents}. */
export interface TrackIncidentsOptions {
  /** Normal points after which an incident closes (default {@link DEFAULT_CLOSE_AFTER}). */
  closeAfter?: number;
  /** A gap longer than this closes the open incident (default: none). */
  gapMs?: number;
  /** Incident ids (default: `incident-1`, `incident-2`, … in order). */
  newId?: () => string;
}

/**
 * Every incident of a series of judged points (oldest first; the last one is still open, `endedAt`
 * null, when the series ends inside it): what an {@link IncidentTracker} fed the same points reports.
 */
export function trackIncidents(
  results: Iterable<DetectionResult>,
  opts: TrackIncidentsOptions = {}
): AnomalyIncident[] {
  let n = 0;
  const tracker = new IncidentTracker(
    opts.closeAfter ?? DEFAULT_CLOSE_AFTER,
    opts.gapMs ?? Number.POSITIVE_INFINITY,
    opts.newId ?? (() => `incident-${++n}`)
  );
  const out: AnomalyIncident[] = [];
  for (const r of results) {
    for (const c of tracker.observe(r)) {
      if (c.kind === 'open') {
        out.push(c.incident);
      }
    }
  }
  return out;
}
