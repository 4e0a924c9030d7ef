/**
 * Prometheus duration strings (`1h30m`, `500ms`, `2d`, `1w`, `0s`, `0`), as rule files and the API
 * write `for`, `keep_firing_for` and `interval`. Same grammar and canonical form as Prometheus'
 * `model.ParseDuration` / `model.Duration.String()`
 * (https://prometheus.io/docs/prometheus/latest/configuration/configuration/#duration):
 * units y (365d), w, d, h, m, s, ms, each at most once and in that order.
 */

const UNITS: Array<[string, number]> = [
  ['y', 365 * 86_400_000],
  ['w', 7 * 86_400_000],
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
  ['ms', 1],
];

const DURATION_RE = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/**
 * Milliseconds of a Prometheus duration string. Throws an `Error` naming the text on anything else
 * (`"5 minutes"`, `"-1m"`, `"1.5h"`, `""`, units out of order, a value beyond 2^53 ms).
 */
export function parseDuration(s: string): number {
  if (typeof s !== 'string') {
    throw new Error(`invalid duration: expected a string such as "30s", "5m" or "1h30m", got ${typeof s}`);
  }
  if (s === '0') {
    return 0;
  }
  const m = s === '' ? null : DURATION_RE.exec(s);
  if (m === null) {
    throw new Error(
      `invalid duration ${JSON.stringify(s.slice(0, 64))}: expected a Prometheus duration such as "30s", "5m" or "1h30m" (units y, w, d, h, m, s, ms)`
    );
  }
  let ms = 0;
  for (let i = 0; i < UNITS.length; i++) {
    const digits = m[i + 1];
    if (digits !== undefined) {
      ms += Number(digits) * UNITS[i][1];
    }
  }
  if (!Number.isSafeInteger(ms)) {
    throw new Error(`invalid duration ${JSON.stringify(s.slice(0, 64))}: too long`);
  }
  return ms;
}

/** Like {@link parseDuration}, but null instead of throwing (for validators that collect errors). */
export function tryParseDuration(s: string): number | null {
  try {
    return parseDuration(s);
  } catch {
    return null;
  }
}

/**
 * Canonical Prometheus form of a duration in ms: `0s`, `1h30m`, `90d` (years and weeks only when
 * exact, as Prometheus does: "90d" reads better than "12w6d"). Negative or fractional input is
 * rounded towards zero and a minus sign kept, so the result always parses back for ms ≥ 0.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) {
    throw new Error(`formatDuration: expected a finite number of ms, got ${ms}`);
  }
  let rest = Math.trunc(Math.abs(ms));
  if (rest === 0) {
    return '0s';
  }
  let out = ms < 0 ? '-' : '';
  for (const [unit, mult] of UNITS) {
    if ((unit === 'y' || unit === 'w') && rest % mult !== 0) {
      continue;
    }
    const v = Math.floor(rest / mult);
    if (v > 0) {
      out += `${v}${unit}`;
      rest -= v * mult;
    }
  }
  return out;
}
