#!/usr/bin/env bash
# Fetch the Apache Fluss jars from Maven Central into a git-ignored cache.
#
#   scripts/fetch-jars.sh server   -> .cache/fluss/server-${FLUSS_VERSION}/
#        fluss-server (fat jar) + log4j-api, log4j-core, log4j-slf4j-impl
#   scripts/fetch-jars.sh client   -> .cache/fluss/client-${FLUSS_VERSION}/
#        fluss-client (fat jar) + slf4j-simple
#
# Prints the directory path on stdout (nothing else); progress goes to stderr.
# Skips the download when all jars are already present.
# Env: FLUSS_JAR_CACHE overrides the cache root (default <repo>/.cache/fluss).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
# shellcheck source-path=SCRIPTDIR source=versions.env
. "$SCRIPT_DIR/versions.env"

log() { printf '[fetch-jars] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

variant="${1:-}"
case "$variant" in
  server)
    artifacts=(
      "org.apache.fluss:fluss-server:${FLUSS_VERSION}"
      "org.apache.logging.log4j:log4j-api:${LOG4J_VERSION}"
      "org.apache.logging.log4j:log4j-core:${LOG4J_VERSION}"
      "org.apache.logging.log4j:log4j-slf4j-impl:${LOG4J_VERSION}"
    )
    ;;
  client)
    artifacts=(
      "org.apache.fluss:fluss-client:${FLUSS_VERSION}"
      "org.slf4j:slf4j-simple:${SLF4J_VERSION}"
    )
    ;;
  *)
    echo "usage: $0 server|client" >&2
    exit 2
    ;;
esac

cache_root="${FLUSS_JAR_CACHE:-$REPO_ROOT/.cache/fluss}"
dest="$cache_root/${variant}-${FLUSS_VERSION}"
mkdir -p "$dest"

missing=()
for a in "${artifacts[@]}"; do
  IFS=: read -r _g art ver <<<"$a"
  jar="$dest/${art}-${ver}.jar"
  # Jars are moved in only after a complete download, so a present, non-empty jar is complete.
  if [[ -s "$jar" ]]; then
    continue
  fi
  missing+=("$a")
done

if ((${#missing[@]} == 0)); then
  log "all ${variant} jars present in $dest"
  printf '%s\n' "$dest"
  exit 0
fi

command -v mvn >/dev/null 2>&1 || die "mvn not found (needed to download ${missing[*]})"

plugin="org.apache.maven.plugins:maven-dependency-plugin:${MAVEN_DEPENDENCY_PLUGIN_VERSION}:copy"
for a in "${missing[@]}"; do
  log "downloading $a -> $dest"
  # Download into a temp dir first so an interrupted download never leaves a half jar behind.
  tmp="$(mktemp -d "$dest/.tmp.XXXXXX")"
  # Debian's Maven 3.8.7 prints stray ANSI resets even with -B -q: strip them.
  if ! mvn -B -q "$plugin" -Dartifact="$a" -DoutputDirectory="$tmp" -Dmdep.overWriteReleases=true 2>&1 |
    sed -e $'s/\x1b\[[0-9;]*m//g' >&2; then
    rm -rf "$tmp"
    die "maven could not fetch $a"
  fi
  mv -f "$tmp"/*.jar "$dest"/
  rm -rf "$tmp"
done

for a in "${artifacts[@]}"; do
  IFS=: read -r _g art ver <<<"$a"
  [[ -s "$dest/${art}-${ver}.jar" ]] || die "expected $dest/${art}-${ver}.jar after download"
done
log "${variant} jars ready in $dest ($(du -sh "$dest" | cut -f1))"
printf '%s\n' "$dest"
