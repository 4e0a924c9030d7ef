/**
 * An incident's severity, root cause, title and state, brought up to date after an inbox batch touched
 * it (correlation.ts): core's `rootCause`, `incidentTitle` and `incidentSeverity` over its alerts, but
 * only when an alert joined or changed what they depend on, and the root cause of a one-service
 * incident found in one pass.
 */
import {
  incidentSeverity,
  incidentTitle,
  rootCause,
  withLabelDependencies,
  type RootCause,
  type Topology,
} from '@vigil/core';
import type { CorrelationSettings } from '../../config/correlationSchema';
import type { IncidentAlertRecord, IncidentRecord, IncidentTimelineRecord } from '../../store/incidentStore';
import type { Model } from './correlationModel';
import { correlationOf, firingOf } from './correlationRecords';

/**
 * Core's `rootCause` over every alert of an incident, taken as firing. When the alerts name at most one
 * service (the common incident: one service's alerts), no dependency can rank them and core answers
 * with the earliest alert — which the model keeps as alerts join, and `rootCause` is asked about it
 * alone (same answer, same words) instead of merging label dependencies and ranking services over all.
 */
function rootOf(
  model: Model,
  id: string,
  before: RootCause,
  topology: Topology,
  settings: CorrelationSettings
): RootCause {
  const shape = model.shapeOf(id)!;
  if (shape.several) {
    const all = [...model.alerts.get(id)!.values()].map(firingOf);
    return rootCause(all, withLabelDependencies(topology, all, settings.config), settings.config);
  }
  const earliest = shape.earliest;
  // The same earliest alert as last time (most joins): the same answer.
  if (before.reason === EARLIEST && before.fingerprint === earliest.fingerprint && before.service === shape.service) {
    return before;
  }
  return rootCause([firingOf(earliest)], topology, settings.config);
}

/**
 * Core's `incidentTitle` over all the incident's alerts (`<service>: <alertname> (+N alerts)`, N the
 * other distinct alerts): asked about the root alert alone for the head, N counted here.
 */
export function titleOf(
  alerts: ReadonlyMap<string, IncidentAlertRecord>,
  root: RootCause,
  config: CorrelationSettings['config']
): string {
  const rootAlert = alerts.get(root.fingerprint);
  if (rootAlert === undefined) {
    return incidentTitle([...alerts.values()].map(correlationOf), root, config);
  }
  const head = incidentTitle([correlationOf(rootAlert)], root, config);
  const more = alerts.size - 1;
  return more <= 0 ? head : `${head} (+${more} ${more === 1 ? 'alert' : 'alerts'})`;
}

/** Core's reason for a root cause that no dependency ranks. */
const EARLIEST = 'earliest alert';

/**
 * Recomputes an incident's severity, root cause, title and state after the batch touched it: the
 * summary only when an alert joined or changed what it depends on (correlationModel.ts), the state
 * always (every alert resolved: the incident resolves).
 */
export function refresh(
  model: Model,
  id: string,
  topology: Topology,
  settings: CorrelationSettings,
  now: number,
  isNew: boolean,
  note: (kind: IncidentTimelineRecord['kind'], message: string) => void
): IncidentRecord {
  const before = model.incidents.get(id)!;
  const alerts = model.alerts.get(id)!;
  let summary: Pick<IncidentRecord, 'title' | 'severity' | 'rootCause'> = before;
  if (model.summaryStale.has(id)) {
    model.summaryStale.delete(id);
    // Over every alert of the incident, resolved ones too: the cause often recovers first, and the
    // incident must not end up naming one of its symptoms.
    const root = alerts.size === 0 ? before.rootCause : rootOf(model, id, before.rootCause, topology, settings);
    if (!isNew && root.fingerprint !== before.rootCause.fingerprint) {
      note('root_cause', `root cause now ${root.service ?? root.fingerprint}: ${root.reason}`);
    }
    summary = {
      title: titleOf(alerts, root, settings.config),
      severity: alerts.size === 0 ? incidentSeverity([]) : model.shapeOf(id)!.severity,
      rootCause: root,
    };
  }
  let state = before.state;
  let resolvedAt = before.resolvedAt;
  model.held.delete(id);
  if (state !== 'resolved' && !model.anyFiring(id)) {
    // keepFiringFor holds the incident's page (flush.ts keeps its resolved alerts firing that long
    // after their end): the incident stays open as long, and resolves with the page.
    if (settings.keepFiringForMs > 0 && model.lastEnd(id, now) + settings.keepFiringForMs > now) {
      model.held.add(id);
    } else {
      state = 'resolved';
      resolvedAt = now;
      note('resolved', 'every alert resolved');
    }
  }
  // Field by field in the store's order (toIncident): one object shape for every incident record.
  const incident: IncidentRecord = {
    id: before.id,
    title: summary.title,
    state,
    severity: summary.severity,
    rootCause: summary.rootCause,
    openedAt: before.openedAt,
    updatedAt: now,
    acknowledgedAt: before.acknowledgedAt,
    acknowledgedBy: before.acknowledgedBy,
    resolvedAt,
    resolvedBy: before.resolvedBy,
  };
  model.incidents.set(id, incident);
  return incident;
}
