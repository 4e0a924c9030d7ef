// Which panel types a dashboard may use: Grafana's core panels that exist in both Grafana lines Vigil
// supports, and the panels of this plugin.
//
// Where the core list comes from: @grafana/schema, the package Grafana generates from each core panel's
// `panelcfg.cue`, ships one folder per core plugin with a schema under `raw/composable/<plugin>/`;
// panels have a `panelcfg/` folder there (datasources a `dataquery/` one). The installed 12.4.10
// (root node_modules) and 13.2.3 (host/grafana13, the browser test's Grafana 13 line) are read, and a
// type must be in both. Folder names drop the hyphen of the plugin id (`statetimeline` is
// `state-timeline`), so ids are compared without hyphens and case. The dashboard JSON's schemaVersion is
// read from the same package (`defaultDashboard` in raw/dashboard).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './model';

/** The @grafana/schema installs of the two Grafana lines. */
export const SCHEMA_PACKAGES: Record<'12' | '13', string> = {
  '12': join(ROOT, 'node_modules', '@grafana', 'schema'),
  '13': join(ROOT, 'host', 'grafana13', 'node_modules', '@grafana', 'schema'),
};

const norm = (id: string) => id.toLowerCase().replace(/-/g, '');

function schemaVersionOf(pkg: string): string {
  return (JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Core panel folders (normalised ids) of one @grafana/schema install. */
export function corePanelFolders(pkg: string): Set<string> {
  const dir = join(pkg, 'dist', 'esm', 'raw', 'composable');
  if (!existsSync(dir)) {
    throw new Error(
      `${dir} is missing: install @grafana/schema (root) or host/grafana13 (npm ci --prefix host/grafana13)`
    );
  }
  return new Set(
    readdirSync(dir)
      .filter((d) => existsSync(join(dir, d, 'panelcfg')))
      .map(norm)
  );
}

/** What both lines know: a check `isCorePanel(type)` and the versions read. */
export interface CorePanels {
  isCorePanel(type: string): boolean;
  versions: string[];
}

/** Core panels present in every given @grafana/schema install. */
export function corePanels(packages: string[] = Object.values(SCHEMA_PACKAGES)): CorePanels {
  const sets = packages.map(corePanelFolders);
  return {
    isCorePanel: (type) => sets.every((s) => s.has(norm(type))),
    versions: packages.map(schemaVersionOf),
  };
}

/** The dashboard schemaVersion Grafana writes, from @grafana/schema's defaultDashboard. */
export function dashboardSchemaVersion(pkg: string): number {
  const file = join(pkg, 'dist', 'esm', 'raw', 'dashboard', 'x', 'types.gen.mjs');
  const m = /schemaVersion:\s*(\d+)/.exec(readFileSync(file, 'utf8'));
  if (!m) {
    throw new Error(`${file}: no schemaVersion in defaultDashboard`);
  }
  return Number(m[1]);
}

/** This plugin's nested panels: id → folder under src/panels. */
export function vigilPanels(): Map<string, string> {
  const dir = join(ROOT, 'src', 'panels');
  const out = new Map<string, string>();
  for (const d of readdirSync(dir)) {
    const file = join(dir, d, 'plugin.json');
    if (existsSync(file)) {
      out.set((JSON.parse(readFileSync(file, 'utf8')) as { id: string }).id, join(dir, d));
    }
  }
  return out;
}
