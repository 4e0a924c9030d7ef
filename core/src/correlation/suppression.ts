/**
 * Suppression: an alert is recorded but not notified while a correlated active alert covers it —
 * one of higher severity (the guide's rule, as Alertmanager's critical-inhibits-warning), or one on a
 * service it depends on (it is a downstream effect: the guide's is_downstream_effect, as Keep's and
 * BigPanda's topology correlation).
 *
 * One exception keeps the root cause visible: an alert on a service that DEPENDS ON the alert's
 * service (a downstream effect of it) never suppresses it, whatever its severity. A gateway
 * `critical` must not hide the database `warning` that causes it. And a downstream effect more severe
 * than its cause is not covered by it: the database `warning` must not hide the gateway's page.
 */
import { byStartThenFingerprint, severityRank } from './order';
import { reasonBetween } from './relate';
import { Reachability, serviceOf, withLabelDependencies } from './topology';
import type { CorrelationAlert, CorrelationConfig, SuppressionReason, Topology } from './types';

/**
 * The suppression of `alert` among `correlated`: the ACTIVE (firing, suppressed or not) alerts it
 * correlates with. Downstream wins over higher severity because it names the cause; `by` is the most
 * upstream of the covering alerts (fewest of the others among its own dependencies), or the most
 * severe one; ties by earliest start, then fingerprint. Never the alert itself.
 */
export function suppressionAmong(
  alert: CorrelationAlert,
  correlated: readonly CorrelationAlert[],
  reach: Reachability,
  config: CorrelationConfig
): SuppressionReason | null {
  const service = serviceOf(alert, config);
  const others = correlated.filter((c) => c.fingerprint !== alert.fingerprint && c.status === 'firing');
  const serviceOfOther = (c: CorrelationAlert) => serviceOf(c, config);
  // `c`'s service is a dependency of the alert's: the alert is its downstream effect. Only a cause at
  // least as severe covers it (as an inhibit rule's source outranks its target): an upstream warning
  // must not swallow a downstream page, which would leave the incident's page unsent.
  const isUpstream = (c: CorrelationAlert) => {
    const s = serviceOfOther(c);
    return (
      service !== null &&
      s !== null &&
      s !== service &&
      severityRank(c.severity) <= severityRank(alert.severity) &&
      reach.dependsOn(service, s)
    );
  };
  // `c`'s service depends on the alert's: `c` is a downstream effect and may not suppress it.
  const isDownstream = (c: CorrelationAlert) => {
    const s = serviceOfOther(c);
    return service !== null && s !== null && s !== service && reach.dependsOn(s, service);
  };

  if (config.suppressDownstream) {
    const upstream = others.filter(isUpstream);
    if (upstream.length > 0) {
      const services = upstream.map(serviceOfOther) as string[];
      const depth = (c: CorrelationAlert) => {
        const s = serviceOfOther(c)!;
        return services.filter((t) => t !== s && reach.dependsOn(s, t)).length;
      };
      const by = upstream.slice().sort((a, b) => depth(a) - depth(b) || byStartThenFingerprint(a, b))[0];
      return { kind: 'downstream', by: by.fingerprint, upstream: serviceOfOther(by)! };
    }
  }
  return config.suppressLowerSeverity ? mostSevereAbove(alert, others, isDownstream) : null;
}

/** The most severe of `others` above the alert's severity that is not its downstream effect (earliest first). */
function mostSevereAbove(
  alert: CorrelationAlert,
  others: readonly CorrelationAlert[],
  isDownstream: (c: CorrelationAlert) => boolean
): SuppressionReason | null {
  const rank = severityRank(alert.severity);
  const higher = others.filter((c) => severityRank(c.severity) < rank && !isDownstream(c));
  if (higher.length === 0) {
    return null;
  }
  const by = higher
    .slice()
    .sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || byStartThenFingerprint(a, b))[0];
  return { kind: 'higher_severity', by: by.fingerprint, severity: by.severity };
}

/**
 * Higher severity across the incident the alert joins: its `members` (the incident's alerts) are
 * correlated with it through the incident even when not directly (the payments warning that joins a
 * database-down incident through orders). The same rule as for direct correlation, with the same
 * exception: a member on a service that depends on the alert's never suppresses it — the alert may be
 * a cause the incident did not know yet.
 */
export function suppressionInIncident(
  alert: CorrelationAlert,
  members: Iterable<CorrelationAlert>,
  reach: Reachability,
  config: CorrelationConfig
): SuppressionReason | null {
  if (!config.suppressLowerSeverity) {
    return null;
  }
  const service = serviceOf(alert, config);
  const active: CorrelationAlert[] = [];
  for (const c of members) {
    if (c.fingerprint !== alert.fingerprint && c.status === 'firing') {
      active.push(c);
    }
  }
  return mostSevereAbove(alert, active, (c) => {
    const s = serviceOf(c, config);
    return service !== null && s !== null && s !== service && reach.dependsOn(s, service);
  });
}

/**
 * Whether `alert` is suppressed, judged against `others` (e.g. the alerts of its incident): only
 * the active ones that correlate with it directly count. Lets a caller re-judge an incident's
 * members when an upstream alert arrives after its downstream effects (as Alertmanager re-evaluates
 * inhibition at each flush); `correlate` makes the same judgement for a new alert.
 */
export function suppressionFor(
  alert: CorrelationAlert,
  others: readonly CorrelationAlert[],
  topology: Topology,
  config: CorrelationConfig
): SuppressionReason | null {
  const reach = new Reachability(withLabelDependencies(topology, [alert, ...others], config));
  const correlated = others.filter(
    (c) =>
      c.fingerprint !== alert.fingerprint && c.status === 'firing' && reasonBetween(alert, c, reach, config) !== null
  );
  return suppressionAmong(alert, correlated, reach, config);
}
