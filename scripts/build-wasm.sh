#!/usr/bin/env bash
# Builds the browser module: the one recipe, used by `make wasm` and by the
# wazero tests. -trimpath and an empty build id make the bytes depend only on
# the sources and the Go version (the tests check this).
set -euo pipefail
out=${1:?usage: build-wasm.sh OUT.wasm}
cd "$(dirname "$0")/.."
GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -trimpath -ldflags="-s -w -buildid=" -o "$out" ./wasm
