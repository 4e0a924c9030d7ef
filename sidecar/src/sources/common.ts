import { badRequest, isVigilError } from '../errors';
import type { PingResult } from './source';

/** Validates range-query arguments before any request is sent. */
export function checkRange(what: string, query: string, start: number, end: number, stepSeconds: number): void {
  if (query.trim() === '') {
    throw badRequest(`${what}: query is empty`);
  }
  if (!Number.isFinite(start) || !Number.isFinite(end)) {
    throw badRequest(`${what}: start and end must be epoch milliseconds`);
  }
  if (end < start) {
    throw badRequest(`${what}: end is before start`);
  }
  if (!Number.isFinite(stepSeconds) || stepSeconds <= 0) {
    throw badRequest(`${what}: step must be a positive number of seconds`);
  }
}

/** Runs a reachability probe and reports it as a {@link PingResult}; never throws. */
export async function pingWith(what: string, probe: () => Promise<void>): Promise<PingResult> {
  const t0 = performance.now();
  try {
    await probe();
    return { ok: true, latencyMs: Math.round(performance.now() - t0) };
  } catch (err) {
    const error = isVigilError(err) ? err.message : `${what}: ${(err as Error).message}`;
    return { ok: false, latencyMs: Math.round(performance.now() - t0), error };
  }
}
