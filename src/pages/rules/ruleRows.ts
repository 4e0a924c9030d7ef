/**
 * The Alert rules list as rows ready to render, and its search and filters. Pure: the page only draws
 * what these return.
 */
import type { RuleHealth, RuleOrigin, RuleResource } from '@vigil/core';
import { ALERT_STATES, type AlertState, SEVERITIES, type Severity } from '@vigil/core/rules/types';
import { formatUtc } from '../anomalyRows';

/** A rule's overall state, as the list shows it: its most urgent instance state, or `normal`. */
export type RuleState = AlertState;

/** Most urgent first: what a person must look at before the rest. */
const STATE_ORDER: readonly AlertState[] = ['firing', 'error', 'pending', 'recovering', 'nodata', 'normal'];

/** One line of the list. */
export interface RuleRow {
  id: string;
  name: string;
  severity: Severity;
  state: RuleState;
  /** Instances per state, most urgent first ("2 firing · 1 normal"), or "no instances". */
  states: string;
  /** Last evaluation, UTC, or "never". */
  lastEvaluation: string;
  health: RuleHealth;
  /** The last evaluation's error, or undefined. */
  error?: string;
  origin: RuleOrigin;
  readOnly: boolean;
  /** File rules: the file they come from. */
  file?: string;
  /** Text the search box looks in: name, description, query, labels, condition. */
  searchText: string;
}

/** The list's filters; `all` (or an empty search) lets everything through. */
export interface RuleFilters {
  search: string;
  severity: Severity | 'all';
  state: RuleState | 'all';
  origin: RuleOrigin | 'all';
}

/** No filtering. */
export const NO_FILTERS: RuleFilters = { search: '', severity: 'all', state: 'all', origin: 'all' };

function dominantState(states: Partial<Record<AlertState, number>>): RuleState {
  return STATE_ORDER.find((s) => (states[s] ?? 0) > 0) ?? 'normal';
}

function conditionText(rule: RuleResource): string {
  const c = rule.condition;
  switch (c.kind) {
    case 'anomaly':
      return `anomaly of ${c.detector} above ${c.minConfidence}`;
    case 'baseline':
      return `change ${c.op} ${c.threshold}%`;
    case 'slo':
      return `burn rate of SLO ${c.slo}`;
    default:
      return `${c.kind} ${c.op} ${c.threshold}`;
  }
}

/** The row of one rule. A rule from a sidecar of another version may lack a status: shown as unknown. */
export function toRuleRow(rule: RuleResource): RuleRow {
  const status = rule.status ?? { health: 'unknown', lastEvaluation: null, lastError: null, states: {} };
  const states = status.states ?? {};
  const counts = STATE_ORDER.filter((s) => (states[s] ?? 0) > 0).map((s) => `${states[s]} ${s}`);
  return {
    id: rule.id,
    name: rule.name,
    severity: (SEVERITIES as readonly string[]).includes(rule.severity) ? rule.severity : 'info',
    state: dominantState(states),
    states: counts.length > 0 ? counts.join(' · ') : 'no instances',
    lastEvaluation: typeof status.lastEvaluation === 'number' ? formatUtc(status.lastEvaluation) : 'never',
    health: status.health ?? 'unknown',
    error: status.lastError ?? undefined,
    origin: rule.origin === 'file' ? 'file' : 'api',
    readOnly: Boolean(rule.readOnly) || rule.origin === 'file',
    file: rule.file,
    searchText: [
      rule.name,
      rule.description,
      rule.query,
      conditionText(rule),
      ...Object.entries(rule.labels ?? {}).map(([k, v]) => `${k}=${v}`),
    ]
      .join('\n')
      .toLowerCase(),
  };
}

/**
 * Rows of the rules that pass the filters, most urgent first (state, then severity, then name). The
 * search matches every word typed, anywhere in name, description, query, condition or `label=value`.
 */
export function filterRules(rules: readonly RuleResource[], filters: RuleFilters): RuleRow[] {
  const words = filters.search.toLowerCase().split(/\s+/).filter(Boolean);
  return rules
    .map(toRuleRow)
    .filter(
      (r) =>
        (filters.severity === 'all' || r.severity === filters.severity) &&
        (filters.state === 'all' || r.state === filters.state) &&
        (filters.origin === 'all' || r.origin === filters.origin) &&
        words.every((w) => r.searchText.includes(w))
    )
    .sort(
      (a, b) =>
        STATE_ORDER.indexOf(a.state) - STATE_ORDER.indexOf(b.state) ||
        SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
        a.name.localeCompare(b.name) ||
        a.id.localeCompare(b.id)
    );
}

/** The states a filter can pick, in the list's order. */
export const FILTER_STATES: readonly RuleState[] = STATE_ORDER.filter((s) => ALERT_STATES.includes(s));
