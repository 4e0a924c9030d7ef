#!/usr/bin/env node
/**
 * Browser test of the built plugin (`npm run test:browser`): for each Grafana line (12.4 + React 18,
 * 13.2 + React 19) it starts the host server on the built dist/, checks its plugin proxy against the
 * real sidecar (the token is added server-side), opens every nested panel (with the
 * fixtures in host/testdata) and every app page (talking to a real sidecar through the host's plugin
 * proxy) in headless Chromium, and checks what a person would see; then walks the rule editor as a user
 * (create a rule on a demo metric in a real Prometheus, see its backtest preview, save, find, edit; a
 * keyboard-only pass), and the Notifications page (routes, channels and a test-send to a loopback webhook
 * sink, a silence created from an alert's "Silence" link and expired), and the Incidents page (a
 * correlated alert storm posted to the sidecar's receiver: listed with its root cause, its detail, a
 * live update through the stream, acknowledged). Any page error, console error,
 * failed request, HTTP status >= 400 or missing element fails that panel/page. Screenshots go to
 * host/screenshots/<line>/<name>.png. The last line printed is "N passed, N failed".
 *
 * Usage: node host/browser-test.mjs [--dist <dir>] [--line 12|13|all] [--case <text>]… [--screenshots <dir>] [--report <file.json>]
 * `--case` (repeatable) runs only the cases whose name or screenshot name contains the text, e.g.
 * `--case notifications`; the plugin proxy check counts as a case named "plugin proxy".
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildHost } from './build.mjs';
import { startHostServer } from './server.mjs';
import { configCase, loadTestIds, pageCases, panelCases, proxyProblems } from './test/cases.mjs';
import { startSidecar, waitForFiring } from './test/sidecar.mjs';
import { startDemoPrometheus } from './test/prometheus.mjs';
import { ALWAYS_FIRING, FILE_RULES, ruleEditorCase } from './test/ruleCases.mjs';
import { keyboardCase } from './test/keyboardCase.mjs';
import { notifyCase } from './test/notifyCases.mjs';
import { notifyConfig, startWebhookSink } from './test/notifySetup.mjs';
import { incidentCase, incidentCorrelationConfig } from './test/incidentCases.mjs';
import { sloCase } from './test/sloCases.mjs';
import { sloPanelCases } from './test/sloPanelCases.mjs';
import { panelEdgeCases } from './test/panelEdgeCases.mjs';
import { launchChromium, watchPage } from './test/chromium.mjs';

const HOST = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HOST, '..');
const REACT_MAJOR = { 12: '18', 13: '19' };

function parseArgs(argv) {
  const opts = {
    dist: path.join(ROOT, 'dist'),
    lines: ['12', '13'],
    screenshots: path.join(HOST, 'screenshots'),
    report: undefined,
    cases: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const value = () => {
      if (i + 1 >= argv.length) {
        throw new Error(`${argv[i]} needs a value`);
      }
      return argv[++i];
    };
    switch (argv[i]) {
      case '--dist':
        opts.dist = path.resolve(value());
        break;
      case '--screenshots':
        opts.screenshots = path.resolve(value());
        break;
      case '--report':
        opts.report = path.resolve(value());
        break;
      case '--case':
        opts.cases.push(value());
        break;
      case '--line': {
        const v = value();
        if (!['12', '13', 'all'].includes(v)) {
          throw new Error(`--line must be 12, 13 or all, got "${v}"`);
        }
        opts.lines = v === 'all' ? ['12', '13'] : [v];
        break;
      }
      default:
        throw new Error(`unknown argument "${argv[i]}"`);
    }
  }
  return opts;
}

/** Opens one panel/page and returns the problems seen (empty: passed). */
async function runCase(context, line, baseUrl, testCase, ids, ctx, shotFile) {
  const page = await context.newPage();
  const problems = [];
  watchPage(page, problems);
  try {
    await page.goto(baseUrl + testCase.url, { waitUntil: 'load', timeout: 30_000 });
    // The shared modules must be the line's own: React 18 for Grafana 12, React 19 for Grafana 13.
    const react = await page.evaluate(() => window.__grafanaExternals?.react?.version);
    if (!react?.startsWith(`${REACT_MAJOR[line]}.`)) {
      problems.push(`shared React is ${react}, expected ${REACT_MAJOR[line]}.x on line ${line}`);
    }
    problems.push(...(await testCase.check(page, ids, ctx)));
    // The sidecar token stays on the server side of the plugin proxy.
    if (ctx.sidecarToken && (await page.content()).includes(ctx.sidecarToken)) {
      problems.push('the sidecar token appears in the page');
    }
    const hostError = page.locator('[data-host-error]');
    if (await hostError.count()) {
      problems.push(`host page: ${(await hostError.first().innerText()).split('\n')[0]}`);
    }
    // Late requests (icons, fonts, lazy chunks) still count.
    await page
      .waitForLoadState('networkidle', { timeout: 10_000 })
      .catch(() => problems.push('network still busy after 10 s'));
  } catch (e) {
    problems.push(`${e.message.split('\n')[0]}`);
  }
  await page.screenshot({ path: shotFile, fullPage: true }).catch((e) => problems.push(`screenshot: ${e.message}`));
  await page.close();
  return problems;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(path.join(opts.dist, 'module.js'))) {
    throw new Error(`${path.join(opts.dist, 'module.js')} not found: run npm run build first`);
  }
  const started = Date.now();
  await buildHost({ lines: opts.lines });
  const ids = await loadTestIds();
  const pluginJson = JSON.parse(fs.readFileSync(path.join(opts.dist, 'plugin.json'), 'utf8'));
  // The Notifications page's only channel is a webhook to this loopback sink.
  const sink = await startWebhookSink();
  const selected = (name, file = '') =>
    opts.cases.length === 0 || opts.cases.some((c) => name.includes(c) || file.includes(c));
  const cases = [
    ...panelCases(),
    ...pageCases(pluginJson),
    configCase(),
    ruleEditorCase(),
    keyboardCase(),
    notifyCase({ sink }),
    incidentCase(),
    sloCase(),
    ...sloPanelCases(),
    ...panelEdgeCases(),
    ...(await import('./test/dashboardCases.mjs')).dashboardCases(),
  ].filter((c) => selected(c.name, c.file));
  if (cases.length === 0 && !selected('plugin proxy')) {
    await sink.stop();
    throw new Error(`--case ${opts.cases.join(', ')}: no case matches`);
  }
  // The rule editor's preview backtests against a real Prometheus holding a demo metric.
  const prometheus = await startDemoPrometheus().catch(async (e) => {
    await sink.stop();
    throw e;
  });
  const sidecar = await startSidecar({
    prometheusUrl: prometheus.url,
    ruleFiles: FILE_RULES,
    notify: notifyConfig(sink),
    correlation: incidentCorrelationConfig(),
  }).catch(async (e) => {
    await prometheus.stop();
    await sink.stop();
    throw e;
  });
  const results = [];
  let browser;
  try {
    // The alert-summary panel's sidecar case needs one firing alert in the sidecar.
    await waitForFiring(sidecar, ALWAYS_FIRING);
    browser = await launchChromium();
    const { context } = browser;
    for (const line of opts.lines) {
      const host = await startHostServer({
        dist: opts.dist,
        line,
        sidecarUrl: sidecar.url,
        sidecarToken: sidecar.token,
      });
      const shots = path.join(opts.screenshots, line);
      fs.mkdirSync(shots, { recursive: true });
      const report = (name, problems, ms) => {
        results.push({ line, name, ok: problems.length === 0, ms, problems });
        console.log(`${problems.length === 0 ? 'ok  ' : 'FAIL'} line ${line} ${name} (${(ms / 1000).toFixed(1)} s)`);
        for (const p of problems) {
          console.log(`       ${p}`);
        }
      };
      try {
        const t0 = Date.now();
        if (selected('plugin proxy')) {
          report('plugin proxy', await proxyProblems(host.url, sidecar.url).catch((e) => [e.message]), Date.now() - t0);
        }
        for (const c of cases) {
          const t0 = Date.now();
          const problems = await runCase(
            context,
            line,
            host.url,
            c,
            ids,
            { sidecarUrl: sidecar.url, sidecarToken: sidecar.token, line, shots },
            path.join(shots, `${c.file}.png`)
          );
          report(c.name, problems, Date.now() - t0);
        }
      } finally {
        await host.close();
      }
    }
  } finally {
    await browser?.close();
    await sidecar.stop();
    await prometheus.stop();
    await sink.stop();
  }
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  if (opts.report) {
    fs.writeFileSync(opts.report, JSON.stringify({ dist: opts.dist, results }, null, 2));
  }
  console.log(
    `\nbrowser test: ${results.length} tests (plugin proxy, panels, pages) on Grafana line(s) ${opts.lines.join(', ')} in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${path.relative(process.cwd(), opts.screenshots) || '.'}`
  );
  for (const r of results.filter((x) => !x.ok)) {
    console.log(`  failed: line ${r.line} ${r.name}: ${r.problems[0]}`);
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`browser test: ${e.message}`);
    // A run that could not start is one failed test, in the report too (scripts/test.sh reads it).
    const i = process.argv.indexOf('--report');
    if (i > 0 && process.argv[i + 1]) {
      const results = [{ line: 'all', name: 'browser test', ok: false, ms: 0, problems: [e.message] }];
      fs.writeFileSync(path.resolve(process.argv[i + 1]), JSON.stringify({ results }, null, 2));
    }
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
);
