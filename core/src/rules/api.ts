/**
 * Wire types of the sidecar's rule and alert API (`/api/v1/rules`, `/api/v1/alerts`), shared by the
 * sidecar (which sends them) and the plugin (which reads them). Rule files use {@link RuleBody} too.
 * Durations on the wire are Prometheus duration strings (`30s`, `5m`, `1h30m`).
 */
import type {
  AlertInstance,
  AlertState,
  Condition,
  ErrorHandling,
  NoDataHandling,
  Severity,
  Transition,
} from './types';

/** A rule as written by a user (POST/PUT body, one entry of a rule file). */
export interface RuleBody {
  /** Generated from the name when absent on create: lower case, `[a-z0-9_-]`. */
  id?: string;
  name: string;
  description?: string;
  severity: Severity;
  /** Datasource name; defaults to the first configured one. Not used by `anomaly` conditions. */
  datasource?: string;
  query?: string;
  condition: Condition;
  /** `for`: how long the condition must hold before Firing (default `0s`). */
  for?: string;
  /** How long an instance keeps firing after the condition stops holding (default `0s`). */
  keepFiringFor?: string;
  /** Evaluation interval (default `1m`). */
  interval?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  actions?: string[];
  noDataState?: NoDataHandling;
  execErrState?: ErrorHandling;
  /** Default 2, as Grafana. */
  missingSeriesEvalsToResolve?: number;
  enabled?: boolean;
}

/** Where a rule comes from: the API (editable) or a rule file (read-only through the API). */
export type RuleOrigin = 'api' | 'file';

/** Health of a rule's last evaluation. */
export type RuleHealth = 'ok' | 'error' | 'nodata' | 'unknown';

/** Evaluation status of a rule. */
export interface RuleStatus {
  health: RuleHealth;
  lastEvaluation: number | null;
  lastDurationMs: number | null;
  lastError: string | null;
  seriesCount: number;
  /** Instances per state (states with none are omitted). */
  states: Partial<Record<AlertState, number>>;
}

/** A rule body with every default filled in (datasource and query are `''` for anomaly conditions). */
export type NormalizedRuleBody = Required<RuleBody>;

/** A stored rule as the API returns it: the normalized body plus metadata and status. */
export interface RuleResource extends NormalizedRuleBody {
  origin: RuleOrigin;
  /** File rules: the file they come from (relative to the rules folder). */
  file?: string;
  readOnly: boolean;
  createdAt: number;
  createdBy: string;
  updatedAt: number;
  updatedBy: string;
  /** Increments on every change. */
  version: number;
  status: RuleStatus;
}

/** `GET /api/v1/rules`. */
export interface RulesResponse {
  rules: RuleResource[];
}

/** A validation problem: the field (dotted path) and, for queries, the character position. */
export interface FieldError {
  field: string;
  message: string;
  /** 0-based offset into the query where the parser failed. */
  position?: number;
}

/** Body of a 400 from the rule endpoints: the usual error plus every field problem. */
export interface RuleValidationErrorBody {
  error: { code: 'invalid_rule'; message: string; fields: FieldError[] };
}

/** One series of a preview: values and the threshold in force at each step (null: no value). */
export interface PreviewSeries {
  fingerprint: string;
  labels: Record<string, string>;
  points: Array<[number, number | null]>;
  thresholds: Array<[number, number | null]>;
  /** Baseline conditions: the % change compared with the threshold. */
  compared?: Array<[number, number | null]>;
}

/** A stretch of time an instance spent in one non-normal state; `to` is the end of the range if open. */
export interface PreviewInterval {
  fingerprint: string;
  state: Exclude<AlertState, 'normal'>;
  from: number;
  to: number;
}

/** `GET /api/v1/rules/:id/preview` and `POST /api/v1/rules/preview`: a backtest. */
export interface PreviewResponse {
  from: number;
  to: number;
  stepMs: number;
  series: PreviewSeries[];
  intervals: PreviewInterval[];
  /** Firing and resolved transitions the rule would have produced. */
  events: Transition[];
  warnings: string[];
}

/** An alert instance with its rule's name, as `GET /api/v1/alerts` lists it. */
export interface AlertView extends AlertInstance {
  ruleName: string;
}

/** `GET /api/v1/alerts`. */
export interface AlertsResponse {
  alerts: AlertView[];
}

/** `GET /api/v1/alerts/:fingerprint/history`: transitions, newest first. */
export interface AlertHistoryResponse {
  fingerprint: string;
  history: Transition[];
}
