/**
 * Durations in the configuration use Prometheus' syntax: an integer and a unit, optionally several
 * (`30s`, `5m`, `1h30m`, `1d`, `250ms`). Returns milliseconds, or null when the text is not one.
 */
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Parses a duration such as `30s` or `1h30m` into milliseconds; null when malformed or zero. */
export function parseDuration(text: string): number | null {
  if (!/^(\d+(ms|s|m|h|d|w))+$/.test(text)) {
    return null;
  }
  let ms = 0;
  for (const m of text.matchAll(/(\d+)(ms|s|m|h|d|w)/g)) {
    ms += Number(m[1]) * UNITS[m[2]];
  }
  return ms > 0 ? ms : null;
}

/** Formats milliseconds the way the config writes them (largest exact unit), e.g. 90000 → `90s`. */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const) {
    if (ms % size === 0) {
      return `${ms / size}${unit}`;
    }
  }
  return `${ms}ms`;
}
