#!/usr/bin/env bash
# npm test: every test, on a fresh Debian/Ubuntu machine with Node 20 too.
#  1. installs what is missing (Debian packages for the real servers and Chromium; npm ci)
#  2. builds the plugin and the sidecar
#  3. type-check and lint every TypeScript project
#  4. Jest: plugin, core and sidecar projects, plus the real-server tests in test/
#  5. the browser test of the built plugin on both Grafana lines, and the check that it fails when a
#     panel module is broken
# The last line printed is "N passed, N failed"; the exit code is non-zero when anything failed.
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=../test/harness/ensure-deps.sh
source test/harness/ensure-deps.sh

OUT=test-output
mkdir -p "$OUT"
rm -f "$OUT/jest.json" "$OUT/browser.json"

fail_early() {
  vigil_log "$1"
  echo "0 passed, 1 failed"
  exit 1
}

vigil_ensure_servers || fail_early "could not install the Debian packages the tests need"
vigil_ensure_node_modules || fail_early "npm ci failed"
vigil_build || fail_early "build failed (npm run build)"
# The shared modules of both Grafana lines (installs host/grafana13 when missing): the browser test
# renders on them, and the dashboard test (Jest) reads the panel schemas of @grafana/schema 13 there.
vigil_log "shared-module bundles of Grafana 12 and 13 (node host/build.mjs)"
node host/build.mjs --line all || fail_early "host/build.mjs failed"

vigil_log "static checks (npm run typecheck, npm run lint)"
npm run --silent typecheck
typecheck=$?
npm run --silent lint
lint=$?

start=$(date +%s)
vigil_log "jest (all projects)"
# Real-server suites mostly wait on I/O: two workers keep a 2-core machine busy without starving it.
npx jest --ci --maxWorkers=2 --json --outputFile="$OUT/jest.json"
vigil_log "jest finished in $(($(date +%s) - start))s"

start=$(date +%s)
vigil_log "browser test (Grafana 12 and 13 lines)"
npm run --silent test:browser -- --report "$PWD/$OUT/browser.json"
vigil_log "browser test finished in $(($(date +%s) - start))s"

vigil_log "broken-module check (the browser test must fail on a broken panel)"
node host/broken-module-check.mjs
broken=$?

node test/harness/summarize.mjs --jest "$OUT/jest.json" --browser "$OUT/browser.json" --check "broken-module-check=$broken" \
  --check "typecheck=$typecheck" --check "lint=$lint"
