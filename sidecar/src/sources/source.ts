/**
 * One interface over the time-series backends Vigil reads from (Prometheus, InfluxDB 1.x), so rules,
 * detectors and SLOs never care which one holds a series.
 */

/** A labelled series; points are `[epoch milliseconds, value]`, oldest first. */
export interface Series {
  labels: Record<string, string>;
  points: Array<[number, number]>;
}

/** Result of a reachability check. */
export interface PingResult {
  ok: boolean;
  latencyMs: number;
  /** Why it is not reachable, e.g. `ping Prometheus: timeout after 2s`. */
  error?: string;
}

/** Options shared by source calls. */
export interface CallOptions {
  /** Overrides the datasource's configured timeout. */
  timeoutMs?: number;
  /** Cancels the call (e.g. on shutdown). */
  signal?: AbortSignal;
}

/** A datasource Vigil can query. */
export interface Source {
  readonly name: string;
  readonly type: 'prometheus' | 'influxdb';
  /** Base URL (credentials never included). */
  readonly url: string;
  /** Checks reachability; never throws. */
  ping(opts?: CallOptions): Promise<PingResult>;
  /**
   * Runs a range query from `start` to `end` (epoch ms, inclusive) at `stepSeconds` resolution.
   * Throws a VigilError (`retryable` for timeouts, network errors, 5xx and 429).
   */
  queryRange(query: string, start: number, end: number, stepSeconds: number, opts?: CallOptions): Promise<Series[]>;
  /**
   * Evaluates a query at one instant (epoch ms): one sample per series (`points` holds exactly one
   * point, at `time`). Prometheus: `/api/v1/query`. InfluxDB: the query over `$timeFilter` =
   * (time − `lookbackMs`, time], last value per series. Throws as {@link queryRange} does.
   */
  queryInstant(query: string, time: number, opts?: CallOptions & { lookbackMs?: number }): Promise<Series[]>;
}
