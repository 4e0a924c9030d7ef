/**
 * Whether two alerts are related, and why: the guide's three correlations (same service, dependency,
 * related symptom), checked in that order so the strongest reason is the one reported.
 */
import { labelOf, Reachability, serviceOf, withLabelDependencies } from './topology';
import type { CorrelationAlert, CorrelationConfig, CorrelationReason, Topology } from './types';

/** Labels that name an alert's symptom besides its `alertname`: the metric it watches. */
const SYMPTOM_LABELS = ['alertname', 'metric', '__name__'];

/** An alert's symptoms: its `alertname` and the metric named by `metric` / `__name__`, when set. */
export function symptomsOf(alert: Pick<CorrelationAlert, 'labels'>): string[] {
  const out: string[] = [];
  for (const name of SYMPTOM_LABELS) {
    const v = labelOf(alert.labels, name);
    if (v !== null && out.indexOf(v) < 0) {
      out.push(v);
    }
  }
  return out;
}

/** The name of the first symptom group (config order) holding a symptom of each alert; null if none. */
export function symptomGroupOf(
  a: Pick<CorrelationAlert, 'labels'>,
  b: Pick<CorrelationAlert, 'labels'>,
  config: CorrelationConfig
): string | null {
  if (config.symptomGroups.length === 0) {
    return null;
  }
  const sa = symptomsOf(a);
  const sb = symptomsOf(b);
  for (const group of config.symptomGroups) {
    const inGroup = (s: string) => group.members.indexOf(s) >= 0;
    if (sa.some(inGroup) && sb.some(inGroup)) {
      return group.name;
    }
  }
  return null;
}

/**
 * Why `a` correlates with `b` (`with` names `b`), given the reachability of a topology that already
 * holds the label-declared dependencies; null when unrelated. Same service, then dependency (either
 * direction), then symptom group.
 */
export function reasonBetween(
  a: CorrelationAlert,
  b: CorrelationAlert,
  reach: Reachability,
  config: CorrelationConfig,
  /** `a`'s service, when the caller has it (asked about many `b`s). */
  sa: string | null = serviceOf(a, config)
): CorrelationReason | null {
  const sb = serviceOf(b, config);
  if (sa !== null && sa === sb) {
    return { kind: 'same_service', service: sa, with: b.fingerprint };
  }
  if (sa !== null && sb !== null) {
    if (reach.dependsOn(sa, sb)) {
      return { kind: 'dependency', upstream: sb, downstream: sa, with: b.fingerprint };
    }
    if (reach.dependsOn(sb, sa)) {
      return { kind: 'dependency', upstream: sa, downstream: sb, with: b.fingerprint };
    }
  }
  const group = symptomGroupOf(a, b, config);
  return group === null ? null : { kind: 'symptom', group, with: b.fingerprint };
}

/**
 * The kind {@link reasonBetween} reports, without building the reason: `correlate` asks it of every
 * candidate and builds the reason of the one it reports only.
 */
export function reasonKindBetween(
  a: CorrelationAlert,
  b: CorrelationAlert,
  reach: Reachability,
  config: CorrelationConfig,
  sa: string | null = serviceOf(a, config)
): CorrelationReason['kind'] | null {
  const sb = serviceOf(b, config);
  if (sa !== null && sa === sb) {
    return 'same_service';
  }
  if (sa !== null && sb !== null && (reach.dependsOn(sa, sb) || reach.dependsOn(sb, sa))) {
    return 'dependency';
  }
  return symptomGroupOf(a, b, config) === null ? null : 'symptom';
}

/**
 * Why alert `a` correlates with alert `b`, or null: the check `correlate` makes for each candidate,
 * with the dependencies both alerts declare in labels merged into `topology`.
 */
export function correlationReason(
  a: CorrelationAlert,
  b: CorrelationAlert,
  topology: Topology,
  config: CorrelationConfig
): CorrelationReason | null {
  return reasonBetween(a, b, new Reachability(withLabelDependencies(topology, [a, b], config)), config);
}
