/**
 * A real Prometheus for the browser test's rule editor walk (test/harness, through tsx: the harness is
 * TypeScript), backfilled with one demo metric over the last 26 hours so the editor's backtest preview
 * has data: `vigil_host_cpu_percent{instance="web-1",service="api"}` at one sample a minute, around 40%
 * with two plateaus above 80% (2 h from 10 h ago, 1 h from 4 h ago). A threshold of 80 with `for` 5m
 * therefore fires twice in the last 24 hours; a threshold of 95 never does.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { require as tsxRequire } from 'tsx/cjs/api';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const HOUR = 3_600_000;

/** The demo metric and what the walk expects of it. */
export const DEMO_METRIC = {
  name: 'vigil_host_cpu_percent',
  threshold: 80,
  /** Firing episodes over the last 24 h at `threshold` with for 5m. */
  firings: 2,
  /** A threshold above every value: no firing. */
  quietThreshold: 95,
};

function valueAt(t, now) {
  if ((t >= now - 10 * HOUR && t < now - 8 * HOUR) || (t >= now - 4 * HOUR && t < now - 3 * HOUR)) {
    return 92;
  }
  return 40 + 5 * Math.sin((2 * Math.PI * t) / HOUR);
}

/** @returns {Promise<{ url: string, stop(): Promise<void> }>} */
export async function startDemoPrometheus() {
  const harness = tsxRequire(path.join(ROOT, 'test', 'harness', 'index.ts'), import.meta.url);
  const now = Math.floor(Date.now() / 60_000) * 60_000;
  const samples = [];
  for (let t = now - 26 * HOUR; t <= now - 2 * 60_000; t += 60_000) {
    samples.push({ timestamp: t, value: valueAt(t, now) });
  }
  const backfill = harness.toOpenMetrics([
    { labels: { __name__: DEMO_METRIC.name, instance: 'web-1', service: 'api' }, samples },
  ]);
  const prom = await harness.startPrometheus({ backfill });
  return { url: prom.url, stop: () => prom.stop() };
}
