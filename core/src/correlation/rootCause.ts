/**
 * An incident's summary: its likely root cause (the most upstream service with an active alert, else
 * the earliest alert), severity and title. Deterministic: the same alerts in any order give the same
 * answer.
 */
import type { Severity } from '../rules/types';
import { byStartThenFingerprint, severityRank } from './order';
import { labelOf, Reachability, serviceOf, withLabelDependencies } from './topology';
import type { CorrelationAlert, CorrelationConfig, RootCause, Topology } from './types';

/** One service among the active alerts, with its earliest alert. */
interface ServiceEntry {
  service: string;
  first: CorrelationAlert;
  /** Other active services it depends on (0: nothing alerting below it). */
  below: number;
  /** Other active services that depend on it. */
  above: number;
}

/**
 * The likely root cause of `alerts` (an incident's): among the ACTIVE alerts with a service, the
 * service with the fewest other active services among its (transitive) dependencies — none, unless
 * services form a cycle — preferring the one most other active services depend on, then the earliest
 * alert, then the fingerprint; its earliest alert is the root. When no active service depends on
 * another (one service, or no topology links them), the earliest active alert: `earliest alert`.
 * Dependencies declared in labels count. When no alert is active (a resolved incident), the same
 * over all alerts. Without alerts: fingerprint `''`, reason `no alerts`.
 */
export function rootCause(
  alerts: readonly CorrelationAlert[],
  topology: Topology,
  config: CorrelationConfig
): RootCause {
  const active = alerts.filter((a) => a.status === 'firing');
  const pool = active.length > 0 ? active : alerts.slice();
  if (pool.length === 0) {
    return { fingerprint: '', service: null, reason: 'no alerts' };
  }
  const reach = new Reachability(withLabelDependencies(topology, alerts, config));
  const byService = new Map<string, CorrelationAlert>();
  for (const a of pool) {
    const s = serviceOf(a, config);
    const seen = s === null ? undefined : byService.get(s);
    if (s !== null && (seen === undefined || byStartThenFingerprint(a, seen) < 0)) {
      byService.set(s, a);
    }
  }
  const names: string[] = [];
  byService.forEach((_a, s) => names.push(s));
  const entries: ServiceEntry[] = names.map((service) => ({
    service,
    first: byService.get(service)!,
    below: names.filter((t) => t !== service && reach.dependsOn(service, t)).length,
    above: names.filter((t) => t !== service && reach.dependsOn(t, service)).length,
  }));
  entries.sort((a, b) => a.below - b.below || b.above - a.above || byStartThenFingerprint(a.first, b.first));
  const top = entries[0];
  if (top !== undefined && top.above > 0) {
    const dependents =
      top.above === 1 ? '1 alerting service depends on it' : `${top.above} alerting services depend on it`;
    return {
      fingerprint: top.first.fingerprint,
      service: top.service,
      reason: `most upstream service with an active alert (${top.service}): ${dependents}`,
    };
  }
  const earliest = pool.slice().sort(byStartThenFingerprint)[0];
  return { fingerprint: earliest.fingerprint, service: serviceOf(earliest, config), reason: 'earliest alert' };
}

/** The highest severity among the alerts (critical > error > warning > info); `info` for none. */
export function incidentSeverity(alerts: ReadonlyArray<Pick<CorrelationAlert, 'severity'>>): Severity {
  let best: Severity = 'info';
  for (const a of alerts) {
    if (severityRank(a.severity) < severityRank(best)) {
      best = a.severity;
    }
  }
  return best;
}

/**
 * A short title: `<service>: <alertname>` of the root cause, plus ` (+N alerts)` for the incident's
 * other alerts (` (+1 alert)`), e.g. `database: Service Completely Down (+3 alerts)`. Without a
 * service, the alert name alone; without an alert name, the fingerprint.
 */
export function incidentTitle(alerts: readonly CorrelationAlert[], root: RootCause, config: CorrelationConfig): string {
  const rootAlert = alerts.filter((a) => a.fingerprint === root.fingerprint)[0];
  const name = (rootAlert && labelOf(rootAlert.labels, 'alertname')) || root.fingerprint || 'alert';
  const service = root.service ?? (rootAlert ? serviceOf(rootAlert, config) : null);
  const head = service === null ? name : `${service}: ${name}`;
  const distinct = new Set<string>();
  alerts.forEach((a) => distinct.add(a.fingerprint));
  const more = distinct.size - (rootAlert ? 1 : 0);
  return more <= 0 ? head : `${head} (+${more} ${more === 1 ? 'alert' : 'alerts'})`;
}
