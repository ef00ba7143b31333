#!/usr/bin/env bash
# Build the Java interop probe (tests/interop/java/FlussProbe.java) against the official
# fluss-client jar into .cache/fluss/probe-classes/ (skipped when up to date) and print the run
# classpath on stdout; progress goes to stderr. Run the probe with:
#   java --add-opens=java.base/java.nio=ALL-UNNAMED -cp "$(scripts/build-java-probe.sh)" \
#        FlussProbe --bootstrap 127.0.0.1:9123 list-databases
set -euo pipefail
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec bash "$SCRIPT_DIR/lib/build-java-against-client.sh" \
  "$SCRIPT_DIR/../tests/interop/java/FlussProbe.java" probe-classes build-java-probe
