// The workload's Prometheus metrics, in a Registry of its own (never prom-client's global one, so it
// can run inside another process such as a test or the demo orchestrator).
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { Step } from './model';

/** Latency buckets (seconds): fine below 100 ms, where healthy requests live, coarse up to timeouts. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The metric set of the demo workload. */
export interface WorkloadMetrics {
  registry: Registry;
  /** Records one simulation step. */
  record(step: Step): void;
}

/** Creates the metrics in a fresh registry. */
export function createMetrics(): WorkloadMetrics {
  const registry = new Registry();
  const requests = new Counter({
    name: 'vigil_demo_requests_total',
    help: 'Requests served, by service, route and status code.',
    labelNames: ['service', 'route', 'code'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'vigil_demo_request_duration_seconds',
    help: 'Request latency, including time spent in dependencies.',
    labelNames: ['service'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const cpu = new Gauge({
    name: 'vigil_demo_cpu_usage_percent',
    help: 'CPU usage of the service, percent of one core.',
    labelNames: ['service'],
    registers: [registry],
  });
  const memory = new Gauge({
    name: 'vigil_demo_memory_usage_bytes',
    help: 'Resident memory of the service.',
    labelNames: ['service'],
    registers: [registry],
  });
  const up = new Gauge({
    name: 'vigil_demo_up',
    help: '1 when the service is up, 0 when it is down.',
    labelNames: ['service'],
    registers: [registry],
  });
  const orders = new Counter({
    name: 'vigil_demo_orders_total',
    help: 'Orders placed (successful checkouts).',
    registers: [registry],
  });
  const revenue = new Counter({
    name: 'vigil_demo_revenue_usd_total',
    help: 'Revenue of the orders placed, US dollars.',
    registers: [registry],
  });
  const simTime = new Gauge({
    name: 'vigil_demo_simulated_time_seconds',
    help: 'Simulated wall-clock time (Unix seconds); runs faster than real time when speed > 1.',
    registers: [registry],
  });

  return {
    registry,
    record(step: Step): void {
      for (const s of step.services) {
        for (const r of s.requests) {
          // inc(0) still creates the series, so every route/code pair exists from the first step and
          // rate() over error codes is 0 rather than absent.
          requests.inc({ service: s.service, route: r.route, code: r.code }, r.count);
        }
        for (const l of s.latencies) {
          duration.observe({ service: s.service }, l);
        }
        cpu.set({ service: s.service }, Math.round(s.cpuPercent * 100) / 100);
        memory.set({ service: s.service }, s.memoryBytes);
        up.set({ service: s.service }, s.up ? 1 : 0);
      }
      orders.inc(step.orders);
      revenue.inc(Math.round(step.revenueUsd * 100) / 100);
      simTime.set(Math.floor(step.simTimeMs / 1000));
    },
  };
}
