/**
 * The sidecar's one error type. Every failure that reaches an API response or a retry decision is a
 * VigilError: `code` is a stable machine-readable string, `status` the HTTP status it maps to, and
 * `retryable` tells callers (scheduler, outbox, clients) whether trying again can succeed — the same
 * contract as Alertmanager's `Notify(ctx, alerts) (retryable bool, error)`.
 */
export class VigilError extends Error {
  /** Stable machine-readable code, e.g. `unauthorized`, `datasource_timeout`. */
  readonly code: string;
  /** HTTP status this error maps to when it reaches the API. */
  readonly status: number;
  /** True when the same operation may succeed if tried again (timeouts, 5xx, 429). */
  readonly retryable: boolean;

  constructor(code: string, message: string, opts: { status?: number; retryable?: boolean; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'VigilError';
    this.code = code;
    this.status = opts.status ?? 500;
    this.retryable = opts.retryable ?? false;
  }
}

/** True for a VigilError (also across module copies, e.g. Jest's isolated registries). */
export function isVigilError(err: unknown): err is VigilError {
  return err instanceof VigilError || (err instanceof Error && err.name === 'VigilError' && 'code' in err);
}

/** Builds a 400 `invalid_request` error naming what was wrong with the request. */
export function badRequest(message: string): VigilError {
  return new VigilError('invalid_request', message, { status: 400 });
}

/** Builds a 404 `not_found` error. */
export function notFound(message: string): VigilError {
  return new VigilError('not_found', message, { status: 404 });
}
