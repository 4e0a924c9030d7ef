/**
 * Service level objectives (issue 10): the guide's SLO (slo_id, name, description, service, target %,
 * measurement window, error budget window) with three kinds of SLI and a compliance window that is
 * rolling or calendar. Pure types; `budget.ts`, `windows.ts` and `burnRate.ts` compute.
 */

/** Where an SLI's queries run. */
export type SliQueryLanguage = 'promql' | 'influxql';

/**
 * Ratio SLI: good (or bad) events over all events, each an increase-over-a-range query template
 * with `$__range` standing for the window it is evaluated over (Sloth's `{{.window}}`), e.g.
 * `sum(increase(http_requests_total{code!~"5.."}[$__range]))`.
 */
export interface RatioSli {
  kind: 'ratio';
  language: SliQueryLanguage;
  /** Good events; exactly one of `good` / `bad`. */
  good?: string;
  /** Bad events (errors); exactly one of `good` / `bad`. */
  bad?: string;
  total: string;
}

/**
 * Latency SLI: the share of requests served under a threshold, from a Prometheus histogram: good =
 * the cumulative bucket at `le = thresholdSeconds`, total = the histogram's count.
 */
export interface LatencySli {
  kind: 'latency';
  language: 'promql';
  /** The histogram's base name (`http_request_duration_seconds`): `_bucket` and `_count` are appended. */
  histogram: string;
  /** Label matchers inside the braces, without them (`job="api"`); may be empty. */
  matchers: string;
  /** Must be one of the histogram's bucket bounds. */
  thresholdSeconds: number;
}

/** How a timeslice's value is compared with its threshold (a good slice satisfies it). */
export type TimesliceOp = '<' | '<=' | '>' | '>=';

/**
 * Timeslice SLI: the share of time slices in which a gauge meets a condition (e.g. p95 < 500 ms per
 * 5 minutes; OpenSLO's Timeslices budgeting). A slice without data is neither good nor bad.
 */
export interface TimesliceSli {
  kind: 'timeslice';
  language: SliQueryLanguage;
  /** A query giving one value per slice (evaluated as a range query with `step = sliceMs`). */
  query: string;
  op: TimesliceOp;
  threshold: number;
  sliceMs: number;
}

/** One of the SLI kinds. */
export type Sli = RatioSli | LatencySli | TimesliceSli;

/** A rolling compliance window (7d, 28d, 30d, …). */
export interface RollingComplianceWindow {
  kind: 'rolling';
  durationMs: number;
}

/** A calendar compliance window (this month, this quarter) in a time zone (IANA name, e.g. `Europe/Berlin`). */
export interface CalendarComplianceWindow {
  kind: 'calendar';
  unit: 'week' | 'month' | 'quarter';
  timeZone: string;
}

/** The compliance window (the guide's error budget window). */
export type ComplianceWindow = RollingComplianceWindow | CalendarComplianceWindow;

/** A service level objective. */
export interface Slo {
  /** The guide's slo_id: `[a-z0-9_-]+`. */
  id: string;
  name: string;
  description: string;
  service: string;
  /** Objective in percent, strictly between 0 and 100 (99.9). */
  target: number;
  sli: Sli;
  /** The datasource the SLI's queries run on (by name). */
  datasource: string;
  /** The error budget window (default: rolling 30 days). */
  window: ComplianceWindow;
  /**
   * The guide's measurement window: the span the "SLI now" figure is computed over (default 5 m).
   * The budget is always computed over `window`.
   */
  measurementWindowMs: number;
  /**
   * Minimum-traffic guard: with fewer events than this in a burn-rate alert's long window, the alert
   * does not fire (three requests an hour must not page for one failure). Default 0.
   */
  minEvents: number;
  /** Which burn-rate alerts to raise (default both). */
  alerting: { page: boolean; ticket: boolean };
  /** Extra labels on the SLO's alerts and generated rules. */
  labels: Record<string, string>;
}

/** The guide's error-budget status: thresholds on the consumed fraction. */
export type BudgetStatus = 'healthy' | 'warning' | 'critical' | 'exhausted';

/** Good and total events (or slices) over some span. */
export interface EventCounts {
  good: number;
  total: number;
}

/** An SLO's budget at one moment, over its compliance window. Fractions are ratios (0.999, not 99.9). */
export interface BudgetReport {
  /** SLI over the window: good / total; null without events. */
  sli: number | null;
  /** target / 100. */
  objective: number;
  /** The allowed bad fraction: 1 − objective. */
  errorBudget: number;
  /** Allowed bad events over the window so far: total × errorBudget. */
  allowedBad: number;
  bad: number;
  /** bad / allowedBad (0 without events); above 1 when overspent. */
  consumed: number;
  /** max(0, 1 − consumed). */
  remaining: number;
  status: BudgetStatus;
}
