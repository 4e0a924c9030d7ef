import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { VigilError } from '../errors';

/** Routes under `/api` that answer without a token (the health check, for probes and load balancers). */
export const PUBLIC_API_ROUTES: ReadonlyArray<{ methods: readonly string[]; path: string }> = [
  { methods: ['GET', 'HEAD'], path: '/api/v1/monitoring/health' },
];

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Compares two secrets in constant time: hashing first gives equal-length buffers whatever the input. */
export function tokensEqual(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * Requires `Authorization: Bearer <token>` on every request it sees, except {@link PUBLIC_API_ROUTES}.
 * Mounted on `/api` before any router, so a new route is protected without anyone remembering to.
 * Failures are 401 with `WWW-Authenticate: Bearer` (RFC 6750 §3).
 */
export function bearerAuth(token: string): RequestHandler {
  return (req, res, next) => {
    const path = req.originalUrl.split('?')[0].replace(/\/+$/, '');
    if (PUBLIC_API_ROUTES.some((r) => r.path === path && r.methods.includes(req.method))) {
      return next();
    }
    const header = req.get('authorization');
    const match = header ? /^Bearer[ ]+(\S+)\s*$/i.exec(header) : null;
    if (!match) {
      res.set('WWW-Authenticate', 'Bearer realm="vigil"');
      return next(
        new VigilError('unauthorized', 'missing bearer token (send "Authorization: Bearer <token>")', { status: 401 })
      );
    }
    if (!tokensEqual(match[1], token)) {
      res.set('WWW-Authenticate', 'Bearer realm="vigil", error="invalid_token"');
      return next(new VigilError('unauthorized', 'invalid bearer token', { status: 401 }));
    }
    next();
  };
}
