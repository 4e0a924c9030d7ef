/**
 * Every screenshot the docs show: the three Vigil panels (on the demo's Prometheus, and on its sidecar)
 * and every app page, each with what must be on screen before it is taken (selectors from src/testIds.ts,
 * as the browser test uses them) and what it is for (docs/README.md shows the same words).
 */
import fs from 'node:fs';
import path from 'node:path';

const APP = '/a/vigil-observability-app';
const panelUrl = (panel, fixture, width = 960, height = 440) =>
  `/panel/${panel}?fixture=${fixture}&width=${width}&height=${height}`;
const sel = (id) => `[data-testid="${id}"]`;

/** What a panel must show (`ready`) and must not (`bad`), by panel and, for the SLO panel, by view. */
const PANEL_CHECKS = {
  anomaly: {
    ready: (ids) => [ids.anomalyPanel.container, ids.anomalyPanel.chart],
    bad: (ids) => [ids.anomalyPanel.error, ids.anomalyPanel.empty],
  },
  slo: {
    ready: (ids) => [ids.sloPanel.container, ids.sloPanel.budgetRemaining],
    bad: (ids) => [ids.sloPanel.error, ids.sloPanel.empty],
  },
  'slo-list': {
    ready: (ids) => [ids.sloPanel.list, ids.sloPanel.listRow],
    bad: (ids) => [ids.sloPanel.error, ids.sloPanel.empty],
  },
  alerts: {
    ready: (ids) => [ids.alertsPanel.container, ids.alertsPanel.item],
    bad: (ids) => [ids.alertsPanel.error, ids.alertsPanel.empty],
  },
};

/**
 * The shots, in the order they are taken. `ready(ids)`: selectors that must all be present; `bad(ids)`:
 * selectors of error states that fail the shot; `act`: what a user does first (e.g. run the preview);
 * `ctx.incidentId` is the open incident the detail shot opens.
 */
