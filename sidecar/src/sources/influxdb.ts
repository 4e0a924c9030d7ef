import { badRequest, VigilError } from '../errors';
import type { InfluxDatasourceConfig } from '../config/schema';
import { httpCall, httpError, parseJson } from './http';
import { HttpSource } from './httpSource';
import type { CallOptions, Series, Source } from './source';
import { checkRange } from './common';
import { influxReadOnlyProblem } from './influxReadOnly';

/** Default window of an instant query: Prometheus' lookback delta. */
const DEFAULT_LOOKBACK_MS = 5 * 60_000;

interface InfluxSeries {
  name?: string;
  tags?: Record<string, string>;
  columns: string[];
  values?: unknown[][];
}
interface InfluxResponse {
  error?: string;
  results?: Array<{ statement_id?: number; error?: string; series?: InfluxSeries[] }>;
}

/**
 * Expands the Grafana-style macros a stored InfluxQL query may use, so one query text serves every
 * window: `$timeFilter` → `time >= <start>ms AND time <= <end>ms`; `$__interval` / `$interval` → `<step>s`.
 */
export function expandInfluxQuery(query: string, start: number, end: number, stepSeconds: number): string {
  return query
    .replace(/\$timeFilter\b/g, `time >= ${Math.floor(start)}ms AND time <= ${Math.ceil(end)}ms`)
    .replace(/\$(__interval|interval)\b/g, `${stepSeconds}s`);
}

/**
 * Converts an InfluxQL result to Series: one per (series, value column). Labels are the tags plus
 * `__name__` (the measurement) and, when a statement selects several fields, `__field__` (the column).
 * Null and non-numeric values are skipped (InfluxDB returns null for empty GROUP BY time buckets).
 */
export function influxToSeries(series: InfluxSeries[]): Series[] {
  const out: Series[] = [];
  for (const s of series) {
    const timeIdx = s.columns.indexOf('time');
    const valueCols = s.columns.map((c, i) => ({ c, i })).filter(({ i }) => i !== timeIdx);
    for (const { c, i } of valueCols) {
      const labels: Record<string, string> = { ...(s.tags ?? {}) };
      if (s.name !== undefined) {
        labels.__name__ = s.name;
      }
      if (valueCols.length > 1) {
        labels.__field__ = c;
      }
      const points: Array<[number, number]> = [];
      for (const row of s.values ?? []) {
        const t = row[timeIdx];
        const v = row[i];
        const num = typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : NaN;
        if (typeof t === 'number' && !Number.isNaN(num)) {
          points.push([t, num]);
        }
      }
      out.push({ labels, points });
    }
  }
  return out;
}

/**
 * InfluxDB 1.x over its HTTP API (https://docs.influxdata.com/influxdb/v1/tools/api/): `/ping`
 * answers 204 when up; read-only InfluxQL runs on `GET /query?db=…&epoch=ms`.
 */
export class InfluxSource extends HttpSource implements Source {
  readonly type = 'influxdb' as const;

  constructor(private readonly config: InfluxDatasourceConfig) {
    super(config, 'Token', { product: 'InfluxDB', path: 'ping', okStatuses: [204, 200] });
  }

  async queryRange(
    query: string,
    start: number,
    end: number,
    stepSeconds: number,
    opts: CallOptions = {}
  ): Promise<Series[]> {
    const what = `query InfluxDB "${this.name}"`;
    checkRange(what, query, start, end, stepSeconds);
    return this.run(what, expandInfluxQuery(query, start, end, stepSeconds), opts);
  }

  /**
   * Runs the query over `$timeFilter` = (time − lookbackMs, time] (default 5 minutes, Prometheus'
   * lookback delta) and keeps the last non-null value of each series, stamped `time`. Series with
   * no value in the window are left out (no data, as Prometheus leaves out stale series).
   */
  async queryInstant(query: string, time: number, opts: CallOptions & { lookbackMs?: number } = {}): Promise<Series[]> {
    const what = `query InfluxDB "${this.name}"`;
    const lookbackMs = opts.lookbackMs ?? DEFAULT_LOOKBACK_MS;
    if (!Number.isFinite(time)) {
      throw badRequest(`${what}: time must be epoch milliseconds`);
    }
    if (!(lookbackMs >= 1)) {
      throw badRequest(`${what}: lookback must be at least 1ms`);
    }
    // (time − lookback, time] in whole milliseconds: InfluxDB's `>=` on the next millisecond.
    checkRange(what, query, time - lookbackMs + 1, time, lookbackMs / 1000);
    const q = expandInfluxQuery(query, time - lookbackMs + 1, time, Math.max(1, Math.round(lookbackMs / 1000)));
    const series = await this.run(what, q, opts);
    const out: Series[] = [];
    for (const s of series) {
      const last = s.points[s.points.length - 1];
      if (last) {
        out.push({ labels: s.labels, points: [[time, last[1]]] });
      }
    }
    return out;
  }

  /**
   * Sends read-only InfluxQL through `GET /query`: refused before sending unless every statement is
   * a SELECT (without INTO) or a SHOW, and InfluxDB itself refuses writes on GET.
   */
  private async run(what: string, q: string, opts: CallOptions): Promise<Series[]> {
    const problem = influxReadOnlyProblem(q);
    if (problem !== null) {
      throw new VigilError('query_not_read_only', `${what}: ${problem}`, { status: 400 });
    }
    const url = new URL('query', this.base);
    url.searchParams.set('db', this.config.database);
    url.searchParams.set('q', q);
    url.searchParams.set('epoch', 'ms');
    if (this.config.retentionPolicy) {
      url.searchParams.set('rp', this.config.retentionPolicy);
    }
    const res = await httpCall({
      what,
      url,
      method: 'GET',
      headers: this.headers,
      timeoutMs: opts.timeoutMs ?? this.timeoutMs,
      signal: opts.signal,
    });
    if (res.status !== 200) {
      throw httpError(what, res);
    }
    const json = parseJson<InfluxResponse>(what, res);
    if (json.error) {
      throw new VigilError('bad_query', `${what}: ${json.error}`, { status: 400 });
    }
    const results = json.results ?? [];
    // InfluxDB reports a bad statement as 200 with a per-statement error.
    const failed = results.find((r) => r.error);
    if (failed) {
      throw new VigilError('bad_query', `${what}: ${failed.error}`, { status: 400 });
    }
    return influxToSeries(results.flatMap((r) => r.series ?? []));
  }
}
