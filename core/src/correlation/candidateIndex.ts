/**
 * `correlate` without the scan: the recent alerts and the incidents a caller would pass to it, kept
 * in an index that is updated alert by alert, so that each decision looks only at the alerts that CAN
 * correlate with the new one — its service, the services on its dependency path (either way), its
 * symptom groups — instead of every alert of the window. Same decisions as `correlate` over the same
 * alerts (in the same order) and incidents; the label topology is merged once per new edge instead of
 * once per decision. The dispatcher keeps one per inbox batch.
 */
import { decideAmong } from './decide';
import { symptomsOf } from './relate';
import { labelOf, Reachability, serviceOf, withLabelDependencies } from './topology';
import type { CorrelationAlert, CorrelationConfig, CorrelationDecision, CorrelationIncident, Topology } from './types';

/** A recent alert as indexed: `seq` keeps the order it was first put in (the order `recent` has). */
interface Entry {
  seq: number;
  alert: CorrelationAlert;
  service: string | null;
  groups: number[];
}

/** An incident as registered: `order` is its place in the `incidents` list `correlate` would get. */
interface Registered {
  incident: CorrelationIncident;
  order: number;
}

/** Adds `value` to the set under `key`. */
function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  set.add(value);
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
  /** Symptom → the indices of the symptom groups holding it. */
  private readonly groupsOfSymptom = new Map<string, number[]>();
  private readonly incidents = new Map<string, Registered>();
  /** Fingerprint → the ids of the registered incidents listing it. */
  private readonly incidentsOfAlert = new Map<string, Set<string>>();
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
    if (before) {
      this.unindex(before);
    }
    const entry: Entry = {
      seq: before ? before.seq : this.seq++,
      alert,
      service: serviceOf(alert, this.config),
      groups: this.groupsOf(alert),
    };
    this.entries.set(key, entry);
    addTo(this.byFingerprint, alert.fingerprint, entry);
    if (entry.service !== null) {
      addTo(this.byService, entry.service, entry);
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
    }
  }

  /** Registers an incident (or replaces it, keeping its place): its state and its alerts' fingerprints. */
  putIncident(incident: CorrelationIncident): void {
    const before = this.incidents.get(incident.id);
    if (before) {
      for (const fp of before.incident.alerts) {
        this.incidentsOfAlert.get(fp)?.delete(incident.id);
      }
    }
    const copy: CorrelationIncident = { ...incident, alerts: incident.alerts.slice() };
    this.incidents.set(incident.id, { incident: copy, order: before ? before.order : this.order++ });
    for (const fp of copy.alerts) {
      addTo(this.incidentsOfAlert, fp, incident.id);
    }
  }

  /** Records that the alert `fingerprint` joined the registered incident `incidentId`. */
  joinIncident(incidentId: string, fingerprint: string): void {
    const registered = this.incidents.get(incidentId);
    if (registered) {
      registered.incident.alerts.push(fingerprint);
      addTo(this.incidentsOfAlert, fingerprint, incidentId);
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
      add(this.byService.get(service));
      reach.dependenciesOf(service).forEach((s) => add(this.byService.get(s)));
      for (const s of reach.dependentsOf(service)) {
        add(this.byService.get(s));
      }
    }
    for (const g of this.groupsOf(alert)) {
      add(this.byGroup.get(g));
    }
    const candidates = [...found].sort((a, b) => a.seq - b.seq).map((e) => e.alert);
    return decideAmong(
      alert,
      candidates,
      (c) => this.incidentOf(c),
      reach,
      this.config,
      (i) => this.membersOf(i)
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
