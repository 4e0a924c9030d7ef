import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { isVigilError, VigilError } from '../errors';

/** The JSON body of every error response. */
export interface ErrorBody {
  /** `fields`: every field problem of a rejected body (rule validation: `invalid_rule`). */
  error: { code: string; message: string; fields?: unknown[] };
}

// body-parser and Express raise errors carrying `status` and a `type`; map them to stable codes.
function fromHttpError(err: {
  status?: number;
  statusCode?: number;
  type?: string;
  message?: string;
}): VigilError | null {
  const status = err.status ?? err.statusCode;
  if (typeof status !== 'number' || status < 400 || status > 599) {
    return null;
  }
  switch (err.type) {
    case 'entity.too.large':
      return new VigilError('payload_too_large', 'request body too large', { status: 413 });
    case 'entity.parse.failed':
      return new VigilError('invalid_json', 'request body is not valid JSON', { status: 400 });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new VigilError('unsupported_media_type', err.message ?? 'unsupported encoding', { status: 415 });
  }
  if (status >= 500) {
    return null;
  }
  return new VigilError(status === 404 ? 'not_found' : 'bad_request', err.message ?? 'bad request', { status });
}

/** Final handler: JSON 404 for anything no route matched (never Express's HTML page). */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new VigilError('not_found', `no route for ${req.method} ${req.path}`, { status: 404 }));
};

/** Turns any error into `{ error: { code, message } }`; unexpected errors are logged, never echoed. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) {
      return next(err);
    }
    const known = isVigilError(err) ? err : fromHttpError(err);
    const e = known ?? new VigilError('internal', 'internal error', { status: 500 });
    if (!known) {
      logger.error({ err, method: req.method, path: req.path }, 'unhandled error');
    }
    const body: ErrorBody = { error: { code: e.code, message: e.message } };
    const fields = (e as { fields?: unknown }).fields;
    if (known && Array.isArray(fields)) {
      body.error.fields = fields;
    }
    res.status(e.status).json(body);
  };
}
