/**
 * The routing tree, as Alertmanager documents it (https://prometheus.io/docs/alerting/latest/configuration/#route)
 * and implements it (dispatch/route.go): children inherit receiver, group_by and the three timers from
 * their parent when unset; mute and active time intervals belong to the route that names them (not
 * inherited). Matching is depth-first, left to right: the first matching child stops the search unless
 * it has `continue`, and a node none of whose children match is itself the match.
 */
import { formatMatchers, Matcher, matches } from './matchers';

/** Alertmanager's defaults for the root route. */
export const ROUTE_DEFAULTS = {
  groupWaitMs: 30_000,
  groupIntervalMs: 5 * 60_000,
  repeatIntervalMs: 4 * 3_600_000,
} as const;

/** One node of a routing tree as configured (camelCase of Alertmanager's `route`). */
export interface RouteConfig {
  /** Channel (receiver) name; inherited when unset. */
  receiver?: string;
  matchers?: Matcher[];
  /** Keep matching the following siblings after this one matched. */
  continue?: boolean;
  /** Label names to group by, or `['...']` for all labels; inherited when unset. */
  groupBy?: string[];
  groupWaitMs?: number;
  groupIntervalMs?: number;
  repeatIntervalMs?: number;
  /** Names of time intervals during which this route sends nothing. */
  muteTimeIntervals?: string[];
  /** Names of time intervals outside which this route sends nothing. */
  activeTimeIntervals?: string[];
  routes?: RouteConfig[];
}

/** A built route: every setting resolved. */
export interface Route {
  /** Unique id: the parent's id, `/`, this node's matchers and `/`position (Alertmanager's Route.ID). */
  id: string;
  /** Receiver, or null when neither this node nor an ancestor names one. */
  receiver: string | null;
  matchers: Matcher[];
  continue: boolean;
  groupBy: string[];
  /** True for `group_by: ['...']`. */
  groupByAll: boolean;
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
  muteTimeIntervals: string[];
  activeTimeIntervals: string[];
  routes: Route[];
}

function sortedMatchers(ms: Matcher[]): Matcher[] {
  // Alertmanager sorts a route's matchers (name, then value, then operator) before using them in keys.
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...ms].sort((a, b) => cmp(a.name, b.name) || cmp(a.value, b.value) || cmp(a.op, b.op));
}

function build(cfg: RouteConfig, parent: Route | null, key: string, position: number | null): Route {
  const matchers = sortedMatchers(cfg.matchers ?? []);
  const ownKey = parent ? `${key}/${formatMatchers(matchers)}` : formatMatchers(matchers);
  let groupBy = parent ? parent.groupBy : [];
  let groupByAll = parent ? parent.groupByAll : false;
  if (cfg.groupBy) {
    groupByAll = cfg.groupBy.length === 1 && cfg.groupBy[0] === '...';
    if (!groupByAll && cfg.groupBy.includes('...')) {
      throw new Error(`route ${ownKey}: group_by '...' must be the only label name`);
    }
    groupBy = groupByAll ? [] : [...new Set(cfg.groupBy)].sort();
  }
  const route: Route = {
    id: position === null ? ownKey : `${ownKey}/${position}`,
    receiver: cfg.receiver || (parent ? parent.receiver : null),
    matchers,
    continue: cfg.continue ?? false,
    groupBy,
    groupByAll,
    groupWaitMs: cfg.groupWaitMs ?? parent?.groupWaitMs ?? ROUTE_DEFAULTS.groupWaitMs,
    groupIntervalMs: cfg.groupIntervalMs ?? parent?.groupIntervalMs ?? ROUTE_DEFAULTS.groupIntervalMs,
    repeatIntervalMs: cfg.repeatIntervalMs ?? parent?.repeatIntervalMs ?? ROUTE_DEFAULTS.repeatIntervalMs,
    muteTimeIntervals: cfg.muteTimeIntervals ?? [],
    activeTimeIntervals: cfg.activeTimeIntervals ?? [],
    routes: [],
  };
  route.routes = (cfg.routes ?? []).map((c, i) => build(c, route, ownKey, i));
  return route;
}

