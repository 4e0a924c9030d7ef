/**
 * The state `correlateBatch` (correlation.ts) works on, kept in memory between the inbox batches of one
 * store: the unresolved incidents and their alerts, the recent alerts of resolved ones, and the core
 * `CandidateIndex` over all of them. A batch changes it in place and costs what the batch touches — not
 * the window: with it read and indexed again per batch, a 10k-alert storm took twice as long with
 * correlation on. The state is trusted only while the store's `correlationVersion` is the one its last
 * batch left (that batch committed, nothing else wrote incidents since: no user acknowledged or
 * resolved, no other process wrote); otherwise it is loaded again from `correlationCandidates`.
 */
import { CandidateIndex, incidentSeverity, type Topology } from '@vigil/core';
import type { CorrelationSettings } from '../../config/correlationSchema';
import type { IncidentAlertRecord, IncidentRecord, IncidentStore } from '../../store/incidentStore';
import { keyOf, sameLabels, toCorrelation } from './correlationRecords';
import { extendShape, type IncidentShape, labelValue } from './incidentShape';
import { MinHeap } from './minHeap';

/**
 * The incidents and their alerts, and the correlation index over them (core `CandidateIndex`: each
 * decision looks at the alerts that can correlate, not at the window). The index holds exactly what
 * `correlationCandidates(since)` would return: every alert of an unresolved incident, and the alerts of
 * resolved incidents that started at or after `since` ({@link begin} drops the older ones).
 */
export class Model {
  /** The unresolved incidents (and, until the end of a batch, those it resolved). */
  readonly incidents = new Map<string, IncidentRecord>();
  /** Their alerts, by fingerprint. */
  readonly alerts = new Map<string, Map<string, IncidentAlertRecord>>();
  /** Fingerprint → its unresolved incident. */
  readonly incidentOf = new Map<string, string>();
  /** Alerts of the window that belong to resolved incidents (correlation candidates all the same), by fingerprint. */
  readonly recentResolved = new Map<string, IncidentAlertRecord[]>();
  readonly index: CandidateIndex;
  private readonly serviceLabel: string;
  /** The incident alerts this batch set, by key: the only ones it writes. */
  readonly changed = new Map<string, IncidentAlertRecord>();
  /** Of the stored ones, those whose status and end alone changed (written narrower), by key. */
  readonly statusChanged = new Map<string, IncidentAlertRecord>();
  /** Key → the record the index holds for it. */
  private readonly records = new Map<string, IncidentAlertRecord>();
  /**
   * Incidents whose root cause, title and severity must be computed again: an alert joined, or one
   * changed its labels, severity or start (they depend on nothing else: the root cause is chosen among
   * all alerts as if all were firing). Every incident after a load (the topology may have changed).
   */
  readonly summaryStale = new Set<string>();
  /** Incident id → what its root cause needs of its alerts, made on first use and kept as alerts join. */
  private readonly shapes = new Map<string, IncidentShape>();
  /**
   * Unresolved incidents none of whose alerts fires, kept open by `keepFiringFor` while their page
   * holds (incidentSummary.ts `refresh`, correlation.ts `resolveHeld`).
   */
  readonly held = new Set<string>();
  /** Incident id → how many of its alerts fire (an incident resolves when none does). */
  private readonly firingCount = new Map<string, number>();
  /** Incident id → the alert that opened it (undefined: none), made on first use. */
  private readonly openers = new Map<string, IncidentAlertRecord | undefined>();
  /** When each record leaves the window (its start), oldest first; stale entries are skipped. */
  private readonly expiry = new MinHeap<{ at: number; key: string }>((x, y) => x.at - y.at);

  /** The state of a fresh read of the candidates (incidents by opening, alerts in the store's order). */
  constructor(
    candidates: { incidents: IncidentRecord[]; alerts: IncidentAlertRecord[] },
    topology: Topology,
    config: CorrelationSettings['config']
  ) {
    this.index = new CandidateIndex(topology, config);
    this.serviceLabel = config.serviceLabel;
    for (const i of candidates.incidents) {
      this.incidents.set(i.id, i);
      this.alerts.set(i.id, new Map());
    }
    for (const a of candidates.alerts) {
      this.keep(a);
      const of = this.alerts.get(a.incidentId);
      if (of) {
        of.set(a.fingerprint, a);
        this.incidentOf.set(a.fingerprint, a.incidentId);
        this.count(a.incidentId, a.status === 'firing' ? 1 : 0);
      } else {
        this.addResolved(a);
      }
    }
    for (const id of this.incidents.keys()) {
      this.register(id);
      this.summaryStale.add(id);
      if (!this.anyFiring(id) && this.alerts.get(id)!.size > 0) {
        this.held.add(id);
      }
    }
  }

