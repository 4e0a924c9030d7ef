import { ruleResource } from '../../testing/rules';
import { filterRules, NO_FILTERS, toRuleRow } from './ruleRows';

const status = (states: object, extra: object = {}) => ({
  ...ruleResource().status,
  states,
  ...extra,
});

const rules = [
  ruleResource({ id: 'cpu', name: 'High CPU', severity: 'warning', status: status({ normal: 3 }) }),
  ruleResource({
    id: 'down',
    name: 'Service down',
    severity: 'critical',
    query: 'up == 0',
    labels: { service: 'payments' },
    status: status({ firing: 1, normal: 2 }),
  }),
  ruleResource({
    id: 'file_rule',
    name: 'Error rate',
    severity: 'error',
    origin: 'file',
    readOnly: true,
    file: 'team/rules.yaml',
    status: status({ pending: 1 }),
  }),
  ruleResource({
    id: 'broken',
    name: 'Broken query',
    severity: 'info',
    status: status({}, { health: 'error', lastError: 'query Prometheus: timeout after 30s', lastEvaluation: null }),
  }),
];

describe('toRuleRow', () => {
  test('state is the most urgent instance state; counts are listed most urgent first', () => {
    const row = toRuleRow(rules[1]);
    expect(row.state).toBe('firing');
    expect(row.states).toBe('1 firing · 2 normal');
    expect(row.lastEvaluation).toBe('2025-11-24 16:01:00 UTC');
    expect(row.health).toBe('ok');
  });

  test('a rule without instances is normal, never evaluated shows "never", its error is kept', () => {
    const row = toRuleRow(rules[3]);
    expect([row.state, row.states, row.lastEvaluation, row.health, row.error]).toEqual([
      'normal',
      'no instances',
      'never',
      'error',
      'query Prometheus: timeout after 30s',
    ]);
  });

  test('file rules are read-only and keep their file', () => {
    expect(toRuleRow(rules[2])).toMatchObject({ origin: 'file', readOnly: true, file: 'team/rules.yaml' });
  });
});

describe('filterRules', () => {
  const ids = (f: Partial<typeof NO_FILTERS>) => filterRules(rules, { ...NO_FILTERS, ...f }).map((r) => r.id);

  test('without filters: most urgent state first, then severity, then name', () => {
    expect(ids({})).toEqual(['down', 'file_rule', 'cpu', 'broken']);
  });

  test('severity, state and origin filters', () => {
    expect(ids({ severity: 'critical' })).toEqual(['down']);
    expect(ids({ state: 'pending' })).toEqual(['file_rule']);
    expect(ids({ state: 'normal' })).toEqual(['cpu', 'broken']);
    expect(ids({ origin: 'file' })).toEqual(['file_rule']);
    expect(ids({ origin: 'api', severity: 'error' })).toEqual([]);
  });

  test('search matches every word in name, query or label=value, case-insensitively', () => {
    expect(ids({ search: 'SERVICE down' })).toEqual(['down']);
    expect(ids({ search: 'up == 0' })).toEqual(['down']);
    expect(ids({ search: 'service=payments' })).toEqual(['down']);
    expect(ids({ search: 'high cpu' })).toEqual(['cpu']);
    expect(ids({ search: 'cpu nowhere' })).toEqual([]);
  });
});
