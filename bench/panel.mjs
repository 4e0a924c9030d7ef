#!/usr/bin/env node
/**
 * `npm run bench:panel`: the anomaly overlay panel against Grafana's plain time series chart, on the same
 * frames, in the same page, in headless Chromium, on the built plugin (dist/) in the host (host/README.md).
 *
 * Workload (bench/panel/series.ts): SERIES (10) series × POINTS (50,000) points, one frame per series as
 * Prometheus returns a range query. Per Grafana line (12.4 + React 18, 13.2 + React 19), one page:
 *   overlay  the built anomaly overlay (dist/panels/anomaly/module.js through the host's AMD loader) with
 *            real PanelProps: @vigil/core's detector over every series, then its chart (series, expected
 *            value, band, anomaly marks) and incident list;
 *   plain    @grafana/ui's `TimeSeries` (GraphNG → preparePlotFrame → preparePlotConfigBuilder →
 *            UPlotChart, list legend) — the chart component of Grafana's time series panel, without the
 *            panel's tooltip plugins — with the time series panel's default field config.
 * A run is "data in" (a fresh root, new frame objects) to "painted" (flushSync render, then the next
 * animation frame and a task). WARMUP runs of each, then RUNS alternating rounds (overlay, marked,
 * plain) and (plain, marked, overlay); medians. speedup = plain / overlay (goal ≥ 0.8: the overlay at
 * most 1.25× the plain). Also measured, not the headline: `marked`, the overlay on the same series
 * carrying the detector's verdicts (the sidecar's /api/v1/detect output; drawing only), and each
 * side's renderer CPU time per run (CDP Performance.getMetrics ProcessTime, 10 ms steps), which other
 * jobs on the machine inflate less than wall time.
 *
 * Usage: npm run bench:panel [-- --line 12|13|all] [--dist <dir>] [--profile <dir>]  (env: SERIES, POINTS, RUNS, WARMUP, PROFILE_RUNS, OVERLAY_OPTIONS, NO_WORKER)
 * `--profile` then profiles PROFILE_RUNS (3) more runs of each side per line (Chromium's CPU profiler through
 * CDP), writes the .cpuprofile files and prints each one's top self-time functions (source-mapped).
 * The last line is one JSON object (the worst line's figures, and every line's under `lines`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { buildHost } from '../host/build.mjs';
import { startHostServer } from '../host/server.mjs';
import { launchChromium } from '../host/test/chromium.mjs';
import { startProfile, topSelfTime, writeProfile } from './panel/profile.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SERIES = Number(process.env.SERIES ?? 10);
const POINTS = Number(process.env.POINTS ?? 50_000);
const RUNS = Number(process.env.RUNS ?? 7);
const WARMUP = Number(process.env.WARMUP ?? 2);
const PROFILE_RUNS = Number(process.env.PROFILE_RUNS ?? 3);
// the overlay panel's options (default: the panel's defaults), e.g. OVERLAY_OPTIONS='{"showIncidents":false}'
const OVERLAY_OPTIONS = JSON.parse(process.env.OVERLAY_OPTIONS ?? '{}');
// NO_WORKER=1: the page has no Worker, as under a CSP without `worker-src blob:`: the overlay detects
// on the main thread while rendering (its fallback), for comparison
const NO_WORKER = Boolean(process.env.NO_WORKER);
// Both charts must have drawn their series: hundreds of coloured pixels (axes and grid are grey).
const MIN_COLOURED = 500;

function args(argv) {
  const opts = { lines: ['12', '13'], profile: undefined, dist: path.join(ROOT, 'dist') };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--line') {
      const v = argv[++i];
      opts.lines = v === 'all' ? ['12', '13'] : [v];
    } else if (argv[i] === '--dist') {
      opts.dist = path.resolve(argv[++i]);
    } else if (argv[i] === '--profile') {
      opts.profile = path.resolve(argv[++i]);
    } else {
      throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  return opts;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const r1 = (x) => Math.round(x * 10) / 10;

async function pageScript() {
  const out = await esbuild.build({
    entryPoints: [path.join(ROOT, 'bench', 'panel', 'page.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    // as host/render.ts: every runtime value of these comes from window.__grafanaExternals
    external: ['@grafana/*', 'react', 'react-dom', 'react-router', 'rxjs'],
    logLevel: 'warning',
  });
  return out.outputFiles[0].text;
}

async function benchLine(context, line, script, { dist, profile: profileDir }) {
  const host = await startHostServer({ dist, line });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text().slice(0, 300)));
  try {
    // The host page as the browser test opens it, with this script in place of the host's renderer.
    await page.route('**/host/render.js', (route) =>
      route.fulfill({ status: 200, contentType: 'text/javascript', body: script })
    );
    if (NO_WORKER) {
      await page.addInitScript(() => {
        delete window.Worker;
      });
    }
    await page.goto(`${host.url}/panel/anomaly`, { waitUntil: 'load' });
    await page.waitForFunction(() => window.__panelBenchReady === true);
    await page.evaluate(
      ([s, p, o]) => window.__panelBench.setup(s, p, o).then((b) => (window.__b = b)),
      [SERIES, POINTS, OVERLAY_OPTIONS]
    );
    const run = (kind, check = false) => page.evaluate(([k, c]) => window.__b.run(k, c), [kind, check]);
    // the renderer's CPU time per run (all its threads): a cross-check that other jobs on the machine
    // do not inflate as they do wall time
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const processTime = async () =>
      (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ProcessTime').value * 1000;
    const cpu = { overlay: [], plain: [], marked: [] };
    const times = { overlay: [], plain: [], marked: [] };
    // until the overlay's chart had drawn its lines (its marks and band may come later, from its worker)
    const linesFirst = [];
    const check = {};
    for (let i = 0; i < WARMUP; i++) {
      check.overlay = await run('overlay', true);
      check.plain = await run('plain', true);
      check.marked = await run('marked', true);
    }
    for (const kind of ['overlay', 'plain', 'marked']) {
      if (check[kind].colouredPixels < MIN_COLOURED) {
        throw new Error(
          `line ${line}: the ${kind} chart drew no series (${check[kind].colouredPixels} coloured pixels; it shows "${check[kind].text.slice(0, 200)}")`
        );
      }
    }
    console.log(`line ${line}: overlay says "${check.overlay.text.split('\n')[0]}"`);
    for (let i = 0; i < RUNS; i++) {
      const order = i % 2 ? ['plain', 'marked', 'overlay'] : ['overlay', 'marked', 'plain'];
      for (const kind of order) {
        const before = await processTime();
        const r = await run(kind);
        times[kind].push(r.ms);
        if (kind === 'overlay') {
          linesFirst.push(r.linesMs);
        }
        cpu[kind].push((await processTime()) - before);
      }
    }
    // after the measured runs (sampling slows them): PROFILE_RUNS more of each side, one profile each
    for (const kind of profileDir ? ['overlay', 'marked', 'plain'] : []) {
      const profiler = await startProfile(page);
      for (let i = 0; i < PROFILE_RUNS; i++) {
        await run(kind);
      }
      const profile = await profiler.stop();
      fs.mkdirSync(profileDir, { recursive: true });
      const file = writeProfile(path.join(profileDir, `panel-line${line}-${kind}.cpuprofile`), profile);
      console.log(`line ${line}: CPU profile of ${PROFILE_RUNS} ${kind} runs: ${file}`);
      for (const row of await topSelfTime(profile, 25)) {
        console.log(`  ${String(row.ms).padStart(6)} ms ${String(row.share).padStart(5)}%  ${row.fn}`);
      }
    }
    if (errors.length > 0) {
      throw new Error(`line ${line}: page errors: ${errors.slice(0, 3).join(' | ')}`);
    }
    await cdp.detach();
    const overlay = median(times.overlay);
    const plain = median(times.plain);
    const marked = median(times.marked);
    const overlayCpu = median(cpu.overlay);
    const plainCpu = median(cpu.plain);
    const fmt = (xs) => xs.map((x) => Math.round(x)).join(' ');
    console.log(
      `line ${line}: overlay ${r1(overlay)} ms (runs ${fmt(times.overlay)}), plain ${r1(plain)} ms ` +
        `(runs ${fmt(times.plain)}), speedup ${(plain / overlay).toFixed(3)} ` +
        `(the overlay's lines on screen at ${r1(median(linesFirst))} ms, its marks and band at ${r1(overlay)} ms)`
    );
    console.log(
      `line ${line}: overlay on frames carrying the verdicts (drawing only) ${r1(marked)} ms ` +
        `(runs ${fmt(times.marked)}), render-only speedup ${(plain / marked).toFixed(3)}`
    );
    console.log(
      `line ${line}: renderer CPU per run (mount to unmount): overlay ${r1(overlayCpu)} ms (runs ${fmt(cpu.overlay)}), ` +
        `plain ${r1(plainCpu)} ms (runs ${fmt(cpu.plain)}), ratio ${(plainCpu / overlayCpu).toFixed(3)}`
    );
    return {
      line,
      overlay_ms: r1(overlay),
      overlay_lines_ms: r1(median(linesFirst)),
      plain_ms: r1(plain),
      speedup: Math.round((plain / overlay) * 1000) / 1000,
      overlay_cpu_ms: r1(overlayCpu),
      plain_cpu_ms: r1(plainCpu),
      cpu_speedup: Math.round((plainCpu / overlayCpu) * 1000) / 1000,
      marked_ms: r1(marked),
      render_only_speedup: Math.round((plain / marked) * 1000) / 1000,
    };
  } finally {
    await page.close();
    await host.close();
  }
}

