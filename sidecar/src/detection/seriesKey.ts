/**
 * The identity of one series of a detector: `detector{label="value",...}` with labels sorted by
 * name, as Prometheus prints a series, so the same series gets the same key on every run and after
 * a restart. `__name__` is kept (a query may return several metrics).
 */
export function seriesKey(detector: string, labels: Record<string, string>): string {
  const parts = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`);
  return `${detector}{${parts.join(',')}}`;
}
