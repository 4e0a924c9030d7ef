import { VigilError } from '../errors';
import type { InfluxDatasourceConfig } from '../config/schema';
import { httpCall, httpError, parseJson } from './http';
import { HttpSource } from './httpSource';
import type { CallOptions, Series, Source } from './source';
import { checkRange } from './common';

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
 * answers 204 when up; InfluxQL runs on `/query?db=…&epoch=ms`.
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
    const body = new URLSearchParams({
      db: this.config.database,
      q: expandInfluxQuery(query, start, end, stepSeconds),
      epoch: 'ms',
    });
    if (this.config.retentionPolicy) {
      body.set('rp', this.config.retentionPolicy);
    }
    // POST /query accepts read-only statements too and keeps long queries out of the URL.
    const res = await httpCall({
      what,
      url: new URL('query', this.base),
      method: 'POST',
      body,
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

  // TODO(rules): implemented with the rule engine.
  async queryInstant(_query: string, _time: number, _opts: CallOptions & { lookbackMs?: number } = {}): Promise<Series[]> {
    throw new VigilError('not_implemented', 'queryInstant: not implemented yet');
  }
}