export function shots() {
  return [
    {
      name: 'panel-anomaly',
      what: 'Anomaly overlay on the api p95 latency: expected band, anomalies marked and listed',
      url: () => panelUrl('anomaly', 'docs-anomaly'),
      ...PANEL_CHECKS.anomaly,
      element: 'panel',
    },
    {
      name: 'panel-anomaly-services',
      what: 'Anomaly overlay on many series: requests per second of each service',
      url: () => panelUrl('anomaly', 'docs-anomaly-services', 960, 520),
      ...PANEL_CHECKS.anomaly,
      element: 'panel',
    },
    {
      name: 'panel-slo-query',
      what: "SLO panel on a query's SLI: budget remaining, SLI against the objective",
      url: () => panelUrl('slo', 'docs-slo-query', 520, 320),
      ...PANEL_CHECKS.slo,
      element: 'panel',
    },
    {
      name: 'panel-slo-sidecar',
      what: 'SLO panel on a sidecar SLO: budget, time to exhaustion, burn-down and burn-rate alerts',
      url: () => panelUrl('slo', 'docs-slo-sidecar', 860, 560),
      ready: (ids) => [ids.sloPanel.container, ids.sloPanel.burnRates],
      bad: (ids) => [ids.sloPanel.error, ids.sloPanel.empty],
      element: 'panel',
    },
    {
      name: 'panel-slo-sidecar-list',
      what: "SLO panel as a list: every SLO's SLI, objective, budget and time to exhaustion",
      url: () => panelUrl('slo', 'docs-slo-sidecar-list', 860, 300),
      ...PANEL_CHECKS['slo-list'],
      element: 'panel',
    },
    {
      name: 'panel-alerts',
      what: "Alert summary on Prometheus' ALERTS, grouped by severity",
      url: () => panelUrl('alerts', 'docs-alerts', 520, 360),
      ...PANEL_CHECKS.alerts,
      element: 'panel',
    },
    {
      name: 'panel-alerts-sidecar',
      what: "Alert summary on the sidecar's alerts, grouped by service",
      url: () => panelUrl('alerts', 'docs-alerts-sidecar', 520, 360),
      ...PANEL_CHECKS.alerts,
      element: 'panel',
    },
    {
      name: 'live',
      what: "The demo's live page: the three panels side by side, refreshed every 15 s",
      url: () => '/live',
      ready: (ids) => [ids.anomalyPanel.chart, ids.sloPanel.container, ids.alertsPanel.container],
      bad: (ids) => [ids.anomalyPanel.error, ids.sloPanel.error, ids.alertsPanel.error],
      element: 'page',
    },
    {
      name: 'page-rules',
      what: 'Alert rules: every rule with its state; a firing rule expanded to its instances',
      url: () => `${APP}/rules`,
      ready: (ids) => [ids.pages.rules, ids.rules.row],
      bad: (ids) => [ids.pages.error],
      element: 'page',
      // Expand the firing rule, so its instances (and their Silence links) show.
      act: async (page, ids) => {
        const row = page.locator(`${sel(ids.rules.row)}[data-state="firing"]`).first();
        await row.locator(sel(ids.rules.expand)).click();
        await page.waitForSelector(sel(ids.rules.instance), { timeout: 10_000 });
      },
    },
    {
      name: 'page-rule-editor',
      what: 'Rule editor (a copy of a file rule) with its backtest: when it would have fired in the last 24 hours',
      url: () => `${APP}/rules/new?from=service_down`,
      ready: (ids) => [ids.ruleEditor.form, ids.preview.container],
      bad: (ids) => [ids.pages.error, ids.preview.error],
      element: 'page',
      act: async (page, ids) => {
        await page.locator(sel(ids.preview.run)).click();
        await page.waitForSelector(sel(ids.preview.summary), { timeout: 20_000 });
      },
    },
    {
      name: 'page-slos',
      what: 'SLOs: each SLO with its SLI, budget, burn rate and time to exhaustion',
      url: () => `${APP}/slos`,
      ready: (ids) => [ids.slos.list, ids.slos.row],
      bad: (ids) => [ids.pages.error],
      element: 'page',
    },
    {
      name: 'page-slo-detail',
      what: 'One SLO: burn-down, multi-window burn-rate alerts, generated Prometheus rules',
      url: () => `${APP}/slos?slo=api_availability`,
      ready: (ids) => [ids.slos.detail, ids.slos.burnRates],
      bad: (ids) => [ids.pages.error, ids.slos.statusError],
      element: 'page',
    },
    {
      name: 'page-slo-editor',
      what: 'SLO editor, with the preview of the unsaved SLO',
      url: () => `${APP}/slos?edit=api_response_time`,
      ready: (ids) => [ids.slos.form],
      bad: (ids) => [ids.pages.error],
      element: 'page',
      act: async (page, ids) => {
        await page.locator(sel(ids.slos.previewButton)).click();
        await page.waitForSelector(sel(ids.slos.preview), { timeout: 20_000 });
      },
    },
    {
      name: 'page-notifications',
      what: 'Notifications: routing tree, channels with their last delivery, silences',
      url: () => `${APP}/notifications`,
      ready: (ids) => [ids.pages.notifications, ids.notify.channels],
      bad: (ids) => [ids.pages.error],
      element: 'page',
    },
    {
      name: 'page-incidents',
      what: 'Incidents: the correlated incident with its root cause, live; anomalies of the last 24 hours',
      url: () => `${APP}/incidents`,
      ready: (ids) => [ids.incidents.incidentList, ids.incidents.incident],
      bad: (ids) => [ids.pages.error],
      element: 'page',
    },
    {
      name: 'page-incident-detail',
      what: 'One incident: root cause and why, member and suppressed alerts, timeline',
      url: (ctx) => `${APP}/incidents?incident=${encodeURIComponent(ctx.incidentId)}`,
      ready: (ids) => [ids.incidents.detail, ids.incidents.timeline],
      bad: (ids) => [ids.pages.error],
      element: 'page',
    },
    {
      name: 'page-settings',
      what: "Settings: the sidecar's health and datasources",
      url: () => `${APP}/settings`,
      ready: (ids) => [ids.pages.settings, ids.settings.healthStatus],
      bad: (ids) => [ids.pages.error],
      element: 'page',
    },
    {
      name: 'page-configuration',
      what: "The app's configuration: sidecar URL and token (stored encrypted by Grafana)",
      url: () => '/plugins/vigil-observability-app',
      ready: (ids) => [ids.appConfig.container],
      bad: () => [],
      element: 'page',
    },
  ];
}

/**
 * One shot per Vigil panel of the dashboards as code (scripts/screenshots/dashboards.mjs), sized as on
 * the dashboard's grid (24 columns of a 1240 px wide dashboard, 30 px rows plus margins).
 */
export function dashboardShots(panels) {
  return panels.map(({ dashboard, panel, kind, title }) => {
    const uid = String(dashboard.uid ?? 'dashboard').replace(/[^\w-]/g, '-');
    const name = `dashboard-${uid}-${panel.id}`;
    const w = panel.gridPos?.w ?? 12;
    const h = panel.gridPos?.h ?? 8;
    const view = kind === 'slo' && panel.options?.sidecarShow === 'list' ? 'slo-list' : kind;
    return {
      name,
      fixture: `docs-${name}`,
      what: `${dashboard.title ?? uid}: ${title ?? kind}`,
      url: () => panelUrl(kind, `docs-${name}`, Math.max(360, Math.round((w / 24) * 1240)), Math.max(240, h * 38)),
      ...PANEL_CHECKS[view],
      element: 'panel',
    };
  });
}

/** docs/screenshots/README.md: each image, what it shows, and how it was made. */
export function writeIndex(out, line, taken, viewport) {
  const rows = taken.map((s) => `| [${s.name}.png](${s.name}.png) | ${s.what} |`);
  const text = [
    `# Screenshots (Grafana ${line} host)`,
    '',
    'Written by `npm run screenshots` (scripts/screenshots.mjs) on the live demo (demo/stack.ts) with the',
    'database down; do not edit by hand. Each image is the built plugin (dist/) in the host page',
    `(host/README.md), ${viewport.width}×${viewport.height} viewport; pages are full-page shots.`,
    '',
    '| image | what it shows |',
    '| --- | --- |',
    ...rows,
    '',
  ].join('\n');
  fs.writeFileSync(path.join(out, 'README.md'), text);
}
