#!/usr/bin/env bash
# npm run demo: on a fresh Debian/Ubuntu machine with Node 20 too.
# Installs what is missing (the prometheus Debian package; npm ci), builds the plugin and the sidecar,
# then runs demo/run.ts: the demo workload, Prometheus, the sidecar on SQLite and the live host page.
# Extra arguments go to demo/run.ts (--line 13, --speed 60, --schedule 0, --sidecar-port P, --history-hours H).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=../test/harness/ensure-deps.sh
source test/harness/ensure-deps.sh

t0=$(date +%s)
elapsed() { echo "$(($(date +%s) - t0))s"; }

# The demo runs Prometheus for real; the other servers are for the tests.
vigil_ensure_debian_packages prometheus:prometheus promtool:prometheus
vigil_ensure_node_modules
vigil_log "dependencies ready ($(elapsed))"

# The host page's bundles (and, on a fresh clone, host/grafana13's npm install) are built alongside the
# plugin: they do not depend on each other, and the install is mostly waiting on the network.
line=12
prev=
for arg in "$@"; do
  if [ "$prev" = --line ]; then line=$arg; fi
  prev=$arg
done
mkdir -p .vigil
node host/build.mjs --line "$line" >.vigil/host-build.log 2>&1 &
host_build=$!

vigil_build
if ! wait "$host_build"; then
  cat .vigil/host-build.log >&2
  vigil_log "building the host page failed (node host/build.mjs --line $line)"
  exit 1
fi
vigil_log "built ($(elapsed))"

# tsx as a loader in this very process (not the tsx CLI, whose signal relay SIGKILLs a child that is slow
# to acknowledge Ctrl-C), so demo/run.ts always gets to stop what it started.
exec node --import tsx demo/run.ts "$@"
