/**
 * Loads a built plugin module the way Grafana does: a `<script>` whose webpack `amd` library calls
 * `define([...deps], factory)`; each dependency name is resolved against the shared modules, and
 * `module` gets `{ uri }` so the plugin's public path (and so its lazy chunks) follow the module's URL.
 */
import { ext } from './externals';

type Factory = (...args: unknown[]) => unknown;
interface Pending {
  resolve: (m: any) => void;
  reject: (e: Error) => void;
}

const pending = new Map<string, Pending>();

function define(...args: unknown[]): void {
  // define(deps, factory) is what webpack emits; accept the other AMD forms as well.
  const factory = args[args.length - 1] as Factory;
  const deps = (Array.isArray(args[args.length - 2]) ? args[args.length - 2] : []) as string[];
  const script = document.currentScript as HTMLScriptElement | null;
  const url = script?.src ?? '';
  const waiter = pending.get(url);
  if (!waiter) {
    throw new Error(`AMD define() from an unexpected script: ${url || '(inline)'}`);
  }
  pending.delete(url);
  try {
    const shared = ext as unknown as Record<string, unknown>;
    const values = deps.map((d) => {
      if (d === 'module') {
        return { uri: url, id: url };
      }
      if (!(d in shared)) {
        throw new Error(`plugin module ${url} needs "${d}", which Grafana does not share with plugins`);
      }
      return shared[d];
    });
    waiter.resolve(factory(...values));
  } catch (e) {
    waiter.reject(e instanceof Error ? e : new Error(String(e)));
  }
}
(define as unknown as { amd: object }).amd = {};
(window as unknown as { define: typeof define }).define = define;

/** Loads `url` (a plugin's module.js) and resolves with its exports, e.g. `{ plugin }`. */
export function loadPluginModule(url: string): Promise<any> {
  const abs = new URL(url, location.href).href;
  return new Promise((resolve, reject) => {
    pending.set(abs, { resolve, reject });
    const s = document.createElement('script');
    s.src = abs;
    s.onerror = () => {
      pending.delete(abs);
      reject(new Error(`failed to load plugin module ${url}`));
    };
    s.onload = () => {
      // A script that ran without calling define() (or threw before it) leaves its waiter behind.
      if (pending.delete(abs)) {
        reject(new Error(`plugin module ${url} did not call define()`));
      }
    };
    document.head.appendChild(s);
  });
}
