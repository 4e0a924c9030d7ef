/**
 * Prometheus rule generation for SLOs (issue 10): the recording and alerting rules that let a
 * Prometheus, Thanos or Mimir ruler evaluate an SLO instead of the sidecar. The layout follows Sloth
 * (https://github.com/slok/sloth, `slo:sli_error:ratio_rate<window>` per window, then burn rates and
 * the multi-window multi-burn-rate alerts), with three differences: labels are `slo_id` /
 * `slo_service`; the compliance-window ratio is the SLI's own queries over the whole window, so it is
 * weighted by events like core's budget (Sloth averages the 5 m ratios, which lets a quiet night weigh
 * as much as a busy hour); and the four alerts are `burnRateAlerts`' own, so Prometheus pages on the
 * same conditions as Vigil. Pure: returns the rule file as an object, the caller serializes it.
 */
import { formatDuration } from '../rules/duration';
import { tidy } from './budget';
import { alertWindows, burnRateAlerts, type BurnRateAlert } from './burnRate';
import { countQueries } from './queries';
import type { ComplianceWindow, Slo } from './types';
import { windowName } from './windows';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A Prometheus recording rule. */
export interface PromRecordingRule {
  record: string;
  expr: string;
  labels?: Record<string, string>;
}

/** A Prometheus alerting rule (no `for`: both windows already smooth the signal, as in the workbook). */
export interface PromAlertingRule {
  alert: string;
  expr: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** One rule group. */
export interface PromRuleGroup {
  name: string;
  rules: Array<PromRecordingRule | PromAlertingRule>;
}

/** A Prometheus rule file (`promtool check rules` input). */
export interface PromRuleFile {
  groups: PromRuleGroup[];
}

/** A SLO that cannot be expressed as Prometheus rules; `field` names the reason in the SLO. */
export class SloRulesError extends Error {
  readonly field: string;
  constructor(sloId: string, field: string, message: string) {
    super(`SLO ${sloId}: ${field}: ${message}`);
    this.name = 'SloRulesError';
    this.field = field;
  }
}

/** Nominal length of a calendar period when Prometheus has to read it as a rolling range. */
const CALENDAR_DAYS = { week: 7, month: 30, quarter: 90 } as const;

/**
 * The compliance window as a range Prometheus can evaluate. A range selector has a fixed length, so
 * a calendar window becomes the rolling span of its nominal period (month → 30 d, quarter → 90 d,
 * week → 7 d); the annotations say so. The sidecar keeps the exact calendar bounds.
 */
export function prometheusWindowMs(window: ComplianceWindow): number {
  return window.kind === 'rolling' ? window.durationMs : CALENDAR_DAYS[window.unit] * DAY;
}

/** A window as it appears in rule names: whole days as `30d` (not `4w2d`), else Prometheus' form. */
export function ruleWindowName(ms: number): string {
  return ms % DAY === 0 ? `${ms / DAY}d` : formatDuration(ms);
}

/** Go templates (Prometheus annotations) read `{{` as an action: user text keeps it literal. */
function templateText(s: string): string {
  return s.replace(/\{\{/g, '{{ "{{" }}');
}

/** Refuses what cannot become rules, naming the field. */
function checkGeneratable(slo: Slo): void {
  if (slo.sli.kind === 'timeslice') {
    throw new SloRulesError(
      slo.id,
      'sli.timeslice',
      'timeslice SLIs are counted in slices from range queries and have no Prometheus recording rules; the sidecar evaluates them'
    );
  }
  if (slo.sli.language !== 'promql') {
    throw new SloRulesError(slo.id, 'language', `${slo.sli.language} SLIs cannot run in Prometheus; only promql`);
  }
}

/** The error ratio of one window: bad / total, or 1 − good / total. */
function errorRatioExpr(slo: Slo, windowMs: number): string {
  const q = countQueries(slo.sli, windowMs);
  if (q.bad !== undefined) {
    return `(${q.bad.trim()})\n/\n(${q.total.trim()})`;
  }
  return `1 - (\n  (${(q.good ?? '').trim()})\n  /\n  (${q.total.trim()})\n)`;
}

/** Numbers as PromQL literals, without binary noise. */
function num(x: number): string {
  return String(tidy(x));
}

/** The recording rules of one SLO, in dependency order (rules of a group run in sequence). */
function recordingRules(slo: Slo, labels: Record<string, string>): PromRecordingRule[] {
  const windowMs = prometheusWindowMs(slo.window);
  const alerts = burnRateAlerts(windowMs);
  const alertWins = alertWindows(alerts);
  const ratioWins = [...new Set([...alertWins, windowMs])].sort((a, b) => a - b);
  const sel = `{slo_id="${slo.id}"}`;
  const budget = tidy(1 - slo.target / 100);
  const period = ruleWindowName(windowMs);
  return [
    ...ratioWins.map((w) => ({
      record: `slo:sli_error:ratio_rate${ruleWindowName(w)}`,
      expr: errorRatioExpr(slo, w),
      labels,
    })),
    { record: 'slo:objective:ratio', expr: `vector(${num(slo.target / 100)})`, labels },
    { record: 'slo:error_budget:ratio', expr: `vector(${num(budget)})`, labels },
    { record: 'slo:time_period:days', expr: `vector(${num(windowMs / DAY)})`, labels },
    ...alertWins.map((w) => ({
      record: `slo:burn_rate:ratio_rate${ruleWindowName(w)}`,
      expr: `slo:sli_error:ratio_rate${ruleWindowName(w)}${sel} / ${num(budget)}`,
      labels,
    })),
    { record: 'slo:current_burn_rate:ratio', expr: `slo:sli_error:ratio_rate5m${sel} / ${num(budget)}`, labels },
    {
      record: 'slo:period_burn_rate:ratio',
      expr: `slo:sli_error:ratio_rate${period}${sel} / ${num(budget)}`,
      labels,
    },
    // Core's `remaining` is max(0, 1 − consumed): an overspent budget reads 0, not a negative share.
    { record: 'slo:error_budget:remaining', expr: `clamp_min(1 - slo:period_burn_rate:ratio${sel}, 0)`, labels },
  ];
}

/** Percent text without trailing noise (0.02 → "2"). */
function pct(fraction: number): string {
  return String(tidy(fraction * 100));
}

/** One burn-rate alerting rule: both windows at or above the factor (core's `>=`), enough traffic. */
function alertingRule(slo: Slo, alert: BurnRateAlert, labels: Record<string, string>): PromAlertingRule {
  const sel = `{slo_id="${slo.id}"}`;
  const long = ruleWindowName(alert.longWindowMs);
  const short = ruleWindowName(alert.shortWindowMs);
  let expr =
    `slo:burn_rate:ratio_rate${long}${sel} >= ${num(alert.factor)}\n` +
    `and\n` +
    `slo:burn_rate:ratio_rate${short}${sel} >= ${num(alert.factor)}`;
  if (slo.minEvents > 0) {
    // Core's minimum-traffic guard: the long window must have seen `minEvents` events.
    const total = countQueries(slo.sli, alert.longWindowMs).total.trim();
    expr += `\nand on()\n(${total}) >= ${slo.minEvents}`;
  }
  const windowText =
    slo.window.kind === 'rolling'
      ? windowName(slo.window)
      : `${windowName(slo.window)}, read by Prometheus as rolling ${ruleWindowName(prometheusWindowMs(slo.window))}`;
  const name = templateText(slo.name);
  return {
    alert: 'SLOBurnRate',
    expr,
    labels: { ...labels, severity: alert.severity, slo_alert: alert.name },
    annotations: {
      summary: `${name}: error budget burn rate at or above ${num(alert.factor)} over ${long} and ${short} (${alert.kind})`,
      description:
        `SLO "${name}" (service ${templateText(slo.service)}, ${slo.target}% over ${templateText(windowText)}): ` +
        `the error rate over ${long} and over ${short} is at least ${num(alert.factor)} times the budget rate, ` +
        `${pct(alert.budgetFraction)}% of the budget in ${long}. Burn rate over ${long}: {{ $value | printf "%.2f" }}.`,
      slo_name: name,
      long_window: long,
      short_window: short,
      burn_rate_factor: num(alert.factor),
      budget_fraction: num(alert.budgetFraction),
    },
  };
}

/**
 * The rule groups of one SLO: `vigil-slo-<id>-recordings` (error ratios per window, objective,
 * budget, burn rates, budget remaining) and, unless both alert kinds are off,
 * `vigil-slo-<id>-alerts` (the four burn-rate alerts, page = critical, ticket = warning). Throws a
 * {@link SloRulesError} for timeslice and InfluxQL SLIs.
 */
export function sloRuleGroups(slo: Slo): PromRuleGroup[] {
  checkGeneratable(slo);
  const labels = { ...slo.labels, slo_id: slo.id, slo_service: slo.service };
  const groups: PromRuleGroup[] = [{ name: `vigil-slo-${slo.id}-recordings`, rules: recordingRules(slo, labels) }];
  const alerts = burnRateAlerts(prometheusWindowMs(slo.window)).filter((a) => slo.alerting[a.kind]);
  if (alerts.length > 0) {
    groups.push({ name: `vigil-slo-${slo.id}-alerts`, rules: alerts.map((a) => alertingRule(slo, a, labels)) });
  }
  return groups;
}

/** One rule file for several SLOs (ids must differ: group names and `slo_id` come from them). */
export function prometheusRuleFile(slos: readonly Slo[]): PromRuleFile {
  const seen = new Set<string>();
  for (const s of slos) {
    if (seen.has(s.id)) {
      throw new SloRulesError(s.id, 'id', 'appears twice; rule groups need distinct SLO ids');
    }
    seen.add(s.id);
  }
  return { groups: slos.flatMap(sloRuleGroups) };
}
