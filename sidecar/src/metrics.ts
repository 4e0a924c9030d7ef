import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The sidecar's own Prometheus metrics. One registry per server, so tests can run several at once. */
export interface SidecarMetrics {
  registry: Registry;
  httpRequests: Counter<'route' | 'method' | 'code'>;
  httpDuration: Histogram<'route' | 'method' | 'code'>;
  /** Anomaly incidents opened (one per event, not per point), by detector and anomaly type. */
  anomalies: Counter<'detector' | 'type'>;
  /** Time of each detector evaluation (query + detection + store writes). */
  evaluationDuration: Histogram<'detector'>;
  /** Failed evaluations (datasource or store errors), by detector. */
  evaluationFailures: Counter<'detector'>;
  /** Ticks skipped because the previous evaluation was still running. */
  evaluationSkips: Counter<'detector'>;
  /** Unix time (seconds) of the detector's last successful evaluation. */
  lastSuccess: Gauge<'detector'>;
  /** Series each detector currently tracks. */
  detectorSeries: Gauge<'detector'>;
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
  const detector = ['detector'] as const;
  const anomalies = new Counter({
    name: 'vigil_anomalies_total',
    help: 'Anomaly events opened by the sidecar detectors (one per incident), by detector and anomaly type.',
    labelNames: ['detector', 'type'] as const,
    registers: [registry],
  });
  const evaluationDuration = new Histogram({
    name: 'vigil_detector_evaluation_duration_seconds',
    help: 'Time of one detector evaluation: query, detection and store writes.',
    labelNames: detector,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const evaluationFailures = new Counter({
    name: 'vigil_detector_evaluation_failures_total',
    help: 'Detector evaluations that failed (datasource or store errors).',
    labelNames: detector,
    registers: [registry],
  });
  const evaluationSkips = new Counter({
    name: 'vigil_detector_evaluation_skips_total',
    help: 'Detector ticks skipped because the previous evaluation was still running.',
    labelNames: detector,
    registers: [registry],
  });
  const lastSuccess = new Gauge({
    name: 'vigil_detector_last_success_timestamp_seconds',
    help: 'Unix time of the last successful evaluation of each detector.',
    labelNames: detector,
    registers: [registry],
  });
  const detectorSeries = new Gauge({
    name: 'vigil_detector_series',
    help: 'Series each detector currently tracks.',
    labelNames: detector,
    registers: [registry],
  });
  return {
    registry,
    httpRequests,
    httpDuration,
    anomalies,
    evaluationDuration,
    evaluationFailures,
    evaluationSkips,
    lastSuccess,
    detectorSeries,
  };
}
