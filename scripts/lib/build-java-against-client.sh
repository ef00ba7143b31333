#!/usr/bin/env bash
# Compiles a Java source file (with any further sources it uses, compiled together) against the
# official fluss-client jar (fetched by `scripts/fetch-jars.sh client`) and prints the run classpath
# on stdout; progress on stderr. Shared by scripts/build-java-probe.sh (interop probe) and
# bench/peers/build-java-bench.sh (the benchmark drivers and their shared BenchSupport.java).
#
#   scripts/lib/build-java-against-client.sh <Source.java> <classes dir name under .cache/fluss> <log tag> [<More.java>...]
#
# The build is skipped when every source's class is newer than its source and the jars, and they
# were built with the same jars and javac. Env: FLUSS_JAR_CACHE overrides the cache root (default <repo>/.cache/fluss).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
src="${1:?usage: build-java-against-client.sh SOURCE OUT_NAME TAG}"
out_name="${2:?usage: build-java-against-client.sh SOURCE OUT_NAME TAG}"
tag="${3:-build-java}"
sources=("$src" "${@:4}")

log() { printf '[%s] %s\n' "$tag" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

command -v javac >/dev/null 2>&1 || die "javac not found (a JDK 17+ is required)"
for s in "${sources[@]}"; do
  [[ -f "$s" ]] || die "missing $s"
done
main_class="$(basename "$src" .java)"

client_dir="$(bash "$SCRIPT_DIR/fetch-jars.sh" client)" || die "fetch-jars.sh client failed"
[[ -d "$client_dir" ]] || die "fetch-jars.sh printed '$client_dir', which is not a directory"

cache_root="${FLUSS_JAR_CACHE:-$REPO_ROOT/.cache/fluss}"
out="$cache_root/$out_name"
stamp="$out/.built-against"

# Deterministic classpath: the jars in the client dir, sorted.
shopt -s nullglob
jars=("$client_dir"/*.jar)
shopt -u nullglob
((${#jars[@]} > 0)) || die "no jars in $client_dir"
IFS=$'\n' jars=($(printf '%s\n' "${jars[@]}" | LC_ALL=C sort)); unset IFS
jar_cp="$(IFS=:; echo "${jars[*]}")"
want_stamp="$(printf '%s\n' "$jar_cp" "$(javac -version 2>&1)")"

up_to_date() {
  [[ -f "$out/$main_class.class" && -f "$stamp" ]] || return 1
  [[ "$(cat "$stamp")" == "$want_stamp" ]] || return 1
  local s j
  for s in "${sources[@]}"; do
    [[ "$out/$(basename "$s" .java).class" -nt "$s" ]] || return 1
  done
  for j in "${jars[@]}"; do
    [[ "$j" -nt "$out/$main_class.class" ]] && return 1
  done
  return 0
}

if up_to_date; then
  log "up to date: $out"
else
  log "compiling ${sources[*]##*/} -> $out"
  tmp="$(mktemp -d "${TMPDIR:-/tmp}/fluss-java-classes.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  javac --release 17 -encoding UTF-8 -nowarn -cp "$jar_cp" -d "$tmp" "${sources[@]}" 1>&2 || die "javac failed"
  mkdir -p "$out"
  rm -f "$out"/*.class "$stamp"
  cp "$tmp"/*.class "$out"/
  printf '%s' "$want_stamp" >"$stamp"
  log "built $out"
fi

printf '%s\n' "$out:$jar_cp"