/** Builds a routing tree; children inherit unset settings. Throws on a bad `group_by`. */
export function buildRouteTree(cfg: RouteConfig): Route {
  return build(cfg, null, '', null);
}

/** The routes an alert with these labels goes to, in Alertmanager's order (see the file comment). */
export function matchRoutes(tree: Route, labels: Record<string, string>): Route[] {
  if (!matches(tree.matchers, labels)) {
    return [];
  }
  const all: Route[] = [];
  for (const child of tree.routes) {
    const found = matchRoutes(child, labels);
    all.push(...found);
    if (found.length > 0 && !child.continue) {
      break;
    }
  }
  return all.length > 0 ? all : [tree];
}

/** The labels an alert is grouped on for this route (group_by names it carries; all for `...`). */
export function groupLabels(route: Route, labels: Record<string, string>): Record<string, string> {
  if (route.groupByAll) {
    return { ...labels };
  }
  const out: Record<string, string> = {};
  for (const name of route.groupBy) {
    if (Object.prototype.hasOwnProperty.call(labels, name)) {
      out[name] = labels[name];
    }
  }
  return out;
}

/**
 * Stable aggregation-group key: `<route id>:{a="1",b="2"}` over the group labels sorted by name.
 * Alertmanager keys groups by Route.Key(), which two siblings with equal matchers share; the id
 * (which adds the position) keeps them apart.
 */
export function groupKey(route: Route, labels: Record<string, string>): string {
  const g = groupLabels(route, labels);
  const parts = Object.keys(g)
    .sort()
    .map((k) => `${k}=${JSON.stringify(g[k])}`);
  return `${route.id}:{${parts.join(',')}}`;
}

/** Channel names for the default tree; any may be missing. */
export interface DefaultChannels {
  pagerduty?: string;
  slack?: string;
  email?: string;
}

/**
 * The guide's escalation ("Alert Severity Levels") as a tree on the `severity` label: critical →
 * PagerDuty + Slack + email at once, error → PagerDuty + Slack, warning → Slack + email, info → email.
 * Missing channels are left out; an alert without a known severity goes to the root receiver
 * (email, else Slack, else PagerDuty). Grouped by alertname, Alertmanager's default timers.
 */
export function defaultRouteTree(channels: DefaultChannels): RouteConfig {
  const { pagerduty, slack, email } = channels;
  const fanOut = (severity: string, receivers: Array<string | undefined>): RouteConfig => {
    const present = receivers.filter((r): r is string => !!r);
    return {
      matchers: [{ name: 'severity', op: '=', value: severity }],
      // Every receiver but the last continues, so all of them match.
      routes: present.map((receiver, i) => ({ receiver, continue: i < present.length - 1 })),
    };
  };
  return {
    receiver: email ?? slack ?? pagerduty,
    groupBy: ['alertname'],
    routes: [
      fanOut('critical', [pagerduty, slack, email]),
      fanOut('error', [pagerduty, slack]),
      fanOut('warning', [slack, email]),
      fanOut('info', [email]),
    ],
  };
}

/** Rewrites matched routes; see {@link actionsOverride}. */
export type RouteOverride = (matched: Route[]) => Route[];

/**
 * A rule's `actions` (channel names) replace the receivers the tree chose for its alerts: the result
 * has one route per action, with the settings (timers, grouping, time intervals) of the first matched
 * route. Empty `actions` leave the tree's choice as it is.
 */
export function actionsOverride(actions: string[]): RouteOverride {
  const names = [...new Set(actions.filter((a) => a !== ''))];
  return (matched) => {
    if (names.length === 0 || matched.length === 0) {
      return matched;
    }
    const base = matched[0];
    // Distinct ids so that each action keeps its own aggregation groups.
    return names.map((receiver) => ({ ...base, id: `${base.id}@${receiver}`, receiver, routes: [] }));
  };
}
