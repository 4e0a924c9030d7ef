/**
 * Reading figures from a `/metrics` page (Prometheus text exposition format): enough of the format for
 * the rule benchmark, which reads Prometheus' rule-group metrics and the sidecar's own.
 */

/** One sample of a `/metrics` page. */
export interface MetricSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Parses the samples of a `/metrics` page (comments skipped). */
export function parseMetrics(text: string): MetricSample[] {
  const out: MetricSample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) {
      continue;
    }
    const m = LINE.exec(line);
    if (!m) {
      continue;
    }
    const labels: Record<string, string> = {};
    for (const l of (m[3] ?? '').matchAll(LABEL)) {
      labels[l[1]] = l[2].replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    out.push({ name: m[1], labels, value: Number(m[4]) });
  }
  return out;
}

/** Fetches and parses `<url>/metrics`, with optional headers (the sidecar's bearer token). */
export async function scrape(url: string, headers: Record<string, string> = {}): Promise<MetricSample[]> {
  const res = await fetch(`${url}/metrics`, { headers, signal: AbortSignal.timeout(30_000) });
  if (!res.ok) {
    throw new Error(`scrape ${url}/metrics: HTTP ${res.status}`);
  }
  return parseMetrics(await res.text());
}

/** Samples named `name`, optionally with these label values. */
export function select(
  samples: readonly MetricSample[],
  name: string,
  labels: Record<string, string> = {}
): MetricSample[] {
  return samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

/** Sum of the samples named `name` (0 when there are none). */
export function sumOf(samples: readonly MetricSample[], name: string, labels: Record<string, string> = {}): number {
  return select(samples, name, labels).reduce((acc, s) => acc + s.value, 0);
}

/** Median of a non-empty list. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
