/**
 * One SLO evaluated against its datasource at an instant: the budget over the compliance window so
 * far, the SLI over the measurement window, and the four burn-rate alerts with the rate of each of
 * their windows. PromQL ratio and latency SLIs count events with instant queries per window and side
 * (`increase` over the window; in the rule engine batched with the tick's other queries), the windows
 * of 12 h and more from hour buckets when a cache is given (bucketCounts.ts); InfluxQL ones with one
 * range read per window and side over `$timeFilter` of that length, every point summed; timeslice
 * SLIs read one range query at the slice step and count good slices per window. Every query is read-only.
 */
import {
  alertWindows,
  budgetReport,
  burnRate,
  burnRateAlerts,
  compare,
  countQueries,
  evaluateBurnRates,
  timeToExhaustionMs,
  windowBounds,
  type BudgetReport,
  type CountQueries,
  type EventCounts,
  type Severity,
  type Slo,
  type TimesliceSli,
  type WindowBounds,
} from '@vigil/core';
import type { Series, Source } from '../sources/source';
import {
  BUCKETED_FROM_MS,
  BUCKET_MS,
  toEvents,
  withTail,
  type BucketReader,
  type BucketRows,
  type SloBucketCache,
  type WindowCounts,
} from './bucketCounts';

/** One burn-rate alert's verdict, as the API reports it. */
export interface BurnRateStatus {
  name: string;
  kind: 'page' | 'ticket';
  severity: Severity;
  factor: number;
  longWindowMs: number;
  shortWindowMs: number;
  longRate: number | null;
  shortRate: number | null;
  firing: boolean;
  lowTraffic: boolean;
}

/** An SLO's state at one evaluation. */
export interface SloStatus {
  sloId: string;
  evaluatedAt: number;
  window: WindowBounds;
  /** Over the compliance window so far (a calendar window: since its start). */
  budget: BudgetReport;
  /** Events over the compliance window so far. */
  events: EventCounts;
  /** The SLI over the measurement window (null without events). */
  sliNow: number | null;
  /** Burn rate over the last hour (the page's long window): what "current burn rate" means here. */
  burnRate: number | null;
  /** At that burn rate, the time until the budget is gone (null: nothing burns). */
  timeToExhaustionMs: number | null;
  burnRates: BurnRateStatus[];
}

const HOUR = 3_600_000;

/** Sums the value of every series (a template without `sum()` may return several). */
function total(series: readonly Series[]): number {
  let n = 0;
  for (const s of series) {
    const v = s.points[s.points.length - 1]?.[1];
    if (v !== undefined && Number.isFinite(v)) {
      n += v;
    }
  }
  return n;
}

/** How an evaluation reaches its datasource; by default the source directly, without a cache. */
export interface SloQueries {
  /**
   * A PromQL instant query at the evaluation time (the rule engine's: batched with the tick's other
   * queries, so every call is made before the evaluation's first await).
   */
  instant?: (query: string) => Promise<Series[]>;
  /** A PromQL range query (the rule engine's: through its query pool). */
  range?: (query: string, start: number, end: number, stepSeconds: number) => Promise<Series[]>;
  /** Hour buckets for the long windows (the SLO service's); without it every window is queried. */
  buckets?: SloBucketCache;
}

/** The side (good or bad) and total of one window from its two instant queries. */
function countWindow(q: CountQueries, instant: (query: string) => Promise<Series[]>): Promise<WindowCounts> {
  return Promise.all([instant(q.good ?? q.bad!), instant(q.total)]).then(([side, all]) => ({
    side: total(side),
    total: total(all),
  }));
}

/** Hour-bucket rows from two range queries at a one-hour step (bucket ends are the steps). */
function bucketReader(sli: Slo['sli'], range: NonNullable<SloQueries['range']>): BucketReader {
  const q = countQueries(sli, BUCKET_MS);
  return async (fromEnd, toEnd) => {
    const step = BUCKET_MS / 1000;
    const [side, all] = await Promise.all([
      range(q.good ?? q.bad!, fromEnd, toEnd, step),
      range(q.total, fromEnd, toEnd, step),
    ]);
    const rows: BucketRows = new Map();
    const add = (series: readonly Series[], key: 'side' | 'total') => {
      for (const s of series) {
        for (const [t, v] of s.points) {
          if (Number.isFinite(v)) {
            const row = rows.get(t) ?? { side: 0, total: 0 };
            row[key] += v;
            rows.set(t, row);
          }
        }
      }
    };
    add(side, 'side');
    add(all, 'total');
    return rows;
  };
}

/**
 * Events over each window of a PromQL count SLI: windows under BUCKETED_FROM_MS (or all, without a
 * cache) by instant queries; longer ones from hour buckets plus the tail since the last whole hour.
 */
