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
