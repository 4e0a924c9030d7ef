/**
 * Headless Chromium (the Debian package, driven by playwright-core; never `playwright install`) and the
 * page watch every host check uses: page errors, console errors, failed requests and HTTP >= 400.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Launches Chromium with a fresh user-data-dir; `close()` removes it. */
export async function launchChromium({ viewport = { width: 1000, height: 560 } } = {}) {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found (Debian package chromium)`);
  }
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport,
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Records into `problems` everything on `page` that a person or Grafana's console would see as broken. */
export function watchPage(page, problems) {
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') {
      problems.push(`console error: ${m.text().slice(0, 400)}`);
    }
  });
  page.on('requestfailed', (r) => {
    // ERR_ABORTED is the page cancelling its own request (e.g. a loading spinner's icon fetch when the
    // spinner unmounts): nothing failed. Errors and HTTP statuses are checked separately.
    if (r.failure()?.errorText !== 'net::ERR_ABORTED') {
      problems.push(`request failed: ${r.method()} ${r.url()} (${r.failure()?.errorText})`);
    }
  });
  page.on('response', (r) => {
    if (r.status() >= 400) {
      problems.push(`HTTP ${r.status()}: ${r.request().method()} ${r.url()}`);
    }
  });
}

/**
 * Pixels of the canvases under `selector` drawn in a colour (not grey): uPlot paints its axes and grid
 * in greys, so an empty chart scores ~0 and a chart with series lines or points scores hundreds.
 */
export function colouredPixels(page, selector) {
  return page.$$eval(selector, (canvases) => {
    let best = 0;
    for (const c of canvases) {
      if (!c.width || !c.height) {
        continue;
      }
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) {
        if (d[i + 3] > 0 && Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]) > 60) {
          n++;
        }
      }
      best = Math.max(best, n);
    }
    return best;
  });
}
