# Shared by scripts/test.sh and scripts/demo.sh (source it; bash only): install what a fresh
# Debian/Ubuntu machine with Node 20 lacks, and nothing that is already there.
#   vigil_ensure_debian_packages <binary:package>...   apt-get installs the packages whose binary is missing
#   vigil_ensure_node_modules                           npm ci when node_modules is missing or stale
#   vigil_build                                         npm run build (plugin + sidecar)

vigil_log() { printf '[vigil] %s\n' "$*" >&2; }

# Runs a command as root: directly when we are root, through sudo otherwise.
vigil_as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    vigil_log "need root to run: $* (install sudo or run as root)"
    return 1
  fi
}

# Each argument is binary:package, e.g. prometheus:prometheus. A binary counts as present when it is
# on PATH or in /usr/bin; a binary given as a path pattern (PostgreSQL's, off PATH in
# /usr/lib/postgresql/<major>/bin) when the pattern matches a file. apt-get update runs at most once, and only when something is missing.
vigil_ensure_debian_packages() {
  local pair bin pkg missing=()
  for pair in "$@"; do
    bin=${pair%%:*}
    pkg=${pair#*:}
    if [ "${bin#/}" != "$bin" ]; then
      # shellcheck disable=SC2086 # the pattern must expand
      if compgen -G "$bin" >/dev/null; then continue; fi
      case " ${missing[*]-} " in *" $pkg "*) ;; *) missing+=("$pkg") ;; esac
    elif ! command -v "$bin" >/dev/null 2>&1 && [ ! -x "/usr/bin/$bin" ]; then
      case " ${missing[*]-} " in *" $pkg "*) ;; *) missing+=("$pkg") ;; esac
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    return 0
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    vigil_log "missing: ${missing[*]}; this is not a Debian/Ubuntu machine (no apt-get): install them by hand"
    return 1
  fi
  vigil_log "installing Debian packages: ${missing[*]}"
  if [ -z "${VIGIL_APT_UPDATED-}" ]; then
    vigil_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    export VIGIL_APT_UPDATED=1
  fi
  vigil_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# The packages the tests and the demo run for real.
vigil_ensure_servers() {
  vigil_ensure_debian_packages \
    prometheus:prometheus promtool:prometheus \
    prometheus-alertmanager:prometheus-alertmanager \
    influxd:influxdb \
    '/usr/lib/postgresql/*/bin/initdb:postgresql' \
    chromium:chromium
}

# npm ci when node_modules is missing, or older than package-lock.json (npm writes
# node_modules/.package-lock.json after the lockfile on every install).
vigil_ensure_node_modules() {
  local hidden=node_modules/.package-lock.json
  if [ -d node_modules ] && [ -f "$hidden" ] && [ ! package-lock.json -nt "$hidden" ]; then
    return 0
  fi
  # better-sqlite3 compiles from source when no prebuilt binary can be downloaded.
  vigil_ensure_debian_packages python3:python3 make:make g++:g++
  vigil_log "installing npm dependencies (npm ci)"
  # flock: serialise with other npm commands on a shared machine (VIGIL_NPM_LOCK overrides the path).
  if command -v flock >/dev/null 2>&1; then
    flock "${VIGIL_NPM_LOCK:-/tmp/vigil-npm.lock}" npm ci --no-audit --no-fund
  else
    npm ci --no-audit --no-fund
  fi
}

vigil_build() {
  vigil_log "building the plugin and the sidecar (npm run build)"
  npm run --silent build
}
