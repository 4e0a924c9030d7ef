#!/usr/bin/env node
/**
 * `npm run screenshots`: the docs' screenshots, on live demo data. Starts what `npm run demo` starts
 * (demo/stack.ts: the workload with 3 h of history, Prometheus, the loopback PagerDuty/Slack/SMTP
 * receivers, the sidecar with the demo's rules, detectors, correlation and SLOs) on free ports and a
 * temporary data dir, plus an InfluxDB the workload writes to (3 h of history first) for the dashboards'
 * InfluxQL panels; puts the database down through the workload's incident API, waits until the
 * sidecar's service_down rule fires, an incident rooted at the database is open, the SLOs are evaluated
 * and Prometheus' own alert fires, then opens every panel and app page of the built plugin (dist/) and
 * every Vigil panel of dashboards/*.json in the host page (host/server.mjs) in headless Chromium at a
 * fixed viewport and writes docs/screenshots/<name>.png and docs/screenshots/README.md (Grafana 13; with
 * --line all, Grafana 12 too, under grafana12/).
 *
 * Not part of `npm test`: the browser test (host/browser-test.mjs) checks the same panels and pages on
 * fixtures and keeps its own screenshots in host/screenshots/; this script shows them on the demo.
 *
 * Usage: node --import tsx scripts/screenshots.mjs [--line 13|12|all] [--out <dir>] [--dist <dir>]
 *                                                 [--wait <seconds>] [--only <text>]…
 * (`--only`: just the shots whose name contains the text, e.g. `--only page-slo`)
 * Exits 0 when every shot rendered without an error state, page error or failed request.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { require as tsxRequire } from 'tsx/cjs/api';
import { buildHost } from '../host/build.mjs';
import { startHostServer } from '../host/server.mjs';
import { loadTestIds } from '../host/test/cases.mjs';
import { launchChromium, watchPage } from '../host/test/chromium.mjs';
import { startDemoServers } from '../demo/stack.ts';
import { freePort, startInflux } from '../test/harness/index.ts';
import { DEMO_PAST_INCIDENTS } from '../demo/workload/history.ts';
import { dashboardPanels } from './screenshots/dashboards.mjs';
import { missingLiveState, openIncidentId, panelFixtures } from './screenshots/data.mjs';
import { dashboardShots, shots, writeIndex } from './screenshots/shots.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** One fixed viewport, so the images keep their size from run to run. */
const VIEWPORT = { width: 1280, height: 800 };
/** The incident: the database down for longer than the run, so the alert still fires at the last shot. */
const INCIDENT = { type: 'service_down', service: 'database', durationSeconds: 900 };
const READY_MS = 20_000;

const log = (msg) => console.log(`[screenshots] ${msg}`);
const sel = (id) => `[data-testid="${id}"]`;

function options() {
  const { values } = parseArgs({
    options: {
      line: { type: 'string', default: '13' },
      out: { type: 'string', default: path.join(ROOT, 'docs', 'screenshots') },
      dist: { type: 'string', default: path.join(ROOT, 'dist') },
      wait: { type: 'string', default: '240' },
      only: { type: 'string', multiple: true, default: [] },
    },
  });
  const lines = values.line === 'all' ? ['13', '12'] : [values.line];
  if (!lines.every((l) => l === '12' || l === '13')) {
    throw new Error(`--line must be 12, 13 or all; got "${values.line}"`);
  }
  return {
    lines,
    out: path.resolve(values.out),
    dist: path.resolve(values.dist),
    waitMs: Number(values.wait) * 1000,
    only: values.only,
  };
}

/** Polls the demo until it shows what the shots need; returns what is still missing at the deadline. */
async function waitForLiveState(servers, waitMs) {
  const deadline = Date.now() + waitMs;
  let missing = [];
  let said = '';
  while (Date.now() < deadline) {
    missing = await missingLiveState(servers.sidecar, servers.prometheus.url, INCIDENT.service).catch((e) => [
      e.message,
    ]);
    if (missing.length === 0) {
      return [];
    }
    if (missing.join('; ') !== said) {
      said = missing.join('; ');
      log(`waiting: ${said}`);
    }
    await new Promise((r) => setTimeout(r, 5000));
  }
  return missing;
}

