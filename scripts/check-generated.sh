#!/usr/bin/env bash
# Fails if checked-in generated code is not what its generator produces. CI runs this.
#   - packages/client/src/gen: `buf generate` from packages/client/proto;
#   - packages/client/src/gen-data: the ZSTD WebAssembly module
#     (packages/client/scripts/build-zstd-wasm.sh, which installs its clang
#     from Debian when missing) and the codec workers' ZSTD warm-up frames
#     (packages/client/scripts/generate-zstd-warm-up-frames.ts).
#
# 1. Regenerates into a temporary directory and diffs it against the tree
#    (works with or without git history, and leaves the tree untouched).
# 2. If the repository has commits, also fails when git reports either
#    directory as modified or untracked (generated code must be committed).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
client="$root/packages/client"
gen_rel="packages/client/src/gen"
data_rel="packages/client/src/gen-data"
buf="$client/node_modules/.bin/buf"

if [[ ! -x "$buf" ]]; then
  echo "check-generated: $buf not found; run 'pnpm install' first." >&2
  exit 2
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# buf.gen.yaml writes to src/gen relative to --output; run from packages/client
# so the local protoc-gen-es path in buf.gen.yaml resolves.
(cd "$client" && "$buf" generate --output "$tmp")

if ! diff -r "$tmp/src/gen" "$client/src/gen" >"$tmp/diff.txt" 2>&1; then
  echo "check-generated: $gen_rel is out of date with packages/client/proto:" >&2
  head -n 60 "$tmp/diff.txt" | sed 's/^/  /' >&2
  echo "Run 'pnpm --filter @fluss-edge/client run generate' and commit the result." >&2
  exit 1
fi

bash "$client/scripts/build-zstd-wasm.sh" "$tmp/gen-data"
(cd "$root" && node --import tsx "$client/scripts/generate-zstd-warm-up-frames.ts" "$tmp/gen-data" >/dev/null)
if ! diff -r "$tmp/gen-data" "$client/src/gen-data" >"$tmp/diff.txt" 2>&1; then
  echo "check-generated: $data_rel is out of date with its generator:" >&2
  head -c 2000 "$tmp/diff.txt" | sed 's/^/  /' >&2
  echo "Run 'pnpm --filter @fluss-edge/client run generate' and commit the result." >&2
  exit 1
fi

if git -C "$root" rev-parse --verify -q HEAD >/dev/null 2>&1; then
  status="$(git -C "$root" status --porcelain -- "$gen_rel" "$data_rel")"
  if [[ -n "$status" ]]; then
    echo "check-generated: generated code ($gen_rel, $data_rel) has uncommitted changes:" >&2
    echo "$status" | sed 's/^/  /' >&2
    echo "Commit the generated code (run 'pnpm --filter @fluss-edge/client run generate' first)." >&2
    exit 1
  fi
fi

echo "check-generated: $gen_rel and $data_rel are up to date."
