import type { DetectionResult } from '@vigil/core';
import type { Series } from '../sources';
import type { IncidentChange } from './incident';
import { appendLog, FROM_BANK, type SeriesPersistence, type SeriesState } from './runnerState';
import type { SeriesBanks } from './seriesBanks';
import type { SeriesRegistry } from './seriesRegistry';
import { REASON_CODES, type RunSummary } from './status';

/**
 * Judges a run's new points (a query's result) in time order: one kernel tick per timestamp over
 * the series without an open incident, where only a flagged point is explained (its full
 * DetectionResult, runnerState.ts' explain()), and detect() for the points of open incidents (the
 * tracker reads their band). Returns each series' incident changes. Its arrays are reused from run
 * to run (less garbage per tick).
 */
export class PointJudge {
  private run = 0;
  /** The run's new points as parallel columns (series, timestamp, value), the first {@link m} used. */
  private sts: SeriesState[] = [];
  private ts = new Float64Array(1024);
  private vs = new Float64Array(1024);
  private m = 0;
  /** Series of a tick the kernel judged that were still short of minSamples. */
  private readonly coldFast: SeriesState[] = [];
  /** Series due for a save after this run (SeriesPersistence.due), each once. */
  readonly due: SeriesState[] = [];

  constructor(
    private readonly registry: SeriesRegistry,
    private readonly banks: SeriesBanks,
    private readonly persistence: SeriesPersistence
  ) {}

  /**
   * Judges the points of `result` after each series' last point; with `expire`, series the query
   * did not return have their open incident closed once their gap is long enough before `end`.
   * {@link due} then lists the series whose state is due for a save (of those that had points).
   */
  async judge(
    result: readonly Series[],
    end: number,
    summary: RunSummary,
    expire: boolean
  ): Promise<Map<SeriesState, IncidentChange[]>> {
    const run = ++this.run;
    const { banks } = this;
    this.due.length = 0;
    this.persistence.beginRun(banks.slots);
    let m = 0;
    let seen = 0;
    // the new points as parallel columns (series, timestamp, value)
    let ordered = true;
    let t0 = Number.NaN;
    const series = this.registry.resolve(result);
    for (let i = 0; i < result.length; i++) {
      const s = series[i];
      if (s.seenRun !== run) {
        s.seenRun = run;
        seen++;
      }
      // the mirror of the bank's last timestamp (no read of a slab the kernel is about to touch)
      let last = s.lastTs;
      if (last !== last) {
        last = banks.lastTimestamp(s.slot);
      }
      const points = result[i].points;
      for (let k = 0; k < points.length; k++) {
        const p = points[k];
        const t = p[0];
        if (t > last) {
          const v = p[1];
          if (m === this.ts.length) {
            this.grow();
          }
          ordered &&= m === 0 || t === t0;
          t0 = m === 0 ? t : t0;
          this.sts[m] = s;
          this.ts[m] = t;
          this.vs[m] = v;
          m++;
          // the kernel learns a finite value (and skips NaN): its last timestamp after this run
          last = v - v === 0 ? t : last;
        }
      }
      s.lastTs = last;
    }
    this.m = m;
    try {
      return await this.judgeInOrder(ordered, end, summary, expire, run, result.length, seen);
    } catch (err) {
      // points may be left unpushed: the mirrors are read from the banks again
      for (const s of this.registry.values()) {
        s.lastTs = Number.NaN;
      }
      throw err;
    } finally {
      // no reference kept to series of this run (a series forgotten later is not held)
      this.sts.fill(undefined as unknown as SeriesState, 0, m);
    }
  }

  private grow(): void {
    const n = 2 * this.ts.length;
    const ts = new Float64Array(n);
    const vs = new Float64Array(n);
    ts.set(this.ts);
    vs.set(this.vs);
    this.ts = ts;
    this.vs = vs;
  }

  private async judgeInOrder(
    ordered: boolean,
    end: number,
    summary: RunSummary,
    expire: boolean,
    run: number,
    returned: number,
    seen: number
  ): Promise<Map<SeriesState, IncidentChange[]>> {
    const { sts, ts, vs, m, coldFast, banks, persistence, due } = this;
    summary.series = expire ? returned : 0;
    // one timestamp for every point (a run on schedule) needs no sort; else stable by time
    let order: number[] | null = null;
    if (!ordered) {
      order = Array.from({ length: m }, (_, k) => k);
      order.sort((a, b) => ts[a] - ts[b] || a - b);
    }
    const changes = new Map<SeriesState, IncidentChange[]>();
    const judged = (s: SeriesState, r: DetectionResult) => {
      s.lastReason = REASON_CODES.indexOf(r.reason);
      s.lastScore = r.anomalyScore;
      const c = s.tracker.observe(r);
      s.open = s.tracker.current !== null;
      if (c.length > 0) {
        // an incident opened gets a new id: its series is saved in this run, so a restart does not
        // open it again (an update or a close replayed after a crash writes the same event again)
        if (!s.trackerChanged && c.some((x) => x.kind === 'open')) {
          s.trackerChanged = true;
          if (s.dueRun !== run) {
            s.dueRun = run;
            due.push(s);
          }
        }
        changes.set(s, [...(changes.get(s) ?? []), ...c]);
      }
    };
    let points = 0;
    let coldPoints = 0;
    for (let from = 0; from < m;) {
      const t = ts[order === null ? from : order[from]];
      let to = from;
      coldFast.length = 0;
      for (; to < m; to++) {
        const k = order === null ? to : order[to];
        if (ts[k] !== t) {
          break;
        }
        const s = sts[k];
        const v = vs[k];
        points++;
        appendLog(s, t, v);
        if (s.dueRun !== run && persistence.due(s)) {
          s.dueRun = run;
          due.push(s);
        }
        if (s.open) {
          const r = banks.detector(s.slot).detect(v, t);
          coldPoints += r.reason === 'insufficient_data' ? 1 : 0;
          judged(s, r);
        } else {
          banks.set(s.slot, v);
          // status reads the kernel's verdict from the bank (an explained point overwrites this)
          s.lastReason = FROM_BANK;
          if (s.cold) {
            coldFast.push(s);
          }
        }
      }
      from = to;
      const flagged: SeriesState[] = [];
      banks.tick(t, (slot) => flagged.push(this.registry.atSlot(slot)));
      // only a series still short of minSamples has its reason read
      for (const s of coldFast) {
        const cold = banks.reasonCode(s.slot) === 1;
        coldPoints += cold ? 1 : 0;
        s.cold = cold;
      }
      for (const s of flagged) {
        judged(s, await persistence.explain(s));
      }
    }
    summary.points += points;
    summary.coldPoints += coldPoints;
    // every series known was returned (the usual run): none to expire
    if (expire && seen < this.registry.size) {
      for (const s of this.registry.values()) {
        if (s.seenRun !== run) {
          const c = s.tracker.expire(end);
          s.open = s.tracker.current !== null;
          if (c.length > 0) {
            changes.set(s, c);
          }
        }
      }
    }
    return changes;
  }
}
