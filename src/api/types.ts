/**
 * Wire types of the sidecar API, as the plugin reads them. Values on the wire are string unions.
 * Form types live with their forms; these mirror what the sidecar sends.
 */

/** Overall state reported by `GET /api/v1/monitoring/health`. */
export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy';

/** One configured datasource, as the health endpoint reports it. */
export interface DatasourceHealth {
  name: string;
  type: string;
  url: string;
  reachable: boolean;
  latencyMs: number;
  error?: string;
}

/** Body of `GET /api/v1/monitoring/health` (200 when healthy or degraded, 503 when unhealthy). */
export interface HealthResponse {
  status: HealthStatus;
  timestamp: string;
  datasources: DatasourceHealth[];
  store: { type: string; ok: boolean; schemaVersion: number };
}

/** The sidecar's JSON error body: `{ "error": { "code", "message" } }`. */
export interface ErrorBody {
  error: { code: string; message: string };
}

/** Severity of an anomaly event: the guide's mapping of its peak confidence. */
export type AnomalySeverity = 'info' | 'warning' | 'error';

/**
 * Metadata of an anomaly event as the sidecar stores it (the guide's fields plus the detector's).
 * Every field is optional here: a sidecar of another version may omit some, and the page must still
 * render what is there.
 */
export interface AnomalyMetadata {
  anomaly_type?: string;
  z_score?: number;
  baseline_mean?: number;
  baseline_stdev?: number;
  confidence?: number;
  severity?: string;
  detection_method?: string;
  detector?: string;
  datasource?: string;
  query?: string;
  labels?: Record<string, string>;
  status?: 'open' | 'closed';
  points?: number;
  peak_value?: number;
  peak_at?: number;
  last_anomaly_at?: number;
  [key: string]: unknown;
}

/** One anomaly event (one per incident). Times are epoch milliseconds; `endedAt` is null while open. */
export interface AnomalyEvent {
  id: string;
  kind: string;
  seriesKey: string;
  startedAt: number;
  endedAt: number | null;
  severity: AnomalySeverity;
  /** The guide's "Anomaly in X: current=…, expected=…±…". */
  message: string;
  metadata: AnomalyMetadata;
}

/** Body of `GET /api/v1/anomalies?from&to`: the window (epoch ms) and its events, newest first. */
export interface AnomaliesResponse {
  from: number;
  to: number;
  anomalies: AnomalyEvent[];
}

/** One configured datasource as `GET /api/v1/datasources` lists it (credentials masked by the sidecar). */
export interface DatasourceInfo {
  name: string;
  /** `prometheus` or `influxdb`: decides the query language (PromQL or InfluxQL). */
  type: string;
  url: string;
}

/** Body of `GET /api/v1/datasources`. */
export interface DatasourcesResponse {
  datasources: DatasourceInfo[];
}

/** One configured detector as `GET /api/v1/detectors` reports it (only what the rule editor reads). */
export interface DetectorInfo {
  name: string;
  datasource: string;
  query: string;
}

/** Body of `GET /api/v1/detectors`. */
export interface DetectorsResponse {
  detectors: DetectorInfo[];
}
