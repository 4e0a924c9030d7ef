/**
 * The decision tail shared by `correlate` (over every recent alert) and `CandidateIndex` (over the few
 * that can correlate): match the candidates, pick the incident and the reason, judge suppression.
 */
import { byStartThenFingerprint, severityRank } from './order';
import { reasonBetween, reasonKindBetween } from './relate';
import { suppressionAmong, suppressionInIncident } from './suppression';
import { serviceOf, type Reachability } from './topology';
import type {
  CorrelationAlert,
  CorrelationConfig,
  CorrelationDecision,
  CorrelationIncident,
  CorrelationReason,
} from './types';

/** Reason kinds, strongest first: the reason reported when several candidates correlate. */
const REASON_ORDER: ReadonlyArray<CorrelationReason['kind']> = ['same_service', 'dependency', 'symptom'];

/**
 * The decision of {@link correlate} once the unresolved incident of each alert and the reachability
 * (label dependencies merged) are known: `candidates` may be `recent` itself or any subset of it, in
 * its order, that keeps every alert that could correlate (`CandidateIndex` passes only those).
 * `membersOf` gives the recent alerts of an incident (the alerts whose incident it is), for
 * suppression by a higher severity anywhere in the incident the alert joins. Per candidate only the
 * kind of its correlation is found (no objects: a storm asks this of every alert of an incident);
 * the reason reported is built for the one candidate it names.
 */
export function decideAmong(
  alert: CorrelationAlert,
  candidates: Iterable<CorrelationAlert>,
  incidentOf: (c: CorrelationAlert) => CorrelationIncident | null,
  reach: Reachability,
  config: CorrelationConfig,
  membersOf: (incident: CorrelationIncident) => Iterable<CorrelationAlert>
): CorrelationDecision {
  const from = alert.startsAt - config.windowMs;
  const to = alert.startsAt + config.windowMs;
  const service = serviceOf(alert, config);
  // The correlated candidates, their reason kinds (REASON_ORDER index) and unresolved incidents.
  const matched: CorrelationAlert[] = [];
  const kinds: number[] = [];
  const incidents: Array<CorrelationIncident | null> = [];
  let joined: CorrelationIncident | null = null;
  for (const candidate of candidates) {
    if (candidate.fingerprint === alert.fingerprint) {
      continue;
    }
    const incident = incidentOf(candidate);
    const inWindow = candidate.startsAt >= from && candidate.startsAt <= to;
    if (!inWindow && !(incident !== null && candidate.status === 'firing')) {
      continue;
    }
    const kind = reasonKindBetween(alert, candidate, reach, config, service);
    if (kind !== null) {
      matched.push(candidate);
      kinds.push(REASON_ORDER.indexOf(kind));
      incidents.push(incident);
      if (incident !== null && (joined === null || olderThan(incident, joined))) {
        joined = incident;
      }
    }
  }
  let reason: CorrelationReason | null = null;
  if (joined !== null) {
    // The strongest reason with an alert of that incident, then the earliest alert (first on ties).
    let best = -1;
    for (let i = 0; i < matched.length; i++) {
      const incident = incidents[i];
      if (
        incident !== null &&
        incident.id === joined.id &&
        (best < 0 ||
          kinds[i] - kinds[best] < 0 ||
          (kinds[i] === kinds[best] && byStartThenFingerprint(matched[i], matched[best]) < 0))
      ) {
        best = i;
      }
    }
    reason = reasonBetween(alert, matched[best], reach, config, service);
  }
  const suppressed =
    suppressionAmong(alert, matched, reach, config) ??
    // Only an alert below critical can be outranked: the incident's members are not read otherwise.
    (joined === null || !config.suppressLowerSeverity || severityRank(alert.severity) === 0
      ? null
      : suppressionInIncident(alert, membersOf(joined), reach, config));
  return { incidentId: joined === null ? null : joined.id, reason, suppressed };
}

/** Opened earlier (then the smaller id: a deterministic choice between equal times). */
function olderThan(a: CorrelationIncident, b: CorrelationIncident): boolean {
  return a.openedAt !== b.openedAt ? a.openedAt < b.openedAt : a.id < b.id;
}
