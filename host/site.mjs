/**
 * What the host knows about the plugin: its id, the nested panels and app pages the browser test and the
 * index page visit (the contract in prompts/common.md), and the app meta Grafana hands the app.
 */

/** The app plugin's id. */
export const APP_ID = 'vigil-observability-app';

/** Nested panels: dist/panels/<name>/module.js. */
export const PANELS = ['anomaly', 'slo', 'alerts'];

/**
 * What the browser test renders each panel with: host/testdata/<fixture>.json. The anomaly panel twice:
 * with the detector's verdicts in the frames (as the sidecar returns them), and on the bare series (the
 * panel runs the detector itself, as on a plain Prometheus query).
 */
export const PANEL_FIXTURES = [
  { panel: 'anomaly', fixture: 'anomaly' },
  { panel: 'anomaly', fixture: 'anomaly-raw' },
  { panel: 'slo', fixture: 'slo' },
  { panel: 'alerts', fixture: 'alerts' },
  // No frames: the panel reads the browser test's sidecar (its always-firing file rule) through the proxy.
  { panel: 'alerts', fixture: 'alerts-sidecar' },
];

/** App pages under /a/vigil-observability-app/. */
export const PAGES = ['rules', 'notifications', 'slos', 'incidents', 'settings'];

/**
 * The app meta Grafana's `GET /api/plugins/<id>/settings` returns: the built plugin.json plus the
 * stored settings. Secure values never appear, only `secureJsonFields` flags.
 */
export function appMeta(pluginJson, settings) {
  const baseUrl = `public/plugins/${pluginJson.id}`;
  return {
    ...pluginJson,
    enabled: settings.enabled,
    pinned: true,
    autoEnabled: false,
    baseUrl,
    module: `${baseUrl}/module.js`,
    jsonData: settings.jsonData,
    secureJsonFields: settings.secureJsonFields,
    defaultNavUrl: `/a/${pluginJson.id}`,
    hasUpdate: false,
    signature: 'unsigned',
    latestVersion: '',
  };
}
