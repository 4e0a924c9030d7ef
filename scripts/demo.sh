#!/usr/bin/env bash
# npm run demo: on a fresh Debian/Ubuntu machine with Node 20 too.
# Installs what is missing (the prometheus Debian package; npm ci), builds the sidecar, then runs
# demo/run.ts --build: it builds the plugin and the host page in the background while it starts the demo
# workload, Prometheus and the sidecar on SQLite, then serves the live host page.
# Extra arguments go to demo/run.ts (--line 13, --speed 60, --schedule 0, --sidecar-port P, --history-hours H, --baseline-days D).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=../test/harness/ensure-deps.sh
source test/harness/ensure-deps.sh

t0=$(date +%s)
# The demo runs Prometheus for real; the other servers are for the tests.
vigil_ensure_debian_packages prometheus:prometheus promtool:prometheus
vigil_ensure_node_modules
vigil_log "dependencies ready ($(($(date +%s) - t0))s); building the sidecar (npm run build:sidecar)"
npm run --silent build:sidecar

# tsx as a loader in this very process (not the tsx CLI, whose signal relay SIGKILLs a child that is slow
# to acknowledge Ctrl-C), so demo/run.ts always gets to stop what it started.
exec node --import tsx demo/run.ts --build "$@"
