#!/usr/bin/env node
/**
 * Checks the demo's live page: starts the host server on a Prometheus (as `npm run demo` does), opens
 * /live in headless Chromium and waits until the three panels show Prometheus data — the anomaly chart
 * (with a painted canvas), the SLO budget, and the alert summary (a list, or "No active alerts") —
 * with no page error, console error or failed request. Writes host/screenshots/live-<line>.png.
 *
 * Usage: node host/live-check.mjs --prometheus <url> [--line 12|13] [--dist <dir>] [--timeout <seconds>]
 * Exits 0 when the page renders; prints what is missing otherwise.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildHost } from './build.mjs';
import { startHostServer } from './server.mjs';
import { loadTestIds } from './test/cases.mjs';
import { colouredPixels, launchChromium, watchPage } from './test/chromium.mjs';

const HOST = path.dirname(fileURLToPath(import.meta.url));
// A chart with its series drawn has hundreds of coloured pixels; axes and grid alone have none.
const MIN_COLOURED_PIXELS = 200;

/** What is still missing on the live page; empty when all three panels show data. */
async function missing(page, ids) {
  const out = [];
  const has = async (id) => (await page.locator(`[data-testid="${id}"]`).count()) > 0;
  for (const [name, p] of [
    ['anomaly', ids.anomalyPanel],
    ['slo', ids.sloPanel],
    ['alerts', ids.alertsPanel],
  ]) {
    if (await has(p.error)) {
      out.push(`${name} panel error: ${await page.locator(`[data-testid="${p.error}"]`).first().innerText()}`);
    } else if (!(await has(p.container)) && !(name === 'alerts' && (await has(p.empty)))) {
      out.push(`${name} panel has no data yet`);
    }
  }
  if (
    out.length === 0 &&
    (await colouredPixels(page, `[data-testid="${ids.anomalyPanel.chart}"] canvas`)) < MIN_COLOURED_PIXELS
  ) {
    out.push('anomaly chart shows no series yet');
  }
  return out;
}

/**
 * Renders /live against `prometheusUrl` and resolves with `{ ok, problems, screenshot }`.
 * @param {{ prometheusUrl: string, dist?: string, line?: '12'|'13', timeoutMs?: number, sidecarUrl?: string, sidecarToken?: string }} opts
 */
export async function checkLive({
  prometheusUrl,
  dist = path.join(HOST, '..', 'dist'),
  line = '12',
  timeoutMs = 90_000,
  sidecarUrl,
  sidecarToken,
}) {
  await buildHost({ lines: [line] });
  const ids = await loadTestIds();
  const host = await startHostServer({ dist, line, prometheusUrl, sidecarUrl, sidecarToken });
  const browser = await launchChromium({ viewport: { width: 1800, height: 620 } });
  const problems = [];
  const screenshot = path.join(HOST, 'screenshots', `live-${line}.png`);
  try {
    const page = await browser.context.newPage();
    watchPage(page, problems);
    await page.goto(`${host.url}/live`, { waitUntil: 'load' });
    const deadline = Date.now() + timeoutMs;
    let left = await missing(page, ids);
    // The page refreshes every 15 s; a fresh Prometheus needs a minute or two of scrapes.
    while (left.length > 0 && Date.now() < deadline) {
      await page.waitForTimeout(2000);
      left = await missing(page, ids);
    }
    problems.push(...left);
    if (left.length === 0) {
      // The page must refresh by itself (every 15 s), as a dashboard with auto-refresh does.
      const updated = page.locator('[data-host-live-updated]');
      const first = await updated.getAttribute('data-host-live-updated');
      const refreshed = await page
        .waitForFunction(
          (v) => document.querySelector('[data-host-live-updated]')?.getAttribute('data-host-live-updated') !== v,
          first,
          { timeout: 25_000 }
        )
        .then(
          () => true,
          () => false
        );
      if (!refreshed) {
        problems.push('the page did not refresh its data within 25 s');
      }
    }
    if (await page.locator('[data-host-error]').count()) {
      problems.push(`host page: ${(await page.locator('[data-host-error]').first().innerText()).split('\n')[0]}`);
    }
    fs.mkdirSync(path.dirname(screenshot), { recursive: true });
    await page.screenshot({ path: screenshot, fullPage: true });
  } finally {
    await browser.close();
    await host.close();
  }
  return { ok: problems.length === 0, problems, screenshot };
}

function parseArgs(argv) {
  const opts = {};
  for (let i = 0; i < argv.length; i += 2) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (v === undefined) {
      throw new Error(`${k} needs a value`);
    }
    if (k === '--prometheus') {
      opts.prometheusUrl = v;
    } else if (k === '--line') {
      opts.line = v;
    } else if (k === '--dist') {
      opts.dist = path.resolve(v);
    } else if (k === '--timeout') {
      opts.timeoutMs = Number(v) * 1000;
    } else {
      throw new Error(`unknown argument "${k}"`);
    }
  }
  if (!opts.prometheusUrl) {
    throw new Error('--prometheus <url> is required');
  }
  return opts;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const { ok, problems, screenshot } = await checkLive(parseArgs(process.argv.slice(2)));
    for (const p of problems) {
      console.log(`live: ${p}`);
    }
    console.log(
      ok
        ? `live page renders the three panels on Prometheus data (${path.relative(process.cwd(), screenshot)})`
        : 'live page check FAILED'
    );
    process.exit(ok ? 0 : 1);
  } catch (e) {
    console.error(`live check: ${e.message}`);
    process.exit(1);
  }
}
