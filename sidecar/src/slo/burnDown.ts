/**
 * An SLO's burn-down: the budget remaining at each step from `from` to `to`, counting the events
 * since `from` (the compliance window's start by default), as core's `burnDown` does — the line the
 * SLO page draws. Ratio and latency SLIs read their counts per step with two range queries (PromQL:
 * increase over the step; InfluxQL: the query bucketed by the step, see influxSteps.ts); timeslice
 * SLIs read their slices with one. Read-only queries.
 */
import { burnDown, countQueries, type BurnDownPoint, type EventCounts, type RatioSli, type Slo } from '@vigil/core';
import { badRequest } from '../errors';
import type { Series, Source } from '../sources/source';
import { goodSlice } from './evaluate';
import { influxStepQuery, stepEndOf } from './influxSteps';

/** Prometheus answers at most 11,000 points per series. */
export const MAX_BURN_DOWN_STEPS = 11_000;

/** Sums the series' values per timestamp. */
function byTime(series: readonly Series[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const s of series) {
    for (const [t, v] of s.points) {
      if (Number.isFinite(v)) {
        out.set(t, (out.get(t) ?? 0) + v);
      }
    }
  }
  return out;
}

/** Good and total events per step from the side's and the total's counts by step time. */
function combine(
  sideIsGood: boolean,
  sides: Map<number, number>,
  totals: Map<number, number>,
  times: readonly number[]
): Array<EventCounts & { t: number }> {
  return times.map((t) => {
    const total = totals.get(t) ?? 0;
    const s = sides.get(t) ?? 0;
    const good = sideIsGood ? s : total - s;
    return { t, good: Math.max(0, Math.min(good, total)), total };
  });
}

/** Events per step ending at each step time (PromQL ratio and latency SLIs: increase over the step). */
async function countSteps(
  slo: Slo,
  source: Source,
  times: readonly number[],
  stepMs: number
): Promise<Array<EventCounts & { t: number }>> {
  const q = countQueries(slo.sli, stepMs);
  const first = times[0];
  const last = times[times.length - 1];
  const [side, all] = await Promise.all([
    source.queryRange(q.good ?? q.bad!, first, last, stepMs / 1000),
    source.queryRange(q.total, first, last, stepMs / 1000),
  ]);
  return combine(q.good !== undefined, byTime(side), byTime(all), times);
}

/**
 * Events per step of an InfluxQL ratio SLI: each side read once over (first − step, last], bucketed
 * by the step so a bucket holds the step's (t − step, t] (influxSteps.ts), its label moved to t.
 */
async function influxSteps(
  sli: RatioSli,
  source: Source,
  times: readonly number[],
  stepMs: number
): Promise<Array<EventCounts & { t: number }>> {
  const read = async (field: 'good' | 'bad' | 'total', text: string) => {
    const q = influxStepQuery(text, stepMs);
    if ('error' in q) {
      throw badRequest(`sli.ratio.${field}: ${q.error}`);
    }
    const start = times[0] - stepMs + 1;
    const series = await source.queryRange(q.query, start, times[times.length - 1], Math.max(1, stepMs / 1000));
    const out = new Map<number, number>();
    for (const [label, v] of byTime(series)) {
      const t = stepEndOf(label, stepMs);
      out.set(t, (out.get(t) ?? 0) + v);
    }
    return out;
  };
  const [sides, totals] = await Promise.all([
    sli.good !== undefined ? read('good', sli.good) : read('bad', sli.bad!),
    read('total', sli.total),
  ]);
  return combine(sli.good !== undefined, sides, totals, times);
}

/** Slices per step (timeslice SLIs: the step is the slice). */
async function sliceSteps(
  slo: Slo,
  source: Source,
  times: readonly number[]
): Promise<Array<EventCounts & { t: number }>> {
  if (slo.sli.kind !== 'timeslice') {
    throw new Error('not a timeslice SLI');
  }
  const sli = slo.sli;
  const values = await source.queryRange(sli.query, times[0], times[times.length - 1], sli.sliceMs / 1000);
  const good = new Map<number, boolean>();
  for (const s of values) {
    for (const [t, v] of s.points) {
      if (Number.isFinite(v)) {
        good.set(t, (good.get(t) ?? true) && goodSlice(sli, v));
      }
    }
  }
  return times.map((t) => ({ t, good: good.get(t) === true ? 1 : 0, total: good.has(t) ? 1 : 0 }));
}

/** The burn-down of `slo` over (from, to] at `stepMs` (a timeslice SLI steps by its slice). */
export async function sloBurnDown(
  slo: Slo,
  source: Source,
  from: number,
  to: number,
  stepMs: number
): Promise<{ from: number; to: number; stepMs: number; points: BurnDownPoint[] }> {
  const step = slo.sli.kind === 'timeslice' ? slo.sli.sliceMs : stepMs;
  if (!(to > from)) {
    throw badRequest('from: must be before to');
  }
  if (!(step >= 1000)) {
    throw badRequest('step: must be at least 1s');
  }
  const first = Math.ceil((from + step) / step) * step;
  const count = Math.floor((to - first) / step) + 1;
  if (count > MAX_BURN_DOWN_STEPS) {
    throw badRequest(
      `step: (to − from) / step is ${count} steps, more than ${MAX_BURN_DOWN_STEPS}: take a longer step`
    );
  }
  const times = Array.from({ length: Math.max(0, count) }, (_, i) => first + i * step);
  if (times.length === 0) {
    return { from, to, stepMs: step, points: [] };
  }
  const steps =
    slo.sli.kind === 'timeslice'
      ? await sliceSteps(slo, source, times)
      : slo.sli.kind === 'ratio' && slo.sli.language === 'influxql'
        ? await influxSteps(slo.sli, source, times, step)
        : await countSteps(slo, source, times, step);
  return { from, to, stepMs: step, points: burnDown(steps, slo.target) };
}
