/**
 * The guide's metric API ("Quick Reference" → "Query Metrics"):
 * `GET /api/v1/monitoring/metrics?metric_names=cpu_usage&hours=24` and
 * `GET /api/v1/monitoring/metrics/timeseries/response_time?hours=6`. Metric names are the ones the
 * configuration maps to queries (`metricNames`); each is read as a range query with at most ~500
 * points per series, and summarized (current, min, max, avg) as the guide's dashboards show them.
 */
import { Router } from 'express';
import type { Config } from '../config/schema';
import { badRequest, notFound, VigilError } from '../errors';
import type { Source } from '../sources';

/** Points per series a metric read aims at (the step is chosen to stay at or below it). */
export const TARGET_POINTS = 500;
const MAX_HOURS = 31 * 24;

/** One series of a metric: labels and `[ISO time, value]` points (null where not a number). */
export interface MetricSeries {
  labels: Record<string, string>;
  points: Array<[string, number | null]>;
  current: number | null;
  min: number | null;
  max: number | null;
  avg: number | null;
}

/** A metric read over the last `hours`. */
export interface MetricReading {
  unit: string | null;
  series: MetricSeries[];
  /** The mean of each series' last value (the series' own figures are on each series). */
  current: number | null;
  min: number | null;
  max: number | null;
  avg: number | null;
}

function stats(values: number[]): { min: number | null; max: number | null; avg: number | null } {
  if (values.length === 0) {
    return { min: null, max: null, avg: null };
  }
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const v of values) {
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
  }
  return { min, max, avg: sum / values.length };
}

/** Reads and summarizes the metric names map to. Unknown names: 404 listing the known ones. */
export async function readMetric(
  config: Config,
  sources: readonly Source[],
  name: string,
  hours: number,
  now = Date.now()
): Promise<MetricReading & { stepSeconds: number; from: number; to: number }> {
  const mapping = Object.hasOwn(config.metricNames, name) ? config.metricNames[name] : undefined;
  if (!mapping) {
    const known = Object.keys(config.metricNames);
    throw notFound(
      `unknown metric "${name.slice(0, 100)}" (known: ${known.length ? known.join(', ') : 'none; see metricNames in the config'})`
    );
  }
  const source = sources.find((s) => s.name === mapping.datasource);
  if (!source) {
    throw new VigilError(
      'misconfigured',
      `metric "${name}" maps to datasource "${mapping.datasource}", which is not configured`
    );
  }
  const rangeMs = hours * 3_600_000;
  const stepSeconds = Math.max(1, Math.ceil(rangeMs / 1000 / TARGET_POINTS));
  // A whole number of steps back from now, so the last point is the current value (not up to a step old).
  const from = now - Math.ceil(rangeMs / 1000 / stepSeconds) * stepSeconds * 1000;
  const raw = await source.queryRange(mapping.query, from, now, stepSeconds);
  const series: MetricSeries[] = raw.map((s) => {
    const finite = s.points.map((p) => p[1]).filter((v) => Number.isFinite(v));
    const last = s.points.length ? s.points[s.points.length - 1][1] : NaN;
    return {
      labels: s.labels,
      points: s.points.map(([t, v]): [string, number | null] => [
        new Date(t).toISOString(),
        Number.isFinite(v) ? v : null,
      ]),
      current: Number.isFinite(last) ? last : null,
      ...stats(finite),
    };
  });
  const currents = series.map((s) => s.current).filter((v): v is number => v !== null);
  const all = series.flatMap((s) => s.points.map((p) => p[1]).filter((v): v is number => v !== null));
  return {
    unit: mapping.unit ?? null,
    series,
    current: currents.length ? currents.reduce((a, b) => a + b, 0) / currents.length : null,
    ...stats(all),
    stepSeconds,
    from,
    to: now,
  };
}

function hoursParam(value: unknown, fallback: number): number {
  if (value === undefined || value === '') {
    return fallback;
  }
  const n = typeof value === 'string' && /^\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
  if (!(n > 0 && n <= MAX_HOURS)) {
    throw badRequest(`hours: expected a number of hours above 0 and at most ${MAX_HOURS}`);
  }
  return n;
}

/** `GET /api/v1/monitoring/metrics` and `GET /api/v1/monitoring/metrics/timeseries/:name`. */
export function monitoringMetricsRouter(config: Config, sources: readonly Source[]): Router {
  const router = Router();

  router.get('/api/v1/monitoring/metrics', async (req, res) => {
    const hours = hoursParam(req.query.hours, 24);
    const raw = req.query.metric_names;
    if (raw !== undefined && typeof raw !== 'string') {
      throw badRequest('metric_names: expected one comma-separated value');
    }
    const names = raw
      ? [
          ...new Set(
            raw
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean)
          ),
        ]
      : Object.keys(config.metricNames);
    if (names.length > 50) {
      throw badRequest('metric_names: at most 50 names');
    }
    const now = Date.now();
    const readings = await Promise.all(names.map((n) => readMetric(config, sources, n, hours, now)));
    const metrics: Record<string, MetricReading> = {};
    names.forEach((n, i) => {
      const { stepSeconds: _s, from: _f, to: _t, ...reading } = readings[i];
      metrics[n] = reading;
    });
    res.json({
      metrics,
      hours,
      from: new Date(readings[0]?.from ?? now - hours * 3_600_000).toISOString(),
      to: new Date(now).toISOString(),
      step_seconds: readings[0]?.stepSeconds ?? null,
    });
  });

  router.get('/api/v1/monitoring/metrics/timeseries/:name', async (req, res) => {
    const hours = hoursParam(req.query.hours, 24);
    const { stepSeconds, from, to, ...reading } = await readMetric(config, sources, req.params.name, hours);
    res.json({
      metric: req.params.name,
      ...reading,
      hours,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      step_seconds: stepSeconds,
    });
  });

  return router;
}
