import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** The sidecar's own Prometheus metrics. One registry per server, so tests can run several at once. */
export interface SidecarMetrics {
  registry: Registry;
  httpRequests: Counter<'route' | 'method' | 'code'>;
  httpDuration: Histogram<'route' | 'method' | 'code'>;
}

/** Creates a registry with Node process metrics and the HTTP request metrics. */
export function createMetrics(): SidecarMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests served by the Vigil sidecar, by route template, method and status code.',
    labelNames: ['route', 'method', 'code'] as const,
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to serve HTTP requests, by route template, method and status code.',
    labelNames: ['route', 'method', 'code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return { registry, httpRequests, httpDuration };
}
