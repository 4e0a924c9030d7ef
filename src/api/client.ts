import { lastValueFrom } from 'rxjs';
import { getBackendSrv, isFetchError } from '@grafana/runtime';
import { PLUGIN_ID } from '../constants';
import type { FieldError } from '@vigil/core';
import type { AnomaliesResponse, ErrorBody, HealthResponse } from './types';

/**
 * Prefix of every sidecar call. The browser only ever talks to Grafana's plugin proxy: the `sidecar`
 * route in plugin.json forwards to `jsonData.sidecarUrl` and adds `Authorization: Bearer <token>`
 * server-side, so the token never reaches the browser.
 */
export const SIDECAR_PROXY_BASE = `/api/plugin-proxy/${PLUGIN_ID}/sidecar/api/v1`;

/** HTTP methods the client sends. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * A failed sidecar call. `retryable` is true when trying again later may succeed. `fields` holds the
 * field problems of a 400 `invalid_rule` answer (which field, what is wrong, and for a query the
 * character position where the parser stopped), so a form can show each under its field.
 */
export class SidecarError extends Error {
  readonly status?: number;
  readonly code?: string;
  readonly retryable: boolean;
  readonly fields?: FieldError[];

  constructor(message: string, opts: { status?: number; code?: string; retryable: boolean; fields?: FieldError[] }) {
    super(message);
    this.name = 'SidecarError';
    this.status = opts.status;
    this.code = opts.code;
    this.retryable = opts.retryable;
    if (opts.fields) {
      this.fields = opts.fields;
    }
  }
}

/** Keeps the well-formed entries of a `fields` array from an error body (a sidecar may send anything). */
function fieldErrorsOf(raw: unknown): FieldError[] | undefined {
  if (!Array.isArray(raw)) {
    return undefined;
  }
  return raw
    .filter(
      (f): f is FieldError =>
        typeof f === 'object' && f !== null && typeof f.field === 'string' && typeof f.message === 'string'
    )
    .map((f) => ({
      field: f.field,
      message: f.message,
      ...(typeof f.position === 'number' && Number.isInteger(f.position) && f.position >= 0
        ? { position: f.position }
        : {}),
    }));
}

/**
 * Builds the proxy URL of a sidecar API path such as `/monitoring/health`.
 * Rejects paths that could leave `/api/v1` (absolute URLs, `..` segments, query strings: pass
 * `params` instead) so that a caller cannot reach another route by mistake.
 */
