#!/usr/bin/env bash
# Create/refresh the Python environment for the interop peer (tests/interop/python/probe.py).
#
#   scripts/setup-python.sh
#
# - creates <repo>/.venv (git-ignored) with python3 if it does not exist
# - installs the pins in tests/interop/python/requirements.txt (pyfluss, pyarrow, ...)
# - idempotent: skips pip entirely when the venv was already built from the same
#   requirements file and still imports `fluss` and `pyarrow`
# - prints the venv's python path on stdout (nothing else); progress goes to stderr.
#
# Env: FLUSS_EDGE_VENV overrides the venv location; PYTHON overrides the interpreter used to
#      create it (default python3, which must be >= 3.9).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"

log() { printf '[setup-python] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

req="$REPO_ROOT/tests/interop/python/requirements.txt"
venv="${FLUSS_EDGE_VENV:-$REPO_ROOT/.venv}"
base_python="${PYTHON:-python3}"
py="$venv/bin/python"
stamp="$venv/.fluss-edge-requirements.sha256"

[[ -f "$req" ]] || die "missing $req"
want="$(sha256sum "$req" | cut -d' ' -f1)"

healthy() {
  [[ -x "$py" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]] || return 1
  "$py" -c 'import fluss, pyarrow' >/dev/null 2>&1
}

if healthy; then
  log "up to date: $venv"
  printf '%s\n' "$py"
  exit 0
fi

# Serialise concurrent callers (e.g. two test workers) on a lock in the git-ignored .cache/.
mkdir -p "$REPO_ROOT/.cache"
exec 9>"$REPO_ROOT/.cache/setup-python.lock"
if command -v flock >/dev/null 2>&1; then
  flock 9
fi
if healthy; then
  log "up to date: $venv (built by a concurrent run)"
  printf '%s\n' "$py"
  exit 0
fi

if [[ ! -x "$py" ]]; then
  command -v "$base_python" >/dev/null 2>&1 || die "$base_python not found"
  "$base_python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)' ||
    die "$base_python is older than 3.9 (pyfluss needs >= 3.9)"
  log "creating venv $venv with $("$base_python" --version 2>&1)"
  rm -rf "$venv"
  "$base_python" -m venv "$venv" >&2 || die "python -m venv failed (on Debian: apt-get install python3-venv)"
fi

log "installing $(grep -cvE '^\s*(#|$)' "$req") pinned packages from $req"
rm -f "$stamp"
"$py" -m pip install --disable-pip-version-check --no-input -q -r "$req" >&2 ||
  die "pip install -r $req failed"
"$py" -c 'import fluss, pyarrow; print("[setup-python] fluss", fluss.__version__, "pyarrow", pyarrow.__version__)' >&2 ||
  die "the venv cannot import fluss/pyarrow"
printf '%s' "$want" >"$stamp"
log "ready: $venv"
printf '%s\n' "$py"