  /** Starts a batch: forgets what the last one changed, and the alerts that left the window. */
  begin(since: number): void {
    this.changed.clear();
    this.statusChanged.clear();
    for (let top = this.expiry.peek(); top !== undefined && top.at < since; top = this.expiry.peek()) {
      this.expiry.pop();
      const a = this.records.get(top.key);
      // Stale entry (the record changed since), or an alert of an unresolved incident: a candidate
      // however old (retire() looks at it again when its incident resolves).
      if (a === undefined || a.startsAt !== top.at || this.alerts.has(a.incidentId)) {
        continue;
      }
      this.forget(a);
    }
  }

  /** Opens a new incident (no alerts yet). */
  add(incident: IncidentRecord): void {
    this.incidents.set(incident.id, incident);
    this.alerts.set(incident.id, new Map());
    this.register(incident.id);
    this.summaryStale.add(incident.id);
  }

  /**
   * Sets an alert of an unresolved incident (joining it when new) and keeps the index up to date.
   * `statusOnly`: only its status and end differ from the stored record (unless this batch set it).
   */
  set(a: IncidentAlertRecord, statusOnly = false): void {
    const of = this.alerts.get(a.incidentId)!;
    const before = of.get(a.fingerprint);
    const shape = this.shapes.get(a.incidentId);
    if (before === undefined) {
      this.summaryStale.add(a.incidentId);
      if (shape) {
        extendShape(shape, a, this.serviceLabel);
      }
    } else if (
      before.startsAt !== a.startsAt ||
      before.severity !== a.severity ||
      !sameLabels(before.labels, a.labels)
    ) {
      this.summaryStale.add(a.incidentId);
      this.shapes.delete(a.incidentId);
    } else if (shape?.earliest === before) {
      shape.earliest = a;
    }
    if (before === undefined) {
      this.incidentOf.set(a.fingerprint, a.incidentId);
      this.index.joinIncident(a.incidentId, a.fingerprint);
    }
    // A new opener, or the opener's record replaced (with its current labels): found again on use.
    const opener = this.openers.get(a.incidentId);
    if (a.correlation === null || opener?.fingerprint === a.fingerprint) {
      this.openers.delete(a.incidentId);
    }
    of.set(a.fingerprint, a);
    this.count(a.incidentId, (a.status === 'firing' ? 1 : 0) - (before?.status === 'firing' ? 1 : 0));
    const key = this.keep(a);
    if (statusOnly && !this.changed.has(key)) {
      this.statusChanged.set(key, a);
    } else {
      this.changed.set(key, a);
      this.statusChanged.delete(key);
    }
  }

  /**
   * Ends an incident the batch resolved: it leaves the index's incidents; its alerts stay candidates
   * while in the window (as recent alerts of a resolved incident), the others go.
   */
  retire(id: string, since: number): void {
    for (const a of this.alerts.get(id)?.values() ?? []) {
      if (this.incidentOf.get(a.fingerprint) === id) {
        this.incidentOf.delete(a.fingerprint);
      }
      if (a.startsAt >= since) {
        this.addResolved(a);
        this.expiry.push({ at: a.startsAt, key: keyOf(a) });
      } else {
        this.forget(a);
      }
    }
    this.incidents.delete(id);
    this.alerts.delete(id);
    this.openers.delete(id);
    this.shapes.delete(id);
    this.firingCount.delete(id);
    this.held.delete(id);
    this.summaryStale.delete(id);
    this.index.removeIncident(id);
  }

  /**
   * The alert that opened an unresolved incident: the earliest joined without a correlation reason
   * (an alert keeps its reason and joining time while it stays).
   */
  openerOf(id: string): IncidentAlertRecord | undefined {
    if (!this.openers.has(id)) {
      let best: IncidentAlertRecord | undefined;
      for (const a of this.alerts.get(id)?.values() ?? []) {
        if (a.correlation === null && (!best || a.joinedAt < best.joinedAt)) {
          best = a;
        }
      }
      this.openers.set(id, best);
    }
    return this.openers.get(id);
  }

