import golden from './testdata/routing.json';
import {
  actionsOverride,
  buildRouteTree,
  defaultRouteTree,
  groupKey,
  matchRoutes,
  Route,
  RouteConfig,
  ROUTE_DEFAULTS,
} from './routing';

const tree = buildRouteTree(golden.tree as RouteConfig);

describe('matchRoutes', () => {
  it.each(golden.cases)('routes $labels', ({ labels, receivers }) => {
    expect(matchRoutes(tree, labels as Record<string, string>).map((r) => r.receiver)).toEqual(receivers);
  });

  it('returns nothing when the root itself does not match', () => {
    const t = buildRouteTree({ receiver: 'r', matchers: [{ name: 'a', op: '=', value: 'b' }] });
    expect(matchRoutes(t, {})).toEqual([]);
  });
});

describe('buildRouteTree', () => {
  const find = (labels: Record<string, string>): Route => matchRoutes(tree, labels)[0];

  it('gives the root Alertmanager defaults', () => {
    expect(tree.groupWaitMs).toBe(30_000);
    expect(tree.groupIntervalMs).toBe(300_000);
    expect(tree.repeatIntervalMs).toBe(4 * 3600_000);
    expect(buildRouteTree({}).groupBy).toEqual([]);
    expect(buildRouteTree({}).receiver).toBeNull();
    expect(ROUTE_DEFAULTS.groupWaitMs).toBe(30_000);
  });

  it('inherits unset settings from the parent and overrides set ones', () => {
    const b = find({ owner: 'team-B' });
    expect(b.groupBy).toEqual(['bar', 'foo']);
    expect(b.groupWaitMs).toBe(120_000);
    expect(b.groupIntervalMs).toBe(300_000);
    const a = find({ owner: 'team-A' });
    expect(a.groupBy).toEqual(['alertname']);
    const t = find({ owner: 'team-A', env: 'testing' });
    expect(t.groupByAll).toBe(true);
    // Grandchild: receiver from its parent, group_by from its grandparent, group_wait its own.
    const w = find({ group_by: 'role', env: 'testing', wait: 'long' });
    expect(w.receiver).toBe('notify-testing');
    expect(w.groupBy).toEqual(['role']);
    expect(w.groupWaitMs).toBe(120_000);
  });

  it('does not inherit time intervals (as dispatch/route.go)', () => {
    const t = buildRouteTree({ receiver: 'r', muteTimeIntervals: ['nights'], routes: [{ receiver: 'x' }] });
    expect(t.muteTimeIntervals).toEqual(['nights']);
    expect(t.routes[0].muteTimeIntervals).toEqual([]);
  });

  it("refuses '...' mixed with label names", () => {
    expect(() => buildRouteTree({ groupBy: ['...', 'a'] })).toThrow(/must be the only label name/);
  });

  it('gives siblings with equal matchers distinct ids', () => {
    const t = buildRouteTree({ routes: [{ receiver: 'a' }, { receiver: 'b' }] });
    expect(t.id).toBe('{}');
    expect(t.routes.map((r) => r.id)).toEqual(['{}/{}/0', '{}/{}/1']);
  });
});

describe('groupKey', () => {
  it('is the route id and the group-by values, sorted and quoted', () => {
    const r = buildRouteTree({ groupBy: ['service', 'alertname'] });
    const k = groupKey(r, { service: 'api', alertname: 'High "CPU"', pod: 'p1' });
    expect(k).toBe('{}:{alertname="High \\"CPU\\"",service="api"}');
    expect(groupKey(r, { alertname: 'High "CPU"', service: 'api', pod: 'p2' })).toBe(k);
  });
  it("leaves out missing labels and takes all of them for '...'", () => {
    expect(groupKey(buildRouteTree({ groupBy: ['a', 'b'] }), { b: '1' })).toBe('{}:{b="1"}');
    expect(groupKey(buildRouteTree({ groupBy: ['...'] }), { z: '1', a: '2' })).toBe('{}:{a="2",z="1"}');
    expect(groupKey(buildRouteTree({}), { z: '1' })).toBe('{}:{}');
  });
  it('differs between routes', () => {
    const [c, d] = matchRoutes(tree, { owner: 'team-C' });
    expect(groupKey(c, { alertname: 'x' })).not.toBe(groupKey(d, { alertname: 'x' }));
  });
});

describe('defaultRouteTree', () => {
  const all = buildRouteTree(defaultRouteTree({ pagerduty: 'pd', slack: 'slack', email: 'mail' }));
  const receivers = (t: Route, severity?: string) =>
    matchRoutes(t, severity ? { severity, alertname: 'x' } : { alertname: 'x' }).map((r) => r.receiver);

  it("follows the guide's escalation table", () => {
    expect(receivers(all, 'critical')).toEqual(['pd', 'slack', 'mail']);
    expect(receivers(all, 'error')).toEqual(['pd', 'slack']);
    expect(receivers(all, 'warning')).toEqual(['slack', 'mail']);
    expect(receivers(all, 'info')).toEqual(['mail']);
    expect(receivers(all)).toEqual(['mail']);
  });

  it('leaves out missing channels', () => {
    const t = buildRouteTree(defaultRouteTree({ slack: 'slack' }));
    expect(receivers(t, 'critical')).toEqual(['slack']);
    expect(receivers(t, 'warning')).toEqual(['slack']);
    // No channel for info: the severity node matches itself and inherits the root's receiver.
    expect(receivers(t, 'info')).toEqual(['slack']);
  });

  it('groups by alertname with the default timers', () => {
    const [r] = matchRoutes(all, { severity: 'critical', alertname: 'x' });
    expect(r.groupBy).toEqual(['alertname']);
    expect(r.groupWaitMs).toBe(30_000);
  });
});

describe('actionsOverride', () => {
  const t = buildRouteTree(defaultRouteTree({ pagerduty: 'pd', slack: 'slack', email: 'mail' }));
  const labels = { severity: 'error', alertname: 'revenue_drop' };

  it("replaces the tree's receivers with the rule's actions", () => {
    const routes = actionsOverride(['email', 'business_slack'])(matchRoutes(t, labels));
    expect(routes.map((r) => r.receiver)).toEqual(['email', 'business_slack']);
    expect(new Set(routes.map((r) => r.id)).size).toBe(2);
    expect(routes[0].groupBy).toEqual(['alertname']);
  });

  it('keeps the tree when there are no actions', () => {
    const matched = matchRoutes(t, labels);
    expect(actionsOverride([])(matched)).toBe(matched);
  });

  it('drops duplicate and empty names', () => {
    expect(actionsOverride(['a', '', 'a'])(matchRoutes(t, labels)).map((r) => r.receiver)).toEqual(['a']);
  });
});
