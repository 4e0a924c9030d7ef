/**
 * Alert rules: the model shared by the sidecar (evaluation, API) and the plugin (editor, preview).
 * Values on the wire are string unions. Times are epoch milliseconds, durations milliseconds.
 *
 * States follow Grafana Alerting's documented instance states
 * (https://grafana.com/docs/grafana/latest/alerting/fundamentals/alert-rule-evaluation/state-and-health/):
 * Normal → Pending (waiting out `for`) → Firing → Recovering (`keep_firing_for`) → Normal, plus NoData
 * and Error.
 */

/** The guide's severities, most severe first. */
export const SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
/** One of {@link SEVERITIES}. */
export type Severity = (typeof SEVERITIES)[number];

/** Comparison of a value with a threshold (the guide's `condition`, e.g. `> 100`). */
export const COMPARATORS = ['>', '>=', '<', '<=', '==', '!='] as const;
/** One of {@link COMPARATORS}. */
export type Comparator = (typeof COMPARATORS)[number];

/** State of one alert instance. */
export const ALERT_STATES = ['normal', 'pending', 'firing', 'recovering', 'nodata', 'error'] as const;
/** One of {@link ALERT_STATES}. */
export type AlertState = (typeof ALERT_STATES)[number];

/** What a rule does when its query returns no series at all (Grafana's "Alert state if no data"). */
export const NO_DATA_HANDLING = ['NoData', 'Alerting', 'OK', 'KeepLast'] as const;
/** One of {@link NO_DATA_HANDLING}. */
export type NoDataHandling = (typeof NO_DATA_HANDLING)[number];

/** What a rule does when its query fails (Grafana's "Alert state if execution error or timeout"). */
export const ERROR_HANDLING = ['Error', 'Alerting', 'OK', 'KeepLast'] as const;
/** One of {@link ERROR_HANDLING}. */
export type ErrorHandling = (typeof ERROR_HANDLING)[number];

/** Condition kinds. */
export const CONDITION_KINDS = ['threshold', 'adaptive', 'baseline', 'anomaly', 'slo'] as const;
/** One of {@link CONDITION_KINDS}. */
export type ConditionKind = (typeof CONDITION_KINDS)[number];

/** Fixed threshold: `value <op> threshold`. */
export interface ThresholdCondition {
  kind: 'threshold';
  op: Comparator;
  threshold: number;
}

/**
 * The guide's AdaptiveThresholdManager: over a baseline of `baselineDays` (7) of the series,
 * threshold = mean + stddevs (2) · stddev · seasonal factor (hour of day and day of week), clamped
 * to [0.5, 2] × the base `threshold`; the base threshold itself while the baseline holds fewer than
 * `minSamples` (100) samples. `op` is how the value is compared with the threshold in force.
 */
export interface AdaptiveCondition {
  kind: 'adaptive';
  op: '>' | '>=' | '<' | '<=';
  /** The base threshold (the guide's `base_threshold`). */
  threshold: number;
  baselineDays?: number;
  stddevs?: number;
  minSamples?: number;
}

/**
 * Change against a baseline, for business metrics: change = (value − baseline) / |baseline| · 100,
 * where the baseline is the series' average over the last `baselineDays` (7) at the same hour of
 * day; `change <op> threshold`, e.g. `< -20` for "20% below the 7-day average at this hour".
 */
export interface BaselineCondition {
  kind: 'baseline';
  op: Comparator;
  /** Percent, e.g. -20. */
  threshold: number;
  baselineDays?: number;
}

/**
 * A detector's anomaly is the condition: an open anomaly event of detector `detector` whose
 * confidence is above `minConfidence` (the guide's `anomaly_confidence > 0.5`). Each series of the
 * detector is one instance; its severity follows the guide's confidence → severity mapping unless the
 * rule's severity is fixed with `fixedSeverity`.
 */
export interface AnomalyCondition {
  kind: 'anomaly';
  detector: string;
  minConfidence: number;
  fixedSeverity?: boolean;
}

