/**
 * Typed calls of the sidecar's incidents API (`/api/v1/incidents`, issue 11): the list by state, one
 * incident with its alerts and timeline, and acknowledge / resolve (the sidecar records the Grafana
 * user the plugin proxy names in `X-Grafana-User`). Wire types come from @vigil/core
 * (`core/src/correlation/api.ts`). Each answer is shape-checked as in `notify.ts`, so a sidecar of
 * another version (or a proxy answering HTML) fails here with a message that says so.
 */
import type { IncidentActionBody, IncidentDetail, IncidentState, IncidentsResponse, IncidentView } from '@vigil/core';
import { sidecarRequest, SidecarError } from './client';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The fields every incident (list entry or detail) must carry for the page to render it. */
export function isIncidentView(v: unknown): v is IncidentView {
  return (
    isObject(v) &&
    typeof v.id === 'string' &&
    typeof v.title === 'string' &&
    typeof v.state === 'string' &&
    typeof v.severity === 'string' &&
    isObject(v.rootCause) &&
    typeof v.openedAt === 'string' &&
    typeof v.updatedAt === 'string'
  );
}

function isIncidentDetail(v: unknown): v is IncidentDetail {
  if (!isIncidentView(v)) {
    return false;
  }
  const { alerts, timeline } = v as unknown as Record<string, unknown>;
  return (
    Array.isArray(alerts) &&
    alerts.every(
      (a) => isObject(a) && typeof a.fingerprint === 'string' && typeof a.role === 'string' && isObject(a.labels)
    ) &&
    Array.isArray(timeline) &&
    timeline.every((t) => isObject(t) && typeof t.at === 'string' && typeof t.kind === 'string')
  );
}

function expectShape<T>(method: string, path: string, body: unknown, ok: boolean, what: string): T {
  if (!ok) {
    throw new SidecarError(`sidecar ${method} ${path}: the answer is not ${what}`, { retryable: false });
  }
  return body as T;
}

/** `/incidents/<id><suffix>`, the id encoded so that no value can change the path. */
function incidentPath(id: string, suffix = ''): string {
  if (typeof id !== 'string' || id === '') {
    throw new Error(`incident id must be a non-empty string: got ${JSON.stringify(id)}`);
  }
  return `/incidents/${encodeURIComponent(id)}${suffix}`;
}

/** Incidents, newest activity first, optionally of one state (`GET /api/v1/incidents?state=&limit=`). */
export async function listIncidents(
  filter: { state?: IncidentState; limit?: number } = {}
): Promise<IncidentsResponse> {
  const path = '/incidents';
  const params: Record<string, string | number> = {};
  if (filter.state) {
    params.state = filter.state;
  }
  if (filter.limit !== undefined) {
    params.limit = filter.limit;
  }
  const body = await sidecarRequest<unknown>(path, Object.keys(params).length ? { params } : undefined);
  const ok = isObject(body) && Array.isArray(body.incidents) && body.incidents.every(isIncidentView);
  return expectShape<IncidentsResponse>('GET', path, body, ok, 'an incident list');
}

/** One incident with its alerts (members and suppressed, with reasons) and timeline (`GET /api/v1/incidents/:id`). */
export async function getIncident(id: string): Promise<IncidentDetail> {
  const path = incidentPath(id);
  const body = await sidecarRequest<unknown>(path);
  return expectShape<IncidentDetail>('GET', path, body, isIncidentDetail(body), 'an incident');
}

async function act(
  id: string,
  action: 'acknowledge' | 'resolve',
  comment?: string
): Promise<IncidentDetail | undefined> {
  const path = incidentPath(id, `/${action}`);
  const data: IncidentActionBody = comment && comment.trim() !== '' ? { comment: comment.trim() } : {};
  const body = await sidecarRequest<unknown>(path, { method: 'POST', body: data });
  // The sidecar answers with the incident as it is now; a bare 2xx without it is still a success,
  // the page reloads the detail either way.
  return isIncidentDetail(body) ? body : undefined;
}

/**
 * Acknowledges an incident (`POST /api/v1/incidents/:id/acknowledge`, optional comment): someone is on
 * it. Resolves with the incident as the sidecar answers it (undefined when the answer has none).
 */
export function acknowledgeIncident(id: string, comment?: string): Promise<IncidentDetail | undefined> {
  return act(id, 'acknowledge', comment);
}

/** Resolves an incident by hand (`POST /api/v1/incidents/:id/resolve`, optional comment). */
export function resolveIncident(id: string, comment?: string): Promise<IncidentDetail | undefined> {
  return act(id, 'resolve', comment);
}