/** Opens one shot's page, waits until it is ready, acts, and writes the PNG; returns the problems seen. */
async function takeShot(context, baseUrl, shot, ids, ctx, file) {
  const page = await context.newPage();
  const problems = [];
  watchPage(page, problems);
  try {
    await page.goto(baseUrl + shot.url(ctx), { waitUntil: 'load', timeout: 30_000 });
    // Whichever comes first: the view, an error or empty state (reported below), or the host's error.
    const [first, ...rest] = shot.ready(ids);
    const settled = [first, ...shot.bad(ids)].map(sel).concat('[data-host-error]').join(', ');
    await page.waitForSelector(settled, { timeout: READY_MS });
    for (const id of shot.bad(ids)) {
      if (await page.locator(sel(id)).count()) {
        problems.push(`shows ${id}: ${(await page.locator(sel(id)).first().innerText()).slice(0, 200)}`);
      }
    }
    if (await page.locator('[data-host-error]').count()) {
      problems.push(`host page: ${(await page.locator('[data-host-error]').first().innerText()).split('\n')[0]}`);
    }
    if (problems.length === 0) {
      for (const id of rest) {
        await page.waitForSelector(sel(id), { timeout: READY_MS });
      }
      await shot.act?.(page, ids);
    }
    // Icons and fonts still loading; the incidents page's event stream never idles, hence the short cap.
    await page.waitForLoadState('networkidle', { timeout: 3000 }).catch(() => undefined);
    await page.waitForTimeout(500);
    if (shot.element === 'panel') {
      await page.locator('[data-host-panel]').first().screenshot({ path: file });
    } else {
      // The whole page down to the end of its content: no empty viewport below a short page.
      const height = await page.evaluate(() =>
        Math.ceil(document.getElementById('reactRoot').getBoundingClientRect().bottom + window.scrollY)
      );
      await page.screenshot({
        path: file,
        fullPage: true,
        clip: { x: 0, y: 0, width: VIEWPORT.width, height: Math.max(240, height + 16) },
      });
    }
  } catch (e) {
    problems.push(e.message.split('\n')[0]);
  } finally {
    await page.close();
  }
  return problems;
}

