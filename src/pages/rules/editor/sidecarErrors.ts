/** The sidecar's 400 `invalid_rule` field errors placed on the rule form (pure). */
import type { FieldError } from '@vigil/core';
import type { FormErrors, FormField } from './formModel';

/** Wire field paths (dotted, as the sidecar names them) → the form field that shows the problem. */
const WIRE_TO_FORM: Record<string, FormField> = {
  name: 'name',
  description: 'description',
  severity: 'severity',
  datasource: 'datasource',
  query: 'query',
  condition: 'threshold',
  'condition.kind': 'conditionKind',
  'condition.op': 'op',
  'condition.threshold': 'threshold',
  'condition.baselineDays': 'baselineDays',
  'condition.stddevs': 'stddevs',
  'condition.minSamples': 'minSamples',
  'condition.detector': 'detector',
  'condition.minConfidence': 'minConfidence',
  for: 'forDuration',
  keepFiringFor: 'keepFiringFor',
  interval: 'interval',
  labels: 'labels',
  annotations: 'customAnnotations',
  'annotations.summary': 'summary',
  'annotations.description': 'annotationDescription',
  'annotations.runbook_url': 'runbookUrl',
  'annotations.dashboard_url': 'dashboardUrl',
  actions: 'actions',
  noDataState: 'noDataState',
  execErrState: 'execErrState',
  missingSeriesEvalsToResolve: 'missingSeriesEvalsToResolve',
};

/**
 * The sidecar's field errors placed on the form: each under its field (a label or annotation path such
 * as `labels.team` under the labels), anything unknown under `name` so it is never lost. The query's
 * `position` is returned apart, for the caret under the query.
 */
export function formErrorsFromSidecar(fields: readonly FieldError[]): { errors: FormErrors; queryPosition?: number } {
  const errors: FormErrors = {};
  let queryPosition: number | undefined;
  for (const f of fields) {
    const target: FormField =
      WIRE_TO_FORM[f.field] ??
      (f.field.startsWith('labels.') ? 'labels' : f.field.startsWith('annotations.') ? 'customAnnotations' : 'name');
    const message = target === 'name' && f.field !== 'name' ? `${f.field}: ${f.message}` : f.message;
    errors[target] = errors[target] ? `${errors[target]}; ${message}` : message;
    if (target === 'query' && typeof f.position === 'number') {
      queryPosition = f.position;
    }
  }
  return { errors, queryPosition };
}
