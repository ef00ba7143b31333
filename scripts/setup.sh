#!/usr/bin/env bash
# Installs what a fresh machine lacks for fluss-edge and builds the workspace.
#
#   scripts/setup.sh            Node side only: pnpm, dependencies, build
#   scripts/setup.sh --all      also the test peers: Fluss jars, Python venv (pyfluss), Java probe
#
# Idempotent: every step is skipped when already done. Progress goes to stderr.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
PNPM_VERSION="12.4.2"

log() { printf '[setup] %s\n' "$*" >&2; }

cd "$REPO_ROOT"

command -v node >/dev/null || { log "Node.js >= 20 is required"; exit 1; }
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' \
  || { log "Node.js >= 20 is required (found $(node --version))"; exit 1; }

if [[ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]]; then
  log "installing pnpm $PNPM_VERSION"
  npm install --global --silent "pnpm@$PNPM_VERSION" >&2
fi

log "installing dependencies"
CI=true pnpm install --frozen-lockfile >&2

log "building packages"
pnpm run build >&2

if [[ "${1:-}" == "--all" ]]; then
  if [[ ! -x /usr/bin/chromium ]]; then
    log "installing Chromium from Debian (browser tests; Playwright cannot download its own)"
    SUDO=""; [[ "$(id -u)" -eq 0 ]] || SUDO="sudo"
    $SUDO apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >&2
  fi
  log "fetching Fluss server and client jars"
  bash "$SCRIPT_DIR/fetch-jars.sh" server >/dev/null
  bash "$SCRIPT_DIR/fetch-jars.sh" client >/dev/null
  log "preparing the Python peer (pyfluss)"
  bash "$SCRIPT_DIR/setup-python.sh" >/dev/null
  log "building the Java peer probe"
  bash "$SCRIPT_DIR/build-java-probe.sh" >/dev/null
fi
log "ready"
