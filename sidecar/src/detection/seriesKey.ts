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

/**
 * The labels of a key made by {@link seriesKey} (in its sorted order), or null when the key does
 * not parse back to itself (a label name with `="` in it, say): a saved state then keeps its labels.
 */
export function labelsFromKey(detector: string, key: string): Record<string, string> | null {
  if (!key.startsWith(`${detector}{`) || !key.endsWith('}')) {
    return null;
  }
  const out: Record<string, string> = {};
  const end = key.length - 1;
  let i = detector.length + 1;
  while (i < end) {
    const eq = key.indexOf('="', i);
    if (eq < 0) {
      return null;
    }
    const name = key.slice(i, eq);
    // the value is a JSON string: it ends at the first quote not escaped
    let j = eq + 2;
    while (j < end && key[j] !== '"') {
      j += key[j] === '\\' ? 2 : 1;
    }
    if (j >= end || name === '__proto__') {
      return null;
    }
    try {
      out[name] = JSON.parse(key.slice(eq + 1, j + 1)) as string;
    } catch {
      return null;
    }
    i = j + 1;
    if (i < end && key[i++] !== ',') {
      return null;
    }
  }
  return seriesKey(detector, out) === key ? out : null;
}