async function main() {
  const opts = options();
  const started = Date.now();
  for (const f of [path.join(opts.dist, 'module.js'), path.join(ROOT, 'sidecar', 'dist', 'main.js')]) {
    if (!fs.existsSync(f)) {
      throw new Error(`${f} not found: run npm run build first`);
    }
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-screenshots-'));
  const stops = [];
  const stopAll = async () => {
    for (const [name, stop] of stops.splice(0).reverse()) {
      await stop().catch((e) => log(`stopping ${name}: ${e.message}`));
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));
  process.once('SIGTERM', () => void stopAll().then(() => process.exit(143)));
  let failed = 0;
  try {
    const hostBuild = buildHost({ lines: opts.lines });
    // InfluxDB for the dashboards' InfluxQL panels: the workload writes to it, with 3 h of history first.
    const influx = await startInflux({ databases: ['vigil'] });
    stops.push(['influxdb', () => influx.stop()]);
    const { writeInfluxHistory } = tsxRequire('../test/dashboards/influxHistory.ts', import.meta.url);
    await writeInfluxHistory({
      url: influx.url,
      db: 'vigil',
      endMs: Date.now(),
      hours: 3,
      incidents: DEMO_PAST_INCIDENTS,
    });
    // Free ports only: a demo on its usual ports (9464, 9090, 8787, 3000) may be running beside this.
    const servers = await startDemoServers(
      {
        root: ROOT,
        dir,
        workloadPort: await freePort(),
        prometheusPort: await freePort(),
        sidecarPort: await freePort(),
        seed: 1,
        speed: 1,
        schedule: 0,
        historyHours: 3,
        influx: { url: influx.url, database: 'vigil', intervalSeconds: 10 },
        log,
      },
      stops
    );
    const incident = servers.workload.inject(INCIDENT);
    log(`incident ${incident.id}: ${INCIDENT.service} down for ${INCIDENT.durationSeconds} s`);
    await hostBuild;
    const missing = await waitForLiveState(servers, opts.waitMs);
    if (missing.length) {
      failed++;
      log(`FAIL the demo did not reach its live state in ${opts.waitMs / 1000} s: ${missing.join('; ')}`);
    }
    const ctx = { incidentId: await openIncidentId(servers.sidecar, INCIDENT.service).catch(() => 'none') };
    const ids = await loadTestIds();
    const browser = await launchChromium({ viewport: VIEWPORT });
    stops.push(['chromium', () => browser.close()]);
    for (const line of opts.lines) {
      const out = line === '13' ? opts.out : path.join(opts.out, `grafana${line}`);
      fs.mkdirSync(out, { recursive: true });
      const host = await startHostServer({
        dist: opts.dist,
        line,
        prometheusUrl: servers.prometheus.url,
        sidecarUrl: servers.sidecar.url,
        sidecarToken: servers.sidecar.token,
      });
      stops.push([`host ${line}`, () => host.close()]);
      // The panel shots' data, queried now; the host page fetches it as /testdata/<fixture>.json.
      const fixtures = await panelFixtures(servers.prometheus.url);
      let boardShots = [];
      try {
        const dashboards = await dashboardPanels({
          'vigil-prometheus': servers.prometheus.url,
          'vigil-influxdb': influx.url,
        });
        boardShots = dashboardShots(dashboards);
        for (const [i, shot] of boardShots.entries()) {
          fixtures[shot.fixture] = await dashboards[i].fixture();
        }
      } catch (e) {
        failed++;
        boardShots = [];
        log(`FAIL the dashboards' Vigil panels: ${e.message.split('\n')[0]}`);
      }
      await browser.context.route(/\/testdata\/docs-[\w-]+\.json$/, (route) => {
        const name = path.basename(new URL(route.request().url()).pathname, '.json');
        return fixtures[name]
          ? route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(fixtures[name]) })
          : route.fulfill({ status: 404, body: `no fixture ${name}` });
      });
      const taken = [];
      const wanted = (s) => opts.only.length === 0 || opts.only.some((o) => s.name.includes(o));
      for (const shot of [...shots(), ...boardShots].filter(wanted)) {
        const t0 = Date.now();
        const problems = await takeShot(browser.context, host.url, shot, ids, ctx, path.join(out, `${shot.name}.png`));
        const kb = fs.existsSync(path.join(out, `${shot.name}.png`))
          ? Math.round(fs.statSync(path.join(out, `${shot.name}.png`)).size / 1024)
          : 0;
        log(
          `${problems.length ? 'FAIL' : 'ok  '} line ${line} ${shot.name} (${kb} KB, ${((Date.now() - t0) / 1000).toFixed(1)} s)`
        );
        problems.forEach((p) => log(`       ${p}`));
        failed += problems.length ? 1 : 0;
        taken.push(shot);
      }
      // Images of shots that no longer exist (a dashboard panel removed or renumbered) would go stale;
      // after a failure or with --only, keep them (a shot not taken is not one that no longer exists).
      const complete = !failed && opts.only.length === 0;
      if (complete) {
        writeIndex(out, line, taken, VIEWPORT);
      }
      const names = new Set(taken.map((s) => `${s.name}.png`));
      for (const f of fs.readdirSync(out).filter((f) => complete && f.endsWith('.png') && !names.has(f))) {
        fs.rmSync(path.join(out, f));
        log(`removed ${f} (no such shot any more)`);
      }
      await browser.context.unrouteAll();
    }
  } finally {
    await stopAll();
  }
  log(
    `done in ${((Date.now() - started) / 1000).toFixed(0)} s; ${failed} failed; images in ${path.relative(ROOT, opts.out)}`
  );
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`[screenshots] ${e.stack ?? e.message}`);
    process.exit(1);
  }
);
