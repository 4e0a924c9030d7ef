import { VigilError } from '../errors';
import type { DatasourceAuth } from '../config/schema';

/** One HTTP call to a datasource. */
export interface HttpCall {
  /** Names the operation in errors, e.g. `query Prometheus "prom"`. */
  what: string;
  url: URL;
  method?: 'GET' | 'POST';
  body?: URLSearchParams;
  headers?: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** A completed HTTP exchange (any status). */
export interface HttpResult {
  status: number;
  text: string;
  /** The response's `Content-Encoding`, when it had one (never expected: see requestHeaders). */
  contentEncoding?: string;
}

/**
 * Every datasource call asks for an uncompressed answer. Prometheus gzips every API response when
 * allowed to, and undici asks for gzip by default: measured at 10k rules, decompressing took ~14% of
 * the sidecar's CPU (and Prometheus spent CPU compressing) while the datasources sit on
 * loopback or a LAN, where bytes are cheap and CPU is not. Not overridable on purpose: no caller
 * gains from compression here.
 */
function requestHeaders(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() !== 'accept-encoding') {
      out[name] = value; // any spelling of it would be merged with ours into "gzip, identity"
    }
  }
  out['accept-encoding'] = 'identity';
  return out;
}

/** Formats a duration for messages: `30s`, `1.5s`, `250ms`. */
export function formatDuration(ms: number): string {
  return ms >= 1000 ? `${Number((ms / 1000).toFixed(3))}s` : `${ms}ms`;
}

/**
 * Performs the call with a timeout (AbortSignal) covering the whole exchange including the body.
 * Transport failures become retryable VigilErrors; HTTP statuses are returned for the caller to judge.
 */
export async function httpCall(call: HttpCall): Promise<HttpResult> {
  const timeout = AbortSignal.timeout(call.timeoutMs);
  const signal = call.signal ? AbortSignal.any([timeout, call.signal]) : timeout;
  try {
    const res = await fetch(call.url, {
      method: call.method ?? 'GET',
      body: call.body,
      headers: requestHeaders(call.headers),
      signal,
      redirect: 'error',
    });
    const text = await res.text();
    const contentEncoding = res.headers.get('content-encoding');
    return contentEncoding === null ? { status: res.status, text } : { status: res.status, text, contentEncoding };
  } catch (err) {
    if (timeout.aborted) {
      throw new VigilError('datasource_timeout', `${call.what}: timeout after ${formatDuration(call.timeoutMs)}`, {
        status: 504,
        retryable: true,
        cause: err,
      });
    }
    if (call.signal?.aborted) {
      throw new VigilError('aborted', `${call.what}: aborted`, { status: 503, retryable: true, cause: err });
    }
    // undici reports "fetch failed" with the socket error (ECONNREFUSED ...) as the cause.
    const cause = (err as { cause?: { message?: string } }).cause;
    const detail = cause?.message ?? (err as Error).message;
    throw new VigilError('datasource_unreachable', `${call.what}: ${detail}`, {
      status: 502,
      retryable: true,
      cause: err,
    });
  }
}

/** Turns a non-2xx datasource answer into a VigilError carrying the datasource's own message. */
export function httpError(what: string, res: HttpResult): VigilError {
  let detail = res.text.trim().slice(0, 500);
  try {
    const body = JSON.parse(res.text) as { error?: unknown };
    if (typeof body.error === 'string') {
      detail = body.error;
    }
  } catch {
    // not JSON: keep the text
  }
  const retryable = res.status >= 500 || res.status === 429 || res.status === 408;
  const badQuery = res.status === 400 || res.status === 422;
  return new VigilError(
    badQuery ? 'bad_query' : 'datasource_error',
    `${what}: HTTP ${res.status}${detail ? `: ${detail}` : ''}`,
    {
      status: badQuery ? 400 : 502,
      retryable,
    }
  );
}

/** Parses a JSON body, naming the operation when the datasource sent something else. */
export function parseJson<T>(what: string, res: HttpResult): T {
  try {
    return JSON.parse(res.text) as T;
  } catch {
    throw new VigilError('datasource_error', `${what}: invalid JSON in response`, { status: 502, retryable: false });
  }
}

/**
 * Splits credentials out of a datasource URL (fetch refuses URLs that carry them) and builds the
 * Authorization header. `tokenScheme` is `Bearer` for Prometheus, `Token` for InfluxDB 1.8+.
 */
export function prepareEndpoint(
  rawUrl: string,
  auth: DatasourceAuth,
  tokenScheme: 'Bearer' | 'Token'
): { base: URL; headers: Record<string, string> } {
  const base = new URL(rawUrl);
  let effective = auth;
  if (base.username && auth.kind === 'none') {
    effective = {
      kind: 'basic',
      username: decodeURIComponent(base.username),
      password: decodeURIComponent(base.password),
    };
  }
  base.username = '';
  base.password = '';
  if (!base.pathname.endsWith('/')) {
    base.pathname += '/';
  }
  const headers: Record<string, string> = { accept: 'application/json' };
  if (effective.kind === 'basic') {
    headers.authorization = `Basic ${Buffer.from(`${effective.username}:${effective.password}`).toString('base64')}`;
  } else if (effective.kind === 'token') {
    headers.authorization = `${tokenScheme} ${effective.token}`;
  }
  return { base, headers };
}

/** The URL without credentials and without the trailing slash, for display. */
export function displayUrl(base: URL): string {
  return base.toString().replace(/\/$/, '');
}
