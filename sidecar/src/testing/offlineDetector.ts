import pino from 'pino';
import { loadConfig } from '../config/load';
import type { DetectorConfig } from '../config/schema';
import { createMetrics } from '../metrics';
import { createSource, type Series } from '../sources';
import type { Store } from '../store';
import { TEST_TOKEN } from './fixtures';
import { DetectorRunner } from '../detection/runner';

/**
 * A detector's config for tests and the bench, on a Prometheus datasource at a loopback port that
 * is never called: they hand the runner its points (DetectorRunner.evaluatePoints).
 */
export function offlineDetectorConfig(values: Record<string, unknown> = {}): DetectorConfig {
  return loadConfig({
    values: {
      datasources: [{ name: 'prom', type: 'prometheus', url: 'http://127.0.0.1:9' }],
      detectors: [{ name: 'd', datasource: 'prom', query: 'q', interval: '1m', ...values }],
    },
    env: { VIGIL_TOKEN: TEST_TOKEN },
  }).detectors[0];
}

/** A runner fed by the caller (no query is sent), with its clock. */
export function offlineRunner(config: DetectorConfig, store: Store, clock: { now: number }): DetectorRunner {
  const source = createSource(
    loadConfig({
      values: { datasources: [{ name: 'prom', type: 'prometheus', url: 'http://127.0.0.1:9' }] },
      env: { VIGIL_TOKEN: TEST_TOKEN },
    }).datasources[0]
  );
  return new DetectorRunner(config, {
    store,
    source,
    logger: pino({ level: 'silent' }),
    metrics: createMetrics(),
    now: () => clock.now,
  });
}

/** One point per series at `t`, as a range query returns them. */
export function tickOf(labels: ReadonlyArray<Record<string, string>>, t: number, values: ArrayLike<number>): Series[] {
  return labels.map((l, i) => ({ labels: l, points: [[t, values[i]]] as Array<[number, number]> }));
}
