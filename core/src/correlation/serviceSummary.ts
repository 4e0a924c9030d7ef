/**
 * The alerts of one service as a new alert of that service needs them (`CandidateIndex.decide`), so
 * that a storm of one service (a database down: thousands of alerts, one incident) does not look at
 * every alert of the service per new alert. Of the service's FIRING alerts in unresolved incidents —
 * candidates whatever their start — the decision reads only: which incidents they are in (the
 * oldest is joined), the earliest of each incident (the reason names it: they all correlate by the
 * same service, the strongest reason), and the most severe, then earliest (suppression by a higher
 * severity; a same-service alert is never upstream nor downstream). Those few stand for all of them;
 * the service's other alerts (resolved, or in no unresolved incident: candidates only within the
 * window) are looked at one by one as before.
 */
import { byStartThenFingerprint, severityRank } from './order';
import type { CorrelationAlert } from './types';

/** A recent alert as `CandidateIndex` indexes it: `seq` keeps the order it was first put in. */
export interface Entry {
  seq: number;
  alert: CorrelationAlert;
  service: string | null;
  groups: number[];
}

/** Whether `a` comes before `b` by start, then fingerprint. */
const earlier = (a: Entry, b: Entry | undefined) => b === undefined || byStartThenFingerprint(a.alert, b.alert) < 0;

/**
 * One service's alerts, summarised. Built from all of them, then kept up to date as alerts are added;
 * any other change (an alert replaced or removed, an incident's alerts or state changed) throws it
 * away (CandidateIndex), and it is built again when next asked for.
 */
export class ServiceSummary {
  /** Unresolved incident id → its earliest firing alert of the service. */
  private readonly earliestByIncident = new Map<string, Entry>();
  /** Severity rank → the earliest firing alert of an unresolved incident with that severity. */
  private readonly earliestByRank: Array<Entry | undefined> = [];
  /** Fingerprints of the summarised firing alerts (a new alert with one of them is decided in full). */
  private readonly fingerprints = new Set<string>();
  /** The service's other alerts. */
  readonly rest = new Set<Entry>();

  /** Adds an alert of the service; `incidentId`: its unresolved incident, null for none. */
  add(entry: Entry, incidentId: string | null): void {
    if (entry.alert.status !== 'firing' || incidentId === null) {
      this.rest.add(entry);
      return;
    }
    this.fingerprints.add(entry.alert.fingerprint);
    if (earlier(entry, this.earliestByIncident.get(incidentId))) {
      this.earliestByIncident.set(incidentId, entry);
    }
    const rank = severityRank(entry.alert.severity);
    if (earlier(entry, this.earliestByRank[rank])) {
      this.earliestByRank[rank] = entry;
    }
  }

  /** Whether a summarised firing alert has this fingerprint. */
  summarises(fingerprint: string): boolean {
    return this.fingerprints.has(fingerprint);
  }

  /** The alerts that stand for the summarised ones, and the others: the candidates of the service. */
  candidates(add: (e: Entry) => void): void {
    this.earliestByIncident.forEach(add);
    for (const e of this.earliestByRank) {
      if (e !== undefined) {
        add(e);
      }
    }
    this.rest.forEach(add);
  }
}
