import { badRequest, VigilError } from '../errors';
import type { PrometheusDatasourceConfig } from '../config/schema';
import { httpCall, httpError, parseJson } from './http';
import { HttpSource } from './httpSource';
import type { CallOptions, Series, Source } from './source';
import { checkRange } from './common';

interface PromElement {
  metric: Record<string, string>;
  values?: Array<[number, string]>;
  value?: [number, string];
}
interface PromResponse {
  status: 'success' | 'error';
  error?: string;
  data?: {
    resultType: string;
    /** Vector and matrix: elements; scalar and string: one `[time, value]` pair. */
    result: PromElement[] | [number, string];
  };
}

/** Prometheus encodes sample values as strings, with `NaN`, `+Inf` and `-Inf` spelled out. */
export function parseSampleValue(v: string): number {
  if (v === '+Inf') {
    return Infinity;
  }
  if (v === '-Inf') {
    return -Infinity;
  }
  return Number(v);
}

/**
 * Prometheus over its HTTP API (https://prometheus.io/docs/prometheus/latest/querying/api/):
 * readiness via `/-/ready`, range queries via `POST /api/v1/query_range` and instant queries via
 * `POST /api/v1/query` (form-encoded, so long PromQL does not hit URL length limits).
 */
export class PrometheusSource extends HttpSource implements Source {
  readonly type = 'prometheus' as const;

  constructor(config: PrometheusDatasourceConfig) {
    super(config, 'Bearer', { product: 'Prometheus', path: '-/ready', okStatuses: [200] });
  }

  async queryRange(
    query: string,
    start: number,
    end: number,
    stepSeconds: number,
    opts: CallOptions = {}
  ): Promise<Series[]> {
    const what = `query Prometheus "${this.name}"`;
    checkRange(what, query, start, end, stepSeconds);
    const body = new URLSearchParams({
      query,
      start: promTime(start),
      end: promTime(end),
      step: `${Math.max(1, Math.round(stepSeconds * 1000))}ms`,
    });
    const data = await this.post(what, 'api/v1/query_range', body, opts);
    if (data.resultType !== 'matrix') {
      throw new VigilError('bad_query', `${what}: expected a range vector (matrix), got ${data.resultType}`, {
        status: 400,
      });
    }
    return vectorResult(data.result).map((r) => ({
      labels: { ...r.metric },
      points: (r.values ?? []).map(([t, v]): [number, number] => [Math.round(t * 1000), parseSampleValue(v)]),
    }));
  }

  /**
   * Evaluates PromQL at `time`: an instant vector gives one series per element, a scalar one series
   * without labels; every point is stamped `time` (what Prometheus returns for an instant query), so
   * it lines up with the same step of a range query. `lookbackMs` does not apply (Prometheus has its
   * own lookback delta).
   */
  async queryInstant(query: string, time: number, opts: CallOptions & { lookbackMs?: number } = {}): Promise<Series[]> {
    const what = `query Prometheus "${this.name}"`;
    if (query.trim() === '') {
      throw badRequest(`${what}: query is empty`);
    }
    if (!Number.isFinite(time)) {
      throw badRequest(`${what}: time must be epoch milliseconds`);
    }
    const body = new URLSearchParams({ query, time: promTime(time) });
    const data = await this.post(what, 'api/v1/query', body, opts);
    if (data.resultType === 'scalar') {
      const [, v] = data.result as [number, string];
      return [{ labels: {}, points: [[time, parseSampleValue(v)]] }];
    }
    if (data.resultType !== 'vector') {
      throw new VigilError('bad_query', `${what}: expected an instant vector or a scalar, got ${data.resultType}`, {
        status: 400,
      });
    }
    return vectorResult(data.result).map((r) => ({
      labels: { ...r.metric },
      points: [[time, parseSampleValue(r.value?.[1] ?? 'NaN')]],
    }));
  }

  /** POSTs a form to the query API and returns `data`, or throws naming the operation. */
  private async post(what: string, path: string, body: URLSearchParams, opts: CallOptions): Promise<PromData> {
    const res = await httpCall({
      what,
      url: new URL(path, this.base),
      method: 'POST',
      body,
      headers: this.headers,
      timeoutMs: opts.timeoutMs ?? this.timeoutMs,
      signal: opts.signal,
    });
    if (res.status !== 200) {
      throw httpError(what, res);
    }
    const json = parseJson<PromResponse>(what, res);
    if (json.status !== 'success' || !json.data) {
      throw new VigilError('datasource_error', `${what}: ${json.error ?? 'unexpected response'}`, { status: 502 });
    }
    return json.data;
  }
}

type PromData = NonNullable<PromResponse['data']>;

/**
 * A time for the query API as RFC 3339 with milliseconds: Prometheus reads float seconds through a
 * float64 and can land a millisecond early (`1700000012.345` → …344), so a grid time with a
 * millisecond offset would be evaluated at a different instant by an instant and a range query.
 */
function promTime(ms: number): string {
  return new Date(Math.round(ms)).toISOString();
}

// A vector or matrix result is an array of objects (a scalar's is a [time, value] pair).
function vectorResult(result: PromData['result']): PromElement[] {
  return result as PromElement[];
}
