#!/bin/sh
# Builds Vigie's API for Cloudflare Workers into a folder (default
# bin/worker): the Go module compiled with GOOS=js, Go's wasm_exec.js, and
# cmd/worker/worker.mjs, the entry point that wrangler.toml and workerd load.
set -eu
cd "$(dirname "$0")/.."
out=${1:-bin/worker}
mkdir -p "$out"
GOOS=js GOARCH=wasm go build -trimpath -ldflags=-s -o "$out/vigie-api.wasm" ./cmd/worker
cp "$(go env GOROOT)/lib/wasm/wasm_exec.js" "$out/wasm_exec.js"
cp cmd/worker/worker.mjs "$out/worker.mjs"
