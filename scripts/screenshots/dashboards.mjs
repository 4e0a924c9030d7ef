/**
 * The Vigil panels of the dashboards as code (dashboards/*.json), as shots: each panel with the
 * dashboard's own options and field config, its queries run on the demo's Prometheus and InfluxDB over
 * the last hour. The queries are prepared and run by the dashboard test's code (test/dashboards/:
 * template variables bound from the datasource, repeated panels expanded, Grafana's built-ins
 * interpolated, results as Grafana's datasources return them), the same the browser test's dashboard
 * cases use; a repeated panel is shot once, for its first value.
 */
import { require as tsxRequire } from 'tsx/cjs/api';

// Loaded as CommonJS (their `__dirname` finds the repository), as host/test/dashboardCases.mjs does.
const dash = (file) => tsxRequire(`../../test/dashboards/${file}`, import.meta.url);
const { loadDashboards, provisionedDatasources } = dash('model.ts');
const { vigilPanels } = dash('panelTypes.ts');
const { bindVariables, panelInstances, prepareQueries } = dash('query.ts');
const { runQuery } = dash('run.ts');

const RANGE_MS = 3_600_000;

/**
 * One entry per Vigil panel of every dashboard: `{ dashboard, panel, kind, title, fixture() }`, where
 * `fixture()` queries the panel's data now. `urls` maps the provisioned datasource uids to the demo's
 * servers (`vigil-prometheus`, `vigil-influxdb`).
 */
export async function dashboardPanels(urls) {
  const kinds = new Map([...vigilPanels()].map(([id, dir]) => [id, dir.split(/[\\/]/).pop()]));
  const ds = { provisioned: provisionedDatasources(), urls };
  const toMs = Date.now();
  const range = { fromMs: toMs - RANGE_MS, toMs };
  const out = [];
  for (const { json: dashboard } of loadDashboards()) {
    const { vars, options } = await bindVariables(dashboard, ds, range);
    const seen = new Set();
    for (const inst of panelInstances(dashboard, vars, options)) {
      const kind = kinds.get(inst.panel.type);
      if (!kind || seen.has(inst.panel.id)) {
        continue;
      }
      seen.add(inst.panel.id);
      out.push({
        dashboard,
        panel: inst.panel,
        kind,
        title: inst.title,
        fixture: async () => {
          const frames = [];
          const sidecar = inst.panel.options?.source === 'sidecar';
          for (const q of sidecar ? [] : prepareQueries(inst, ds, range)) {
            frames.push(...(await runQuery(q, ds, range)));
          }
          return {
            title: inst.title,
            options: inst.panel.options ?? {},
            fieldConfig: inst.panel.fieldConfig,
            frames,
            timeRange: { from: range.fromMs, to: range.toMs },
          };
        },
      });
    }
  }
  return out;
}
