// The options a Vigil panel's options editor knows, read from the panel's own module
// (src/panels/<name>/module.ts): it is bundled with esbuild, its React parts and Grafana's UI/runtime
// packages replaced by inert stubs (they only render), and its `setPanelOptions` supplier is run on
// @grafana/data's real PanelOptionsEditorBuilder — so the list is whatever the builder defines today,
// never a copy kept here. @grafana/data expects a browser, so a jsdom window is installed first; that
// happens in a child process (panelOptionsMain.ts), out of Jest's module registry and global scope.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { dirname, join, resolve } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { ROOT } from './model';

/** What a panel's editor accepts: option paths (`a.b` for nested) and field-config property ids. */
export interface PanelOptionKeys {
  options: string[];
  /** Field config ids of the panel's registry: standard ones (`unit`, `thresholds`…) and `custom.*`. */
  fieldConfig: string[];
}

// A value that is every export of a stubbed module: callable, constructible, any property is itself.
const STUB = `
const target = function () {};
const stub = new Proxy(target, {
  get: (_t, key) => (key === '__esModule' || key === 'then' ? undefined : key === Symbol.toPrimitive ? () => '' : stub),
  apply: () => stub,
  construct: () => stub,
});
module.exports = stub;
`;

function coreFile(spec: string): string {
  const base = join(ROOT, 'core', 'src', spec.slice('@vigil/core'.length));
  const hit = [`${base}.ts`, join(base, 'index.ts')].find(existsSync);
  if (!hit) {
    throw new Error(`cannot resolve ${spec} under core/src`);
  }
  return hit;
}

/** Bundles with the React/Grafana-UI side stubbed: only the option definitions run. */
const stubPlugin: Plugin = {
  name: 'vigil-stub-ui',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      const p = args.path;
      if (args.kind === 'entry-point') {
        return undefined;
      }
      if (p === '@grafana/data' || p.startsWith('@grafana/data/')) {
        return { path: p, external: true };
      }
      if (p === '@vigil/core' || p.startsWith('@vigil/core/')) {
        return { path: coreFile(p) };
      }
      if (!p.startsWith('.') && !p.startsWith('/')) {
        return { path: p, namespace: 'stub' };
      }
      const abs = resolve(args.resolveDir, p);
      // Components (.tsx), styles and images only render; the options live in .ts files.
      if (/\.(tsx|css|svg|png)$/.test(p) || existsSync(`${abs}.tsx`) || existsSync(join(abs, 'index.tsx'))) {
        return { path: abs, namespace: 'stub' };
      }
      return undefined;
    });
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: STUB, loader: 'js' }));
  },
};

let grafanaData: typeof import('@grafana/data') | undefined;

/** @grafana/data, loaded once into a jsdom window (it touches window/document when imported). */
function loadGrafanaData(): typeof import('@grafana/data') {
  if (!grafanaData) {
    const { JSDOM } = require('jsdom') as typeof import('jsdom');
    const dom = new JSDOM('<!doctype html><html><head></head><body></body></html>', { url: 'http://localhost/' });
    const g = globalThis as Record<string, unknown>;
    for (const key of ['window', 'document', 'navigator', 'HTMLElement', 'Element', 'Node', 'getComputedStyle']) {
      if (g[key] === undefined) {
        g[key] = key === 'window' ? dom.window : (dom.window as unknown as Record<string, unknown>)[key];
      }
    }
    g.matchMedia ??= () => ({ matches: false, addListener() {}, removeListener() {} });
    (dom.window as unknown as Record<string, unknown>).matchMedia = g.matchMedia;
    const data = require('@grafana/data') as typeof import('@grafana/data');
    // Grafana core fills both registries at start-up; @grafana/data ships them empty. Editors only
    // render, so any id a builder asks for gets an inert one (no list here to fall behind the builders).
    const editor = (id: string) => ({ id, name: id, description: '', editor: () => null });
    const editors = data.standardEditorsRegistry as unknown as Record<string, unknown>;
    editors.get = editor;
    editors.getIfExists = editor;
    data.standardFieldConfigEditorRegistry.setInit(() =>
      STANDARD_FIELD_CONFIG.map((id) => ({
        ...editor(id),
        path: id,
        override: () => null,
        process: (v: unknown) => v,
        shouldApply: () => true,
      }))
    );
    grafanaData = data;
  }
  return grafanaData;
}

/**
 * Grafana core's standard field options (public/app/core/components/OptionsUI/registry.tsx,
 * getAllStandardFieldConfigs, 12.4): the ids a panel's field config may use besides its own `custom.*`,
 * unless the panel's `useFieldConfig` disables them (the registry built from them applies that).
 */
