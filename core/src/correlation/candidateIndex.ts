/**
 * `correlate` without the scan: the recent alerts and the incidents a caller would pass to it, kept
 * in an index that is updated alert by alert, so that each decision looks only at the alerts that CAN
 * correlate with the new one — its service, the services on its dependency path (either way), its
 * symptom groups — instead of every alert of the window. Same decisions as `correlate` over the same
 * alerts (in the same order) and incidents; the label topology is merged once per new edge instead of
 * once per decision. The dispatcher keeps one per inbox batch.
 */
import { decideAmong } from './decide';
import { severityRank } from './order';
import { addTo, sameLabels } from './collections';
import { type Entry, ServiceSummary } from './serviceSummary';
import { symptomsOf } from './relate';
import { labelOf, Reachability, serviceOf, withLabelDependencies } from './topology';
import type { CorrelationAlert, CorrelationConfig, CorrelationDecision, CorrelationIncident, Topology } from './types';

/** An incident as registered: `order` is its place in the `incidents` list `correlate` would get. */
interface Registered {
  incident: CorrelationIncident;
  order: number;
}

/**
 * The recent alerts and incidents of {@link correlate}, indexed. `put` the alerts in the order of
 * `recent` (a replaced alert keeps its place), `putIncident` the incidents in the order of
 * `incidents`, `joinIncident` when an alert joins one; `decide(alert)` is then
 * `correlate(alert, recent, incidents, topology, config, now)`.
 */
export class CandidateIndex {
  private readonly entries = new Map<string, Entry>();
  private readonly byService = new Map<string, Set<Entry>>();
  private readonly byGroup = new Map<number, Set<Entry>>();
  private readonly byFingerprint = new Map<string, Set<Entry>>();
  /** The entries by the incident they name (`incidentId`). */
  private readonly byNamedIncident = new Map<string, Set<Entry>>();
  /** Symptom → the indices of the symptom groups holding it. */
  private readonly groupsOfSymptom = new Map<string, number[]>();
  private readonly incidents = new Map<string, Registered>();
  /** Fingerprint → the ids of the registered incidents listing it. */
  private readonly incidentsOfAlert = new Map<string, Set<string>>();
  /**
   * Incident id → the highest severity (lowest rank) of any alert put under a fingerprint it lists:
   * a bound that only rises. A new alert that no member can outrank skips reading the members (the
   * incident's size) for suppression by a higher severity; in a storm of equal severities, always.
   */
  private readonly topRank = new Map<string, number>();
  /** Service → its alerts summarised (serviceSummary.ts); absent: build it again when asked. */
  private readonly summaries = new Map<string, ServiceSummary>();
  /** The topology with the label dependencies of every alert put (edges only ever added). */
  private topology: Topology;
  private reach: Reachability;
  private seq = 0;
  private order = 0;

  constructor(
    private readonly base: Topology,
    private readonly config: CorrelationConfig
  ) {
    this.topology = base;
    this.reach = new Reachability(base);
    config.symptomGroups.forEach((group, i) => {
      for (const member of group.members) {
        const list = this.groupsOfSymptom.get(member) ?? [];
        if (list.indexOf(i) < 0) {
          list.push(i);
        }
        this.groupsOfSymptom.set(member, list);
      }
    });
  }

  /** Adds a recent alert under `key`, or replaces the one there (it keeps its place in the order). */
  put(key: string, alert: CorrelationAlert): void {
    const before = this.entries.get(key);
    this.raise(this.incidentsOfAlert.get(alert.fingerprint), severityRank(alert.severity));
    if (alert.incidentId !== null) {
      this.raiseOne(alert.incidentId, severityRank(alert.severity));
    }
    if (
      before &&
      before.alert.fingerprint === alert.fingerprint &&
      before.alert.incidentId === alert.incidentId &&
      sameLabels(before.alert.labels, alert.labels)
    ) {
      // Same labels (a status, start or severity changed): the same service, symptom groups and
      // declared dependencies, so the entry stays where it is indexed.
      before.alert = alert;
      this.stale(before.service);
      return;
    }
    if (before) {
      this.unindex(before);
      this.stale(before.service);
    }
    const entry: Entry = {
      seq: before ? before.seq : this.seq++,
      alert,
      service: serviceOf(alert, this.config),
      groups: this.groupsOf(alert),
    };
    this.entries.set(key, entry);
    addTo(this.byFingerprint, alert.fingerprint, entry);
    if (alert.incidentId !== null) {
      addTo(this.byNamedIncident, alert.incidentId, entry);
    }
    if (entry.service !== null) {
      addTo(this.byService, entry.service, entry);
      this.summaries.get(entry.service)?.add(entry, this.incidentOf(alert)?.id ?? null);
    }
    for (const g of entry.groups) {
      addTo(this.byGroup, g, entry);
    }
    if (before && this.declared(before.alert) !== this.declared(alert)) {
      this.remerge();
    } else {
      this.setTopology(withLabelDependencies(this.topology, [alert], this.config));
    }
  }

