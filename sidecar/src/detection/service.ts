import type { StreamEvent } from '@vigil/core';
import type { Logger } from 'pino';
import type { Config } from '../config/schema';
import type { SidecarMetrics } from '../metrics';
import { Scheduler } from '../scheduler/scheduler';
import type { Source } from '../sources';
import type { Store } from '../store';
import { DetectorRunner } from './runner';
import type { DetectorStatus } from './status';

/** The scheduled detectors of a running sidecar. */
export interface DetectionService {
  /** Status of every enabled detector, in config order. */
  status(): DetectorStatus[];
  /** Stops the schedule, waits for runs in flight (aborting them after `graceMs`), saves state. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts one scheduled job per enabled detector (config validation guarantees its datasource exists). */
export function startDetection(deps: {
  config: Config;
  store: Store;
  sources: readonly Source[];
  logger: Logger;
  metrics: SidecarMetrics;
  /** Where anomaly events are published (the live stream). */
  publish?: (event: StreamEvent) => void;
}): DetectionService {
  const { logger, metrics } = deps;
  const scheduler = new Scheduler({
    onSkip: (name) => {
      metrics.evaluationSkips.inc({ detector: name });
      logger.warn({ detector: name }, 'detector tick skipped: previous evaluation still running');
    },
    onError: (name, err) => logger.error({ detector: name, err }, 'detector run failed'),
  });
  const runners: DetectorRunner[] = [];
  for (const d of deps.config.detectors) {
    if (!d.enabled) {
      continue;
    }
    const source = deps.sources.find((s) => s.name === d.datasource);
    if (!source) {
      throw new Error(`detector "${d.name}": unknown datasource "${d.datasource}"`);
    }
    const runner = new DetectorRunner(d, { store: deps.store, source, logger, metrics, publish: deps.publish });
    runners.push(runner);
    scheduler.add({ name: d.name, intervalMs: d.intervalMs, run: (signal) => runner.run(signal) });
  }
  let stopped: Promise<void> | undefined;
  return {
    status: () => runners.map((r) => r.status()),
    stop(graceMs) {
      stopped ??= (async () => {
        await scheduler.stop(graceMs);
        for (const r of runners) {
          try {
            await r.save();
          } catch (err) {
            logger.error({ detector: r.config.name, err }, 'saving detector state failed');
          }
        }
      })();
      return stopped;
    },
  };
}
