/**
 * One SLO evaluated against its datasource at an instant: the budget over the compliance window so
 * far, the SLI over the measurement window, and the four burn-rate alerts with the rate of each of
 * their windows. Ratio and latency SLIs count events with one instant query per window and side
 * (PromQL `increase` over the window; InfluxQL over `$timeFilter` of that length); timeslice SLIs read
 * one range query at the slice step and count good slices per window. Every query is read-only.
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
  type EventCounts,
  type Severity,
  type Slo,
  type TimesliceSli,
  type WindowBounds,
} from '@vigil/core';
import type { Series, Source } from '../sources/source';

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

/** Events over each window, counted with instant queries (ratio and latency SLIs). */
async function countByQueries(
  slo: Slo,
  source: Source,
  now: number,
  windows: readonly number[]
): Promise<Map<number, EventCounts>> {
  const influx = slo.sli.language === 'influxql';
  const run = (q: string, w: number) => source.queryInstant(q, now, influx ? { lookbackMs: w } : {}).then(total);
  const out = new Map<number, EventCounts>();
  await Promise.all(
    windows.map(async (w) => {
      // InfluxQL windows come from `$timeFilter` (the lookback), PromQL ones from the range.
      const q = influx && slo.sli.kind === 'ratio' ? slo.sli : countQueries(slo.sli, w);
      const [side, all] = await Promise.all([q.good !== undefined ? run(q.good, w) : run(q.bad!, w), run(q.total, w)]);
      const good = q.good !== undefined ? side : Math.max(0, all - side);
      out.set(w, { good: Math.min(good, all), total: all });
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
export async function evaluateSlo(slo: Slo, source: Source, now: number): Promise<SloStatus> {
  const window = windowBounds(slo.window, now);
  const alerts = burnRateAlerts(window.durationMs);
  // The compliance window so far: all of a rolling one, the elapsed part of a calendar one.
  const compliance = Math.max(1000, Math.floor(window.elapsedMs / 1000) * 1000);
  const windows = [...new Set([...alertWindows(alerts), slo.measurementWindowMs, compliance])];
  const counts =
    slo.sli.kind === 'timeslice'
      ? await countSlices(slo.sli, source, now, windows)
      : await countByQueries(slo, source, now, windows);
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
