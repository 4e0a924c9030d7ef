import type { AlertView } from '@vigil/core';
import { fromSidecarAlerts } from './fromSidecar';
import { groupAlerts } from './groups';
import type { AlertItem } from './summarize';

const item = (
  name: string,
  severity: AlertItem['severity'],
  service?: string,
  state: AlertItem['state'] = 'firing'
): AlertItem => ({
  name,
  severity,
  state,
  labels: service ? { service } : {},
});

const items = [
  item('a', 'warning', 'api'),
  item('b', 'critical', 'payments'),
  item('c', 'critical', 'api', 'pending'),
  item('d', 'info'),
  item('e', 'error', 'api'),
];

describe('groupAlerts', () => {
  test('max items keeps the most urgent, then groups them in severity order', () => {
    const g = groupAlerts(items, { severities: [], maxItems: 3, groupBy: 'severity' });
    expect(g.summary.total).toBe(5);
    expect(g.shown).toBe(3);
    expect(g.groups.map((x) => [x.key, x.items.map((i) => i.name)])).toEqual([
      ['critical', ['b', 'c']],
      ['error', ['e']],
    ]);
  });

  test('by service: alphabetical, alerts without a service last', () => {
    const g = groupAlerts(items, { severities: [], maxItems: 10, groupBy: 'service' });
    expect(g.groups.map((x) => [x.title, x.items.length])).toEqual([
      ['api', 3],
      ['payments', 1],
      ['no service', 1],
    ]);
  });

  test('the severity filter applies to the counts too; none is one untitled group', () => {
    const g = groupAlerts(items, { severities: ['critical', 'error'], maxItems: 10, groupBy: 'none' });
    expect(g.summary.total).toBe(3);
    expect(g.summary.bySeverity.warning).toBe(0);
    expect(g.groups).toEqual([{ key: 'all', title: null, items: expect.any(Array) }]);
  });
});

describe('fromSidecarAlerts', () => {
  test('firing and recovering count as firing, pending as pending; the rest is left out', () => {
    const base = { ruleId: 'r', ruleName: 'R', fingerprint: 'f', severity: 'warning', labels: {} };
    const alerts = ['firing', 'recovering', 'pending', 'normal', 'nodata', 'error'].map(
      (state) => ({ ...base, state }) as unknown as AlertView
    );
    expect(fromSidecarAlerts(alerts).map((a) => a.state)).toEqual(['firing', 'firing', 'pending']);
  });
});
