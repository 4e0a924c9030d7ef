/**
 * Typed calls of the sidecar's SLO API (`/api/v1/slos`, issue 10): the list (sorted by budget
 * remaining, each SLO with its latest status), one SLO, create / update (`If-Match: <version>`) /
 * delete in Vigil's SLO spec, and the SLO's generated Prometheus rules (YAML text). The wire types
 * mirror `sidecar/src/api/slos.ts`; each answer is shape-checked as in `incidents.ts`, so a sidecar
 * of another version (or a proxy answering HTML) fails here with a message that says so.
 */
import type { BudgetStatus } from '@vigil/core';
import { sidecarRequest, SidecarError } from './client';

/** One burn-rate alert's verdict at the last evaluation. */
export interface SloBurnRateView {
  name: string;
  kind: 'page' | 'ticket';
  severity: string;
  factor: number;
  longWindowMs: number;
  shortWindowMs: number;
  longRate: number | null;
  shortRate: number | null;
  firing: boolean;
  lowTraffic: boolean;
}

/** An SLO's latest evaluation. Fractions are ratios (0.999), the target a percentage (99.9). */
export interface SloStatusView {
  evaluatedAt: number;
  /** Set when the last evaluation failed (the figures are then null). */
  error: string | null;
  sliNow: number | null;
  sli: number | null;
  budgetRemaining: number | null;
  budgetConsumed: number | null;
  budgetStatus: BudgetStatus | null;
  burnRate: number | null;
  timeToExhaustionMs: number | null;
  burnRates: SloBurnRateView[];
  windowStart?: number | null;
  windowEnd?: number | null;
}

/** Vigil's SLO spec (what POST and PUT take, what `spec` holds): YAML-shaped JSON. */
export type SloSpec = Record<string, unknown>;

/** An SLO as the sidecar shows it. */
export interface SloView {
  id: string;
  name: string;
  description?: string;
  service: string;
  target: number;
  /** `30d`, or a calendar window's name. */
  window: string;
  spec: SloSpec;
  version: number;
  updatedAt?: number;
  updatedBy?: string;
  /** Null before the first evaluation. */
  status: SloStatusView | null;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The fields the SLO page needs to render an SLO. */
export function isSloView(v: unknown): v is SloView {
  return (
    isObject(v) &&
    typeof v.id === 'string' &&
    typeof v.name === 'string' &&
    typeof v.service === 'string' &&
    typeof v.target === 'number' &&
    typeof v.window === 'string' &&
    isObject(v.spec) &&
    typeof v.version === 'number' &&
    (v.status === null || (isObject(v.status) && Array.isArray(v.status.burnRates)))
  );
}

function expectShape<T>(method: string, path: string, body: unknown, ok: boolean, what: string): T {
  if (!ok) {
    throw new SidecarError(`sidecar ${method} ${path}: the answer is not ${what}`, { retryable: false });
  }
  return body as T;
}

/** `/slos/<id><suffix>`, the id encoded so that no value can change the path. */
function sloPath(id: string, suffix = ''): string {
  if (typeof id !== 'string' || id === '') {
    throw new Error(`SLO id must be a non-empty string: got ${JSON.stringify(id)}`);
  }
  return `/slos/${encodeURIComponent(id)}${suffix}`;
}

/** Every SLO with its status, the closest to running out of budget first (`GET /api/v1/slos`). */
export async function listSlos(): Promise<SloView[]> {
  const path = '/slos';
  const body = await sidecarRequest<unknown>(path);
  const ok = isObject(body) && Array.isArray(body.slos) && body.slos.every(isSloView);
  return expectShape<{ slos: SloView[] }>('GET', path, body, ok, 'an SLO list').slos;
}

/** One SLO with its status (`GET /api/v1/slos/:id`). */
export async function getSlo(id: string): Promise<SloView> {
  const path = sloPath(id);
  const body = await sidecarRequest<unknown>(path);
  return expectShape<SloView>('GET', path, body, isSloView(body), 'an SLO');
}

/** Creates an SLO from its spec (`POST /api/v1/slos`); a bad spec is a 400 whose `fields` name each problem. */
export async function createSlo(spec: SloSpec): Promise<SloView> {
  const body = await sidecarRequest<unknown>('/slos', { method: 'POST', body: spec });
  return expectShape<SloView>('POST', '/slos', body, isSloView(body), 'an SLO');
}

/**
 * Replaces an SLO (`PUT /api/v1/slos/:id`). With the `version` the form was loaded at, the sidecar
 * refuses the update (409) if someone changed the SLO since, instead of silently overwriting.
 */
export async function updateSlo(id: string, spec: SloSpec, version?: number): Promise<SloView> {
  const path = sloPath(id);
  const headers = version !== undefined ? { 'If-Match': String(version) } : undefined;
  const body = await sidecarRequest<unknown>(path, { method: 'PUT', body: spec, headers });
  return expectShape<SloView>('PUT', path, body, isSloView(body), 'an SLO');
}

/** Deletes an SLO and its burn-rate rule (`DELETE /api/v1/slos/:id`). */
export async function deleteSlo(id: string): Promise<void> {
  await sidecarRequest<unknown>(sloPath(id), { method: 'DELETE' });
}

/** The SLO's generated Prometheus rule file (`GET /api/v1/slos/:id/prometheus-rules`), as YAML text. */
export async function getSloPrometheusRules(id: string): Promise<string> {
  const path = sloPath(id, '/prometheus-rules');
  const body = await sidecarRequest<unknown>(path);
  // Grafana's BackendSrv hands back a body that is not JSON as text.
  return expectShape<string>('GET', path, body, typeof body === 'string', 'a YAML rule file');
}

/** One step of an SLO's burn-down. */
export interface BurnDownPoint {
  t: number;
  remaining: number;
  consumed: number;
}

/** The SLO's burn-down since its window started (`GET /api/v1/slos/:id/budget`). */
export async function getSloBurnDown(id: string): Promise<BurnDownPoint[]> {
  const path = sloPath(id, '/budget');
  const body = await sidecarRequest<unknown>(path);
  const ok =
    isObject(body) &&
    Array.isArray(body.points) &&
    body.points.every((p) => isObject(p) && typeof p.t === 'number' && typeof p.remaining === 'number');
  return expectShape<{ points: BurnDownPoint[] }>('GET', path, body, ok, 'a burn-down').points;
}

/** What an unsaved SLO would show now. */
export interface SloPreview {
  status: SloStatusView;
  burnDown: BurnDownPoint[];
}

/** Evaluates an unsaved spec now (`POST /api/v1/slos/preview`); a bad spec is a 400 naming its fields. */
export async function previewSlo(spec: SloSpec): Promise<SloPreview> {
  const path = '/slos/preview';
  const body = await sidecarRequest<unknown>(path, { method: 'POST', body: spec });
  const ok =
    isObject(body) && isObject(body.status) && Array.isArray(body.status.burnRates) && Array.isArray(body.burnDown);
  return expectShape<SloPreview>('POST', path, body, ok, 'an SLO preview');
}
