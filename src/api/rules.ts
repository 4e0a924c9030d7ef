/**
 * Typed calls of the sidecar's rule and alert API (`/api/v1/rules`, `/api/v1/alerts`) and of the lists the
 * rule editor picks from (`/api/v1/datasources`, `/api/v1/detectors`). Wire types come from @vigil/core
 * (`core/src/rules/api.ts`), shared with the sidecar. Each answer is shape-checked, as `listAnomalies`
 * does, so a sidecar of another version (or a proxy answering HTML) fails here with a message that says
 * so, rather than later inside a page.
 */
import type {
  AlertHistoryResponse,
  AlertsResponse,
  PreviewResponse,
  RuleBody,
  RuleResource,
  RulesResponse,
} from '@vigil/core';
import { sidecarRequest, SidecarError, type TimeWindow } from './client';
import type { DatasourcesResponse, DetectorsResponse } from './types';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Fails with "the answer is not <what>" when `ok` is false. */
function expectShape<T>(method: string, path: string, body: unknown, ok: boolean, what: string): T {
  if (!ok) {
    throw new SidecarError(`sidecar ${method} ${path}: the answer is not ${what}`, { retryable: false });
  }
  return body as T;
}

function isRule(v: unknown): v is RuleResource {
  return (
    isObject(v) &&
    typeof v.id === 'string' &&
    typeof v.name === 'string' &&
    typeof v.severity === 'string' &&
    isObject(v.condition) &&
    isObject(v.status)
  );
}

/** Path of one rule: ids are `[a-z0-9_-]` by contract, encoded anyway so no id can change the path. */
function rulePath(id: string, suffix = ''): string {
  if (typeof id !== 'string' || id === '') {
    throw new Error(`rule id must be a non-empty string: got ${JSON.stringify(id)}`);
  }
  return `/rules/${encodeURIComponent(id)}${suffix}`;
}

function checkWindow(what: string, window: TimeWindow): void {
  if (!Number.isFinite(window.from) || !Number.isFinite(window.to) || window.from >= window.to) {
    throw new Error(`${what}: from and to must be epoch ms with from < to: got ${window.from}, ${window.to}`);
  }
}

/** Every rule, API and file ones (`GET /api/v1/rules`). */
export async function listRules(): Promise<RulesResponse> {
  const body = await sidecarRequest<unknown>('/rules');
  const ok = isObject(body) && Array.isArray(body.rules) && body.rules.every(isRule);
  return expectShape<RulesResponse>('GET', '/rules', body, ok, 'a rule list');
}

/** One rule (`GET /api/v1/rules/:id`); a 404 rejects with status 404. */
export async function getRule(id: string): Promise<RuleResource> {
  const path = rulePath(id);
  const body = await sidecarRequest<unknown>(path);
  return expectShape<RuleResource>('GET', path, body, isRule(body), 'a rule');
}

/**
 * Creates a rule (`POST /api/v1/rules`). A 400 `invalid_rule` rejects with a {@link SidecarError} whose
 * `fields` name each problem (and the query position where the parser stopped).
 */
export async function createRule(rule: RuleBody): Promise<RuleResource> {
  const body = await sidecarRequest<unknown>('/rules', { method: 'POST', body: rule });
  return expectShape<RuleResource>('POST', '/rules', body, isRule(body), 'a rule');
}

/**
 * Replaces a rule (`PUT /api/v1/rules/:id`). With `version` (the one the editor loaded) the sidecar
 * refuses the update if someone changed the rule since (`If-Match`), instead of silently overwriting.
 */
export async function updateRule(id: string, rule: RuleBody, version?: number): Promise<RuleResource> {
  const path = rulePath(id);
  const headers = version !== undefined ? { 'If-Match': String(version) } : undefined;
  const body = await sidecarRequest<unknown>(path, { method: 'PUT', body: rule, headers });
  return expectShape<RuleResource>('PUT', path, body, isRule(body), 'a rule');
}

