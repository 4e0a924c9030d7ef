/**
 * The incident alert records as correlation reads them (made once per record: records are never changed
 * in place), how they are built from inbox entries and compared (what did not change is not written
 * again), and what correlation keeps per store between inbox batches (correlationModel.ts).
 */
import { SEVERITIES, type CorrelationAlert, type Severity, type Topology } from '@vigil/core';
import type { CorrelationSettings } from '../../config/correlationSchema';
import type { CorrelationVersion, IncidentAlertRecord, IncidentRecord } from '../../store/incidentStore';
import type { InboundAlert, InboxEntry } from '../../store/notifyStore';
import type { Model } from './correlationModel';

/** An incident alert as correlation sees it. */
export const toCorrelation = (a: IncidentAlertRecord): CorrelationAlert => ({
  fingerprint: a.fingerprint,
  labels: a.labels,
  severity: a.severity,
  startsAt: a.startsAt,
  status: a.status,
  incidentId: a.incidentId,
  suppressed: a.role === 'suppressed',
});

// Records are never changed in place (a change is a new record), so their conversions are made once:
// an incident's root cause is recomputed over all its alerts each time a batch touches it.
const asCorrelation = new WeakMap<IncidentAlertRecord, CorrelationAlert>();
const asFiring = new WeakMap<IncidentAlertRecord, CorrelationAlert>();

/** {@link toCorrelation}, made once per record. */
export function correlationOf(a: IncidentAlertRecord): CorrelationAlert {
  let c = asCorrelation.get(a);
  if (c === undefined) {
    c = toCorrelation(a);
    asCorrelation.set(a, c);
  }
  return c;
}

/** The record as correlation sees it, firing (the root cause is chosen as if all still were). */
export function firingOf(a: IncidentAlertRecord): CorrelationAlert {
  let c = asFiring.get(a);
  if (c === undefined) {
    const base = correlationOf(a);
    c = base.status === 'firing' ? base : { ...base, status: 'firing' };
    asFiring.set(a, c);
  }
  return c;
}

/** The record with a new status and end, built in the store's field order (see {@link snapshot}). */
export function withStatus(
  a: IncidentAlertRecord,
  status: IncidentAlertRecord['status'],
  endsAt: number | null
): IncidentAlertRecord {
  return {
    incidentId: a.incidentId,
    fingerprint: a.fingerprint,
    role: a.role,
    labels: a.labels,
    annotations: a.annotations,
    severity: a.severity,
    status,
    startsAt: a.startsAt,
    endsAt,
    generatorURL: a.generatorURL,
    correlation: a.correlation,
    suppression: a.suppression,
    joinedAt: a.joinedAt,
  };
}

/** An incident alert's key: the store's (incident, fingerprint). */
export const keyOf = (a: Pick<IncidentAlertRecord, 'incidentId' | 'fingerprint'>) =>
  `${a.incidentId}\u0000${a.fingerprint}`;

/** What correlation keeps for one store (and one topology and configuration). */
export interface Kept {
  topology: Topology;
  config: CorrelationSettings['config'];
  /** The state as of {@link version}; null: load it from the store. */
  model: Model | null;
  /** The store's version the state is current at (its last batch's writes committed, nothing since). */
  version: CorrelationVersion | null;
}

const keptByStore = new WeakMap<object, Kept>();

/** The kept state of `store`, empty when the topology or the settings changed. */
export function keptFor(store: object, topology: Topology, settings: CorrelationSettings): Kept {
  const kept = keptByStore.get(store);
  if (kept && kept.topology === topology && kept.config === settings.config) {
    return kept;
  }
  const fresh: Kept = { topology, config: settings.config, model: null, version: null };
  keptByStore.set(store, fresh);
  return fresh;
}

/** Whether two label sets are equal. */
export function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  if (a === b) {
    return true;
  }
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) {
    return false;
  }
  for (const k of keys) {
    if (a[k] !== b[k]) {
      return false;
    }
  }
  return true;
}

/** Whether two versions are the same. */
export const sameVersion = (a: CorrelationVersion | null, b: CorrelationVersion) =>
  a !== null && a.others === b.others && a.token === b.token;

/** Whether two records of an incident are the same but for `updatedAt`. */
export function sameIncident(a: IncidentRecord, b: IncidentRecord): boolean {
  return (
    a.title === b.title &&
    a.state === b.state &&
    a.severity === b.severity &&
    (a.rootCause === b.rootCause ||
      (a.rootCause.fingerprint === b.rootCause.fingerprint &&
        a.rootCause.service === b.rootCause.service &&
        a.rootCause.reason === b.rootCause.reason)) &&
    a.openedAt === b.openedAt &&
    a.acknowledgedAt === b.acknowledgedAt &&
    a.acknowledgedBy === b.acknowledgedBy &&
    a.resolvedAt === b.resolvedAt &&
    a.resolvedBy === b.resolvedBy
  );
}

/** Whether an incident alert's record already holds what an inbox entry's alert says. */
export function sameAlert(r: IncidentAlertRecord, a: InboundAlert): boolean {
  return (
    r.status === a.status &&
    r.startsAt === a.startsAt &&
    r.endsAt === a.endsAt &&
    r.generatorURL === (a.generatorURL ?? null) &&
    sameLabels(r.labels, a.labels) &&
    sameLabels(r.annotations, a.annotations)
  );
}

/** A label's severity, as the receivers map it; anything else is a warning. */
export function severityOf(labels: Record<string, string>): Severity {
  const s = (labels.severity ?? '').toLowerCase();
  return (SEVERITIES as readonly string[]).includes(s) ? (s as Severity) : 'warning';
}

/**
 * An inbox entry's alert as an incident alert. Every record is built field by field in the store's
 * order (`toIncidentAlert`, {@link withStatus}), not spread: one object shape for all of them, so the code
 * that reads them per alert stays monomorphic (spreads of records from several sites were not).
 */
export function snapshot(
  e: InboxEntry,
  incidentId: string,
  role: IncidentAlertRecord['role'],
  correlation: IncidentAlertRecord['correlation'],
  suppression: IncidentAlertRecord['suppression'],
  joinedAt: number
): IncidentAlertRecord {
  const a = e.alert;
  return {
    incidentId,
    fingerprint: a.fingerprint,
    role,
    labels: a.labels,
    annotations: a.annotations,
    severity: severityOf(a.labels),
    status: a.status,
    startsAt: a.startsAt,
    endsAt: a.endsAt,
    generatorURL: a.generatorURL ?? null,
    correlation,
    suppression,
    joinedAt,
  };
}