  /** Removes the recent alert under `key` (it is no longer a candidate). */
  remove(key: string): void {
    const before = this.entries.get(key);
    if (!before) {
      return;
    }
    this.unindex(before);
    this.stale(before.service);
    this.entries.delete(key);
    if (this.declared(before.alert) !== null) {
      this.remerge();
    }
  }

  /** Forgets an incident (as if no longer in `incidents`). */
  removeIncident(id: string): void {
    const before = this.incidents.get(id);
    if (before) {
      for (const fp of before.incident.alerts) {
        this.incidentsOfAlert.get(fp)?.delete(id);
      }
      this.incidents.delete(id);
      this.staleAlerts(before.incident.alerts);
    }
    this.byNamedIncident.get(id)?.forEach((e) => this.stale(e.service));
    this.topRank.delete(id);
  }

  /** Registers an incident (or replaces it, keeping its place): its state and its alerts' fingerprints. */
  putIncident(incident: CorrelationIncident): void {
    const before = this.incidents.get(incident.id);
    if (before) {
      for (const fp of before.incident.alerts) {
        this.incidentsOfAlert.get(fp)?.delete(incident.id);
      }
      this.staleAlerts(before.incident.alerts);
    }
    this.staleAlerts(incident.alerts);
    this.byNamedIncident.get(incident.id)?.forEach((e) => this.stale(e.service));
    const copy: CorrelationIncident = { ...incident, alerts: incident.alerts.slice() };
    this.incidents.set(incident.id, { incident: copy, order: before ? before.order : this.order++ });
    let top = Infinity;
    for (const fp of copy.alerts) {
      addTo(this.incidentsOfAlert, fp, incident.id);
      this.byFingerprint.get(fp)?.forEach((e) => (top = Math.min(top, severityRank(e.alert.severity))));
    }
    this.byNamedIncident.get(incident.id)?.forEach((e) => (top = Math.min(top, severityRank(e.alert.severity))));
    this.topRank.set(incident.id, top);
  }

  /** Records that the alert `fingerprint` joined the registered incident `incidentId`. */
  joinIncident(incidentId: string, fingerprint: string): void {
    const registered = this.incidents.get(incidentId);
    if (registered) {
      registered.incident.alerts.push(fingerprint);
      addTo(this.incidentsOfAlert, fingerprint, incidentId);
      this.staleAlerts([fingerprint]);
      let top = this.topRank.get(incidentId) ?? Infinity;
      this.byFingerprint.get(fingerprint)?.forEach((e) => (top = Math.min(top, severityRank(e.alert.severity))));
      this.topRank.set(incidentId, top);
    }
  }

  /** The decision `correlate` makes for `alert` over the alerts and incidents put so far. */
  decide(alert: CorrelationAlert): CorrelationDecision {
    const merged = withLabelDependencies(this.topology, [alert], this.config);
    const reach = merged === this.topology ? this.reach : new Reachability(merged);
    const found = new Set<Entry>();
    const add = (set: Set<Entry> | undefined) => set?.forEach((e) => found.add(e));
    const service = serviceOf(alert, this.config);
    if (service !== null) {
      // The service's alerts, or those that stand for them (serviceSummary.ts: same decision).
      const summary = this.summaryOf(service);
      if (summary.summarises(alert.fingerprint)) {
        add(this.byService.get(service));
      } else {
        summary.candidates((e) => found.add(e));
      }
      reach.dependenciesOf(service).forEach((s) => add(this.byService.get(s)));
      for (const s of reach.dependentsOf(service)) {
        add(this.byService.get(s));
      }
    }
    for (const g of this.groupsOf(alert)) {
      add(this.byGroup.get(g));
    }
    const candidates = [...found].sort((a, b) => a.seq - b.seq).map((e) => e.alert);
    const rank = severityRank(alert.severity);
    return decideAmong(
      alert,
      candidates,
      (c) => this.incidentOf(c),
      reach,
      this.config,
      // Members are read only when one may outrank the alert (see topRank).
      (i) => ((this.topRank.get(i.id) ?? Infinity) < rank ? this.membersOf(i) : [])
    );
  }

