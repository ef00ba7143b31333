#!/usr/bin/env bash
# The main job: set up, start a local Fluss cluster (reused if running) and run the Node quickstart.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"

bash "$SCRIPT_DIR/setup.sh"
# The cluster script prints FLUSS_BOOTSTRAP_SERVERS=… and FLUSS_SASL_BOOTSTRAP_SERVERS=… on stdout.
while IFS='=' read -r name value; do
  [[ "$name" == FLUSS_*BOOTSTRAP_SERVERS ]] && export "$name=$value"
done < <(bash "$SCRIPT_DIR/fluss-cluster.sh" start)

node "$REPO_ROOT/examples/node-quickstart/quickstart.mjs"
echo "The cluster keeps running; stop it with: bash scripts/fluss-cluster.sh stop" >&2