  /**
   * A flapping alert: when it fires again shortly after its incident resolved by itself (within the
   * window), that incident reopens instead of a new one opening for every flap. An incident a user
   * resolved stays resolved. Returns the reopened incident's id.
   */
  reopen(
    fingerprint: string,
    since: number,
    store: Pick<IncidentStore, 'getIncident'>
  ): Promise<string | undefined> | undefined {
    // Synchronous when there is nothing to reopen (most new alerts): no await per alert.
    const list = this.recentResolved.get(fingerprint);
    return list === undefined ? undefined : this.reopenFrom(list, since, store);
  }

  private async reopenFrom(
    list: readonly IncidentAlertRecord[],
    since: number,
    store: Pick<IncidentStore, 'getIncident'>
  ): Promise<string | undefined> {
    const last = list.slice().sort((x, y) => y.joinedAt - x.joinedAt)[0];
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
    this.firingCount.delete(incident.id);
    const alerts = new Map<string, IncidentAlertRecord>();
    for (const [fp, list] of this.recentResolved) {
      const kept = list.filter((r) => r.incidentId !== incident.id);
      for (const a of list) {
        if (a.incidentId === incident.id) {
          alerts.set(a.fingerprint, a);
          this.incidentOf.set(a.fingerprint, incident.id);
          this.count(incident.id, a.status === 'firing' ? 1 : 0);
        }
      }
      if (kept.length === 0) {
        this.recentResolved.delete(fp);
      } else if (kept.length < list.length) {
        this.recentResolved.set(fp, kept);
      }
    }
    this.alerts.set(incident.id, alerts);
    this.openers.delete(incident.id);
    this.shapes.delete(incident.id);
    this.summaryStale.add(incident.id);
    // Its alerts are in the index already (as recent alerts of a resolved incident): now it is open.
    this.register(incident.id);
    return incident.id;
  }

  /** What the root cause of an unresolved incident needs of its alerts; undefined without alerts. */
  shapeOf(id: string): IncidentShape | undefined {
    let shape = this.shapes.get(id);
    if (shape === undefined) {
      for (const a of this.alerts.get(id)?.values() ?? []) {
        if (shape === undefined) {
          shape = {
            service: labelValue(a.labels, this.serviceLabel),
            several: false,
            earliest: a,
            severity: incidentSeverity([a]),
          };
        } else {
          extendShape(shape, a, this.serviceLabel);
        }
      }
      if (shape !== undefined) {
        this.shapes.set(id, shape);
      }
    }
    return shape;
  }

  /** Whether any alert of an unresolved incident fires. */
  anyFiring(id: string): boolean {
    return (this.firingCount.get(id) ?? 0) > 0;
  }

  /** When the last alert of an incident ended (its end, else `fallback`); -Infinity without alerts. */
  lastEnd(id: string, fallback: number): number {
    let last = -Infinity;
    for (const a of this.alerts.get(id)?.values() ?? []) {
      last = Math.max(last, a.endsAt ?? fallback);
    }
    return last;
  }

  private count(id: string, delta: number): void {
    this.firingCount.set(id, (this.firingCount.get(id) ?? 0) + delta);
  }

  /** Tells the index an incident's state and alerts. */
  private register(id: string): void {
    const i = this.incidents.get(id)!;
    const alerts = [...(this.alerts.get(id)?.keys() ?? [])];
    this.index.putIncident({ id, state: i.state, severity: i.severity, openedAt: i.openedAt, alerts });
  }

  /** Puts a record in the index (a new one last, a changed one in its place), schedules its expiry; its key. */
  private keep(a: IncidentAlertRecord): string {
    const key = keyOf(a);
    const before = this.records.get(key);
    this.records.set(key, a);
    // Not correlationOf: a WeakMap entry per record written costs more (GC) than it saves here.
    this.index.put(key, toCorrelation(a));
    if (before === undefined || before.startsAt !== a.startsAt) {
      this.expiry.push({ at: a.startsAt, key });
    }
    return key;
  }

  private addResolved(a: IncidentAlertRecord): void {
    const list = this.recentResolved.get(a.fingerprint);
    if (list) {
      list.push(a);
    } else {
      this.recentResolved.set(a.fingerprint, [a]);
    }
  }

  /** Drops a record that is no longer a candidate. */
  private forget(a: IncidentAlertRecord): void {
    const key = keyOf(a);
    this.records.delete(key);
    this.index.remove(key);
    const list = this.recentResolved.get(a.fingerprint);
    if (list) {
      const rest = list.filter((r) => r.incidentId !== a.incidentId);
      if (rest.length === 0) {
        this.recentResolved.delete(a.fingerprint);
      } else {
        this.recentResolved.set(a.fingerprint, rest);
      }
    }
  }
}
