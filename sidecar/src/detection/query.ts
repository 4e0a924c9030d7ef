import type { CallOptions, Series, Source } from '../sources';

/** Points per range query; Prometheus refuses more than 11,000 per series. */
export const MAX_POINTS_PER_QUERY = 10_000;

/** `t` rounded down to a multiple of `stepMs`, so every run asks for the same timestamps. */
export const alignDown = (t: number, stepMs: number): number => Math.floor(t / stepMs) * stepMs;

/**
 * Runs a range query over [from, to] (epoch ms, on the step grid) in chunks of at most
 * {@link MAX_POINTS_PER_QUERY} points, and merges the chunks per label set, oldest point first.
 */
export async function queryRangeChunked(
  source: Source,
  query: string,
  from: number,
  to: number,
  stepMs: number,
  opts: CallOptions = {}
): Promise<Series[]> {
  const merged = new Map<string, Series>();
  const span = MAX_POINTS_PER_QUERY * stepMs;
  for (let start = from; start <= to; start += span) {
    const end = Math.min(to, start + span - stepMs);
    for (const s of await source.queryRange(query, start, end, stepMs / 1000, opts)) {
      const key = JSON.stringify(Object.entries(s.labels).sort(([a], [b]) => (a < b ? -1 : 1)));
      const into = merged.get(key);
      if (into) {
        into.points.push(...s.points);
      } else {
        merged.set(key, { labels: s.labels, points: [...s.points] });
      }
    }
  }
  for (const s of merged.values()) {
    s.points.sort((a, b) => a[0] - b[0]);
  }
  return [...merged.values()];
}
