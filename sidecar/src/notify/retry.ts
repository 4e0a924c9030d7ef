/**
 * One retry table for every channel, as Alertmanager's `notify.Retrier` (notify/util.go): 2xx is
 * delivered; 5xx and 429 may succeed later; every other status (400 bad payload, 401/403 bad key, 404
 * unknown webhook) will fail the same way again, so retrying it only delays the error.
 * `Retry-After` (RFC 9110 §10.2.3: delay-seconds or an HTTP-date) is honoured when present.
 */

/** Outcome of one HTTP response for the delivery worker. */
export interface ResponseClass {
  /** True for 2xx: the channel accepted the notification. */
  ok: boolean;
  /** True when sending the same notification again may succeed. */
  retryable: boolean;
  /** Wait the server asked for (from `Retry-After`), ms; only on retryable responses. */
  retryAfterMs?: number;
}

/** Response headers as `fetch` (`Headers`) or `node:http` (plain object) give them. */
export type ResponseHeaders = Headers | Record<string, string | string[] | undefined>;

function header(headers: ResponseHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') {
    return (headers as Headers).get(name) ?? undefined;
  }
  const plain = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(plain).find((k) => k.toLowerCase() === name);
  const v = key === undefined ? undefined : plain[key];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Parses a `Retry-After` value into milliseconds from `now`: delay-seconds (`120`) or an HTTP-date
 * (`Wed, 21 Oct 2015 07:28:00 GMT`). A date in the past gives 0; an unparsable value gives undefined.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  const v = value?.trim();
  if (!v) {
    return undefined;
  }
  if (/^\d+$/.test(v)) {
    return Number(v) * 1000;
  }
  // Only accept something that looks like a date, not e.g. "-5" or "1.5" that Date.parse might take.
  if (!/[a-z]/i.test(v)) {
    return undefined;
  }
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/** True for the statuses every channel retries: 429 Too Many Requests and any 5xx. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}

/**
 * Classifies an HTTP response of a channel. `now` (epoch ms, default the clock) dates an HTTP-date
 * `Retry-After`.
 */
export function classifyResponse(
  status: number,
  headers: ResponseHeaders = {},
  now: number = Date.now()
): ResponseClass {
  if (status >= 200 && status <= 299) {
    return { ok: true, retryable: false };
  }
  if (!isRetryableStatus(status)) {
    return { ok: false, retryable: false };
  }
  const retryAfterMs = parseRetryAfter(header(headers, 'retry-after'), now);
  return retryAfterMs === undefined ? { ok: false, retryable: true } : { ok: false, retryable: true, retryAfterMs };
}
