/**
 * The evaluation grid: a rule with interval I and offset O is evaluated at t = k·I + O. The offset is
 * a hash of the rule id (Prometheus spreads rule groups over their interval the same way,
 * `Group.hash() % interval`), so 10k rules with the same interval do not all query at once. Live
 * evaluation and backtests use the same grid, so a preview shows the instants the engine evaluates.
 */
import { fingerprint } from './fingerprint';

function checkInterval(intervalMs: number): void {
  if (!Number.isSafeInteger(intervalMs) || intervalMs <= 0) {
    throw new Error(`evaluation interval must be a positive whole number of ms, got ${intervalMs}`);
  }
}

/** The rule's offset in [0, intervalMs): deterministic, from the FNV-1a hash of its id. */
export function evalOffset(ruleId: string, intervalMs: number): number {
  checkInterval(intervalMs);
  // BigInt once per rule: the 64-bit hash modulo the interval, exactly.
  return Number(BigInt('0x' + fingerprint(ruleId, {})) % BigInt(intervalMs));
}

/** The grid times t = k·intervalMs + offsetMs with from ≤ t ≤ to, ascending. */
export function evalTimesBetween(from: number, to: number, intervalMs: number, offsetMs: number): number[] {
  checkInterval(intervalMs);
  const out: number[] = [];
  if (!(to >= from)) {
    return out;
  }
  const first = Math.ceil((from - offsetMs) / intervalMs) * intervalMs + offsetMs;
  for (let t = first; t <= to; t += intervalMs) {
    out.push(t);
  }
  return out;
}

/** The latest grid time at or before `now`. */
export function lastEvalTime(now: number, intervalMs: number, offsetMs: number): number {
  checkInterval(intervalMs);
  return Math.floor((now - offsetMs) / intervalMs) * intervalMs + offsetMs;
}

/** The first grid time strictly after `now` (when the scheduler should wake the rule next). */
export function nextEvalTime(now: number, intervalMs: number, offsetMs: number): number {
  return lastEvalTime(now, intervalMs, offsetMs) + intervalMs;
}
