/**
 * Grafana's app plugin proxy route matching (pkg/api/pluginproxy/pluginproxy.go, HandleRequest, and the
 * route tree of pkg/web/tree.go), for the host server and for the plugin's own route tests:
 *
 * - routes are tried in plugin.json order; the first whose `method` (empty or `*`: any) and `path`
 *   match wins, and only that one's `reqRole` is checked (403 "plugin proxy route access denied");
 * - a path matches segment by segment: a static segment exactly, `:name` any one segment, and a final
 *   `*` one or more remaining segments (a route `a/*` does not match `a` itself: list both);
 * - the request goes to the route's `url` (templated with `.JsonData` / `.SecureJsonData`) joined with
 *   what `*` matched — the static part of the route path is NOT appended, so the url carries it;
 * - no match is a 404 "plugin route match not found".
 */

/** Org roles, weakest first: a role includes every role before it (Grafana's `RoleType.Includes`). */
export const ROLES = ['Viewer', 'Editor', 'Admin'];

/** Whether `userRole` may use a route that asks for `reqRole` (no reqRole: any signed-in user). */
export function roleIncludes(userRole, reqRole) {
  if (!reqRole) {
    return true;
  }
  return ROLES.indexOf(userRole) >= ROLES.indexOf(reqRole) && ROLES.indexOf(reqRole) >= 0;
}

const trimSlashes = (s) => s.replace(/^\/+/, '').replace(/\/+$/, '');

/**
 * Matches one route path against a proxy path (the part after `/api/plugin-proxy/<id>/`). Returns
 * `{ rest }` (what `*` matched, '' without `*`) or undefined.
 */
export function matchPath(routePath, proxyPath) {
  const pattern = trimSlashes(routePath).split('/');
  const parts = trimSlashes(proxyPath).split('/');
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i];
    if (p === '*' && i === pattern.length - 1) {
      const rest = parts.slice(i);
      return rest.length > 0 && rest[0] !== '' ? { rest: rest.join('/') } : undefined;
    }
    if (i >= parts.length) {
      return undefined;
    }
    if (p.startsWith(':') ? parts[i] === '' : p !== parts[i]) {
      return undefined;
    }
  }
  return pattern.length === parts.length ? { rest: '' } : undefined;
}

/**
 * The route Grafana would pick for `method` and `proxyPath`, with what `*` matched; undefined when
 * none matches.
 */
export function matchRoute(routes, method, proxyPath) {
  for (const route of routes ?? []) {
    if (route.method && route.method !== '*' && route.method !== method) {
      continue;
    }
    const m = matchPath(route.path, proxyPath);
    if (m) {
      return { route, rest: m.rest };
    }
  }
  return undefined;
}

/**
 * Grafana's decision for one request: `{ status: 404 }` (no route), `{ status: 403 }` (the route asks
 * for a stronger role), or `{ status: 200, route, rest }`.
 */
export function routeDecision(routes, method, proxyPath, userRole) {
  const m = matchRoute(routes, method, proxyPath);
  if (!m) {
    return { status: 404, message: 'plugin route match not found' };
  }
  if (!roleIncludes(userRole, m.route.reqRole)) {
    return { status: 403, message: 'plugin proxy route access denied' };
  }
  return { status: 200, route: m.route, rest: m.rest };
}

/** Fills `{{ .JsonData.x }}` and `{{ .SecureJsonData.x }}` as Grafana's route templates do. */
export function interpolate(template, { jsonData = {}, secureJsonData = {} } = {}) {
  return String(template).replace(/\{\{\s*\.(JsonData|SecureJsonData)\.(\w+)\s*\}\}/g, (_, kind, key) => {
    const value = (kind === 'JsonData' ? jsonData : secureJsonData)[key];
    return value === undefined || value === null ? '' : String(value);
  });
}

/** The upstream URL: the route's url joined with what `*` matched (Grafana's JoinURLFragments). */
export function targetUrl(route, rest, data) {
  const base = interpolate(route.url, data);
  if (!rest) {
    return base;
  }
  return `${base.replace(/\/+$/, '')}/${rest.replace(/^\/+/, '')}`;
}
