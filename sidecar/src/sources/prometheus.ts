import { VigilError } from '../errors';
import type { PrometheusDatasourceConfig } from '../config/schema';
import { httpCall, httpError, parseJson } from './http';
import { HttpSource } from './httpSource';
import type { CallOptions, Series, Source } from './source';
import { checkRange } from './common';

interface PromResponse {
  status: 'success' | 'error';
  error?: string;
  data?: { resultType: string; result: Array<{ metric: Record<string, string>; values?: Array<[number, string]> }> };
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
 * readiness via `/-/ready`, range queries via `POST /api/v1/query_range` (form-encoded, so long
 * PromQL does not hit URL length limits).
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
      start: String(start / 1000),
      end: String(end / 1000),
      step: String(stepSeconds),
    });
    const res = await httpCall({
      what,
      url: new URL('api/v1/query_range', this.base),
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
    if (json.data.resultType !== 'matrix') {
      throw new VigilError('bad_query', `${what}: expected a range vector (matrix), got ${json.data.resultType}`, {
        status: 400,
      });
    }
    return json.data.result.map((r) => ({
      labels: { ...r.metric },
      points: (r.values ?? []).map(([t, v]): [number, number] => [Math.round(t * 1000), parseSampleValue(v)]),
    }));
  }

  // TODO(rules): implemented with the rule engine.
  async queryInstant(_query: string, _time: number, _opts: CallOptions & { lookbackMs?: number } = {}): Promise<Series[]> {
    throw new VigilError('not_implemented', 'queryInstant: not implemented yet');
  }
}
