/**
 * The rule editor's form model, kept apart from the wire type (`RuleBody`), as Grafana's alerting rule
 * editor does: text inputs hold strings (a half-typed number is still a valid form state), labels and
 * custom annotations are ordered rows, the well-known annotations have their own fields. Pure functions
 * convert both ways and validate; the React sections only render them.
 */
import type {
  ConditionKind,
  Comparator,
  Condition,
  ErrorHandling,
  NoDataHandling,
  RuleBody,
  Severity,
} from '@vigil/core';

/** One key/value row (labels, custom annotations). */
export interface KeyValueRow {
  key: string;
  value: string;
}

/** The editor's state: what the inputs hold. */
export interface RuleFormValues {
  name: string;
  description: string;
  severity: Severity;
  datasource: string;
  query: string;
  conditionKind: ConditionKind;
  op: Comparator;
  /** Threshold (threshold), base threshold (adaptive), % change (baseline). */
  threshold: string;
  baselineDays: string;
  stddevs: string;
  minSamples: string;
  detector: string;
  minConfidence: string;
  fixedSeverity: boolean;
  /** The SLO of an SLO burn-rate rule (kept by the SLO, shown read-only). */
  slo: string;
  forDuration: string;
  keepFiringFor: string;
  interval: string;
  labels: KeyValueRow[];
  summary: string;
  annotationDescription: string;
  runbookUrl: string;
  dashboardUrl: string;
  customAnnotations: KeyValueRow[];
  /** Channel names, comma-separated. */
  actions: string;
  noDataState: NoDataHandling;
  execErrState: ErrorHandling;
  missingSeriesEvalsToResolve: string;
  enabled: boolean;
}

/** A form field name. */
export type FormField = keyof RuleFormValues;

/** Problems per form field (labels and custom annotations: `labels.<row>`), empty when the form is valid. */
export type FormErrors = Partial<Record<FormField | `labels.${number}` | `customAnnotations.${number}`, string>>;

/** Annotation keys with their own field; anything else is a custom annotation. */
const KNOWN_ANNOTATIONS = {
  summary: 'summary',
  description: 'annotationDescription',
  runbook_url: 'runbookUrl',
  dashboard_url: 'dashboardUrl',
} as const;

/** Defaults of a new rule: the sidecar's defaults (`for` 0s, interval 1m, Grafana's NoData/Error). */
export function defaultFormValues(): RuleFormValues {
  return {
    name: '',
    description: '',
    severity: 'warning',
    datasource: '',
    query: '',
    conditionKind: 'threshold',
    op: '>',
    threshold: '',
    baselineDays: '7',
    stddevs: '2',
    minSamples: '100',
    detector: '',
    minConfidence: '0.5',
    fixedSeverity: false,
    slo: '',
    forDuration: '5m',
    keepFiringFor: '0s',
    interval: '1m',
    labels: [],
    summary: '',
    annotationDescription: '',
    runbookUrl: '',
    dashboardUrl: '',
    customAnnotations: [],
    actions: '',
    noDataState: 'NoData',
    execErrState: 'Error',
    missingSeriesEvalsToResolve: '2',
    enabled: true,
  };
}

const str = (n: number | undefined, fallback: string) =>
  typeof n === 'number' && Number.isFinite(n) ? String(n) : fallback;
const rows = (record: Record<string, string> | undefined) =>
  Object.entries(record ?? {}).map(([key, value]) => ({ key, value: String(value) }));

