/** SLOs as the sidecar sends them, for the SLO page's and API client's tests. */
import type { BackendSrvRequest } from '@grafana/runtime';
import { SIDECAR_PROXY_BASE } from '../api/client';
import type { SloBurnRateView, SloStatusView, SloView } from '../api/slos';
import { type CannedResponse, installFakeBackendSrv } from './fakeBackendSrv';

const HOUR = 3_600_000;

/** A burn-rate verdict (the page alert's 1h/5m pair by default). */
export function burnRate(over: Partial<SloBurnRateView> = {}): SloBurnRateView {
  return {
    name: 'page-1h',
    kind: 'page',
    severity: 'critical',
    factor: 14.4,
    longWindowMs: HOUR,
    shortWindowMs: 5 * 60_000,
    longRate: 2,
    shortRate: 1.5,
    firing: false,
    lowTraffic: false,
    ...over,
  };
}

/** A status with 40% of the budget left. */
export function sloStatus(over: Partial<SloStatusView> = {}): SloStatusView {
  return {
    evaluatedAt: Date.parse('2026-01-01T10:00:00Z'),
    error: null,
    sliNow: 0.998,
    sli: 0.9994,
    budgetRemaining: 0.4,
    budgetConsumed: 0.6,
    budgetStatus: 'warning',
    burnRate: 2,
    timeToExhaustionMs: 36 * HOUR,
    burnRates: [burnRate(), burnRate({ name: 'ticket-1d', kind: 'ticket', severity: 'warning', factor: 3 })],
    ...over,
  };
}

/** The guide's API availability SLO. */
export function sloView(over: Partial<SloView> = {}): SloView {
  const id = over.id ?? 'api_availability';
  return {
    id,
    name: 'API availability',
    service: 'api',
    target: 99.9,
    window: '30d',
    spec: {
      id,
      name: over.name ?? 'API availability',
      service: 'api',
      target: 99.9,
      sli: {
        ratio: {
          good: 'sum(increase(http_requests_total{code!~"5.."}[$__range]))',
          total: 'sum(increase(http_requests_total[$__range]))',
        },
      },
      datasource: 'prometheus',
    },
    version: 1,
    status: sloStatus(),
    ...over,
  };
}

/**
 * Installs a fake sidecar holding `slos` in memory: list, get, create, update (409 on a stale
 * If-Match), delete and the rule file, answering like `sidecar/src/api/slos.ts`. `respond` may
 * answer a request first (e.g. a 400 with field errors).
 */
export function fakeSloSidecar(
  initial: SloView[] = [sloView()],
  respond?: (req: BackendSrvRequest) => CannedResponse | undefined
) {
  const slos = [...initial];
  const fake = installFakeBackendSrv((req) => {
    const canned = respond?.(req);
    if (canned) {
      return canned;
    }
    const path = req.url.slice(SIDECAR_PROXY_BASE.length);
    if (path === '/datasources') {
      return { status: 200, body: { datasources: [{ name: 'prometheus', type: 'prometheus', url: 'x' }] } };
    }
    if (path === '/slos' && req.method === 'POST') {
      const spec = req.data as Record<string, unknown>;
      const v = sloView({ id: String(spec.id), name: String(spec.name), spec, status: null, version: 1 });
      slos.push(v);
      return { status: 201, body: v };
    }
    if (path === '/slos') {
      return { status: 200, body: { slos } };
    }
    const m = /^\/slos\/([^/]+)(\/prometheus-rules|\/budget)?$/.exec(path);
    const i = m ? slos.findIndex((s) => s.id === decodeURIComponent(m[1])) : -1;
    if (!m || i < 0) {
      return { status: 404, body: { error: { code: 'not_found', message: 'SLO not found' } } };
    }
    if (m[2] === '/budget') {
      const t0 = Date.UTC(2026, 11, 1);
      const points = [1, 0.9, 0.75, 0.7].map((remaining, k) => ({
        t: t0 + k * 3_600_000,
        remaining,
        consumed: 1 - remaining,
      }));
      return { status: 200, body: { from: t0 - 3_600_000, to: t0 + 3 * 3_600_000, stepMs: 3_600_000, points } };
    }
    if (m[2]) {
      return { status: 200, body: `# generated\ngroups:\n  - name: slo-${slos[i].id}\n` };
    }
    if (req.method === 'DELETE') {
      slos.splice(i, 1);
      return { status: 204, body: '' };
    }
    if (req.method === 'PUT') {
      const ifMatch = (req.headers as Record<string, string> | undefined)?.['If-Match'];
      if (ifMatch !== undefined && Number(ifMatch) !== slos[i].version) {
        return { status: 409, body: { error: { code: 'conflict', message: 'version mismatch' } } };
      }
      const spec = req.data as Record<string, unknown>;
      slos[i] = { ...slos[i], name: String(spec.name), spec, version: slos[i].version + 1 };
      return { status: 200, body: slos[i] };
    }
    return { status: 200, body: slos[i] };
  });
  return { fake, slos };
}
