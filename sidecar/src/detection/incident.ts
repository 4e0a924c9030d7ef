import type { DetectionResult } from '@vigil/core';

/**
 * Groups a series' anomalous points into incidents, so one incident of consecutive anomalous points
 * is one event, not one per point. Pure (no I/O): the runner turns the returned changes into store
 * writes.
 *
 * - An incident opens on an anomalous point (`isAnomaly`).
 * - It continues while points are anomalous or still outside the expected band: the likelihood
 *   scoring holds its score at 0 for a cool-down after an alert (one early alert per incident), so
 *   the band, not the score, says whether the series is still off.
 * - It closes after `closeAfter` consecutive normal points, or when the series has a gap longer than
 *   `gapMs` (no data: the incident cannot be said to go on); `endedAt` is its last anomalous point.
 */

/** One incident of a series. */
export interface Incident {
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
  { kind: 'open'; incident: Incident } | { kind: 'update'; incident: Incident } | { kind: 'close'; incident: Incident };

/** JSON-safe tracker state (persisted with the detector's state). */
export interface IncidentTrackerState {
  open: Incident | null;
  normalRun: number;
  lastPointAt: number | null;
}

const outOfBand = (r: DetectionResult) => r.reason === 'ok' && (r.value > r.upper || r.value < r.lower);

/** Tracks the open incident of one series. */
export class IncidentTracker {
  private open: Incident | null = null;
  private normalRun = 0;
  private lastPointAt: number | null = null;

  constructor(
    private readonly closeAfter: number,
    private readonly gapMs: number,
    private readonly newId: () => string
  ) {}

  /** The open incident, if any. */
  get current(): Incident | null {
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
    const inc = this.open as Incident;
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
