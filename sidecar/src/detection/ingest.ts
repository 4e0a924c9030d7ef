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
  private readonly sts: SeriesState[] = [];
  private readonly ts: number[] = [];
  private readonly vs: number[] = [];
  private readonly fast: SeriesState[] = [];

  constructor(
    private readonly registry: SeriesRegistry,
    private readonly banks: SeriesBanks,
    private readonly persistence: SeriesPersistence
  ) {}

  /**
   * Judges the points of `result` after each series' last point; with `expire`, series the query
   * did not return have their open incident closed once their gap is long enough before `end`.
   */
  async judge(
    result: readonly Series[],
    end: number,
    summary: RunSummary,
    expire: boolean
  ): Promise<Map<SeriesState, IncidentChange[]>> {
    const run = ++this.run;
    const { sts, ts, vs, fast, banks } = this;
    sts.length = 0;
    ts.length = 0;
    vs.length = 0;
    // the new points as parallel arrays (series, timestamp, value)
    let ordered = true;
    const series = this.registry.resolve(result);
    for (let i = 0; i < result.length; i++) {
      const s = series[i];
      s.seenRun = run;
      // the mirror of the bank's last timestamp (no read of a slab the kernel is about to touch)
      let last = s.lastTs;
      if (last !== last) {
        last = banks.lastTimestamp(s.slot);
      }
      const points = result[i].points;
      for (let k = 0; k < points.length; k++) {
        const t = points[k][0];
        const v = points[k][1];
        if (t > last) {
          ordered &&= ts.length === 0 || t === ts[0];
          sts.push(s);
          ts.push(t);
          vs.push(v);
          // the kernel learns a finite value (and skips NaN): its last timestamp after this run
          last = v - v === 0 ? t : last;
        }
      }
      s.lastTs = last;
    }
    try {
      return await this.judgeInOrder(ordered, end, summary, expire, run, result.length);
    } catch (err) {
      // points may be left unpushed: the mirrors are read from the banks again
      for (const s of this.registry.values()) {
        s.lastTs = Number.NaN;
      }
      throw err;
    }
  }

  private async judgeInOrder(
    ordered: boolean,
    end: number,
    summary: RunSummary,
    expire: boolean,
    run: number,
    returned: number
  ): Promise<Map<SeriesState, IncidentChange[]>> {
    const { sts, ts, vs, fast, banks } = this;
    summary.series = expire ? returned : 0;
    // one timestamp for every point (a run on schedule) needs no sort; else stable by time
    let order: number[] | null = null;
    if (!ordered) {
      order = Array.from({ length: ts.length }, (_, k) => k);
      order.sort((a, b) => ts[a] - ts[b] || a - b);
    }
    const at = (k: number) => (order === null ? k : order[k]);
    const changes = new Map<SeriesState, IncidentChange[]>();
    const judged = (s: SeriesState, r: DetectionResult) => {
      s.lastReason = REASON_CODES.indexOf(r.reason);
      s.lastScore = r.anomalyScore;
      const c = s.tracker.observe(r);
      if (c.length > 0) {
        // an incident opened gets a new id: its series is saved in this run, so a restart does not
        // open it again (an update or a close replayed after a crash writes the same event again)
        s.trackerChanged ||= c.some((x) => x.kind === 'open');
        changes.set(s, [...(changes.get(s) ?? []), ...c]);
      }
    };
    for (let from = 0; from < ts.length;) {
      const t = ts[at(from)];
      let to = from;
      fast.length = 0;
      for (; to < ts.length && ts[at(to)] === t; to++) {
        const s = sts[at(to)];
        const v = vs[at(to)];
        summary.points++;
        appendLog(s, t, v);
        if (s.tracker.current) {
          const r = banks.detector(s.slot).detect(v, t);
          summary.coldPoints += r.reason === 'insufficient_data' ? 1 : 0;
          judged(s, r);
        } else {
          banks.set(s.slot, v);
          fast.push(s);
        }
      }
      from = to;
      const flagged: SeriesState[] = [];
      banks.tick(t, (slot) => flagged.push(this.registry.atSlot(slot)));
      for (const s of fast) {
        // status reads the verdict from the bank; only a series still short of minSamples is read
        s.lastReason = FROM_BANK;
        if (s.cold) {
          const cold = banks.reasonCode(s.slot) === 1;
          summary.coldPoints += cold ? 1 : 0;
          s.cold = cold;
        }
      }
      for (const s of flagged) {
        judged(s, await this.persistence.explain(s));
      }
    }
    if (expire) {
      for (const s of this.registry.values()) {
        if (s.seenRun !== run) {
          const c = s.tracker.expire(end);
          if (c.length > 0) {
            changes.set(s, c);
          }
        }
      }
    }
    return changes;
  }
}
