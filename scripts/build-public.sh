#!/usr/bin/env bash
# Assembles what a static host serves: the checker page, the browser module
# and its loader. Used by `make public` and by the browser tests.
set -euo pipefail
out=${1:?usage: build-public.sh OUT-DIR [MODULE.wasm]}
wasm=${2:-}
cd "$(dirname "$0")/.."
rm -rf "$out"
mkdir -p "$out/vigie" "$out/checker"
if [ -z "$wasm" ]; then
  wasm="$out/vigie/vigie.wasm"
  ./scripts/build-wasm.sh "$wasm"
else
  cp "$wasm" "$out/vigie/vigie.wasm"
fi
cp wasm/web/*.mjs "$out/vigie/"
cp site/checker/index.html site/checker/checker.css site/checker/checker.mjs "$out/checker/"
cp site/sw.js "$out/"
