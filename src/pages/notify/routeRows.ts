/**
 * Pure transforms behind "Routes at a glance": the routing tree flattened into indented rows, the
 * inhibition rules and the time intervals as the page lists them. Kept out of the components so they
 * are tested without rendering.
 */
import type { InhibitRuleView, RouteView, RoutingResponse } from '@vigil/core';

/** One route of the tree as a row of the indented list. */
export interface RouteRow {
  id: string;
  /** 0 for the root, 1 for its children, … */
  depth: number;
  /** The receiver's name, "—" when the route has none (it only groups its children). */
  receiver: string;
  /** Matchers as text; the root, which matches every alert, shows "every alert". */
  matchers: string[];
  /** "alertname, service", "every label" (`...`) or "one group" (no labels: all alerts together). */
  groupBy: string;
  /** "wait 30s · interval 5m · repeat 4h". */
  timers: string;
  /** True when matching alerts also go on to the next sibling routes. */
  continue: boolean;
  muteTimeIntervals: string[];
  activeTimeIntervals: string[];
}

/** One inhibition rule as the page reads it. */
export interface InhibitRow {
  key: string;
  /** "severity="critical"" — the alerts that mute. */
  source: string;
  /** The alerts that are muted. */
  target: string;
  /** "service, cluster", or "—" when no label has to be equal. */
  equal: string;
}

/** One time interval with whether it is in force now. */
export interface IntervalRow {
  name: string;
  activeNow: boolean;
  /**
   * Routes naming it, by how they use it and named by their matchers (route ids are paths of matchers,
   * unreadable here): `mute on severity="warning"`, `active on the root route`.
   */
  usedBy: string[];
}

// A tree this deep is a configuration mistake; the bound keeps a hostile answer from recursing forever.
const MAX_DEPTH = 32;

/** `group_by` as text. */
export function groupByText(groupBy: readonly string[]): string {
  if (groupBy.includes('...')) {
    return 'every label';
  }
  return groupBy.length === 0 ? 'one group' : groupBy.join(', ');
}

/** The tree, depth first in configuration order (the order Alertmanager tries routes in). */
export function toRouteRows(root: RouteView): RouteRow[] {
  const rows: RouteRow[] = [];
  const walk = (r: RouteView, depth: number) => {
    rows.push({
      id: r.id,
      depth,
      receiver: r.receiver ?? '—',
      matchers: depth === 0 && r.matchers.length === 0 ? ['every alert'] : [...r.matchers],
      groupBy: groupByText(r.groupBy ?? []),
      timers: `wait ${r.groupWait} · interval ${r.groupInterval} · repeat ${r.repeatInterval}`,
      continue: Boolean(r.continue),
      muteTimeIntervals: [...(r.muteTimeIntervals ?? [])],
      activeTimeIntervals: [...(r.activeTimeIntervals ?? [])],
    });
    if (depth < MAX_DEPTH) {
      for (const child of r.routes ?? []) {
        walk(child, depth + 1);
      }
    }
  };
  walk(root, 0);
  return rows;
}

/** The inhibition rules, matchers joined as Alertmanager writes a list. */
export function toInhibitRows(rules: readonly InhibitRuleView[]): InhibitRow[] {
  return rules.map((r, i) => ({
    key: String(i),
    source: r.sourceMatchers.join(', '),
    target: r.targetMatchers.join(', '),
    equal: r.equal.length ? r.equal.join(', ') : '—',
  }));
}

/** The time intervals, with the routes that use each (by name, so a typo shows as unused). */
export function toIntervalRows(routing: RoutingResponse): IntervalRow[] {
  const routes = toRouteRows(routing.route);
  const nameOf = (r: RouteRow) => (r.depth === 0 ? 'the root route' : r.matchers.join(', ') || `route ${r.id}`);
  return routing.timeIntervals.map((t) => ({
    name: t.name,
    activeNow: t.activeNow,
    usedBy: [
      ...routes.filter((r) => r.muteTimeIntervals.includes(t.name)).map((r) => `mute on ${nameOf(r)}`),
      ...routes.filter((r) => r.activeTimeIntervals.includes(t.name)).map((r) => `active on ${nameOf(r)}`),
    ],
  }));
}
