/**
 * The cascading-failure scenarios of the correlation benchmark, as timed alert streams over the
 * topology of topology.ts. Times are in scenario minutes (replay.ts compresses them, the same for both
 * sides). Each alert episode fires at `startsAt` and resolves at `endsAt`; a flapping alert is several
 * episodes of the same labels. Alerts that Prometheus evaluates per instance (error rate, latency,
 * CPU throttling of a service's pods) fire once per instance, as a real storm does; data stores,
 * nodes and business KPIs fire once.
 *
 * `rootCauses` are the services a responder must be paged about: one per independent failure.
 */
import type { Severity } from '@vigil/core';
import { nodeOf } from './topology';

/** One firing period of one alert. */
export interface Episode {
  alertname: string;
  service: string;
  severity: Severity;
  /** Scenario minutes. */
  startsAt: number;
  endsAt: number;
  instance: string;
  summary: string;
}

/** A scenario: what happens, and which services caused it. */
export interface Scenario {
  name: string;
  description: string;
  rootCauses: string[];
  episodes: Episode[];
}

/** `instances` episodes of one alert (instance label `<service>-<i>`), firing from `from` to `to`. */
function alert(
  service: string,
  alertname: string,
  severity: Severity,
  from: number,
  to: number,
  instances = 1
): Episode[] {
  return Array.from({ length: instances }, (_, i) => ({
    alertname,
    service,
    severity,
    startsAt: from,
    endsAt: to,
    instance: instances === 1 ? `${service}-0` : `${service}-${i}`,
    summary: `${alertname} on ${service}${nodeOf(service) ? ` (${nodeOf(service)})` : ''}`,
  }));
}

/** An alert that fires for `up` minutes and clears for `down`, `cycles` times from `from`. */
function flap(
  service: string,
  alertname: string,
  severity: Severity,
  from: number,
  up: number,
  down: number,
  cycles: number
): Episode[] {
  return Array.from({ length: cycles }, (_, c) => {
    const at = from + c * (up + down);
    return alert(service, alertname, severity, at, at + up)[0];
  });
}

/** Database down → dependent services and APIs error → gateway latency → orders drop. */
const databaseCascade: Scenario = {
  name: 'database_cascade',
  description: 'orders-db down → orders/shipping errors → api-orders errors → gateway latency → orders drop',
  rootCauses: ['orders-db'],
  episodes: [
    ...alert('orders-db', 'PostgresDown', 'critical', 0, 12),
    ...alert('orders-db', 'TargetDown', 'warning', 0.3, 12),
    ...alert('orders', 'HighErrorRate', 'critical', 1, 12.5, 2),
    ...alert('shipping', 'HighErrorRate', 'error', 1.2, 12.5, 2),
    ...alert('api-orders', 'HighErrorRate', 'critical', 1.5, 13, 2),
    ...alert('api-orders', 'HighLatency', 'warning', 1.6, 13, 2),
    ...alert('gateway-public', 'HighLatency', 'warning', 2, 13, 2),
    ...alert('gateway-mobile', 'HighLatency', 'warning', 2.2, 13, 2),
    ...alert('edge-lb', 'Elevated5xxRate', 'warning', 2.5, 13),
    ...alert('orders', 'OrdersDrop', 'critical', 3, 13),
    // Payments is a dependency of orders, not a dependant of the database: its drop in volume is an
    // effect no "downstream" rule expresses.
    ...alert('payments', 'ChargeVolumeLow', 'warning', 3.5, 13),
  ],
};

/** One host's alerts flapping across the services scheduled on it. */
const noisyNode: Scenario = {
  name: 'noisy_node',
  description: 'node-2 saturates three times; the four services on it flap with it',
  rootCauses: ['node-2'],
  episodes: [0, 4, 8].flatMap((t) => [
    ...alert('node-2', 'NodeCPUSaturated', 'warning', t, t + 2),
    ...alert('node-2', 'NodeLoadHigh', 'warning', t + 0.2, t + 2.2),
    ...['orders', 'shipping', 'notifications', 'api-users'].flatMap((s, i) => [
      ...alert(s, 'CPUThrottlingHigh', 'warning', t + 0.4 + i * 0.1, t + 2),
      ...alert(s, 'HighLatency', 'warning', t + 0.8 + i * 0.1, t + 2.3),
    ]),
  ]),
};

