#!/usr/bin/env bash
# Builds what a static host serves: the portal, the checker page and the
# browser module. Used by `make public` and by the browser tests.
set -euo pipefail
out=${1:?usage: build-public.sh OUT-DIR [MODULE.wasm]}
wasm=${2:-}
cd "$(dirname "$0")/.."
if [ -z "$wasm" ]; then
  wasm=$(mktemp -d)/vigie.wasm
  ./scripts/build-wasm.sh "$wasm"
fi
go run ./cmd/vigie site build -o "$out" --wasm "$wasm"
