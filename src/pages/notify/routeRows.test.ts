import { routeView, routingResponse } from '../../testing/notify';
import { groupByText, toInhibitRows, toIntervalRows, toRouteRows } from './routeRows';

describe('routing rows', () => {
  test('the tree is flattened depth first, in configuration order, with its depth', () => {
    const rows = toRouteRows(routingResponse().route);
    expect(rows.map((r) => [r.id, r.depth, r.receiver, r.matchers, r.continue])).toEqual([
      ['root', 0, 'ops-webhook', ['every alert'], false],
      ['root.0', 1, 'pager', ['severity="critical"'], true],
      ['root.0.0', 2, 'dba-pager', ['service=~"db|cache"'], false],
      ['root.1', 1, 'chat', ['severity="warning"'], false],
    ]);
    expect(rows[0].timers).toBe('wait 30s · interval 5m · repeat 4h');
    expect(rows[3]).toMatchObject({ groupBy: 'every label', muteTimeIntervals: ['weekend'] });
  });

  test('a route without receiver or matchers below the root reads as such', () => {
    const rows = toRouteRows(routeView({ routes: [routeView({ id: 'root.0', receiver: null, groupBy: [] })] }));
    expect(rows[1]).toMatchObject({ receiver: '—', matchers: [], groupBy: 'one group' });
  });

  test('group_by as text', () => {
    expect(groupByText(['alertname', 'service'])).toBe('alertname, service');
    expect(groupByText(['...'])).toBe('every label');
    expect(groupByText([])).toBe('one group');
  });

  test('a tree deeper than any configuration stops instead of recursing forever', () => {
    let deep = routeView({ id: 'leaf' });
    for (let i = 0; i < 100; i++) {
      deep = routeView({ id: `r${i}`, routes: [deep] });
    }
    expect(toRouteRows(deep).length).toBe(33);
  });

  test('inhibition rules and time intervals, with the routes that use each interval', () => {
    const root = routeView({
      activeTimeIntervals: ['nights'],
      routes: [routeView({ id: 'root.0', matchers: [], muteTimeIntervals: ['nights'] })],
    });
    expect(
      toIntervalRows({ route: root, inhibitRules: [], timeIntervals: [{ name: 'nights', activeNow: false }] })
    ).toEqual([{ name: 'nights', activeNow: false, usedBy: ['mute on route root.0', 'active on the root route'] }]);
    const routing = routingResponse();
    expect(toInhibitRows(routing.inhibitRules)).toEqual([
      { key: '0', source: 'severity="critical"', target: 'severity="warning"', equal: 'service' },
    ]);
    expect(
      toInhibitRows([{ sourceMatchers: ['a="b"'], targetMatchers: ['c="d"', 'e!="f"'], equal: [] }])[0]
    ).toMatchObject({ target: 'c="d", e!="f"', equal: '—' });
    expect(toIntervalRows(routing)).toEqual([
      { name: 'weekend', activeNow: true, usedBy: ['mute on severity="warning"'] },
      { name: 'nights', activeNow: false, usedBy: [] },
    ]);
  });
});
