#!/usr/bin/env bash
# Build the Java log benchmark driver (bench/peers/JavaLogBench.java) against the official
# fluss-client jar, as scripts/build-java-probe.sh builds the interop probe.
#
#   bench/peers/build-java-bench.sh
#
# - fetches fluss-client + slf4j-simple via `scripts/fetch-jars.sh client`
# - compiles with javac into .cache/fluss/bench-classes/ (skipped when the classes are newer than
#   the source and were built against the same jars and javac)
# - prints the run classpath on stdout (nothing else); progress goes to stderr.
#
# Env: FLUSS_JAR_CACHE overrides the cache root (default <repo>/.cache/fluss), as in fetch-jars.sh.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$HERE/../.." && pwd)"

log() { printf '[build-java-bench] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

command -v javac >/dev/null 2>&1 || die "javac not found (a JDK 17+ is required)"
src="$HERE/JavaLogBench.java"
[[ -f "$src" ]] || die "missing $src"

client_dir="$(bash "$REPO_ROOT/scripts/fetch-jars.sh" client)" || die "fetch-jars.sh client failed"
[[ -d "$client_dir" ]] || die "fetch-jars.sh printed '$client_dir', which is not a directory"

cache_root="${FLUSS_JAR_CACHE:-$REPO_ROOT/.cache/fluss}"
out="$cache_root/bench-classes"
stamp="$out/.built-against"

shopt -s nullglob
jars=("$client_dir"/*.jar)
shopt -u nullglob
((${#jars[@]} > 0)) || die "no jars in $client_dir"
IFS=$'\n' jars=($(printf '%s\n' "${jars[@]}" | LC_ALL=C sort)); unset IFS
jar_cp="$(IFS=:; echo "${jars[*]}")"
want_stamp="$(printf '%s\n' "$jar_cp" "$(javac -version 2>&1)")"

up_to_date() {
  [[ -f "$out/JavaLogBench.class" && -f "$stamp" ]] || return 1
  [[ "$(cat "$stamp")" == "$want_stamp" ]] || return 1
  [[ "$out/JavaLogBench.class" -nt "$src" ]] || return 1
  local j
  for j in "${jars[@]}"; do
    [[ "$j" -nt "$out/JavaLogBench.class" ]] && return 1
  done
  return 0
}

if up_to_date; then
  log "up to date: $out"
else
  log "compiling $(basename "$src") -> $out"
  tmp="$(mktemp -d "${TMPDIR:-/tmp}/fluss-bench-classes.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  javac --release 17 -encoding UTF-8 -nowarn -cp "$jar_cp" -d "$tmp" "$src" 1>&2 || die "javac failed"
  mkdir -p "$out"
  rm -f "$out"/*.class "$stamp"
  cp "$tmp"/*.class "$out"/
  printf '%s' "$want_stamp" >"$stamp"
  log "built $out"
fi

printf '%s\n' "$out:$jar_cp"
