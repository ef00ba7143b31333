#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what it needs, checks generated code and
# types, then runs unit tests and the integration/interop tests against a real local Fluss cluster
# (started by the suite's globalSetup and stopped afterwards unless FLUSS_KEEP_CLUSTER=1).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
cd "$REPO_ROOT"

# Shell scripts parse (bash reads a script as it runs: a syntax error late in one would otherwise
# show only when that part is reached).
for script in scripts/*.sh .ci/run; do bash -n "$script"; done

bash "$SCRIPT_DIR/setup.sh" --all

echo "[test] generated code is up to date" >&2
bash "$SCRIPT_DIR/check-generated.sh"

echo "[test] typecheck" >&2
pnpm run typecheck
pnpm exec tsc -p tsconfig.json

# The current LTS lines as well as this machine's Node: from 22 on, node:zlib has native ZSTD (the
# record codecs use it) and Node has a WebSocket of its own (undici). The client's Node entry
# prefers the `ws` package to it (faster sends); Node 22 runs the suites so, Node 24 with undici
# (FLUSS_TEST_WEBSOCKET=global, tests/setup/websocket-choice.ts), which a caller may inject and which
# behaves differently (a refused connection fires `error` and never `close`).
other_nodes=()
for major in 22 24; do other_nodes+=("$(bash "$SCRIPT_DIR/fetch-node.sh" "$major")"); done

for other in "${other_nodes[@]}"; do
  echo "[test] record codecs on Node $("$other" --version) too (native ZSTD from node:zlib; this machine's Node is $(node --version))" >&2
  "$other" node_modules/vitest/vitest.mjs run --project unit packages/client/test/unit/records
done

# After a failed run: what the cluster logged at WARN and above (the logs stay until the next start),
# so that a failure seen only in CI can be traced to the server's side or ruled out.
cluster_warnings() {
  local logs="${FLUSS_CLUSTER_DIR:-$REPO_ROOT/.fluss/cluster}/logs"
  [[ -d "$logs" ]] || return 0
  echo "[test] the run failed; the cluster's last warnings and errors ($logs):" >&2
  local file
  for file in "$logs"/coordinator.log "$logs"/tablet-*.log; do
    [[ -f "$file" ]] || continue
    echo "[test] ${file##*/}:" >&2
    grep -E " (WARN|ERROR) " "$file" | tail -n 20 | cut -c1-400 >&2 || true
  done
}

echo "[test] vitest (unit, integration, interop, gateway, browser, edge)" >&2
mkdir -p .cache
report=.cache/vitest-report.json
status=0
pnpm exec vitest run --reporter=default --reporter=json --outputFile.json="$report" || { status=$?; cluster_warnings; }

reports=("$report")
for other in "${other_nodes[@]}"; do
  version="$("$other" --version)"
  major="${version#v}"
  websocket="" through=""
  if [[ "$major" == 24* ]]; then websocket="global" through=" (gateway through undici, the global WebSocket)"; fi
  echo "[test] integration suites (TCP and gateway) on Node $version too$through" >&2
  other_report=".cache/vitest-report-node${major%%.*}.json"
  FLUSS_TEST_WEBSOCKET="$websocket" "$other" node_modules/vitest/vitest.mjs run --project integration tests/integration tests/gateway \
    --reporter=default --reporter=json --outputFile.json="$other_report" || { status=$?; cluster_warnings; }
  reports+=("$other_report")
done

# One plain closing line for CI: "N passed, N failed" (plus skipped, if any), over every run.
node -e '
  let passed = 0, failed = 0, skipped = 0;
  for (const file of process.argv.slice(1)) {
    let r;
    try { r = JSON.parse(require("fs").readFileSync(file, "utf8")); } catch { failed += 1; continue; }
    passed += r.numPassedTests; failed += r.numFailedTests; skipped += r.numPendingTests + r.numTodoTests;
  }
  console.log(`${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));
' "${reports[@]}" || true
exit "$status"