/** Deletes a rule (`DELETE /api/v1/rules/:id`); file rules are refused by the sidecar. */
export async function deleteRule(id: string): Promise<void> {
  await sidecarRequest<unknown>(rulePath(id), { method: 'DELETE' });
}

function isPreview(v: unknown): v is PreviewResponse {
  return (
    isObject(v) &&
    typeof v.from === 'number' &&
    typeof v.to === 'number' &&
    Array.isArray(v.series) &&
    Array.isArray(v.intervals) &&
    Array.isArray(v.events)
  );
}

/**
 * Backtests an unsaved rule over a past window (`POST /api/v1/rules/preview?from&to`): its series, the
 * threshold in force at each step, and where it would have been Pending and Firing.
 */
export async function previewRule(rule: RuleBody, window: TimeWindow): Promise<PreviewResponse> {
  checkWindow('previewRule', window);
  const path = '/rules/preview';
  const body = await sidecarRequest<unknown>(path, {
    method: 'POST',
    params: { from: window.from, to: window.to },
    body: rule,
  });
  return expectShape<PreviewResponse>('POST', path, body, isPreview(body), 'a preview');
}

/** Backtests a saved rule (`GET /api/v1/rules/:id/preview?from&to`), e.g. a read-only file rule. */
export async function previewSavedRule(id: string, window: TimeWindow): Promise<PreviewResponse> {
  checkWindow('previewSavedRule', window);
  const path = rulePath(id, '/preview');
  const body = await sidecarRequest<unknown>(path, { params: { from: window.from, to: window.to } });
  return expectShape<PreviewResponse>('GET', path, body, isPreview(body), 'a preview');
}

/**
 * Alert instances with their state, value, labels and annotations (`GET /api/v1/alerts`); with `rule`,
 * only that rule's instances (`?rule=<id>`).
 */
export async function listAlerts(filter: { rule?: string } = {}): Promise<AlertsResponse> {
  const params = filter.rule !== undefined ? { rule: filter.rule } : undefined;
  const body = await sidecarRequest<unknown>('/alerts', params ? { params } : undefined);
  const ok =
    isObject(body) &&
    Array.isArray(body.alerts) &&
    body.alerts.every((a) => isObject(a) && typeof a.fingerprint === 'string' && typeof a.state === 'string');
  return expectShape<AlertsResponse>('GET', '/alerts', body, ok, 'an alert list');
}

/** Transitions of one alert instance, newest first (`GET /api/v1/alerts/:fingerprint/history`). */
export async function alertHistory(fingerprint: string): Promise<AlertHistoryResponse> {
  if (typeof fingerprint !== 'string' || fingerprint === '') {
    throw new Error(`alertHistory: fingerprint must be a non-empty string`);
  }
  const path = `/alerts/${encodeURIComponent(fingerprint)}/history`;
  const body = await sidecarRequest<unknown>(path);
  const ok = isObject(body) && Array.isArray(body.history);
  return expectShape<AlertHistoryResponse>('GET', path, body, ok, 'an alert history');
}

/** The sidecar's datasources (`GET /api/v1/datasources`), for the editor's datasource picker. */
export async function listDatasources(): Promise<DatasourcesResponse> {
  const body = await sidecarRequest<unknown>('/datasources');
  const ok =
    isObject(body) &&
    Array.isArray(body.datasources) &&
    body.datasources.every((d) => isObject(d) && typeof d.name === 'string' && typeof d.type === 'string');
  return expectShape<DatasourcesResponse>('GET', '/datasources', body, ok, 'a datasource list');
}

/** The sidecar's detectors (`GET /api/v1/detectors`), for the anomaly condition's detector picker. */
export async function listDetectors(): Promise<DetectorsResponse> {
  const body = await sidecarRequest<unknown>('/detectors');
  const ok =
    isObject(body) &&
    Array.isArray(body.detectors) &&
    body.detectors.every((d) => isObject(d) && typeof d.name === 'string');
  return expectShape<DetectorsResponse>('GET', '/detectors', body, ok, 'a detector list');
}
