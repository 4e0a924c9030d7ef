import type { Express } from 'express';

/** One registered route: HTTP method (upper case, `ALL` for `app.all`) and full path template. */
export interface RouteInfo {
  method: string;
  path: string;
}

interface LayerLike {
  route?: { path: unknown; methods: Record<string, boolean> };
  rawPath?: unknown;
  handle?: { stack?: LayerLike[] };
}

const join = (prefix: string, path: string) => (path === '/' ? prefix || '/' : `${prefix}${path}`);

function walk(stack: LayerLike[], prefix: string, out: RouteInfo[]): void {
  for (const layer of stack) {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      for (const p of paths) {
        if (typeof p !== 'string') {
          throw new Error(`route with a non-string path under "${prefix}"`);
        }
        for (const [m, on] of Object.entries(layer.route.methods)) {
          if (on) {
            out.push({ method: m === '_all' ? 'ALL' : m.toUpperCase(), path: join(prefix, p) });
          }
        }
      }
    } else if (layer.handle?.stack) {
      // A mounted Router: its routes are relative to the mount path (router 2.x keeps it as rawPath).
      const mount = typeof layer.rawPath === 'string' ? layer.rawPath : '/';
      walk(layer.handle.stack, mount === '/' ? prefix : `${prefix}${mount}`, out);
    }
  }
}

/**
 * Every route the app registers, read from Express 5's router stack (recursing into mounted
 * routers), so checks such as "every /api route needs a token" cover routes nobody listed by hand.
 */
export function listRoutes(app: Express): RouteInfo[] {
  const out: RouteInfo[] = [];
  walk((app as unknown as { router: { stack: LayerLike[] } }).router.stack, '', out);
  return out;
}
