/**
 * The correlation decisions (pure). TODO(issue 11, helper H8): implement; the signatures are the contract.
 */
import type { Severity } from '../rules/types';
import type {
  CorrelationAlert,
  CorrelationConfig,
  CorrelationDecision,
  CorrelationIncident,
  RootCause,
  Topology,
} from './types';

/**
 * Decides for `alert` (firing, just arrived at `now`): which open incident it joins (alerts of
 * `recent` that started within the window and share its service, a dependency, or a symptom group),
 * and whether it is suppressed. `recent` holds the alerts of open incidents and of the last window.
 */
export function correlate(
  _alert: CorrelationAlert,
  _recent: readonly CorrelationAlert[],
  _incidents: readonly CorrelationIncident[],
  _topology: Topology,
  _config: CorrelationConfig,
  _now: number
): CorrelationDecision {
  throw new Error('correlate: not implemented');
}

/** The likely root cause: the most upstream service with an active alert, else the earliest alert. */
export function rootCause(
  _alerts: readonly CorrelationAlert[],
  _topology: Topology,
  _config: CorrelationConfig
): RootCause {
  throw new Error('rootCause: not implemented');
}

/** The highest severity among the alerts (critical > error > warning > info). */
export function incidentSeverity(_alerts: readonly Pick<CorrelationAlert, 'severity'>[]): Severity {
  throw new Error('incidentSeverity: not implemented');
}

/** A short title: the root cause's service and alert name, and how many alerts, e.g. `database: Service Completely Down (+3 alerts)`. */
export function incidentTitle(_alerts: readonly CorrelationAlert[], _root: RootCause, _config: CorrelationConfig): string {
  throw new Error('incidentTitle: not implemented');
}

/** The topology with the dependencies alerts declare in their `dependsOnLabel` label merged in. */
export function withLabelDependencies(
  _topology: Topology,
  _alerts: readonly Pick<CorrelationAlert, 'labels'>[],
  _config: CorrelationConfig
): Topology {
  throw new Error('withLabelDependencies: not implemented');
}

/** True when `upstream` is a (transitive) dependency of `downstream`. */
export function dependsOn(_topology: Topology, _downstream: string, _upstream: string): boolean {
  throw new Error('dependsOn: not implemented');
}
