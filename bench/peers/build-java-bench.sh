#!/usr/bin/env bash
# Build the Java benchmark drivers (bench/peers/JavaLogBench.java, JavaKvBench.java and the
# BenchSupport.java they share) against the official fluss-client jar into
# .cache/fluss/bench-classes/ (skipped when up to date) and print the run classpath on stdout;
# progress goes to stderr.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec bash "$HERE/../../scripts/lib/build-java-against-client.sh" "$HERE/JavaLogBench.java" bench-classes build-java-bench \
  "$HERE/JavaKvBench.java" "$HERE/BenchSupport.java"
