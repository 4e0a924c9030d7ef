/**
 * Every provisioned dashboard's Vigil panels, in the built plugin, as Grafana would show them: one case
 * per dashboards/<uid>.json renders each of its Vigil panels (a repeated panel once per value of its
 * variable) with the dashboard's own options, field config and title, on the frames of the dashboard's
 * own queries — expanded as Grafana expands them and run on a real Prometheus and InfluxDB fed by the
 * demo workload (test/dashboards: a week of history, live scrapes, a firing alert). Panels on the
 * "Vigil sidecar" source read the browser test's sidecar through the plugin proxy instead.
 *
 * A panel passes when it shows its normal view, not its error state; on query data it must not be
 * empty either (the queries return data: test/dashboards.test.ts), an anomaly chart must draw its
 * series and an alert summary must count the firing alert. A sidecar panel may be empty (the sidecar
 * may hold no SLO). Screenshots: dashboard-<uid>-<panel id>[-<value>].png.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { require as tsxRequire } from 'tsx/cjs/api';
import { colouredPixels } from './chromium.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const WAIT_MS = 15_000;
/** The dashboards' range in the browser: the last hour, enough points for the detector to be warm. */
const RANGE_MS = 3_600_000;
const sel = (id) => `[data-testid="${id}"]`;

const dash = (file) => tsxRequire(path.join(ROOT, 'test', 'dashboards', file), import.meta.url);

let live;

/**
 * The demo servers, started once for both Grafana lines. Nothing stops them explicitly: the case list
 * has no teardown, and test/harness kills its servers when the browser test's process exits.
 */
function liveData() {
  live ??= (async () => {
    const { startDemoServers } = dash('demoServers.ts');
    const { provisionedDatasources } = dash('model.ts');
    const servers = await startDemoServers();
    return {
      servers,
      ds: {
        provisioned: provisionedDatasources(),
        urls: { 'vigil-prometheus': servers.prometheus.url, 'vigil-influxdb': servers.influx.url },
      },
    };
  })();
  return live;
}

/** The fixture the host page renders: the dashboard panel's options and its queries' frames. */
async function fixtureOf(inst, ds, range) {
  const { prepareQueries } = dash('query.ts');
  const { runQuery } = dash('run.ts');
  const sidecar = inst.panel.options?.source === 'sidecar';
  const frames = [];
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
}

/** Problems of one rendered panel (empty: it shows its normal view with what it should). */
async function panelProblems(page, ids, kind, sidecar) {
  const key = { anomaly: 'anomalyPanel', slo: 'sloPanel', alerts: 'alertsPanel' }[kind];
  const p = ids[key];
  try {
    await page.waitForSelector([p.container, p.error, p.empty].map(sel).concat('[data-host-error]').join(', '), {
      timeout: WAIT_MS,
    });
  } catch {
    return [`nothing rendered within ${WAIT_MS / 1000} s`];
  }
  if (await page.locator('[data-host-error]').count()) {
    return [`host page: ${(await page.locator('[data-host-error]').first().innerText()).split('\n')[0]}`];
  }
  if (await page.locator(sel(p.error)).count()) {
    return [`error state: ${(await page.locator(sel(p.error)).first().innerText()).trim()}`];
  }
  if (await page.locator(sel(p.empty)).count()) {
    return sidecar ? [] : [`empty state on data: ${(await page.locator(sel(p.empty)).first().innerText()).trim()}`];
  }
  // Sidecar panels settle after their request; wait for the loading state to go.
  await page.waitForSelector(sel(p.loading), { state: 'detached', timeout: WAIT_MS }).catch(() => {});
  const problems = [];
  if (kind === 'anomaly') {
    const canvas = `${sel(p.chart)} canvas`;
    const coloured = (await page.locator(canvas).count()) ? await colouredPixels(page, canvas) : 0;
    if (coloured < 200) {
      problems.push(`the chart shows no series (${coloured} coloured pixels)`);
    }
  }
  if (kind === 'alerts' && !sidecar) {
    const count = Number.parseInt(
      (await page
        .locator(sel(p.count))
        .first()
        .innerText()
        .catch(() => '')) || '0',
      10
    );
    if (!(count > 0)) {
      problems.push('the alert summary counts no alert (the demo has a firing one)');
    }
  }
  if (kind === 'slo' && !sidecar && !(await page.locator(sel(p.budgetRemaining)).count())) {
    problems.push('no budget remaining shown');
  }
  return problems;
}

/** One case per dashboard; the case list is read when the browser test starts. */
export function dashboardCases() {
  const { loadDashboards } = dash('model.ts');
  const { vigilPanels } = dash('panelTypes.ts');
  const kinds = new Map([...vigilPanels()].map(([id, dir]) => [id, path.basename(dir)]));
  return loadDashboards().map(({ file, json }) => ({
    name: `dashboard ${json.uid} (Vigil panels)`,
    file: `dashboard-${json.uid}`,
    // A page of the host first (the checks route their own fixtures before each panel's page).
    url: '/panel/anomaly?fixture=anomaly',
    async check(page, ids, ctx) {
      const { ds } = await liveData();
      const { bindVariables, panelInstances } = dash('query.ts');
      const toMs = Date.now();
      const range = { fromMs: toMs - RANGE_MS, toMs };
      const { vars, options } = await bindVariables(json, ds, range);
      const instances = panelInstances(json, vars, options).filter((i) => kinds.has(i.panel.type));
      if (instances.length === 0) {
        return [`${file} has no Vigil panel`];
      }
      const problems = [];
      for (const [n, inst] of instances.entries()) {
        const kind = kinds.get(inst.panel.type);
        const fixture = `dashboard-${json.uid}-${n}`;
        const body = JSON.stringify(await fixtureOf(inst, ds, range));
        await page.route(`**/testdata/${fixture}.json`, (r) =>
          r.fulfill({ status: 200, contentType: 'application/json', body })
        );
        const w = Math.round(((inst.panel.gridPos?.w ?? 12) / 24) * 1600);
        const h = Math.max(240, (inst.panel.gridPos?.h ?? 8) * 38);
        await page.goto(new URL(`/panel/${kind}?fixture=${fixture}&width=${w}&height=${h}`, page.url()).toString(), {
          waitUntil: 'load',
        });
        const sidecar = inst.panel.options?.source === 'sidecar';
        for (const p of await panelProblems(page, ids, kind, sidecar)) {
          problems.push(`panel ${inst.panel.id} "${inst.title}": ${p}`);
        }
        const suffix = inst.title === inst.panel.title ? '' : `-${n}`;
        fs.mkdirSync(ctx.shots, { recursive: true });
        await page.screenshot({ path: path.join(ctx.shots, `dashboard-${json.uid}-${inst.panel.id}${suffix}.png`) });
      }
      return problems;
    },
  }));
}
