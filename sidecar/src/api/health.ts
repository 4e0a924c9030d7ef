import { Router, type Request } from 'express';
import type { Source } from '../sources';
import { tokensEqual } from './auth';
import type { Store, StoreHealth } from '../store';
import type { HaStatus } from '../ha/leadership';

/** One datasource's line in the health report. */
export interface DatasourceHealth {
  name: string;
  type: string;
  url: string;
  reachable: boolean;
  latencyMs: number;
  error?: string;
}

/** Body of `GET /api/v1/monitoring/health` (the guide's "Check System Health"). */
export interface HealthReport {
  status: 'healthy' | 'degraded' | 'unhealthy';
  timestamp: string;
  datasources: DatasourceHealth[];
  store: StoreHealth;
  /** This replica and the leader (issue 14): which one evaluates, the lease's term and age. */
  ha?: HaStatus;
}

/** Checks every datasource concurrently (each bounded by `timeoutMs`) and the store. */
export async function checkHealth(sources: readonly Source[], store: Store, timeoutMs: number): Promise<HealthReport> {
  const [datasources, storeHealth] = await Promise.all([
    Promise.all(
      sources.map(async (s): Promise<DatasourceHealth> => {
        const p = await s.ping({ timeoutMs });
        return {
          name: s.name,
          type: s.type,
          url: s.url,
          reachable: p.ok,
          latencyMs: p.latencyMs,
          ...(p.error ? { error: p.error } : {}),
        };
      })
    ),
    store.health(),
  ]);
  const status = !storeHealth.ok ? 'unhealthy' : datasources.every((d) => d.reachable) ? 'healthy' : 'degraded';
  return { status, timestamp: new Date().toISOString(), datasources, store: storeHealth };
}

/** True when the request carries the API's bearer token (the health route is public, so auth did not look). */
function hasToken(req: Request, token: string): boolean {
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
  return m !== null && tokensEqual(m[1], token);
}

/**
 * `GET /api/v1/monitoring/health`, public for probes and load balancers: 200 when the store works
 * (status `healthy`, or `degraded` if a datasource is unreachable), 503 `unhealthy` when it does not.
 * Without the bearer token the body is `{ status }` only: datasource names, URLs and error texts tell
 * an anonymous caller where the sidecar's backends are, so only an authenticated one sees the report.
 */
export function healthRouter(deps: {
  sources: readonly Source[];
  store: Store;
  timeoutMs: number;
  token: string;
  ha?: () => HaStatus;
}): Router {
  const router = Router();
  router.get('/api/v1/monitoring/health', async (req, res) => {
    const report: HealthReport = await checkHealth(deps.sources, deps.store, deps.timeoutMs);
    if (deps.ha) {
      report.ha = deps.ha();
    }
    res.set('Cache-Control', 'no-store');
    res
      .status(report.status === 'unhealthy' ? 503 : 200)
      .json(hasToken(req, deps.token) ? report : { status: report.status });
  });
  return router;
}
