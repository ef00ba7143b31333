#!/usr/bin/env bash
# Runs a benchmark against the local cluster (started if needed): bash scripts/bench.sh admin|log
set -euo pipefail
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
name="${1:?usage: scripts/bench.sh admin|log}"
bash "$SCRIPT_DIR/setup.sh"
while IFS='=' read -r key value; do
  [[ "$key" == FLUSS_*BOOTSTRAP_SERVERS ]] && export "$key=$value"
done < <(bash "$SCRIPT_DIR/fluss-cluster.sh" start)
cd "$REPO_ROOT"
# The fluss-edge drivers run the built package (dist/), as users do.
pnpm --filter @fluss-edge/client run build >&2
case "$name" in
  admin) exec pnpm exec tsx bench/admin-roundtrips.ts ;;
  # BENCH_ROWS (default 1000000), BENCH_ROUNDS, BENCH_BUCKETS, BENCH_COMPRESSION: see bench/log-throughput.ts
  log) exec pnpm exec tsx bench/log-throughput.ts ;;
  *) echo "unknown benchmark: $name" >&2; exit 2 ;;
esac
