#!/usr/bin/env node
/**
 * Proves the browser test can fail: copies the built dist/ to a temporary folder, breaks one nested
 * panel module on purpose (`throw new Error("broken")` at the top of panels/slo/module.js), runs
 * host/browser-test.mjs against the copy on both Grafana lines — only the cases of that panel (`--case
 * "panel slo"`): the other cases prove nothing here and doubled the browser time of `npm test` — and
 * exits 0 only if that run failed
 * exactly where it should: the SLO panel on every line, and the error named. Any other outcome
 * (the run passed, or the SLO panel passed) exits 1.
 *
 * Usage: node host/broken-module-check.mjs [--dist <dir>]   (called by scripts/test.sh)
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HOST = path.dirname(fileURLToPath(import.meta.url));
const BROKEN_PANEL = 'slo';
const LINES = ['12', '13'];

function main() {
  const args = process.argv.slice(2);
  const distArg = args[0] === '--dist' ? args[1] : undefined;
  const dist = path.resolve(distArg ?? path.join(HOST, '..', 'dist'));
  const target = path.join(dist, 'panels', BROKEN_PANEL, 'module.js');
  if (!fs.existsSync(target)) {
    throw new Error(`${target} not found: run npm run build first`);
  }

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-broken-dist-'));
  try {
    const brokenDist = path.join(tmp, 'dist');
    fs.cpSync(dist, brokenDist, { recursive: true });
    const brokenModule = path.join(brokenDist, 'panels', BROKEN_PANEL, 'module.js');
    fs.writeFileSync(brokenModule, `throw new Error("broken");\n${fs.readFileSync(brokenModule, 'utf8')}`);
    const report = path.join(tmp, 'report.json');
    console.log(
      `broken-module check: panels/${BROKEN_PANEL}/module.js throws on load; running the browser test against ${brokenDist}`
    );
    const run = spawnSync(
      process.execPath,
      [
        path.join(HOST, 'browser-test.mjs'),
        '--dist',
        brokenDist,
        '--line',
        'all',
        '--screenshots',
        path.join(tmp, 'screenshots'),
        '--report',
        report,
        '--case',
        `panel ${BROKEN_PANEL}`,
      ],
      {
        encoding: 'utf8',
      }
    );
    process.stdout.write(
      run.stdout
        .split('\n')
        .map((l) => `  | ${l}`)
        .join('\n') + '\n'
    );
    if (run.stderr) {
      process.stderr.write(run.stderr);
    }
    const problems = [];
    if (run.status === 0) {
      problems.push('the browser test exited 0 on a broken panel module');
    }
    const results = fs.existsSync(report) ? JSON.parse(fs.readFileSync(report, 'utf8')).results : [];
    for (const line of LINES) {
      const slo = results.find((r) => r.line === line && r.name === `panel ${BROKEN_PANEL}`);
      if (!slo) {
        problems.push(`line ${line}: no result for panel ${BROKEN_PANEL}`);
      } else if (slo.ok) {
        problems.push(`line ${line}: panel ${BROKEN_PANEL} passed although its module throws`);
      } else if (!slo.problems.some((p) => p.includes('broken'))) {
        problems.push(`line ${line}: panel ${BROKEN_PANEL} failed without naming the error: ${slo.problems[0]}`);
      }
    }
    if (problems.length > 0) {
      for (const p of problems) {
        console.log(`broken-module check FAILED: ${p}`);
      }
      return 1;
    }
    const others = results.filter((r) => r.name !== `panel ${BROKEN_PANEL}`);
    console.log(
      `broken-module check passed: the broken SLO panel failed the run on lines ${LINES.join(' and ')} (other renders: ${others.filter((r) => r.ok).length} passed, ${others.filter((r) => !r.ok).length} failed)`
    );
    return 0;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

try {
  process.exit(main());
} catch (e) {
  console.error(`broken-module check: ${e.message}`);
  process.exit(1);
}