async function main() {
  const opts = args(process.argv.slice(2));
  if (!fs.existsSync(path.join(opts.dist, 'panels', 'anomaly', 'module.js'))) {
    throw new Error(`${opts.dist}/panels/anomaly/module.js not found: run npm run build first`);
  }
  await buildHost({ lines: opts.lines });
  const script = await pageScript();
  console.log(`bench:panel: ${SERIES} series × ${POINTS} points, ${WARMUP} warm-up + ${RUNS} measured runs each`);
  const browser = await launchChromium({ viewport: { width: 1300, height: 800 } });
  const results = [];
  try {
    for (const line of opts.lines) {
      results.push(await benchLine(browser.context, line, script, opts));
    }
  } finally {
    await browser.close();
  }
  const worst = results.reduce((a, b) => (b.speedup < a.speedup ? b : a));
  console.log(
    JSON.stringify({
      bench: 'panel',
      speedup: worst.speedup,
      ours: worst.overlay_ms,
      baseline: worst.plain_ms,
      unit: 'ms from data in to painted (median)',
      baseline_is:
        "@grafana/ui TimeSeries (the chart of Grafana's time series panel: GraphNG, preparePlotFrame, " +
        'preparePlotConfigBuilder, UPlotChart, list legend) on the same frames in the same page',
      overlay_ms: worst.overlay_ms,
      plain_ms: worst.plain_ms,
      points: POINTS,
      series: SERIES,
      line: worst.line,
      cpu_speedup: worst.cpu_speedup,
      marked_ms: worst.marked_ms,
      render_only_speedup: worst.render_only_speedup,
      lines: Object.fromEntries(results.map((r) => [r.line, r])),
    })
  );
}

main().catch((e) => {
  console.error(`bench:panel: ${e.stack ?? e.message}`);
  process.exit(1);
});
