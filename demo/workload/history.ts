// Past metrics of the demo workload as OpenMetrics text, for `promtool tsdb create-blocks-from
// openmetrics`: the demo's Prometheus starts with hours of history (and a few past incidents) so the
// panels have a baseline and something to show from the first minute, instead of an empty chart.
import { Series, toOpenMetrics } from '../../test/harness/series';
import { Incident, IncidentSpec, parseIncidentSpec } from './incidents';
import { LATENCY_BUCKETS } from './metrics';
import { Model } from './model';
import { createRng } from './rng';

/** Options of {@link workloadHistory}. */
export interface HistoryOptions {
  /** End of the history (epoch ms), usually now. */
  endMs: number;
  /** How far back it goes. Default 3 hours. */
  hours?: number;
  /** Sample spacing, seconds. Default 10. */
  stepSeconds?: number;
  seed?: number;
  speed?: number;
  /** Gateway requests per second at the daily peak, as the live workload's `peakRps`. Default 40. */
  peakRps?: number;
  /**
   * Simulated time at `endMs`; default `endMs`. Pass a live workload's `simStartMs` (started at `endMs`)
   * so history and live data share one simulated clock.
   */
  simEndMs?: number;
  /**
   * A coarser stretch of history before the `hours` (same model and counters, so every series runs on
   * without a reset): the days the business dashboards' 7-day baselines compare against.
   */
  baseline?: { hours: number; stepSeconds: number };
  /** Labels Prometheus would add when scraping (job, instance), so history joins the live series. */
  targetLabels: Record<string, string>;
  /** Past incidents, each starting `minutesAgo` before `endMs`. */
  incidents?: Array<IncidentSpec & { minutesAgo: number }>;
}

/** Past incidents of the demo's history: one recent enough for a 15-minute view, older ones for longer views. */
export const DEMO_PAST_INCIDENTS: Array<IncidentSpec & { minutesAgo: number }> = [
  { type: 'latency_spike', service: 'database', durationSeconds: 90, magnitude: 20, minutesAgo: 9 },
  { type: 'error_burst', service: 'payments', durationSeconds: 180, magnitude: 0.3, minutesAgo: 45 },
  { type: 'service_down', service: 'database', durationSeconds: 120, minutesAgo: 130 },
];