/**
 * An SLO's burn-rate alerts are the condition (issue 10): one instance per alert the SLO enables
 * (`slo_alert` page_1h, page_6h, ticket_1d, ticket_3d), active while both its windows burn at least
 * its factor with enough traffic; its value is the burn rate both windows reach, its threshold the
 * factor, its severity critical for a page and warning for a ticket. The SLO's rule is kept by the
 * SLO service; the SLO's datasource is queried.
 */
export interface SloCondition {
  kind: 'slo';
  slo: string;
}

/** Any condition. */
export type Condition = ThresholdCondition | AdaptiveCondition | BaselineCondition | AnomalyCondition | SloCondition;

/** The part of a rule the state machine needs. */
export interface RuleTiming {
  /** `for` (the guide's duration_seconds), ms; 0 fires at once. */
  forMs: number;
  /** `keep_firing_for`, ms; 0 resolves at once. */
  keepFiringForMs: number;
  noDataState: NoDataHandling;
  execErrState: ErrorHandling;
  /** Evaluations a vanished series stays before it resolves (Grafana: 2). */
  missingSeriesEvalsToResolve: number;
}

/** A full rule definition (API and YAML files use this shape, in camelCase). */
export interface RuleSpec extends RuleTiming {
  id: string;
  name: string;
  description: string;
  severity: Severity;
  /** Datasource name from the sidecar config (unused by `anomaly` conditions). */
  datasource: string;
  /** PromQL, or InfluxQL for an InfluxDB datasource (unused by `anomaly` conditions). */
  query: string;
  condition: Condition;
  /** Evaluation interval, ms. */
  intervalMs: number;
  labels: Record<string, string>;
  /**
   * Templates over `$value`, `$threshold` and `$labels`: `summary`, `description`, plus `runbook_url`,
   * `dashboard_url` and any other key.
   */
  annotations: Record<string, string>;
  /** Channel names for the notification pipeline. */
  actions: string[];
  enabled: boolean;
}

/** One series at one evaluation: its labels and value. */
export interface Sample {
  labels: Record<string, string>;
  value: number;
}

/** A sample after its condition was applied. */
export interface EvaluatedSample extends Sample {
  /** True when the condition holds. */
  active: boolean;
  /** The threshold in force for this sample (adaptive: the computed one; baseline: the % bound). */
  threshold: number | null;
  /** What was compared with the threshold when it is not `value` (baseline: the % change). */
  compared?: number;
  /** Severity of this instance when it differs from the rule's (anomaly conditions). */
  severity?: Severity;
}

/** The outcome of one evaluation, fed to the state machine. */
export type EvaluationResult =
  { kind: 'ok'; at: number; samples: EvaluatedSample[] } | { kind: 'error'; at: number; message: string };

/** One alert instance: a rule × a label set. */
export interface AlertInstance {
  ruleId: string;
  /** Stable fingerprint of the label set (see `fingerprint()`). */
  fingerprint: string;
  /** The series' labels plus the rule's labels (the rule's win, as in Prometheus). */
  labels: Record<string, string>;
  state: AlertState;
  /** When the current state began. */
  since: number;
  /** When the condition began to hold (Pending's start); null while Normal. */
  activeAt: number | null;
  /** When it last went to Firing; null if never in this episode. */
  firedAt: number | null;
  /** When the condition stopped holding while Firing (Recovering's start). */
  recoveringSince: number | null;
  value: number | null;
  threshold: number | null;
  severity: Severity;
  /** Consecutive evaluations in which the series was missing while others were present. */
  missingEvals: number;
  lastEvalAt: number;
  /** Rendered annotations. */
  annotations: Record<string, string>;
  /** Last error message while in Error. */
  error?: string;
}

/** A state change of one instance. `event` is set for the two that notify: firing and resolved. */
export interface Transition {
  ruleId: string;
  fingerprint: string;
  labels: Record<string, string>;
  from: AlertState;
  to: AlertState;
  at: number;
  value: number | null;
  threshold: number | null;
  severity: Severity;
  event?: 'firing' | 'resolved';
  reason?: string;
}
