#!/usr/bin/env node
// The workspace's `vigil` command (`npx --no-install vigil slo …` in this repository). It lives
// outside dist/ so that `npm ci` links it before anything is built; the commands are compiled into
// dist/ by `npm run build:sidecar` (`npm test` and `npm run demo` build it).
'use strict';
const { readFileSync } = require('node:fs');
let cli;
try {
  cli = require('../dist/slo/cli.js');
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND') {
    process.stderr.write('vigil: the sidecar is not built yet: run `npm run build:sidecar` first\n');
    process.exit(1);
  }
  throw err;
}
const result = cli.runCli(process.argv.slice(2), (p) => readFileSync(p === '-' ? 0 : p, 'utf8'));
process.stdout.write(result.stdout);
process.stderr.write(result.stderr);
process.exitCode = result.code;
