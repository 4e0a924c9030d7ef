/**
 * The state `correlateBatch` (correlation.ts) works on: the incidents and alerts an inbox batch
 * changes, and the core `CandidateIndex` over the correlation candidates, kept between batches.
 */
import { CandidateIndex, type CorrelationAlert, type Topology } from '@vigil/core';
import type { CorrelationSettings } from '../../config/correlationSchema';
import type { IncidentAlertRecord, IncidentRecord, IncidentStore } from '../../store/incidentStore';

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

/** An incident alert's key: the store's (incident, fingerprint). */
export const keyOf = (a: Pick<IncidentAlertRecord, 'incidentId' | 'fingerprint'>) =>
  `${a.incidentId}\u0000${a.fingerprint}`;

/**
 * What correlation keeps between the inbox batches of one store: the index over the candidates it
 * last saw, so a batch re-indexes only the alerts that changed (the store hands back the same record
 * for an unchanged row) instead of the whole window. Each batch compares it with what the store says
 * (which is what committed): a record not given any more is removed, a different one put again, an
 * incident whose state, opening or number of alerts differs registered again, one no longer
 * unresolved forgotten — so decisions of a batch that rolled back do not linger. As the store's kept
 * candidate rows (sqliteIncidentCandidates.ts), this relies on the dispatcher being the only writer of
 * incident alerts (the number of alerts then tells whether an incident's list changed).
 */
export interface Kept {
  topology: Topology;
  config: CorrelationSettings['config'];
  index: CandidateIndex;
  /** Key → the record the index holds for it. */
  records: Map<string, IncidentAlertRecord>;
  /** Incident id → its signature as registered (`state|openedAt|alerts`). */
  incidents: Map<string, string>;
}

const keptByStore = new WeakMap<object, Kept>();

/** The kept index of `store`, new when the topology or the settings changed. */
export function keptFor(store: object, topology: Topology, settings: CorrelationSettings): Kept {
  const kept = keptByStore.get(store);
  if (kept && kept.topology === topology && kept.config === settings.config) {
    return kept;
  }
  const fresh: Kept = {
    topology,
    config: settings.config,
    index: new CandidateIndex(topology, settings.config),
    records: new Map(),
    incidents: new Map(),
  };
  keptByStore.set(store, fresh);
  return fresh;
}

const signature = (i: Pick<IncidentRecord, 'state' | 'openedAt'>, alerts: number) =>
  `${i.state}|${i.openedAt}|${alerts}`;

/**
 * The incidents and their alerts as this batch changes them, and the correlation index over them
 * (core `CandidateIndex`: each decision looks at the alerts that can correlate, not at the window).
 */
export class Model {
  readonly incidents = new Map<string, IncidentRecord>();
  readonly alerts = new Map<string, Map<string, IncidentAlertRecord>>();
  /** Fingerprint → its unresolved incident. */
  readonly incidentOf = new Map<string, string>();
  /** Alerts of the window that belong to resolved incidents (correlation candidates all the same), by fingerprint. */
  readonly recentResolved = new Map<string, IncidentAlertRecord[]>();
  readonly index: CandidateIndex;
  /** Keys of the incident alerts this batch set: the only ones it writes. */
  readonly changed = new Set<string>();

  constructor(
    candidates: { incidents: IncidentRecord[]; alerts: IncidentAlertRecord[] },
    private readonly kept: Kept
  ) {
    this.index = kept.index;
    for (const i of candidates.incidents) {
      this.incidents.set(i.id, i);
      this.alerts.set(i.id, new Map());
    }
    const seen = new Set<string>();
    for (const a of candidates.alerts) {
      const key = keyOf(a);
      seen.add(key);
      if (kept.records.get(key) !== a) {
        kept.records.set(key, a);
        this.index.put(key, toCorrelation(a));
      }
      const of = this.alerts.get(a.incidentId);
      if (of) {
        of.set(a.fingerprint, a);
        this.incidentOf.set(a.fingerprint, a.incidentId);
      } else {
        const list = this.recentResolved.get(a.fingerprint) ?? [];
        list.push(a);
        this.recentResolved.set(a.fingerprint, list);
      }
    }
    for (const key of kept.records.keys()) {
      if (!seen.has(key)) {
        kept.records.delete(key);
        this.index.remove(key);
      }
    }
    for (const id of kept.incidents.keys()) {
      if (!this.incidents.has(id)) {
        kept.incidents.delete(id);
        this.index.removeIncident(id);
      }
    }
    for (const [id, i] of this.incidents) {
      if (kept.incidents.get(id) !== signature(i, this.alerts.get(id)!.size)) {
        this.register(id);
      }
    }
  }

  /** Tells the index an incident's state and alerts. */
  private register(id: string): void {
    const i = this.incidents.get(id)!;
    const alerts = [...(this.alerts.get(id)?.keys() ?? [])];
    this.index.putIncident({ id, state: i.state, severity: i.severity, openedAt: i.openedAt, alerts });
    this.kept.incidents.set(id, signature(i, alerts.length));
  }

  /** Opens a new incident (no alerts yet). */
  add(incident: IncidentRecord): void {
    this.incidents.set(incident.id, incident);
    this.alerts.set(incident.id, new Map());
    this.register(incident.id);
  }

  /** Sets an alert of an incident (joining it when new) and keeps the index up to date. */
  set(a: IncidentAlertRecord): void {
    const of = this.alerts.get(a.incidentId)!;
    const joins = !of.has(a.fingerprint);
    of.set(a.fingerprint, a);
    if (joins) {
      this.incidentOf.set(a.fingerprint, a.incidentId);
      this.index.joinIncident(a.incidentId, a.fingerprint);
      this.kept.incidents.set(a.incidentId, signature(this.incidents.get(a.incidentId)!, of.size));
    }
    this.kept.records.set(keyOf(a), a);
    this.index.put(keyOf(a), toCorrelation(a));
    this.changed.add(keyOf(a));
  }

  /**
   * A flapping alert: when it fires again shortly after its incident resolved by itself (within the
   * window), that incident reopens instead of a new one opening for every flap. An incident a user
   * resolved stays resolved. Returns the reopened incident's id.
   */
  async reopen(
    fingerprint: string,
    since: number,
    store: Pick<IncidentStore, 'getIncident'>
  ): Promise<string | undefined> {
    const last = (this.recentResolved.get(fingerprint) ?? []).slice().sort((x, y) => y.joinedAt - x.joinedAt)[0];
    const incident = last && (this.incidents.get(last.incidentId) ?? (await store.getIncident(last.incidentId)));
    if (
      !incident ||
      incident.state !== 'resolved' ||
      incident.resolvedBy !== null ||
      (incident.resolvedAt ?? 0) < since
    ) {
      return undefined;
    }
    this.incidents.set(incident.id, { ...incident, state: 'open', resolvedAt: null });
    const alerts = new Map<string, IncidentAlertRecord>();
    for (const [fp, list] of this.recentResolved) {
      const kept = list.filter((r) => r.incidentId !== incident.id);
      for (const a of list) {
        if (a.incidentId === incident.id) {
          alerts.set(a.fingerprint, a);
          this.incidentOf.set(a.fingerprint, incident.id);
        }
      }
      if (kept.length === 0) {
        this.recentResolved.delete(fp);
      } else if (kept.length < list.length) {
        this.recentResolved.set(fp, kept);
      }
    }
    this.alerts.set(incident.id, alerts);
    // Its alerts are in the index already (as recent alerts of a resolved incident): now it is open.
    this.register(incident.id);
    return incident.id;
  }
}
