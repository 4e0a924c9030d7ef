/**
 * The SLO benchmark's data and SLOs: per service, request and error counters and a request-duration
 * histogram (buckets 0.25 s, 0.5 s, 1 s, +Inf and its count), and four SLOs on them (availability
 * 99.9% from errors / requests; latency under 0.25 s for 95%, under 0.5 s for 99%, under 1 s for
 * 99.9%), all over a rolling 30 days. 250 services make 1,000 SLOs on 1,500 series.
 *
 * Traffic is 600 requests a minute per service with an error share and latency shares that differ by
 * service and drift through the day; every 25th service has an error burst in its last two hours
 * (so some burn-rate alerts fire on both sides). History is written as OpenMetrics for promtool's
 * backfill at 15-minute resolution beyond three days, 5 minutes beyond one day, 1 minute within
 * (coarser history is cheaper for Prometheus' long windows, so the baseline is, if anything,
 * favoured); the last 40 minutes and the minutes ahead go in by remote write (Prometheus' head).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Slo } from '@vigil/core';
import type { BulkSeries } from '../rules/remoteWrite';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const PER_MIN = 600;
/** Histogram bucket bounds (seconds) the latency SLOs use, with +Inf. */
const LE = ['0.25', '0.5', '1', '+Inf'] as const;

/** One series of the dataset: its labels and its cumulative value at any minute. */
export interface DataSeries {
  name: string;
  labels: Record<string, string>;
  /** Counter value at minute-aligned time `t` (ms). */
  at(t: number): number;
  /** The events of the minute ending at `t` (what the counter gains from t − 1 min to t). */
  perMinute(t: number): number;
}

const svcName = (i: number) => `svc-${String(i).padStart(4, '0')}`;

/**
 * Per-minute events of service `i` at minute `m` (minutes since `origin`): requests, errors and the
 * requests under each bound. Deterministic, so the counter at any time is a sum over whole minutes,
 * computed in closed form per day to keep 30 days of 1,500 series cheap.
 */
function perMinute(i: number, burstFrom: number) {
  const baseErr = 0.0002 + ((i * 37) % 10) * 0.00006; // 0.02%–0.074%
  const slow = ((i * 13) % 7) * 0.004; // extra share over 0.25 s
  return (t: number) => {
    const diurnal = 0.5 + 0.5 * Math.sin((2 * Math.PI * (t % DAY)) / DAY);
    const burst = i % 25 === 0 && t > burstFrom;
    const errors = PER_MIN * (burst ? 0.05 : baseErr * (0.5 + diurnal));
    const over025 = PER_MIN * (0.02 + slow * diurnal);
    const over05 = PER_MIN * 0.004 * (0.5 + diurnal);
    const over1 = PER_MIN * 0.0004;
    return { requests: PER_MIN, errors, under: [PER_MIN - over025, PER_MIN - over05, PER_MIN - over1, PER_MIN] };
  };
}

/** The dataset: series of `services` services from `origin` on; bursts start at `burstFrom`. */
export function dataset(services: number, origin: number, burstFrom: number): DataSeries[] {
  const out: DataSeries[] = [];
  for (let i = 0; i < services; i++) {
    const svc = svcName(i);
    const f = perMinute(i, burstFrom);
    // Cumulative sums, memoised forward (times are asked in increasing order per series).
    const counter = (name: string, labels: Record<string, string>, pick: (e: ReturnType<typeof f>) => number) =>
      out.push({ name, labels, at: cumulative(pick), perMinute: (t) => pick(f(t)) });
    const cumulative = (pick: (e: ReturnType<typeof f>) => number) => {
      let t0 = origin;
      let sum = 0;
      return (t: number) => {
        if (t < t0) {
          t0 = origin;
          sum = 0;
        }
        for (; t0 < t; t0 += MIN) {
          sum += pick(f(t0 + MIN));
        }
        return Math.round(sum * 1000) / 1000;
      };
    };
    counter('bench_slo_requests_total', { svc }, (e) => e.requests);
    counter('bench_slo_errors_total', { svc }, (e) => e.errors);
    LE.forEach((le, k) => counter('bench_slo_request_duration_seconds_bucket', { svc, le }, (e) => e.under[k]));
    counter('bench_slo_request_duration_seconds_count', { svc }, (e) => e.requests);
  }
  return out;
}

/** The sample times of the backfill: 15 min, then 5 min within three days of `end`, 1 min within one. */
export function backfillTimes(origin: number, end: number): number[] {
  const times: number[] = [];
  for (let t = origin; t <= end;) {
    times.push(t);
    const left = end - t;
    t += left > 3 * DAY ? 15 * MIN : left > DAY ? 5 * MIN : MIN;
  }
  return times;
}

