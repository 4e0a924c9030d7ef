/**
 * The correlation decision for a new alert (pure): which unresolved incident it joins and whether it
 * is suppressed. The pieces live beside it — `relate.ts` (why two alerts correlate),
 * `suppression.ts`, `rootCause.ts` (root cause, severity, title), `topology.ts` — and are re-exported
 * here, the contract's module.
 */
import { decideAmong } from './decide';
import { Reachability, withLabelDependencies } from './topology';
import type { CorrelationAlert, CorrelationConfig, CorrelationDecision, CorrelationIncident, Topology } from './types';

export { incidentSeverity, incidentTitle, rootCause } from './rootCause';
export { dependsOn, withLabelDependencies } from './topology';
export { correlationReason, symptomsOf } from './relate';
export { suppressionFor } from './suppression';
export { CandidateIndex } from './candidateIndex';

/**
 * Decides for `alert` (firing, just arrived at `now`): which open incident it joins (alerts of
 * `recent` that started within the window and share its service, a dependency, or a symptom group),
 * and whether it is suppressed. `recent` holds the alerts of open incidents and of the last window.
 *
 * Candidates (never the alert's own fingerprint): the FIRING alerts of unresolved incidents, however
 * old (a database down for an hour still explains a new orders alert), and any alert — firing or
 * resolved — that started within `windowMs` of the alert's start, either side (inclusive; a late
 * delivery still correlates). A resolved alert older than the window does not. The window is measured
 * on start times, not on `now`, so replaying the same alerts decides the same.
 *
 * The alert joins the incident of its correlated candidates — the oldest by `openedAt` (then id) when
 * they span several — and `reason` names the strongest correlation with an alert of that incident
 * (same service, then dependency, then symptom; then the earliest alert). No correlated candidate in
 * an unresolved incident: `incidentId: null`, a new incident. Suppression is judged against every
 * correlated ACTIVE candidate (see `suppression.ts`), whichever incident it is in; then, for a higher
 * severity, against the active alerts of the incident it joins (correlated through the incident).
 * Dependencies declared in `dependsOnLabel` labels of the alert and of `recent` count.
 */
export function correlate(
  alert: CorrelationAlert,
  recent: readonly CorrelationAlert[],
  incidents: readonly CorrelationIncident[],
  topology: Topology,
  config: CorrelationConfig,
  _now: number
): CorrelationDecision {
  const open = new Map<string, CorrelationIncident>();
  const incidentByAlert = new Map<string, CorrelationIncident>();
  for (const incident of incidents) {
    if (incident.state === 'resolved') {
      continue;
    }
    open.set(incident.id, incident);
    for (const fp of incident.alerts) {
      incidentByAlert.set(fp, incident);
    }
  }
  const incidentOf = (c: CorrelationAlert) =>
    (c.incidentId !== null ? open.get(c.incidentId) : undefined) ?? incidentByAlert.get(c.fingerprint) ?? null;

  const reach = new Reachability(withLabelDependencies(topology, [alert, ...recent], config));
  const membersOf = (incident: CorrelationIncident) => recent.filter((c) => incidentOf(c)?.id === incident.id);
  return decideAmong(alert, recent, incidentOf, reach, config, membersOf);
}
