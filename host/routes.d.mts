/** Types of host/routes.mjs (Grafana's app plugin proxy route matching), for the plugin's route tests. */
export interface PluginRoute {
  path: string;
  method?: string;
  url: string;
  reqRole?: 'Viewer' | 'Editor' | 'Admin';
  headers?: Array<{ name: string; content: string }>;
}
export declare const ROLES: readonly string[];
export declare function roleIncludes(userRole: string, reqRole?: string): boolean;
export declare function matchPath(routePath: string, proxyPath: string): { rest: string } | undefined;
export declare function matchRoute(
  routes: readonly PluginRoute[],
  method: string,
  proxyPath: string
): { route: PluginRoute; rest: string } | undefined;
export declare function routeDecision(
  routes: readonly PluginRoute[],
  method: string,
  proxyPath: string,
  userRole: string
): { status: 404 | 403; message: string } | { status: 200; route: PluginRoute; rest: string };
export declare function interpolate(
  template: string,
  data?: { jsonData?: Record<string, unknown>; secureJsonData?: Record<string, unknown> }
): string;
export declare function targetUrl(
  route: PluginRoute,
  rest: string,
  data?: { jsonData?: Record<string, unknown>; secureJsonData?: Record<string, unknown> }
): string;
