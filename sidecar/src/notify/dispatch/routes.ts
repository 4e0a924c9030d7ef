/**
 * The built routing tree as the dispatcher uses it: which routes an alert goes to (the tree, or a
 * rule's `actions`), restricted to configured channels; and, for a stored group, the route it was
 * formed by, found again by id after a restart.
 */
import { actionsOverride, matchRoutes, type Route } from '@vigil/core';

/** Alert fields routing reads. */
export interface RoutableAlert {
  labels: Record<string, string>;
  actions: readonly string[];
}

/** Routing over one built tree and a set of configured channel names. */
export class RouteIndex {
  private readonly byId = new Map<string, Route>();
  private readonly warned = new Set<string>();

  /**
   * @param tree the built routing tree
   * @param channels configured channel names; a route to any other receiver is dropped
   * @param warn called once per unknown receiver (or unknown route id) with a message
   * @param channelTypes type of each configured channel (`pagerduty`, `slack`, …), for actions that
   *   name a type rather than a channel
   */
  constructor(
    readonly tree: Route,
    private readonly channels: ReadonlySet<string>,
    private readonly warn: (msg: string, fields: Record<string, unknown>) => void = () => undefined,
    private readonly channelTypes: ReadonlyMap<string, string> = new Map()
  ) {
    const walk = (r: Route) => {
      this.byId.set(r.id, r);
      r.routes.forEach(walk);
    };
    walk(tree);
  }

  /**
   * The routes of an alert, in Alertmanager's order: the tree's matches, replaced by the rule's
   * `actions` when it has some. Routes without a receiver or to an unconfigured channel are dropped
   * (logged once per receiver), since nothing could deliver their notifications.
   */
  routesFor(alert: RoutableAlert): Route[] {
    const matched = matchRoutes(this.tree, alert.labels);
    const routes = alert.actions.length > 0 ? actionsOverride(this.expandActions(alert.actions))(matched) : matched;
    return routes.filter((r) => {
      if (r.receiver !== null && this.channels.has(r.receiver)) {
        return true;
      }
      this.once(`receiver:${r.receiver}`, 'route to an unknown channel: alerts dropped for it', {
        route: r.id,
        receiver: r.receiver,
      });
      return false;
    });
  }

  /**
   * A rule's actions as channel names: a configured channel's name stands for itself; otherwise a
   * channel type stands for every channel of that type — the guide's rules say `actions: [pagerduty,
   * slack, email]` whatever the channels are called. Anything else is kept (and dropped, logged, later).
   */
  private expandActions(actions: readonly string[]): string[] {
    return actions.flatMap((a) => {
      if (this.channels.has(a)) {
        return [a];
      }
      const ofType = [...this.channelTypes].filter(([, type]) => type === a).map(([name]) => name);
      return ofType.length > 0 ? ofType : [a];
    });
  }

  /**
   * The route a stored group was formed by. Ids of `actions` routes are `<base id>@<receiver>`. A
   * group whose route is gone (the tree changed between runs) keeps its receiver and takes the root's
   * timers, so it still flushes and empties rather than hanging forever.
   */
  routeOf(routeId: string, receiver: string): Route {
    const found = this.byId.get(routeId);
    if (found) {
      return found;
    }
    const at = routeId.lastIndexOf('@');
    const base = at >= 0 ? this.byId.get(routeId.slice(0, at)) : undefined;
    if (base && routeId.slice(at + 1) === receiver) {
      return { ...base, id: routeId, receiver, routes: [] };
    }
    this.once(`route:${routeId}`, 'group of a route no longer configured: using the root route timers', {
      route: routeId,
      receiver,
    });
    return { ...this.tree, id: routeId, receiver, muteTimeIntervals: [], activeTimeIntervals: [], routes: [] };
  }

  private once(key: string, msg: string, fields: Record<string, unknown>): void {
    if (!this.warned.has(key)) {
      this.warned.add(key);
      this.warn(msg, fields);
    }
  }
}