/** Two independent failures at once: users-db down and the search index red. */
const twoUnrelated: Scenario = {
  name: 'two_unrelated',
  description:
    'users-db down (users, api-users, notifications) while search-index goes red (search, recommendations, api-search)',
  rootCauses: ['users-db', 'search-index'],
  episodes: [
    ...alert('users-db', 'PostgresDown', 'critical', 0, 10),
    ...alert('search-index', 'ElasticsearchHeapHigh', 'warning', 0.1, 9),
    ...alert('search-index', 'ElasticsearchClusterRed', 'critical', 0.3, 9),
    ...alert('users', 'HighErrorRate', 'critical', 0.6, 10.5, 2),
    ...alert('search', 'HighLatency', 'critical', 0.9, 9.5, 2),
    ...alert('api-users', 'HighErrorRate', 'critical', 1, 10.5, 2),
    ...alert('recommendations', 'HighErrorRate', 'warning', 1.1, 9.5, 2),
    ...alert('api-search', 'HighLatency', 'warning', 1.3, 9.5, 2),
    ...alert('notifications', 'HighErrorRate', 'warning', 1.4, 10.5, 2),
  ],
};

/** A slow drift: latency warnings escalating to critical over minutes, up the call chain. */
const slowDrift: Scenario = {
  name: 'slow_drift',
  description:
    'payments-db slow queries (warning at 0, critical at 8) drag payments, api-orders, the gateway and checkout',
  rootCauses: ['payments-db'],
  episodes: [
    ...alert('payments-db', 'PostgresSlowQueries', 'warning', 0, 14),
    ...alert('payments', 'HighLatency', 'warning', 3, 14, 2),
    ...alert('api-orders', 'HighLatency', 'warning', 5, 14.5, 2),
    ...alert('payments-db', 'PostgresSlowQueries', 'critical', 8, 14),
    ...alert('gateway-public', 'HighLatency', 'warning', 9, 14.5, 2),
    ...alert('payments', 'HighLatency', 'critical', 10, 14, 2),
    ...alert('orders', 'CheckoutSlow', 'warning', 11, 14.5),
  ],
};

/** A flapping health check: one alert firing and clearing every other minute. */
const flappingCheck: Scenario = {
  name: 'flapping_check',
  description: 'the shipping probe fails for a minute and recovers for a minute, eight times',
  rootCauses: ['shipping'],
  episodes: flap('shipping', 'ProbeFailed', 'critical', 0, 1, 1, 8),
};

/** The shared cache down: a wide fan-out to every service that reads through it. */
const cacheFanout: Scenario = {
  name: 'cache_fanout',
  description: 'cache down → inventory, users, recommendations → api-catalog, api-users → both gateways → cdn',
  rootCauses: ['cache'],
  episodes: [
    ...alert('cache', 'RedisDown', 'critical', 0, 10),
    ...alert('inventory', 'HighErrorRate', 'error', 0.5, 10.5, 2),
    ...alert('users', 'HighLatency', 'warning', 0.6, 10.5, 2),
    ...alert('recommendations', 'HighErrorRate', 'critical', 0.7, 10.5, 2),
    ...alert('api-catalog', 'HighErrorRate', 'critical', 1, 11, 2),
    ...alert('api-users', 'HighLatency', 'warning', 1.2, 11, 2),
    ...alert('gateway-public', 'HighLatency', 'warning', 1.5, 11, 2),
    ...alert('gateway-mobile', 'HighLatency', 'warning', 1.6, 11, 2),
    ...alert('cdn', 'OriginErrors', 'warning', 2, 11),
  ],
};

/** Every scenario, in the order they run. */
export const SCENARIOS: readonly Scenario[] = [
  databaseCascade,
  noisyNode,
  twoUnrelated,
  slowDrift,
  flappingCheck,
  cacheFanout,
];
