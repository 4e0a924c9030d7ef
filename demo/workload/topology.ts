// The demo's services and who calls whom: gateway → api → orders → payments/database.

/** The simulated services (values of the `service` label). */
export type ServiceName = 'gateway' | 'api' | 'orders' | 'payments' | 'database';

/** All services, callers before callees (topological order). */
export const SERVICES: readonly ServiceName[] = ['gateway', 'api', 'orders', 'payments', 'database'];

/** Static characteristics of one service. */
export interface ServiceProfile {
  /** Latency of the service's own work (median, seconds), excluding calls to dependencies. */
  ownLatency: number;
  /**
   * Errors the service produces on its own in normal operation (ratio); small enough that the gateway
   * meets a 99.9% availability SLO at baseline (about 99.97%), so only incidents burn the budget.
   */
  baseErrorRatio: number;
  /** Routes and the share of the service's requests each gets. */
  routes: ReadonlyArray<{ route: string; share: number }>;
  /** CPU when idle and the extra CPU at the reference (daily peak) load, in percent. */
  cpuIdle: number;
  cpuAtPeak: number;
  /** Resident memory at rest, bytes. */
  memoryBytes: number;
}

/** A call edge: each request to `from` makes `calls` requests to `to` on average. */
export interface Edge {
  from: ServiceName;
  to: ServiceName;
  calls: number;
}

const MiB = 1024 * 1024;

/** Per-service profiles. Payments is slow (an external card processor); the database is fast. */
export const PROFILES: Readonly<Record<ServiceName, ServiceProfile>> = {
  gateway: {
    ownLatency: 0.002,
    baseErrorRatio: 0.00005,
    routes: [
      { route: '/api', share: 0.9 },
      { route: '/static', share: 0.1 },
    ],
    cpuIdle: 4,
    cpuAtPeak: 30,
    memoryBytes: 120 * MiB,
  },
  api: {
    ownLatency: 0.008,
    baseErrorRatio: 0.0001,
    routes: [
      { route: '/v1/products', share: 0.55 },
      { route: '/v1/orders', share: 0.35 },
      { route: '/v1/users', share: 0.1 },
    ],
    cpuIdle: 6,
    cpuAtPeak: 45,
    memoryBytes: 380 * MiB,
  },
  orders: {
    ownLatency: 0.012,
    baseErrorRatio: 0.00015,
    routes: [
      { route: 'POST /orders', share: 0.6 },
      { route: 'GET /orders', share: 0.4 },
    ],
    cpuIdle: 5,
    cpuAtPeak: 35,
    memoryBytes: 260 * MiB,
  },
  payments: {
    ownLatency: 0.045,
    baseErrorRatio: 0.0005,
    routes: [{ route: 'POST /charge', share: 1 }],
    cpuIdle: 3,
    cpuAtPeak: 20,
    memoryBytes: 200 * MiB,
  },
  database: {
    ownLatency: 0.003,
    baseErrorRatio: 0.00003,
    routes: [
      { route: 'SELECT', share: 0.8 },
      { route: 'INSERT', share: 0.2 },
    ],
    cpuIdle: 10,
    cpuAtPeak: 55,
    memoryBytes: 2048 * MiB,
  },
};

/** Call edges (dependencies). */
export const EDGES: readonly Edge[] = [
  { from: 'gateway', to: 'api', calls: 0.9 },
  { from: 'api', to: 'orders', calls: 0.35 },
  { from: 'api', to: 'database', calls: 0.6 },
  { from: 'orders', to: 'payments', calls: 0.6 },
  { from: 'orders', to: 'database', calls: 1.5 },
  { from: 'payments', to: 'database', calls: 0.5 },
];

/** The route of the orders service whose successful requests are placed orders. */
export const CHECKOUT_ROUTE = 'POST /orders';

/** True when `name` is one of the demo services. */
export function isService(name: unknown): name is ServiceName {
  return typeof name === 'string' && (SERVICES as readonly string[]).includes(name);
}

/**
 * The call graph as the sidecar's correlation topology (`correlation.topology.dependsOn`): each
 * service → the services it calls, from {@link EDGES}, every service listed (the database with none).
 * The demo's config is derived from this, so the topology cannot drift from the workload.
 */
export function dependsOnMap(edges: readonly Edge[] = EDGES): Record<ServiceName, ServiceName[]> {
  const out = Object.fromEntries(SERVICES.map((s) => [s, [] as ServiceName[]])) as Record<ServiceName, ServiceName[]>;
  for (const e of edges) {
    if (!out[e.from].includes(e.to)) {
      out[e.from].push(e.to);
    }
  }
  return out;
}