/** Generates the history; returns OpenMetrics text ending in `# EOF`. */
export function workloadHistory(opts: HistoryOptions): string {
  const hours = opts.hours ?? 3;
  const step = opts.stepSeconds ?? 10;
  const speed = opts.speed ?? 1;
  const startMs = opts.endMs - hours * 3600_000;
  const baselineStep = opts.baseline?.stepSeconds ?? step;
  const firstMs = startMs - (opts.baseline?.hours ?? 0) * 3600_000;
  // Same simulated clock as a live workload started at endMs with the same speed.
  const model = new Model(createRng((opts.seed ?? 1) + 1000), {
    realStartMs: firstMs,
    simStartMs: (opts.simEndMs ?? opts.endMs) - (opts.endMs - firstMs) * speed,
    speed,
    peakRps: opts.peakRps,
  });
  const incidents: Incident[] = (opts.incidents ?? []).map((spec, i) => {
    const { minutesAgo, ...rest } = spec;
    const valid = parseIncidentSpec(rest);
    const startedAt = opts.endMs - minutesAgo * 60_000;
    return {
      ...valid,
      id: `past-${i + 1}`,
      source: 'schedule',
      startedAt,
      endsAt: startedAt + valid.durationSeconds * 1000,
    };
  });

  const counters = new Map<string, number>();
  const series = new Map<string, Series>();
  const emit = (name: string, labels: Record<string, string>, value: number, ts: number): void => {
    const all = { __name__: name, ...labels, ...opts.targetLabels };
    const key = JSON.stringify(all);
    let s = series.get(key);
    if (!s) {
      s = { labels: all, samples: [] };
      series.set(key, s);
    }
    s.samples.push({ timestamp: ts, value });
  };
  const add = (key: string, by: number): number => {
    const v = (counters.get(key) ?? 0) + by;
    counters.set(key, v);
    return v;
  };

  // The baseline's coarse steps, then the fine ones, then a last, shorter one that ends at endMs: the
  // counters then hold every request up to endMs, and a live workload whose counters start from 0 at
  // endMs (Workload.startedAtMs) continues them as a counter reset with nothing lost in between (a gap
  // there made rate() dip by a sixth for a minute at every demo start, and the request-rate detector
  // raised an anomaly per service). The live scrape comes seconds later, never at endMs itself.
  const times: Array<[number, number]> = [];
  for (let ts = firstMs + baselineStep * 1000; ts <= startMs; ts += baselineStep * 1000) {
    times.push([ts, baselineStep]);
  }
  let lastTs = times.length > 0 ? times[times.length - 1][0] : firstMs;
  for (let ts = startMs + step * 1000; ts < opts.endMs; ts += step * 1000) {
    times.push([ts, step]);
    lastTs = ts;
  }
  if (opts.endMs > lastTs) {
    times.push([opts.endMs, (opts.endMs - lastTs) / 1000]);
  }
  for (const [ts, dt] of times) {
    const s = model.step(dt, ts, incidents);
    for (const svc of s.services) {
      const l = { service: svc.service };
      for (const r of svc.requests) {
        const key = `req|${svc.service}|${r.route}|${r.code}`;
        // Like prom-client: a series exists from its first increment (inc(0) included).
        emit('vigil_demo_requests_total', { ...l, route: r.route, code: r.code }, add(key, r.count), ts);
      }
      const sorted = [...svc.latencies].sort((a, b) => a - b);
      let below = 0;
      for (const le of LATENCY_BUCKETS) {
        while (below < sorted.length && sorted[below] <= le) {
          below++;
        }
        emit(
          'vigil_demo_request_duration_seconds_bucket',
          { ...l, le: String(le) },
          add(`b|${svc.service}|${le}`, below),
          ts
        );
      }
      const count = add(`count|${svc.service}`, sorted.length);
      emit('vigil_demo_request_duration_seconds_bucket', { ...l, le: '+Inf' }, count, ts);
      emit('vigil_demo_request_duration_seconds_count', l, count, ts);
      const sum = add(
        `sum|${svc.service}`,
        sorted.reduce((a, b) => a + b, 0)
      );
      emit('vigil_demo_request_duration_seconds_sum', l, sum, ts);
      emit('vigil_demo_cpu_usage_percent', l, Math.round(svc.cpuPercent * 100) / 100, ts);
      emit('vigil_demo_memory_usage_bytes', l, svc.memoryBytes, ts);
      emit('vigil_demo_up', l, svc.up ? 1 : 0, ts);
    }
    emit('vigil_demo_orders_total', {}, add('orders', s.orders), ts);
    emit('vigil_demo_revenue_usd_total', {}, Math.round(add('revenue', s.revenueUsd) * 100) / 100, ts);
  }
  return toOpenMetrics([...series.values()]);
}

/**
 * OpenMetrics text cut into one text per UTC day of samples (each with every `# TYPE` line and `# EOF`):
 * promtool reads a whole file once per 2-hour block it writes, so a week in one file is read 86 times.
 */
export function splitByDay(text: string): string[] {
  const types: string[] = [];
  const days = new Map<number, string[]>();
  for (const line of text.split('\n')) {
    if (line.startsWith('# TYPE')) {
      types.push(line);
    } else if (line && !line.startsWith('#')) {
      const day = Math.floor(Number(line.slice(line.lastIndexOf(' ') + 1)) / 86_400);
      (days.get(day) ?? days.set(day, []).get(day)!).push(line);
    }
  }
  return [...days.values()].map((lines) => [...types, ...lines, '# EOF', ''].join('\n'));
}
