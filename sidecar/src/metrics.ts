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
  /** The alert rules' evaluation metrics. */
  rules: RuleMetrics;
  /** Outbox delivery outcomes by channel and status (`sent`, `retry`, `failed`). */
  notifications: Counter<'channel' | 'status'>;
  /** The notification dispatcher's metrics. */
  notify: NotifyMetrics;
}

/** The notification dispatcher (inbox → groups → outbox). */
export interface NotifyMetrics {
  /** Alert updates routed from the inbox, by source (`rule`, `alertmanager`, `grafana`, …). */
  alertsReceived: Counter<'source'>;
  /** Aggregation groups holding alerts; read from {@link NotifyMetrics.countGroups} at scrape time. */
  groups: Gauge;
  /** Set by the running dispatcher: counts its open groups (a scrape asks the store, not a hot path). */
  countGroups?: () => Promise<number>;
  /** Group flushes by outcome: notified, logged, unchanged, suppressed, muted, no-channel. */
  flushes: Counter<'outcome'>;
  /** Duration of one dispatcher pass (ingest the inbox, flush the due groups). */
  passDuration: Histogram;
  /** Passes that failed (store busy or down); the next pass retries. */
  passFailures: Counter;
}

function createNotifyMetrics(registry: Registry): NotifyMetrics {
  const m: Partial<NotifyMetrics> = {};
  m.alertsReceived = new Counter({
    name: 'vigil_notify_alerts_received_total',
    help: 'Alert updates the notification dispatcher routed, by source.',
    labelNames: ['source'] as const,
    registers: [registry],
  });
  m.groups = new Gauge({
    name: 'vigil_notify_groups',
    help: 'Notification aggregation groups holding alerts.',
    registers: [registry],
    async collect() {
      if (m.countGroups) {
        this.set(await m.countGroups().catch(() => Number.NaN));
      }
    },
  });
  m.flushes = new Counter({
    name: 'vigil_notify_flushes_total',
    help: 'Aggregation group flushes by outcome (notified, logged, unchanged, suppressed, muted, no-channel).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  m.passDuration = new Histogram({
    name: 'vigil_notify_pass_duration_seconds',
    help: 'Duration of one notification dispatcher pass: route the inbox, flush the due groups.',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  m.passFailures = new Counter({
    name: 'vigil_notify_pass_failures_total',
    help: 'Notification dispatcher passes that failed (the next pass retries; nothing is lost).',
    registers: [registry],
  });
  return m as NotifyMetrics;
}

/**
 * Per-rule evaluation metrics. Gauges rather than histograms for the per-rule durations: with 10k
 * rules a histogram would add over 100k series to every scrape (Prometheus' own rule manager exports
 * `prometheus_rule_group_last_duration_seconds` as a gauge for the same reason).
 */
export interface RuleMetrics {
  /** Duration of the rule's last evaluation (its share of the tick: query wait, conditions, state). */
  evaluationDuration: Gauge<'rule'>;
  evaluationFailures: Counter<'rule'>;
  /** Evaluations not run at their time: the previous one still running, or the process stalled. */
  evaluationSkips: Counter<'rule'>;
  lastEvaluation: Gauge<'rule'>;
  series: Gauge<'rule'>;
  /** Alert instances by state. */
  alerts: Gauge<'state'>;
  /** Queries sent, and queries saved because another rule of the same tick asked the same. */
  queries: Counter<'deduplicated'>;
  /** HTTP requests of instant queries (fewer than queries: Prometheus queries go out in batches). */
  queryRequests: Counter;
  /** Duration of each evaluation tick, from its first query to its store commit (bench:rules reads it). */
  tickDuration: Histogram;
  /** Wall time during which at least one tick ran (ticks may overlap, so at most the ticks' sum). */
  busySeconds: Counter;
}

function createRuleMetrics(registry: Registry): RuleMetrics {
  const rule = ['rule'] as const;
  return {
    evaluationDuration: new Gauge({
      name: 'vigil_rule_evaluation_duration_seconds',
      help: "Duration of each alert rule's last evaluation.",
      labelNames: rule,
      registers: [registry],
    }),
    evaluationFailures: new Counter({
      name: 'vigil_rule_evaluation_failures_total',
      help: 'Alert rule evaluations that failed (query error, timeout, too many series).',
      labelNames: rule,
      registers: [registry],
    }),
    evaluationSkips: new Counter({
      name: 'vigil_rule_evaluation_skips_total',
      help: 'Alert rule evaluations skipped because the previous one was still running or the loop fell behind.',
      labelNames: rule,
      registers: [registry],
    }),
    lastEvaluation: new Gauge({
      name: 'vigil_rule_last_evaluation_timestamp_seconds',
      help: "Unix time of each alert rule's last evaluation (its grid time).",
      labelNames: rule,
      registers: [registry],
    }),
    series: new Gauge({
      name: 'vigil_rule_series',
      help: "Series returned by each alert rule's last evaluation.",
      labelNames: rule,
      registers: [registry],
    }),
    alerts: new Gauge({
      name: 'vigil_alerts',
      help: 'Alert instances by state.',
      labelNames: ['state'] as const,
      registers: [registry],
    }),
    queries: new Counter({
      name: 'vigil_rule_queries_total',
      help: 'Queries of alert rules: deduplicated="true" counts those answered by an identical query of the same tick.',
      labelNames: ['deduplicated'] as const,
      registers: [registry],
    }),
    queryRequests: new Counter({
      name: 'vigil_rule_query_requests_total',
      help: 'HTTP requests the rule engine sent for instant queries (Prometheus queries of one tick and time are batched).',
      registers: [registry],
    }),
    tickDuration: new Histogram({
      name: 'vigil_rule_tick_duration_seconds',
      help: 'Duration of each rule evaluation tick (the rules due together): first query to store commit.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    busySeconds: new Counter({
      name: 'vigil_rule_engine_busy_seconds_total',
      help: 'Wall time during which at least one rule evaluation tick was running.',
      registers: [registry],
    }),
  };
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
    rules: createRuleMetrics(registry),
    notifications: new Counter({
      name: 'vigil_notifications_total',
      help: 'Notification delivery attempts by channel and outcome: sent, retry (will be tried again), failed (given up).',
      labelNames: ['channel', 'status'] as const,
      registers: [registry],
    }),
    notify: createNotifyMetrics(registry),
  };
}
