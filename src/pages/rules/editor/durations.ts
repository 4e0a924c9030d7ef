/**
 * Duration checks of the rule form (`for`, `keep_firing_for`, interval). Durations on the wire are
 * Prometheus duration strings (`30s`, `5m`, `1h30m`), parsed by @vigil/core's `parseDuration`, the
 * sidecar's own parser: the form refuses exactly what the sidecar would refuse with a 400.
 */
import { tryParseDuration } from '@vigil/core/rules/duration';

/** Milliseconds of a Prometheus duration string, or undefined when it is not one (`0` is 0). */
export function durationMs(text: string): number | undefined {
  return tryParseDuration(text.trim()) ?? undefined;
}

/**
 * The problem with a duration field, or undefined when it is fine. `positive`: zero is refused too
 * (an evaluation interval must be above 0).
 */
export function durationError(text: string, what: string, positive = false): string | undefined {
  const ms = durationMs(text);
  if (ms === undefined) {
    return `${what} must be a duration such as 30s, 5m or 1h30m: got "${text}"`;
  }
  if (positive && ms === 0) {
    return `${what} must be above 0`;
  }
  return undefined;
}