const STANDARD_FIELD_CONFIG = [
  'unit',
  'fieldMinMax',
  'min',
  'max',
  'decimals',
  'displayName',
  'color',
  'noValue',
  'links',
  'actions',
  'mappings',
  'thresholds',
  'filterable',
];

interface BuilderItem {
  path?: string;
}

/**
 * What each panel's options editor knows (panel folder → keys), read in a child Node process that runs
 * {@link extractPanelOptionKeys} on each folder.
 */
export async function panelOptionKeys(panelDirs: string[]): Promise<Map<string, PanelOptionKeys>> {
  const main = join(__dirname, 'panelOptionsMain.ts');
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', main, ...panelDirs], {
    cwd: ROOT,
    maxBuffer: 4 * 1024 * 1024,
  });
  const keys = JSON.parse(stdout) as Record<string, PanelOptionKeys>;
  return new Map(panelDirs.map((d) => [d, keys[d]]));
}

/** Loads `<panelDir>/module.ts(x)` in this process and returns what its options editor and registry know. */
export async function extractPanelOptionKeys(panelDir: string): Promise<PanelOptionKeys> {
  const entry = ['module.ts', 'module.tsx'].map((f) => join(panelDir, f)).find(existsSync);
  if (!entry) {
    throw new Error(`${panelDir} has no module.ts(x)`);
  }
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'cjs',
    target: 'es2022',
    jsx: 'automatic',
    logLevel: 'silent',
    absWorkingDir: dirname(entry),
    plugins: [stubPlugin],
  });
  const data = loadGrafanaData();
  const mod: { exports: Record<string, unknown> } = { exports: {} };
  const req = (id: string) => {
    if (id === '@grafana/data' || id.startsWith('@grafana/data/')) {
      return data;
    }
    throw new Error(`${entry}: unexpected require("${id}")`);
  };
  new Function('module', 'exports', 'require', out.outputFiles[0].text)(mod, mod.exports, req);
  const plugin = mod.exports.plugin as InstanceType<typeof data.PanelPlugin> | undefined;
  if (!plugin || typeof plugin.getPanelOptionsSupplier !== 'function') {
    throw new Error(`${entry} does not export a PanelPlugin as "plugin"`);
  }
  // Grafana sets the meta (plugin.json) before use; useFieldConfig's registry reads its name.
  const meta = JSON.parse(readFileSync(join(panelDir, 'plugin.json'), 'utf8')) as { id: string; name: string };
  (plugin as unknown as { meta: unknown }).meta = { ...meta, info: {} };
  const builder = new data.PanelOptionsEditorBuilder<Record<string, unknown>>();
  plugin.getPanelOptionsSupplier()(builder as never, { data: [], options: {} } as never);
  const options = (builder.getItems() as BuilderItem[]).map((i) => i.path).filter((p): p is string => !!p);
  const fieldConfig = plugin.fieldConfigRegistry.list().map((i) => i.id);
  return { options, fieldConfig };
}

/**
 * Option paths of `options` (a panel's saved options) that the editor does not define. A saved value may
 * be an object under a known path (e.g. an array, or `legend` when the editor defines `legend`); an
 * object under an unknown key is walked, since the editor may define `a.b` without `a`.
 */
export function unknownOptions(options: Record<string, unknown>, known: string[], prefix = ''): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(options)) {
    const path = prefix + key;
    if (known.includes(path)) {
      continue;
    }
    const nested = known.some((k) => k.startsWith(`${path}.`));
    if (nested && value && typeof value === 'object' && !Array.isArray(value)) {
      out.push(...unknownOptions(value as Record<string, unknown>, known, `${path}.`));
    } else {
      out.push(path);
    }
  }
  return out;
}

/** Field-config ids a panel's saved fieldConfig uses (defaults and overrides) that its registry lacks. */
export function unknownFieldConfig(
  fieldConfig: { defaults?: Record<string, unknown>; overrides?: unknown[] } | undefined,
  known: string[]
): string[] {
  const used: string[] = [];
  for (const [key, value] of Object.entries(fieldConfig?.defaults ?? {})) {
    if (key === 'custom' && value && typeof value === 'object') {
      used.push(...Object.keys(value).map((k) => `custom.${k}`));
    } else {
      used.push(key);
    }
  }
  for (const o of (fieldConfig?.overrides ?? []) as Array<{ properties?: Array<{ id: string }> }>) {
    used.push(...(o.properties ?? []).map((p) => p.id));
  }
  return [...new Set(used)].filter((id) => !known.includes(id));
}
