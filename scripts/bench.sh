#!/usr/bin/env bash
# Runs a benchmark: bash scripts/bench.sh admin|log|kv|cold|browser (against the local cluster, started if needed)
# or bash scripts/bench.sh zstd (the codecs alone, no cluster).
set -euo pipefail
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
name="${1:?usage: scripts/bench.sh admin|log|kv|cold|browser|zstd}"
bash "$SCRIPT_DIR/setup.sh"
if [[ "$name" != zstd ]]; then
  while IFS='=' read -r key value; do
    [[ "$key" == FLUSS_*BOOTSTRAP_SERVERS ]] && export "$key=$value"
  done < <(bash "$SCRIPT_DIR/fluss-cluster.sh" start)
fi
cd "$REPO_ROOT"
# The fluss-edge drivers run the built package (dist/), as users do.
pnpm --filter @fluss-edge/client run build >&2
# Gateway cases run the built fluss-gateway command (gateway/dist/), as deployed.
pnpm --filter @fluss-edge/gateway run build >&2
case "$name" in
  admin) exec pnpm exec tsx bench/admin-roundtrips.ts ;;
  # BENCH_ROWS (default 1000000), BENCH_ROUNDS, BENCH_BUCKETS, BENCH_COMPRESSION: see bench/log-throughput.ts
  log) exec pnpm exec tsx bench/log-throughput.ts ;;
  # BENCH_ROWS (default 200000), BENCH_LOOKUPS, BENCH_LATENCY_LOOKUPS, BENCH_LOOKUP_CHUNK, BENCH_ROUNDS, BENCH_BUCKETS: see bench/kv-throughput.ts
  kv) exec pnpm exec tsx bench/kv-throughput.ts ;;
  # BENCH_ROUNDS (default 7): see bench/cold-start.ts
  cold) exec pnpm exec tsx bench/cold-start.ts ;;
  # BENCH_ROWS (default 1000000), BENCH_ROUNDS, BENCH_BUCKETS: see bench/browser-scan.ts (needs Chromium: setup.sh)
  browser) exec pnpm exec tsx bench/browser-scan.ts ;;
  # BENCH_ROWS (default 1000000), BENCH_ROUNDS: see bench/zstd-codecs.ts
  zstd) exec pnpm exec tsx bench/zstd-codecs.ts ;;
  *) echo "unknown benchmark: $name" >&2; exit 2 ;;
esac
