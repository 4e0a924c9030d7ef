/**
 * Correlation in the dispatcher (issue 11): before an inbox batch is routed, each new firing alert is
 * correlated (core `correlate`) with the alerts of unresolved incidents and of the last window; it
 * joins or opens an incident, and a suppressed alert is recorded but not routed. A routed alert carries
 * its incident in the `vigil_incident` label, and the groups of a route are formed per incident, so an
 * incident — not each alert — pages (one PagerDuty dedup_key per incident and channel). The incident
 * writes go into the same `commitIngest` transaction as the routing they decide.
 */
import { randomUUID } from 'node:crypto';
import {
  incidentSeverity,
  incidentTitle,
  rootCause,
  SEVERITIES,
  withLabelDependencies,
  type CorrelationAlert,
  type Severity,
  type Topology,
} from '@vigil/core';
import type { CorrelationSettings } from '../../config/correlationSchema';
import type {
  IncidentAlertRecord,
  IncidentRecord,
  IncidentStore,
  IncidentTimelineRecord,
  IncidentWrites,
} from '../../store/incidentStore';
import type { InboxEntry } from '../../store/notifyStore';
import { keptFor, keyOf, Model, toCorrelation } from './correlationModel';

/** The label naming a routed alert's incident (its groups are formed by it). */
export const INCIDENT_LABEL = 'vigil_incident';

/** What correlating a batch decided. */
export interface CorrelatedBatch {
  /** The entries, alerts of incidents labelled with {@link INCIDENT_LABEL}. */
  entries: InboxEntry[];
  /** Fingerprints of suppressed firing alerts: recorded in their incident, not routed. */
  suppressed: Set<string>;
  /**
   * Labels each alert of an incident is grouped on: those of the alert that opened the incident, so
   * alerts that join it land in its groups (it pages once per channel) while alerts that open
   * incidents group as Alertmanager would group them (by the route's group_by).
   */
  groupingLabels: Map<string, Record<string, string>>;
  writes: IncidentWrites;
}

/** A label's severity, as the receivers map it; anything else is a warning. */
function severityOf(labels: Record<string, string>): Severity {
  const s = (labels.severity ?? '').toLowerCase();
  return (SEVERITIES as readonly string[]).includes(s) ? (s as Severity) : 'warning';
}

/**
 * Correlates a batch: reads the candidates once, decides entry by entry (each seeing the ones before
 * it), and returns the labelled entries, the suppressed ones and the incident writes. Timeline ids
 * derive from the inbox entry, so a batch replayed after a crash writes nothing twice. Each decision
 * goes through the store's kept `CandidateIndex` (correlationModel.ts): the alerts that can correlate,
 * not the whole window; only the incident alerts the batch set are written.
 */
