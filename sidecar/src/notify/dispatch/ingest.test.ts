import { buildRouteTree, type Route } from '@vigil/core';
import type { InboxEntry } from '../../store/notifyStore';
import { INCIDENT_LABEL } from './correlation';
import { planIngest, routeEntries } from './ingest';

const T0 = Date.UTC(2026, 11, 7, 9);
const tree = buildRouteTree({ receiver: 'pd', groupBy: ['alertname'], groupWaitMs: 30_000 });
// A rule's `actions` route to the same channel (Routes builds them as `<base id>@<receiver>`).
const actions: Route = { ...tree, id: `${tree.id}@pd`, routes: [] };

function entry(id: string, labels: Record<string, string>): InboxEntry {
  return {
    id,
    receivedAt: T0,
    alert: {
      fingerprint: id,
      source: 'rule',
      status: 'firing',
      labels,
      annotations: {},
      startsAt: T0,
      endsAt: null,
      value: null,
      threshold: null,
      actions: [],
      at: T0,
    },
  };
}

describe('routeEntries', () => {
  it('keys groups by route, as Alertmanager does, for alerts without an incident', () => {
    const routed = routeEntries([entry('a', { alertname: 'Down' })], () => [tree, actions]);
    expect(routed[0].routes.map((r) => r.key)).toEqual([
      `${tree.id}:{alertname="Down"}`,
      `${tree.id}@pd:{alertname="Down"}`,
    ]);
  });

  it("puts an incident's alerts in one group per channel, whichever route brought them (one page)", () => {
    const opener = { alertname: 'Down', [INCIDENT_LABEL]: 'inc-1' };
    const viaTree = entry('slo', { alertname: 'SloBurn', [INCIDENT_LABEL]: 'inc-1' });
    const viaActions = entry('down', { alertname: 'Down', [INCIDENT_LABEL]: 'inc-1' });
    const routed = routeEntries(
      [viaTree, viaActions],
      (a) => (a.fingerprint === 'slo' ? [tree] : [actions, tree]),
      () => opener
    );
    expect(routed[0].routes.map((r) => r.key)).toEqual(['"pd":{alertname="Down"}']);
    // The same channel twice (actions and tree) is one group, not two.
    expect(routed[1].routes.map((r) => r.key)).toEqual(['"pd":{alertname="Down"}']);
    const commit = planIngest(routed, new Map(), new Map(), T0);
    expect(commit.groups).toHaveLength(1);
    expect(commit.groups[0].routeId).toBe(tree.id);
    expect(commit.memberships.map((m) => m.fingerprint).sort()).toEqual(['down', 'slo']);
  });
});
