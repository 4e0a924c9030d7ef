// Routing as the dispatcher uses it: the tree's routes or a rule's actions, restricted to configured
// channels; and a stored group's route found again by id, also when the tree changed since.
import { buildRouteTree, parseMatcher } from '@vigil/core';
import { RouteIndex } from './routes';

const tree = buildRouteTree({
  receiver: 'mail',
  groupBy: ['alertname'],
  groupWaitMs: 10_000,
  routes: [
    { matchers: [parseMatcher('severity="critical"')], receiver: 'pd', continue: true, groupWaitMs: 1000 },
    { matchers: [parseMatcher('severity="critical"')], receiver: 'gone' },
    { matchers: [parseMatcher('team="db"')], muteTimeIntervals: ['nights'] },
  ],
});

describe('RouteIndex', () => {
  it("returns the tree's routes to configured channels and warns once per unknown one", () => {
    const warnings: string[] = [];
    const idx = new RouteIndex(tree, new Set(['mail', 'pd', 'hook']), (_msg, f) => warnings.push(String(f.receiver)));
    const labels = { alertname: 'A', severity: 'critical' };
    expect(idx.routesFor({ labels, actions: [] }).map((r) => r.receiver)).toEqual(['pd']);
    expect(idx.routesFor({ labels, actions: [] }).map((r) => r.receiver)).toEqual(['pd']);
    expect(warnings).toEqual(['gone']);
    expect(idx.routesFor({ labels: { alertname: 'A' }, actions: [] }).map((r) => r.id)).toEqual(['{}']);
  });

  it("replaces the tree's receivers by the actions, with the first matched route's settings", () => {
    const idx = new RouteIndex(tree, new Set(['mail', 'pd', 'hook']));
    const routes = idx.routesFor({ labels: { alertname: 'A', severity: 'critical' }, actions: ['hook', 'nope'] });
    expect(routes.map((r) => [r.id, r.receiver, r.groupWaitMs])).toEqual([
      ['{}/{severity="critical"}/0@hook', 'hook', 1000],
    ]);
  });

  it('reads an action that names a channel type as every channel of that type (the guide writes actions: [pagerduty, slack])', () => {
    const types = new Map([
      ['mail', 'email'],
      ['pd', 'pagerduty'],
      ['hook', 'webhook'],
      ['hook2', 'webhook'],
    ]);
    const idx = new RouteIndex(tree, new Set(types.keys()), () => undefined, types);
    const labels = { alertname: 'A', severity: 'critical' };
    // A channel's own name wins over a type of the same spelling; unknown ones are still dropped.
    expect(idx.routesFor({ labels, actions: ['webhook', 'pd', 'slack'] }).map((r) => r.receiver)).toEqual([
      'hook',
      'hook2',
      'pd',
    ]);
  });

  it('finds the route of a stored group by id, actions routes included, and falls back to the root timers', () => {
    const warnings: string[] = [];
    const idx = new RouteIndex(tree, new Set(['mail', 'pd', 'hook']), (msg) => warnings.push(msg));
    expect(idx.routeOf('{}/{team="db"}/2', 'mail').muteTimeIntervals).toEqual(['nights']);
    const viaAction = idx.routeOf('{}/{severity="critical"}/0@hook', 'hook');
    expect([viaAction.receiver, viaAction.groupWaitMs]).toEqual(['hook', 1000]);
    const orphan = idx.routeOf('{}/{env="old"}/7', 'pd');
    expect([orphan.id, orphan.receiver, orphan.groupWaitMs, orphan.muteTimeIntervals]).toEqual([
      '{}/{env="old"}/7',
      'pd',
      10_000,
      [],
    ]);
    expect(warnings).toHaveLength(1);
  });
});