export async function correlateBatch(
  entries: readonly InboxEntry[],
  store: Pick<IncidentStore, 'correlationCandidates' | 'getIncident'>,
  settings: CorrelationSettings,
  topology: Topology,
  now: number,
  newId: () => string = randomUUID
): Promise<CorrelatedBatch> {
  const cfg = settings.config;
  const model = new Model(await store.correlationCandidates(now - cfg.windowMs), keptFor(store, topology, settings));
  const timeline: IncidentTimelineRecord[] = [];
  const touched = new Set<string>();
  const opened = new Set<string>();
  const suppressed = new Set<string>();
  const note = (incidentId: string, e: InboxEntry, kind: IncidentTimelineRecord['kind'], message: string) =>
    // From the inbox id: a replayed batch writes the same ids (ignored), and they sort in push order.
    timeline.push({ id: `${incidentId}:${e.id}:${kind}`, incidentId, at: now, kind, message, user: null });
  const out: InboxEntry[] = [];
  for (const e of entries) {
    const a = e.alert;
    const name = a.labels.alertname ?? a.fingerprint;
    let incidentId = model.incidentOf.get(a.fingerprint);
    if (a.status === 'firing' && incidentId === undefined) {
      incidentId = await model.reopen(a.fingerprint, now - cfg.windowMs, store);
      if (incidentId !== undefined) {
        note(incidentId, e, 'reopened', `reopened: ${name} fired again`);
      }
    }
    if (a.status === 'firing') {
      if (incidentId === undefined) {
        const candidate: CorrelationAlert = {
          fingerprint: a.fingerprint,
          labels: a.labels,
          severity: severityOf(a.labels),
          startsAt: a.startsAt,
          status: 'firing',
          incidentId: null,
          suppressed: false,
        };
        const d = model.index.decide(candidate);
        incidentId = d.incidentId ?? newId();
        if (d.incidentId === null) {
          opened.add(incidentId);
          model.add({
            id: incidentId,
            title: name,
            state: 'open',
            severity: candidate.severity,
            rootCause: { fingerprint: a.fingerprint, service: null, reason: 'first alert' },
            openedAt: now,
            updatedAt: now,
            acknowledgedAt: null,
            acknowledgedBy: null,
            resolvedAt: null,
            resolvedBy: null,
          });
          note(incidentId, e, 'opened', `opened by ${name}`);
        } else if (d.suppressed) {
          note(incidentId, e, 'alert_suppressed', `${name} suppressed (${d.suppressed.kind.replace('_', ' ')})`);
        } else {
          note(incidentId, e, 'alert_joined', `${name} joined (${d.reason?.kind.replace('_', ' ') ?? 'correlated'})`);
        }
        model.set({
          ...snapshot(e, incidentId, now),
          role: d.suppressed ? 'suppressed' : 'member',
          correlation: d.reason,
          suppression: d.suppressed,
        });
      } else {
        const before = model.alerts.get(incidentId)!.get(a.fingerprint)!;
        model.set({ ...before, ...snapshot(e, incidentId, before.joinedAt) });
      }
      touched.add(incidentId);
      if (model.alerts.get(incidentId)!.get(a.fingerprint)!.role === 'suppressed') {
        suppressed.add(a.fingerprint);
      }
    } else if (incidentId !== undefined) {
      const before = model.alerts.get(incidentId)!.get(a.fingerprint)!;
      model.set({ ...before, status: 'resolved', endsAt: a.endsAt ?? now });
      note(incidentId, e, 'alert_resolved', `${name} resolved`);
      touched.add(incidentId);
    }
    out.push(
      incidentId === undefined ? e : { ...e, alert: { ...a, labels: { ...a.labels, [INCIDENT_LABEL]: incidentId } } }
    );
  }
  const groupingLabels = new Map<string, Record<string, string>>();
  const openers = new Map<string, IncidentAlertRecord | undefined>();
  for (const e of out) {
    const id = e.alert.labels[INCIDENT_LABEL];
    if (id !== undefined && !openers.has(id)) {
      openers.set(id, openerOf(model.alerts.get(id)!));
    }
    const opener = id === undefined ? undefined : openers.get(id);
    if (opener && opener.fingerprint !== e.alert.fingerprint) {
      groupingLabels.set(e.alert.fingerprint, opener.labels);
    }
  }
  const writes: IncidentWrites = { incidents: [], alerts: [], timeline };
  for (const id of touched) {
    const incident = refresh(model, id, topology, settings, now, opened.has(id), (kind, message) =>
      timeline.push({ id: `${id}:~${now}:${kind}`, incidentId: id, at: now, kind, message, user: null })
    );
    writes.incidents.push(incident);
    for (const a of model.alerts.get(id)!.values()) {
      // Only the alerts this batch set: the others are stored as they are.
      if (model.changed.has(keyOf(a))) {
        writes.alerts.push(a);
      }
    }
  }
  return { entries: out, suppressed, groupingLabels, writes };
}

/** The alert that opened an incident: the earliest joined without a correlation reason. */
function openerOf(alerts: ReadonlyMap<string, IncidentAlertRecord>): IncidentAlertRecord | undefined {
  let best: IncidentAlertRecord | undefined;
  for (const a of alerts.values()) {
    if (a.correlation === null && (!best || a.joinedAt < best.joinedAt)) {
      best = a;
    }
  }
  return best;
}

/** The alert fields an inbox entry fixes. */
function snapshot(e: InboxEntry, incidentId: string, joinedAt: number) {
  const a = e.alert;
  return {
    incidentId,
    fingerprint: a.fingerprint,
    labels: a.labels,
    annotations: a.annotations,
    severity: severityOf(a.labels),
    status: a.status,
    startsAt: a.startsAt,
    endsAt: a.endsAt,
    generatorURL: a.generatorURL ?? null,
    joinedAt,
  };
}

/** Recomputes an incident's severity, root cause, title and state after the batch touched it. */
function refresh(
  model: Model,
  id: string,
  topology: Topology,
  settings: CorrelationSettings,
  now: number,
  isNew: boolean,
  note: (kind: IncidentTimelineRecord['kind'], message: string) => void
): IncidentRecord {
  const before = model.incidents.get(id)!;
  const alerts = [...model.alerts.get(id)!.values()].map(toCorrelation);
  const active = alerts.filter((a) => a.status === 'firing');
  const topo = withLabelDependencies(topology, alerts, settings.config);
  // Over every alert of the incident, resolved ones too: the cause often recovers first, and the
  // incident must not end up naming one of its symptoms.
  const root =
    alerts.length > 0
      ? rootCause(
          alerts.map((a) => ({ ...a, status: 'firing' as const })),
          topo,
          settings.config
        )
      : before.rootCause;
  if (!isNew && root.fingerprint !== before.rootCause.fingerprint) {
    note('root_cause', `root cause now ${root.service ?? root.fingerprint}: ${root.reason}`);
  }
  const severity = incidentSeverity(alerts);
  let state = before.state;
  let resolvedAt = before.resolvedAt;
  if (active.length === 0 && state !== 'resolved') {
    state = 'resolved';
    resolvedAt = now;
    note('resolved', 'every alert resolved');
  }
  const incident: IncidentRecord = {
    ...before,
    title: incidentTitle(alerts, root, settings.config),
    severity,
    rootCause: root,
    state,
    resolvedAt,
    updatedAt: now,
  };
  model.incidents.set(id, incident);
  return incident;
}
