import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config/schema';

/** Placeholder written instead of a redacted value. */
export const REDACTED = '[redacted]';

/**
 * Paths pino blanks before a line is written. Request logs carry headers, so credentials headers
 * are listed; the config-shaped paths are a second line of defence should a config object or a
 * datasource ever be logged by mistake (the code logs only summaries).
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["proxy-authorization"]',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  // Grafana forwards the signed-in user's ID token when ID forwarding is on: a credential too.
  'req.headers["x-grafana-id"]',
  'res.headers["set-cookie"]',
  'token',
  'password',
  '*.token',
  '*.password',
  '*.tokenFile',
  'config.auth',
  '*.basicAuth.password',
  '*.auth.token',
  '*.auth.password',
  'datasources[*].auth',
  'config.datasources[*].auth',
];

/** Creates the sidecar's JSON logger; `destination` defaults to stdout (tests pass a stream). */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'vigil-sidecar' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT_PATHS, censor: REDACTED },
  };
  return destination ? pino(options, destination) : pino(options);
}
