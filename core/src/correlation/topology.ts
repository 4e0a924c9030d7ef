/**
 * The service topology as correlation reads it: an alert's service, the dependencies alerts declare
 * in a label, and transitive reachability (cycle-safe) — "is the database upstream of the gateway?".
 */
import type { CorrelationAlert, CorrelationConfig, Topology } from './types';

const hasOwn = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);

/** A label's value; null when absent or empty (own properties only: a label named `constructor` is data). */
export function labelOf(labels: Record<string, string>, name: string): string | null {
  const v = hasOwn(labels, name) ? labels[name] : undefined;
  return typeof v === 'string' && v !== '' ? v : null;
}

/** The alert's service (`config.serviceLabel`), null without one. */
export function serviceOf(alert: Pick<CorrelationAlert, 'labels'>, config: CorrelationConfig): string | null {
  return labelOf(alert.labels, config.serviceLabel);
}

/** The services `service` calls directly (none when unknown; tolerates a hand-written topology). */
function direct(topology: Topology, service: string): readonly string[] {
  const deps = topology.dependsOn;
  if (!deps || !hasOwn(deps, service)) {
    return [];
  }
  const list = deps[service];
  return Array.isArray(list) ? list : [];
}

/**
 * The topology with the dependencies alerts declare in their `dependsOnLabel` label
 * (`depends_on="database, cache"`: the alert's service calls those) merged in. Edges are added once,
 * after the topology's own, in alert order; a service never depends on itself through a label.
 * Returns `topology` itself when no alert adds an edge; never mutates it.
 */
export function withLabelDependencies(
  topology: Topology,
  alerts: ReadonlyArray<Pick<CorrelationAlert, 'labels'>>,
  config: CorrelationConfig
): Topology {
  let merged: Record<string, string[]> | null = null;
  for (const alert of alerts) {
    const service = serviceOf(alert, config);
    const declared = labelOf(alert.labels, config.dependsOnLabel);
    if (service === null || declared === null) {
      continue;
    }
    for (const part of declared.split(',')) {
      const dep = part.trim();
      if (dep === '' || dep === service) {
        continue;
      }
      const current = merged ? direct({ dependsOn: merged }, service) : direct(topology, service);
      if (current.indexOf(dep) >= 0) {
        continue;
      }
      if (merged === null) {
        // Null prototype: service names come from labels, `__proto__` must stay an ordinary key.
        merged = Object.create(null) as Record<string, string[]>;
        for (const key of Object.keys(topology.dependsOn ?? {})) {
          merged[key] = direct(topology, key).slice();
        }
      }
      merged[service] = current.concat(dep);
    }
  }
  return merged ? { ...topology, dependsOn: merged } : topology;
}

/**
 * Transitive dependencies per service, each computed once (depth-first, cycle-safe): correlation
 * asks many questions of one topology.
 */
export class Reachability {
  private readonly cache = new Map<string, Set<string>>();
  private readonly reverse = new Map<string, string[]>();

  constructor(private readonly topology: Topology) {}

  /** Every service `service` depends on, directly or not; itself only through a cycle. */
  dependenciesOf(service: string): ReadonlySet<string> {
    const cached = this.cache.get(service);
    if (cached) {
      return cached;
    }
    const seen = new Set<string>();
    const stack = direct(this.topology, service).slice();
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (seen.has(next)) {
        continue;
      }
      seen.add(next);
      for (const dep of direct(this.topology, next)) {
        if (!seen.has(dep)) {
          stack.push(dep);
        }
      }
    }
    this.cache.set(service, seen);
    return seen;
  }

  /**
   * Every service that depends on `service`, directly or not (only services with dependencies of
   * their own can): the other direction of {@link dependenciesOf}, for looking candidates up.
   */
  dependentsOf(service: string): readonly string[] {
    const cached = this.reverse.get(service);
    if (cached) {
      return cached;
    }
    const out = Object.keys(this.topology.dependsOn ?? {}).filter((s) => this.dependsOn(s, service));
    this.reverse.set(service, out);
    return out;
  }

  /** True when `upstream` is a (transitive) dependency of `downstream`. */
  dependsOn(downstream: string, upstream: string): boolean {
    return this.dependenciesOf(downstream).has(upstream);
  }
}

/**
 * True when `upstream` is a (transitive) dependency of `downstream`: `dependsOn(demo, 'gateway',
 * 'database')`. Cycle-safe; a service depends on itself only through a cycle.
 */
export function dependsOn(topology: Topology, downstream: string, upstream: string): boolean {
  return new Reachability(topology).dependsOn(downstream, upstream);
}
