/**
 * The decision tail shared by `correlate` (over every recent alert) and `CandidateIndex` (over the few
 * that can correlate): match the candidates, pick the incident and the reason, judge suppression.
 */
import { byStartThenFingerprint, severityRank } from './order';
import { reasonBetween } from './relate';
import { suppressionAmong, suppressionInIncident } from './suppression';
import type { Reachability } from './topology';
import type {
  CorrelationAlert,
  CorrelationConfig,
  CorrelationDecision,
  CorrelationIncident,
  CorrelationReason,
} from './types';

/** Reason kinds, strongest first: the reason reported when several candidates correlate. */
const REASON_ORDER: ReadonlyArray<CorrelationReason['kind']> = ['same_service', 'dependency', 'symptom'];

/** A candidate that correlates with the new alert, and the unresolved incident it belongs to. */
interface Match {
  alert: CorrelationAlert;
  reason: CorrelationReason;
  incident: CorrelationIncident | null;
}

/**
 * The decision of {@link correlate} once the unresolved incident of each alert and the reachability
 * (label dependencies merged) are known: `candidates` may be `recent` itself or any subset of it, in
 * its order, that keeps every alert that could correlate (`CandidateIndex` passes only those).
 * `membersOf` gives the recent alerts of an incident (the alerts whose incident it is), for
 * suppression by a higher severity anywhere in the incident the alert joins.
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
  const matches: Match[] = [];
  for (const candidate of candidates) {
    if (candidate.fingerprint === alert.fingerprint) {
      continue;
    }
    const incident = incidentOf(candidate);
    const inWindow = candidate.startsAt >= from && candidate.startsAt <= to;
    if (!inWindow && !(incident !== null && candidate.status === 'firing')) {
      continue;
    }
    const reason = reasonBetween(alert, candidate, reach, config);
    if (reason !== null) {
      matches.push({ alert: candidate, reason, incident });
    }
  }

  let joined: CorrelationIncident | null = null;
  for (const m of matches) {
    if (m.incident !== null && (joined === null || olderThan(m.incident, joined))) {
      joined = m.incident;
    }
  }
  let reason: CorrelationReason | null = null;
  if (joined !== null) {
    const id = joined.id;
    const inJoined = matches.filter((m) => m.incident !== null && m.incident.id === id);
    inJoined.sort(
      (a, b) =>
        REASON_ORDER.indexOf(a.reason.kind) - REASON_ORDER.indexOf(b.reason.kind) ||
        byStartThenFingerprint(a.alert, b.alert)
    );
    reason = inJoined[0].reason;
  }
  const suppressed =
    suppressionAmong(
      alert,
      matches.map((m) => m.alert),
      reach,
      config
    ) ??
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