  /**
   * The alerts put whose incident is `incident`, firing ones only (the only ones suppression reads),
   * in no particular order: the suppression that reads them picks by severity, start, fingerprint.
   */
  private *membersOf(incident: CorrelationIncident): Iterable<CorrelationAlert> {
    for (const fp of incident.alerts) {
      for (const e of this.byFingerprint.get(fp) ?? []) {
        if (e.alert.status === 'firing' && this.incidentOf(e.alert)?.id === incident.id) {
          yield e.alert;
        }
      }
    }
    // And those that name it without its list holding them (some may be yielded twice: no matter).
    for (const e of this.byNamedIncident.get(incident.id) ?? []) {
      if (e.alert.status === 'firing' && this.incidentOf(e.alert)?.id === incident.id) {
        yield e.alert;
      }
    }
  }

  /** `correlate`'s incident of an alert: the unresolved one it names, else the last one listing it. */
  private incidentOf(c: CorrelationAlert): CorrelationIncident | null {
    const named = c.incidentId !== null ? this.incidents.get(c.incidentId) : undefined;
    if (named && named.incident.state !== 'resolved') {
      return named.incident;
    }
    let best: Registered | undefined;
    this.incidentsOfAlert.get(c.fingerprint)?.forEach((id) => {
      const r = this.incidents.get(id)!;
      if (r.incident.state !== 'resolved' && (!best || r.order > best.order)) {
        best = r;
      }
    });
    return best ? best.incident : null;
  }

  /** A service's summary, built when absent. */
  private summaryOf(service: string): ServiceSummary {
    let summary = this.summaries.get(service);
    if (summary === undefined) {
      summary = new ServiceSummary();
      for (const e of this.byService.get(service) ?? []) {
        summary.add(e, this.incidentOf(e.alert)?.id ?? null);
      }
      this.summaries.set(service, summary);
    }
    return summary;
  }

  /** Drops a service's summary: one of its alerts changed or left. */
  private stale(service: string | null): void {
    if (service !== null) {
      this.summaries.delete(service);
    }
  }

  /** Drops the summaries of the services of these alerts (fingerprints): their incident may have changed. */
  private staleAlerts(fingerprints: readonly string[]): void {
    for (const fp of fingerprints) {
      this.byFingerprint.get(fp)?.forEach((e) => this.stale(e.service));
    }
  }

  /** Lowers the bound of each of `ids` (incidents) to `rank` when above it. */
  private raise(ids: ReadonlySet<string> | undefined, rank: number): void {
    ids?.forEach((id) => this.raiseOne(id, rank));
  }

  private raiseOne(id: string, rank: number): void {
    if ((this.topRank.get(id) ?? Infinity) > rank) {
      this.topRank.set(id, rank);
    }
  }

  /** The indices of the symptom groups holding a symptom of the alert. */
  private groupsOf(alert: CorrelationAlert): number[] {
    const out: number[] = [];
    if (this.groupsOfSymptom.size === 0) {
      return out;
    }
    for (const s of symptomsOf(alert)) {
      for (const g of this.groupsOfSymptom.get(s) ?? []) {
        if (out.indexOf(g) < 0) {
          out.push(g);
        }
      }
    }
    return out;
  }

  /** The dependencies an alert declares (its service and label), null when none. */
  private declared(a: CorrelationAlert): string | null {
    const service = serviceOf(a, this.config);
    const deps = labelOf(a.labels, this.config.dependsOnLabel);
    return service === null || deps === null ? null : `${service}\u0000${deps}`;
  }

  /** Merges the label dependencies again from scratch: a removed alert may have declared an edge no other does. */
  private remerge(): void {
    this.setTopology(
      withLabelDependencies(
        this.base,
        [...this.entries.values()].map((e) => e.alert),
        this.config
      )
    );
  }

  private unindex(entry: Entry): void {
    this.byFingerprint.get(entry.alert.fingerprint)?.delete(entry);
    if (entry.alert.incidentId !== null) {
      this.byNamedIncident.get(entry.alert.incidentId)?.delete(entry);
    }
    if (entry.service !== null) {
      this.byService.get(entry.service)?.delete(entry);
    }
    for (const g of entry.groups) {
      this.byGroup.get(g)?.delete(entry);
    }
  }

  private setTopology(topology: Topology): void {
    if (topology !== this.topology) {
      this.topology = topology;
      this.reach = new Reachability(topology);
    }
  }
}
