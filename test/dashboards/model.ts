// The dashboards in dashboards/ as the tests read them: the JSON Grafana provisions, its panels flattened
// out of rows, and the datasources provisioning/datasources gives them.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

/** The repository root. */
export const ROOT = resolve(__dirname, '..', '..');
/** Where the dashboards live (mounted into Grafana by docker-compose, read by provisioning/dashboards). */
export const DASHBOARDS_DIR = join(ROOT, 'dashboards');

/** A datasource reference as dashboards hold it. */
export interface DsRef {
  type?: string;
  uid?: string;
}

/** A query of a panel (Prometheus and InfluxQL fields; Grafana keeps other keys too). */
export interface Target {
  refId: string;
  datasource?: DsRef;
  expr?: string;
  legendFormat?: string;
  instant?: boolean;
  range?: boolean;
  format?: string;
  query?: string;
  rawQuery?: boolean;
  alias?: string;
  [key: string]: unknown;
}

/** A panel of a dashboard (rows included). */
export interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: DsRef | null;
  targets?: Target[];
  options?: Record<string, unknown>;
  fieldConfig?: { defaults?: Record<string, unknown>; overrides?: unknown[] };
  gridPos?: { x: number; y: number; w: number; h: number };
  repeat?: string;
  maxDataPoints?: number;
  interval?: string;
  panels?: Panel[];
  links?: Array<{ url?: string }>;
  [key: string]: unknown;
}

/** A template variable (the kinds these dashboards use). */
export interface Variable {
  name: string;
  type: string;
  datasource?: DsRef;
  query?: string | { query?: string };
  definition?: string;
  multi?: boolean;
  includeAll?: boolean;
  allValue?: string | null;
  current?: { text?: unknown; value?: string | string[] };
  options?: Array<{ value: string }>;
  regex?: string;
}

/** A dashboard as stored. */
export interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  tags?: string[];
  time?: { from: string; to: string };
  templating?: { list: Variable[] };
  annotations?: { list: Array<Record<string, unknown> & { datasource?: DsRef; expr?: string; builtIn?: number }> };
  links?: Array<{ type?: string; url?: string; tags?: string[] }>;
  panels: Panel[];
  [key: string]: unknown;
}

/** One file of dashboards/. */
export interface DashboardFile {
  file: string;
  text: string;
  json: Dashboard;
}

/** Every `*.json` in dashboards/ (parse errors are thrown naming the file). */
export function loadDashboards(dir = DASHBOARDS_DIR): DashboardFile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const text = readFileSync(join(dir, file), 'utf8');
      try {
        return { file, text, json: JSON.parse(text) as Dashboard };
      } catch (err) {
        throw new Error(`dashboards/${file}: not valid JSON: ${(err as Error).message}`);
      }
    });
}

/** Every panel, the ones inside collapsed rows included (Grafana keeps those under `row.panels`). */
export function allPanels(d: Dashboard): Panel[] {
  return (d.panels ?? []).flatMap((p) => [p, ...(p.panels ?? [])]);
}

/** A provisioned datasource (provisioning/datasources/*.yaml). */
export interface ProvisionedDatasource {
  name: string;
  uid: string;
  type: string;
  jsonData?: { timeInterval?: string; dbName?: string; [key: string]: unknown };
}

/** The datasources Grafana is provisioned with, by uid. */
export function provisionedDatasources(root = ROOT): Map<string, ProvisionedDatasource> {
  const dir = join(root, 'provisioning', 'datasources');
  const out = new Map<string, ProvisionedDatasource>();
  for (const f of readdirSync(dir).filter((x) => /\.ya?ml$/.test(x))) {
    const doc = parse(readFileSync(join(dir, f), 'utf8')) as { datasources?: ProvisionedDatasource[] };
    for (const ds of doc.datasources ?? []) {
      out.set(ds.uid, ds);
    }
  }
  return out;
}

/** The datasource a target runs on: its own, else its panel's (Grafana's rule). */
export function targetDatasource(panel: Panel, target: Target): DsRef | undefined {
  return target.datasource ?? panel.datasource ?? undefined;
}
