import type { ScoringMode, StreamEvent } from '@vigil/core';
import type { DetectorConfig } from '../config/schema';
import type { SidecarMetrics } from '../metrics';
import type { Store, StoredEvent } from '../store';
import { anomalyEvent, ANOMALY_KIND } from './event';
import type { Incident, IncidentChange } from './incident';
import type { SeriesState } from './runnerState';
import type { RunSummary } from './status';

/** What writing a detector's events needs. */
export interface EventWriterDeps {
  metrics: SidecarMetrics;
  publish?: (event: StreamEvent) => void;
}

/** A run's event writes, committed with its series states (DetectorStateWrite.events). */
export interface EventWrites {
  insert: StoredEvent[];
  update: StoredEvent[];
}

/**
 * A run's incident changes of one series into `writes`: each incident once (inserted if it opened
 * in the run, else updated with its latest state), published on the live stream. The runner
 * commits them with the run's series states, in one transaction.
 */
export function writeIncidentChanges(
  deps: EventWriterDeps,
  config: DetectorConfig,
  scoring: ScoringMode,
  state: SeriesState,
  changes: readonly IncidentChange[],
  summary: RunSummary,
  writes: EventWrites
): void {
  const final = new Map<string, { incident: Incident; opened: boolean }>();
  for (const c of changes) {
    const prev = final.get(c.incident.id);
    final.set(c.incident.id, { incident: c.incident, opened: (prev?.opened ?? false) || c.kind === 'open' });
  }
  const ctx = {
    detector: config.name,
    datasource: config.datasource,
    query: config.query,
    scoring,
    seriesKey: state.key,
    seriesLabels: state.labels,
    labels: config.labels,
  };
  for (const { incident, opened } of final.values()) {
    const e = anomalyEvent(incident, ctx);
    deps.publish?.({
      type: 'anomaly',
      at: new Date(e.endedAt ?? e.startedAt).toISOString(),
      id: e.id,
      seriesKey: e.seriesKey,
      severity: e.severity,
      message: e.message,
    });
    const stored: StoredEvent = { ...e, metadata: e.metadata ?? {} };
    if (opened) {
      writes.insert.push(stored);
      summary.anomalies++;
      deps.metrics.anomalies.inc({ detector: config.name, type: String(e.metadata?.anomaly_type) });
    } else {
      writes.update.push(stored);
    }
  }
}

/** Events left open by a run whose state was lost (crash, config change) are closed at their last point. */
export async function closeOrphanEvents(store: Store, config: DetectorConfig, now: number): Promise<void> {
  const open = await store.listEvents({ from: now - config.lookbackMs, to: now, kind: ANOMALY_KIND });
  for (const e of open) {
    if (e.endedAt !== null || e.metadata.detector !== config.name) {
      continue;
    }
    const last = typeof e.metadata.last_anomaly_at === 'number' ? e.metadata.last_anomaly_at : e.startedAt;
    await store.updateEvent(e.id, { endedAt: last, metadata: { ...e.metadata, status: 'closed' } });
  }
}
