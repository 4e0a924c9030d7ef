import type { Request, RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { SidecarMetrics } from '../metrics';

/** Route label for requests no route matched: one value, so probes of random paths cannot explode cardinality. */
export const UNMATCHED_ROUTE = '(unmatched)';

const QUIET_ROUTES = new Set(['/metrics', '/api/v1/monitoring/health']);

/** The matched route template (`/api/v1/events`), never the raw path with its ids. */
export function routeLabel(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${req.baseUrl}${path}` : UNMATCHED_ROUTE;
}

/**
 * Logs each request once it is finished (or aborted) and records `http_requests_total` and
 * `http_request_duration_seconds`. Headers are logged for debugging; pino's redaction blanks the
 * credential headers (see REDACT_PATHS).
 */
export function observe(logger: Logger, metrics: SidecarMetrics): RequestHandler {
  return (req, res, next) => {
    const t0 = process.hrtime.bigint();
    let done = false;
    const finish = (aborted: boolean) => {
      if (done) {
        return;
      }
      done = true;
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const labels = { route: routeLabel(req), method: req.method, code: String(res.statusCode) };
      metrics.httpRequests.inc(labels);
      metrics.httpDuration.observe(labels, seconds);
      // Probes and scrapes arrive every few seconds: keep them out of info-level logs unless they fail.
      const quiet = QUIET_ROUTES.has(labels.route);
      const level = res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : quiet ? 'debug' : 'info';
      logger[level](
        {
          req: {
            method: req.method,
            url: req.originalUrl,
            headers: req.headers,
            remoteAddress: req.socket.remoteAddress,
          },
          res: { statusCode: res.statusCode },
          route: labels.route,
          durationMs: Math.round(seconds * 1e4) / 10,
          ...(aborted ? { aborted: true } : {}),
        },
        'request'
      );
    };
    res.on('finish', () => finish(false));
    res.on('close', () => finish(!res.writableFinished));
    next();
  };
}
