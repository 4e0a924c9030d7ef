/**
 * The service topology of the correlation benchmark: 26 services of a shop, edge → gateways → APIs →
 * domain services → databases / queue / cache / search index, plus the three hosts (nodes) the
 * stateless services run on. A node is modelled as a dependency of the services scheduled on it (as
 * Keep's topology does with hosts): when the node is sick, their alerts are its downstream effects.
 *
 * The same map goes to Vigil (`correlation.topology.dependsOn`) and, turned into inhibit rules, to
 * Alertmanager (sides.ts).
 */

/** service → the services it depends on (calls, or runs on). */
export const TOPOLOGY: Readonly<Record<string, readonly string[]>> = {
  // edge
  cdn: ['edge-lb'],
  'edge-lb': ['gateway-public', 'gateway-mobile'],
  // gateways
  'gateway-public': ['api-catalog', 'api-orders', 'api-users', 'api-search'],
  'gateway-mobile': ['api-catalog', 'api-orders', 'api-users'],
  // APIs
  'api-catalog': ['inventory', 'recommendations', 'cache', 'node-1'],
  'api-orders': ['orders', 'payments', 'node-3'],
  'api-users': ['users', 'node-2'],
  'api-search': ['search', 'node-3'],
  // domain services
  orders: ['orders-db', 'inventory', 'payments', 'queue', 'node-2'],
  payments: ['payments-db', 'queue', 'node-3'],
  inventory: ['inventory-db', 'cache', 'node-1'],
  shipping: ['orders-db', 'queue', 'node-2'],
  users: ['users-db', 'cache', 'node-3'],
  search: ['search-index', 'node-1'],
  recommendations: ['search-index', 'cache', 'node-1'],
  notifications: ['queue', 'users', 'node-2'],
  // data stores and infrastructure: no dependencies of their own
  'orders-db': [],
  'payments-db': [],
  'inventory-db': [],
  'users-db': [],
  'search-index': [],
  cache: [],
  queue: [],
  'node-1': [],
  'node-2': [],
  'node-3': [],
};

/** Every service of the topology. */
export const SERVICES: readonly string[] = Object.keys(TOPOLOGY);

/** The topology as the sidecar's config takes it (mutable arrays). */
export function dependsOnMap(): Record<string, string[]> {
  return Object.fromEntries(Object.entries(TOPOLOGY).map(([s, deps]) => [s, [...deps]]));
}

/** The services that depend on `service`, directly or through others (its downstream), sorted. */
export function dependants(
  service: string,
  topology: Readonly<Record<string, readonly string[]>> = TOPOLOGY
): string[] {
  const callers = new Map<string, string[]>();
  for (const [s, deps] of Object.entries(topology)) {
    for (const d of deps) {
      callers.set(d, [...(callers.get(d) ?? []), s]);
    }
  }
  const seen = new Set<string>();
  const todo = [...(callers.get(service) ?? [])];
  while (todo.length > 0) {
    const s = todo.pop()!;
    if (!seen.has(s) && s !== service) {
      seen.add(s);
      todo.push(...(callers.get(s) ?? []));
    }
  }
  return [...seen].sort();
}

/** The node a service runs on (its `node-*` dependency), if any: the alerts' `node` label. */
export function nodeOf(service: string): string | undefined {
  return TOPOLOGY[service]?.find((d) => d.startsWith('node-'));
}
