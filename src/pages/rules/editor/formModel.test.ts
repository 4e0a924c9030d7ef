import type { RuleBody } from '@vigil/core';
import { ruleResource } from '../../../testing/rules';
import { durationError, durationMs } from './durations';
import { defaultFormValues, duplicateFormValues, type RuleFormValues, toFormValues, toRuleBody } from './formModel';
import { formErrorsFromSidecar } from './sidecarErrors';
import { validateForm } from './validateForm';

const valid = (over: Partial<RuleFormValues> = {}): RuleFormValues => ({
  ...defaultFormValues(),
  name: 'High CPU',
  datasource: 'prometheus',
  query: 'cpu_usage',
  threshold: '80',
  ...over,
});

describe('form ↔ RuleBody', () => {
  test('a stored rule round-trips: form and back gives the same body', () => {
    const rule = ruleResource();
    const body = toRuleBody(toFormValues(rule), rule.id);
    expect(body).toEqual({
      id: 'high_cpu_usage',
      name: rule.name,
      description: rule.description,
      severity: 'warning',
      datasource: 'prometheus',
      query: rule.query,
      condition: { kind: 'threshold', op: '>', threshold: 80 },
      for: '5m',
      keepFiringFor: '0s',
      interval: '1m',
      labels: { service: 'api', team: 'sre' },
      // an empty dashboard_url stays out; the custom one is kept
      annotations: {
        summary: 'CPU at {{ $value }}%',
        description: 'CPU on {{ $labels.instance }} above {{ $threshold }}%',
        runbook_url: 'https://runbooks.example/cpu',
        owner: 'sre',
      },
      actions: ['slack-sre'],
      noDataState: 'NoData',
      execErrState: 'Error',
      missingSeriesEvalsToResolve: 2,
      enabled: true,
    });
  });

  test('known annotations get their own fields, others are custom rows', () => {
    const form = toFormValues(ruleResource());
    expect(form.runbookUrl).toBe('https://runbooks.example/cpu');
    expect(form.summary).toBe('CPU at {{ $value }}%');
    expect(form.customAnnotations).toEqual([{ key: 'owner', value: 'sre' }]);
    expect(form.labels).toEqual([
      { key: 'service', value: 'api' },
      { key: 'team', value: 'sre' },
    ]);
    expect(form.actions).toBe('slack-sre');
  });

  test.each<[string, RuleBody['condition']]>([
    ['adaptive', { kind: 'adaptive', op: '>', threshold: 100, baselineDays: 7, stddevs: 2, minSamples: 100 }],
    ['baseline', { kind: 'baseline', op: '<', threshold: -20, baselineDays: 7 }],
    ['anomaly', { kind: 'anomaly', detector: 'api_latency', minConfidence: 0.7, fixedSeverity: true }],
    ['threshold', { kind: 'threshold', op: '!=', threshold: 0 }],
  ])('the %s condition round-trips', (_kind, condition) => {
    const body = toRuleBody(toFormValues({ ...ruleResource(), condition }));
    expect(body.condition).toEqual(condition);
  });

  test('anomaly rules send no datasource or query; blank rows and channels are dropped', () => {
    const body = toRuleBody(
      valid({
        conditionKind: 'anomaly',
        detector: 'd',
        labels: [
          { key: ' team ', value: 'sre' },
          { key: '', value: '' },
        ],
        actions: ' pagerduty , , slack ',
      })
    );
    expect(body).not.toHaveProperty('datasource');
    expect(body).not.toHaveProperty('query');
    expect(body.labels).toEqual({ team: 'sre' });
    expect(body.actions).toEqual(['pagerduty', 'slack']);
  });

  test('a duplicate keeps the settings, renames, and has no id', () => {
    const form = duplicateFormValues(ruleResource());
    expect(form.name).toBe('High CPU usage (copy)');
    expect(toRuleBody(form)).not.toHaveProperty('id');
  });

  test('defaults of a new rule follow the sidecar: interval 1m, NoData / Error handling, enabled', () => {
    const d = defaultFormValues();
    expect([d.interval, d.noDataState, d.execErrState, d.missingSeriesEvalsToResolve, d.enabled]).toEqual([
      '1m',
      'NoData',
      'Error',
      '2',
      true,
    ]);
  });
});

describe('validateForm', () => {
  test('a complete form has no errors', () => {
    expect(validateForm(valid())).toEqual({});
  });

  test('names each missing or malformed field', () => {
    const errors = validateForm(
      valid({
        name: ' ',
        query: '',
        threshold: 'abc',
        forDuration: '5 minutes',
        interval: '0s',
        missingSeriesEvalsToResolve: '0',
        labels: [{ key: '1bad', value: 'x' }],
        customAnnotations: [{ key: '', value: 'orphan' }],
      })
    );
    expect(errors).toEqual({
      name: 'A rule needs a name',
      query: 'A rule needs a query',
      threshold: 'The threshold must be a number',
      forDuration: 'Pending period must be a duration such as 30s, 5m or 1h30m: got "5 minutes"',
      interval: 'Evaluation interval must be above 0',
      missingSeriesEvalsToResolve: 'Must be a whole number, at least 1',
      'labels.0': '"1bad" is not a label name (letters, digits and _, not starting with a digit)',
      'customAnnotations.0': 'An annotation needs a name',
    });
  });

  test('kind-specific fields: adaptive op and numbers, anomaly detector and confidence', () => {
    expect(validateForm(valid({ conditionKind: 'adaptive', op: '==', stddevs: '0', baselineDays: '1.5' }))).toEqual({
      op: 'Adaptive thresholds compare with >, >=, < or <=',
      stddevs: 'Must be above 0',
      baselineDays: 'Baseline days must be a whole number of days, at least 1',
    });
    expect(validateForm(valid({ conditionKind: 'anomaly', query: '', threshold: '', minConfidence: '2' }))).toEqual({
      detector: 'Pick the detector whose anomalies fire this rule',
      minConfidence: 'Confidence must be between 0 and 1',
    });
  });
});

describe('formErrorsFromSidecar', () => {
  test('puts each wire field under its form field and keeps the query position', () => {
    const { errors, queryPosition } = formErrorsFromSidecar([
      { field: 'query', message: 'unexpected ")"', position: 14 },
      { field: 'condition.threshold', message: 'must be a number' },
      { field: 'for', message: 'bad duration' },
      { field: 'labels.team', message: 'too long' },
      { field: 'somethingNew', message: 'odd' },
    ]);
    expect(queryPosition).toBe(14);
    expect(errors).toEqual({
      query: 'unexpected ")"',
      threshold: 'must be a number',
      forDuration: 'bad duration',
      labels: 'too long',
      name: 'somethingNew: odd',
    });
  });
});

describe('durations', () => {
  test.each([
    ['0', 0],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['1d', 86_400_000],
    ['250ms', 250],
  ])('%s is %d ms', (text, ms) => {
    expect(durationMs(text)).toBe(ms);
  });

  test.each(['', '5', '5 minutes', '1m1h', '-5m', '1.5h'])('%p is not a duration', (text) => {
    expect(durationMs(text)).toBeUndefined();
    expect(durationError(text, 'For')).toMatch(/^For must be a duration/);
  });
});