const BLOCK_MS = 2 * 60 * MIN;

/**
 * Writes the series at `times` as OpenMetrics, one file per 2 h block (promtool re-reads a whole
 * file for every block it writes): families together, samples in time order. Returns the files.
 */
export async function writeOpenMetricsBlocks(
  dir: string,
  series: readonly DataSeries[],
  times: readonly number[]
): Promise<{ files: string[]; samples: number }> {
  const files: string[] = [];
  let samples = 0;
  const names = [...new Set(series.map((s) => s.name))];
  const heads = series.map(
    (s) =>
      `${s.name}{${Object.entries(s.labels)
        .map(([k, v]) => `${k}="${v}"`)
        .join(',')}}`
  );
  for (let i = 0; i < times.length;) {
    const block = Math.floor(times[i] / BLOCK_MS);
    let j = i;
    while (j < times.length && Math.floor(times[j] / BLOCK_MS) === block) {
      j++;
    }
    const slice = times.slice(i, j);
    const lines: string[] = [];
    for (const name of names) {
      lines.push(`# TYPE ${name} gauge`);
      series.forEach((s, k) => {
        if (s.name === name) {
          for (const t of slice) {
            lines.push(`${heads[k]} ${s.at(t)} ${t / 1000}`);
          }
        }
      });
    }
    lines.push('# EOF');
    samples += series.length * slice.length;
    const file = join(dir, `block-${block}.om`);
    await writeFile(file, lines.join('\n') + '\n');
    files.push(file);
    i = j;
  }
  return { files, samples };
}

/** The series at every minute in [from, to], for remote write. */
export function bulkSeries(series: readonly DataSeries[], from: number, to: number): BulkSeries[] {
  return series.map((s) => {
    const timestamps: number[] = [];
    const values: number[] = [];
    for (let t = from; t <= to; t += MIN) {
      timestamps.push(t);
      values.push(s.at(t));
    }
    return { labels: { __name__: s.name, ...s.labels }, timestamps, values };
  });
}

/** The four SLOs of each service (ids `<svc>-availability`, `<svc>-latency-250ms`, …). */
export function benchSlos(services: number, datasource: string): Slo[] {
  const common = {
    description: '',
    datasource,
    window: { kind: 'rolling', durationMs: 30 * DAY } as const,
    measurementWindowMs: 5 * MIN,
    minEvents: 0,
    alerting: { page: true, ticket: true },
    labels: {},
  };
  const out: Slo[] = [];
  for (let i = 0; i < services; i++) {
    const svc = svcName(i);
    out.push({
      ...common,
      id: `${svc}-availability`,
      name: `${svc} availability`,
      service: svc,
      target: 99.9,
      sli: {
        kind: 'ratio',
        language: 'promql',
        bad: `sum(increase(bench_slo_errors_total{svc="${svc}"}[$__range]))`,
        total: `sum(increase(bench_slo_requests_total{svc="${svc}"}[$__range]))`,
      },
    });
    for (const [ms, target] of [
      [250, 95],
      [500, 99],
      [1000, 99.9],
    ] as const) {
      out.push({
        ...common,
        id: `${svc}-latency-${ms}ms`,
        name: `${svc} latency under ${ms} ms`,
        service: svc,
        target,
        sli: {
          kind: 'latency',
          language: 'promql',
          histogram: 'bench_slo_request_duration_seconds',
          matchers: `svc="${svc}"`,
          thresholdSeconds: ms / 1000,
        },
      });
    }
  }
  return out;
}

/**
 * The true budget remaining of a bench SLO over (end − 30 d, end]: the events the counters hold, read
 * as Prometheus reads a counter between samples (its value at the last whole minute).
 */
export function trueBudgetRemaining(slo: Slo, series: readonly DataSeries[], end: number): number {
  const svc = slo.service;
  const find = (name: string, le?: string) =>
    series.find((s) => s.name === name && s.labels.svc === svc && (le === undefined || s.labels.le === le))!;
  const b = Math.floor(end / MIN) * MIN;
  const a = Math.floor((end - 30 * DAY) / MIN) * MIN;
  const sum = (s: DataSeries) => {
    let n = 0;
    for (let t = a + MIN; t <= b; t += MIN) {
      n += s.perMinute(t);
    }
    return n;
  };
  let bad: number;
  let total: number;
  if (slo.sli.kind === 'latency') {
    total = sum(find('bench_slo_request_duration_seconds_count'));
    bad = total - sum(find('bench_slo_request_duration_seconds_bucket', String(slo.sli.thresholdSeconds)));
  } else {
    total = sum(find('bench_slo_requests_total'));
    bad = sum(find('bench_slo_errors_total'));
  }
  return Math.max(0, 1 - bad / (total * (1 - slo.target / 100)));
}