/** The form for an existing rule (or a rule file entry): every field from the body, defaults elsewhere. */
export function toFormValues(rule: RuleBody): RuleFormValues {
  const d = defaultFormValues();
  const c = rule.condition;
  const annotations = { ...(rule.annotations ?? {}) };
  const known: Partial<Record<string, string>> = {};
  for (const key of Object.keys(KNOWN_ANNOTATIONS)) {
    known[key] = annotations[key] ?? '';
    delete annotations[key];
  }
  return {
    ...d,
    name: rule.name ?? '',
    description: rule.description ?? '',
    severity: rule.severity ?? d.severity,
    datasource: rule.datasource ?? '',
    query: rule.query ?? '',
    conditionKind: c.kind,
    op: c.kind === 'anomaly' || c.kind === 'slo' ? d.op : c.op,
    threshold: c.kind === 'anomaly' || c.kind === 'slo' ? '' : str(c.threshold, ''),
    baselineDays: c.kind === 'adaptive' || c.kind === 'baseline' ? str(c.baselineDays, d.baselineDays) : d.baselineDays,
    stddevs: c.kind === 'adaptive' ? str(c.stddevs, d.stddevs) : d.stddevs,
    minSamples: c.kind === 'adaptive' ? str(c.minSamples, d.minSamples) : d.minSamples,
    detector: c.kind === 'anomaly' ? c.detector : '',
    minConfidence: c.kind === 'anomaly' ? str(c.minConfidence, d.minConfidence) : d.minConfidence,
    fixedSeverity: c.kind === 'anomaly' ? Boolean(c.fixedSeverity) : false,
    slo: c.kind === 'slo' ? c.slo : '',
    forDuration: rule.for ?? '0s',
    keepFiringFor: rule.keepFiringFor ?? d.keepFiringFor,
    interval: rule.interval ?? d.interval,
    labels: rows(rule.labels),
    summary: known.summary ?? '',
    annotationDescription: known.description ?? '',
    runbookUrl: known.runbook_url ?? '',
    dashboardUrl: known.dashboard_url ?? '',
    customAnnotations: rows(annotations),
    actions: (rule.actions ?? []).join(', '),
    noDataState: rule.noDataState ?? d.noDataState,
    execErrState: rule.execErrState ?? d.execErrState,
    missingSeriesEvalsToResolve: str(rule.missingSeriesEvalsToResolve, d.missingSeriesEvalsToResolve),
    enabled: rule.enabled ?? true,
  };
}

/** The form of a copy of `rule`: same settings, " (copy)" after the name; the sidecar gives it a new id. */
export function duplicateFormValues(rule: RuleBody): RuleFormValues {
  const values = toFormValues(rule);
  return { ...values, name: `${values.name} (copy)` };
}

/** A number typed as text; NaN when empty or not a number. */
export const num = (s: string) => (s.trim() === '' ? NaN : Number(s));

function condition(v: RuleFormValues): Condition {
  switch (v.conditionKind) {
    case 'adaptive':
      return {
        kind: 'adaptive',
        op: v.op as '>' | '>=' | '<' | '<=',
        threshold: num(v.threshold),
        baselineDays: num(v.baselineDays),
        stddevs: num(v.stddevs),
        minSamples: num(v.minSamples),
      };
    case 'baseline':
      return { kind: 'baseline', op: v.op, threshold: num(v.threshold), baselineDays: num(v.baselineDays) };
    case 'slo':
      return { kind: 'slo', slo: v.slo };
    case 'anomaly':
      return {
        kind: 'anomaly',
        detector: v.detector,
        minConfidence: num(v.minConfidence),
        ...(v.fixedSeverity ? { fixedSeverity: true } : {}),
      };
    default:
      return { kind: 'threshold', op: v.op, threshold: num(v.threshold) };
  }
}

function record(list: KeyValueRow[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { key, value } of list) {
    if (key.trim() !== '') {
      out[key.trim()] = value;
    }
  }
  return out;
}

/**
 * The wire body of the form. Empty optional text stays out (the sidecar fills its defaults); anomaly
 * rules send no datasource or query (their detector has both). Call on a valid form ({@link validateForm}).
 */
export function toRuleBody(v: RuleFormValues, id?: string): RuleBody {
  const annotations: Record<string, string> = record(v.customAnnotations);
  for (const [key, field] of Object.entries(KNOWN_ANNOTATIONS)) {
    if (v[field].trim() !== '') {
      annotations[key] = v[field].trim();
    }
  }
  const body: RuleBody = {
    ...(id ? { id } : {}),
    name: v.name.trim(),
    description: v.description.trim(),
    severity: v.severity,
    condition: condition(v),
    for: v.forDuration.trim(),
    keepFiringFor: v.keepFiringFor.trim(),
    interval: v.interval.trim(),
    labels: record(v.labels),
    annotations,
    actions: v.actions
      .split(',')
      .map((a) => a.trim())
      .filter((a) => a !== ''),
    noDataState: v.noDataState,
    execErrState: v.execErrState,
    missingSeriesEvalsToResolve: num(v.missingSeriesEvalsToResolve),
    enabled: v.enabled,
  };
  if (v.conditionKind !== 'anomaly' && v.conditionKind !== 'slo') {
    if (v.datasource !== '') {
      body.datasource = v.datasource;
    }
    body.query = v.query;
  }
  return body;
}