export function sidecarUrl(path: string): string {
  if (!path.startsWith('/')) {
    throw new Error(`sidecar path must start with "/": got "${path}"`);
  }
  if (/[?#]/.test(path)) {
    throw new Error(`sidecar path must not carry a query or fragment (use params): got "${path}"`);
  }
  if (path.split('/').some((segment) => segment === '..' || segment === '.')) {
    throw new Error(`sidecar path must not contain "." or ".." segments: got "${path}"`);
  }
  return `${SIDECAR_PROXY_BASE}${path}`;
}

/** Turns whatever `getBackendSrv().fetch` threw into a {@link SidecarError} naming what failed. */
export function toSidecarError(what: string, err: unknown): SidecarError {
  if (isFetchError(err)) {
    const status = err.status;
    const body = err.data as (Partial<ErrorBody> & { error?: { fields?: unknown } }) | undefined;
    const detail = body?.error?.message ?? err.statusText ?? '';
    // 502/504 (and status 0) are what Grafana's plugin proxy answers when the sidecar is down or
    // its URL is wrong: say so, rather than showing a bare status code. A 502 carrying the sidecar's
    // own error body is the sidecar reporting a datasource behind it: its message says which.
    const fromSidecar = typeof body?.error?.code === 'string' && typeof body?.error?.message === 'string';
    if (fromSidecar && (status === 502 || status === 504)) {
      return new SidecarError(`${what}: ${detail} (HTTP ${status})`, {
        status,
        code: body?.error?.code,
        retryable: true,
      });
    }
    if (!status || status === 502 || status === 504) {
      return new SidecarError(
        `${what}: the sidecar could not be reached through Grafana's plugin proxy (HTTP ${status || 'no response'}). ` +
          'Check that the sidecar is running and that its URL on the app configuration page is right.',
        { status, retryable: true }
      );
    }
    if (status === 401 || status === 403) {
      return new SidecarError(
        `${what}: the sidecar refused the request (HTTP ${status}). Check the sidecar token on the app configuration page.`,
        { status, code: body?.error?.code, retryable: false }
      );
    }
    return new SidecarError(`${what}: HTTP ${status}${detail ? ` ${detail}` : ''}`, {
      status,
      code: body?.error?.code,
      retryable: status >= 500 || status === 429,
      fields: status === 400 ? fieldErrorsOf(body?.error?.fields) : undefined,
    });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new SidecarError(`${what}: ${message}`, { retryable: true });
}

/** Options of one sidecar call. */
export interface RequestOptions {
  method?: HttpMethod;
  params?: Record<string, string | number | boolean>;
  body?: unknown;
  /** Extra request headers (e.g. `If-Match` for an update based on a known version). */
  headers?: Record<string, string>;
}

async function fetchJson<T>(path: string, opts: RequestOptions): Promise<T> {
  const url = sidecarUrl(path);
  const backendSrv = getBackendSrv();
  if (!backendSrv) {
    // Only outside Grafana (a bare host page or a test without setBackendSrv).
    throw new SidecarError("Grafana's backend service is not available to the plugin", { retryable: false });
  }
  const response = await lastValueFrom(
    backendSrv.fetch<T>({
      url,
      method: opts.method ?? 'GET',
      params: opts.params,
      data: opts.body,
      headers: opts.headers,
      // The pages render their own error states; Grafana's toasts would repeat them.
      showErrorAlert: false,
      showSuccessAlert: false,
    })
  );
  return response.data;
}

/** Calls the sidecar API through the plugin proxy and returns the decoded JSON body. */
export async function sidecarRequest<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const what = `sidecar ${opts.method ?? 'GET'} ${path}`;
  try {
    return await fetchJson<T>(path, opts);
  } catch (err) {
    throw toSidecarError(what, err);
  }
}

function isHealthBody(data: unknown): data is HealthResponse {
  const status = (data as Partial<HealthResponse> | null)?.status;
  return status === 'healthy' || status === 'degraded' || status === 'unhealthy';
}

/**
 * The sidecar's health (`GET /api/v1/monitoring/health`). A 503 with a health body is the sidecar
 * saying "unhealthy" (its store is down), which is an answer, not a failure: it is returned like a 200.
 */
export async function getHealth(): Promise<HealthResponse> {
  const path = '/monitoring/health';
  try {
    const body = await fetchJson<unknown>(path, {});
    if (!isHealthBody(body)) {
      throw new SidecarError(`sidecar GET ${path}: the answer is not a health report`, { retryable: false });
    }
    return body;
  } catch (err) {
    if (err instanceof SidecarError) {
      throw err;
    }
    if (isFetchError(err) && err.status === 503 && isHealthBody(err.data)) {
      return err.data;
    }
    throw toSidecarError(`sidecar GET ${path}`, err);
  }
}

function isAnomaliesBody(data: unknown): data is AnomaliesResponse {
  const body = data as Partial<AnomaliesResponse> | null;
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof body.from === 'number' &&
    typeof body.to === 'number' &&
    Array.isArray(body.anomalies)
  );
}

/** The window of {@link listAnomalies}, in epoch milliseconds. */
export interface TimeWindow {
  from: number;
  to: number;
}

/**
 * Anomaly events overlapping a window (`GET /api/v1/anomalies?from&to`), newest first, one per
 * incident. Rejects an answer that is not an anomaly list (a sidecar of another version, or a proxy
 * answering HTML) with an error that says so, rather than letting the page fail on it later.
 */
export async function listAnomalies(window: TimeWindow): Promise<AnomaliesResponse> {
  if (!Number.isFinite(window.from) || !Number.isFinite(window.to) || window.from > window.to) {
    throw new Error(`listAnomalies: from and to must be epoch ms with from <= to: got ${window.from}, ${window.to}`);
  }
  const path = '/anomalies';
  const body = await sidecarRequest<unknown>(path, { params: { from: window.from, to: window.to } });
  if (!isAnomaliesBody(body)) {
    throw new SidecarError(`sidecar GET ${path}: the answer is not an anomaly list`, { retryable: false });
  }
  return body;
}