async function countPromql(slo: Slo, source: Source, now: number, windows: readonly number[], via: SloQueries) {
  const instant = via.instant ?? ((q: string) => source.queryInstant(q, now));
  const range = via.range ?? ((q: string, a: number, b: number, step: number) => source.queryRange(q, a, b, step));
  const bucketed = via.buckets ? windows.filter((w) => w >= BUCKETED_FROM_MS) : [];
  const direct = windows.filter((w) => !bucketed.includes(w));
  const sideIsGood = countQueries(slo.sli, BUCKET_MS).good !== undefined;
  const tailMs = now - Math.floor(now / BUCKET_MS) * BUCKET_MS;
  // Every instant query is asked for before the first await (the engine sends a tick's queries at once).
  const directCounts = direct.map((w) => countWindow(countQueries(slo.sli, w), instant));
  const tail =
    bucketed.length > 0 && tailMs > 0 ? countWindow(countQueries(slo.sli, tailMs), instant) : { side: 0, total: 0 };
  const key = `${source.name}\u0000${slo.id}\u0000${JSON.stringify(slo.sli)}`;
  const fromBuckets =
    bucketed.length > 0 ? via.buckets!.windows(key, bucketed, now, bucketReader(slo.sli, range)) : new Map();
  const out = new Map<number, EventCounts>();
  // Awaited together: awaiting one first would leave the others' rejections unhandled when it throws.
  const [counted, buckets, tailCounts] = await Promise.all([Promise.all(directCounts), fromBuckets, tail]);
  direct.forEach((w, i) => out.set(w, toEvents(counted[i], sideIsGood)));
  for (const [w, c] of withTail(buckets, tailCounts)) {
    out.set(w, toEvents(c, sideIsGood));
  }
  return out;
}

/** Sums every point of every series (a range read: one per `GROUP BY time` bucket, or one without it). */
function sumAll(series: readonly Series[]): number {
  let n = 0;
  for (const s of series) {
    for (const [, v] of s.points) {
      if (Number.isFinite(v)) {
        n += v;
      }
    }
  }
  return n;
}

/**
 * Events over each window of an InfluxQL ratio SLI: one range read per window and side over
 * `$timeFilter` = (now − w, now], summing every point, so a query without `GROUP BY` (one point) and
 * one with `GROUP BY time($__interval)` (`$__interval` = w: the window straddles at most two
 * buckets) count the same events. An instant read would keep only the last bucket of the latter.
 */
async function countInfluxql(slo: Slo, source: Source, now: number, windows: readonly number[]) {
  const run = (q: string, w: number) =>
    source.queryRange(q, now - w + 1, now, Math.max(1, Math.round(w / 1000))).then(sumAll);
  const out = new Map<number, EventCounts>();
  await Promise.all(
    windows.map(async (w) => {
      // InfluxQL windows come from `$timeFilter`, not from the query's text.
      const q = slo.sli.kind === 'ratio' ? slo.sli : countQueries(slo.sli, w);
      const [side, all] = await Promise.all([q.good !== undefined ? run(q.good, w) : run(q.bad!, w), run(q.total, w)]);
      out.set(w, toEvents({ side, total: all }, q.good !== undefined));
    })
  );
  return out;
}

/** Whether a slice's value meets the timeslice SLI's condition. */
export const goodSlice = (sli: TimesliceSli, v: number): boolean => compare(sli.op, v, sli.threshold);

/** Slices over each window from one range query over the longest (timeslice SLIs). */
async function countSlices(
  sli: TimesliceSli,
  source: Source,
  now: number,
  windows: readonly number[]
): Promise<Map<number, EventCounts>> {
  const longest = Math.max(...windows);
  const step = sli.sliceMs;
  const end = Math.floor(now / step) * step;
  const series = await source.queryRange(sli.query, end - longest + step, end, step / 1000);
  // One value per slice: the worst series decides (all must meet the condition).
  const bySlice = new Map<number, boolean>();
  for (const s of series) {
    for (const [t, v] of s.points) {
      if (Number.isFinite(v)) {
        bySlice.set(t, (bySlice.get(t) ?? true) && goodSlice(sli, v));
      }
    }
  }
  const out = new Map<number, EventCounts>();
  for (const w of windows) {
    let good = 0;
    let totalSlices = 0;
    for (const [t, ok] of bySlice) {
      if (t > end - w) {
        totalSlices++;
        good += ok ? 1 : 0;
      }
    }
    out.set(w, { good, total: totalSlices });
  }
  return out;
}

/** Evaluates an SLO at `now` against its source. Throws the source's VigilError when a query fails. */
export async function evaluateSlo(slo: Slo, source: Source, now: number, via: SloQueries = {}): Promise<SloStatus> {
  const window = windowBounds(slo.window, now);
  const alerts = burnRateAlerts(window.durationMs);
  // The compliance window so far: all of a rolling one, the elapsed part of a calendar one.
  const compliance = Math.max(1000, Math.floor(window.elapsedMs / 1000) * 1000);
  const windows = [...new Set([...alertWindows(alerts), slo.measurementWindowMs, compliance])];
  const counts =
    slo.sli.kind === 'timeslice'
      ? await countSlices(slo.sli, source, now, windows)
      : slo.sli.language === 'influxql'
        ? await countInfluxql(slo, source, now, windows)
        : await countPromql(slo, source, now, windows, via);
  const at = (w: number) => counts.get(w) ?? { good: 0, total: 0 };
  const events = at(compliance);
  const budget = budgetReport(events, slo.target);
  const verdicts = evaluateBurnRates(alerts, at, slo.target, slo.minEvents);
  const rate = burnRate(at(HOUR), slo.target);
  return {
    sloId: slo.id,
    evaluatedAt: now,
    window,
    budget,
    events,
    sliNow: budgetReport(at(slo.measurementWindowMs), slo.target).sli,
    burnRate: rate,
    timeToExhaustionMs: timeToExhaustionMs(budget.remaining, rate, window.durationMs),
    burnRates: verdicts.map((v) => ({
      name: v.alert.name,
      kind: v.alert.kind,
      severity: v.alert.severity,
      factor: v.alert.factor,
      longWindowMs: v.alert.longWindowMs,
      shortWindowMs: v.alert.shortWindowMs,
      longRate: v.longRate,
      shortRate: v.shortRate,
      firing: v.firing,
      lowTraffic: v.lowTraffic,
    })),
  };
}
