#!/usr/bin/env bash
# Prints the browser module's figures, with the budgets of DESIGN.md:
#   size raw, gzip and brotli (budget: module plus default rules < 2 MB brotli);
#   instantiate and check 1k, 10k, 100k words in wazero, in Node and in headless
#   Chromium (budget: 10,000 words < 20 ms in the browser);
#   alex 11.0.1 on the same English text, in Node, installed from npm into a
#   temporary folder for this run only (budget: Vigie 10x faster per word).
set -euo pipefail
cd "$(dirname "$0")/.."
make -s wasm public >/dev/null
wasm=bin/vigie.wasm
corpus=testdata/corpus/sotu-2002-2021.txt

echo "== size of bin/vigie.wasm (the default rules are inside)"
node -e '
const fs = require("fs"), zlib = require("zlib");
const b = fs.readFileSync(process.argv[1]);
const gz = zlib.gzipSync(b, { level: 9 }).length;
const br = zlib.brotliCompressSync(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const mb = (n) => (n / 1048576).toFixed(2) + " MiB";
console.log(`raw ${mb(b.length)}, gzip ${mb(gz)}, brotli ${mb(br)} (budget 2 MiB brotli: ${br < 2 * 1048576 ? "within" : "OVER"})`);
' "$wasm"

echo
echo "== wazero (Go)"
VIGIE_WASM=$PWD/$wasm go test -run '^$' -bench . -benchtime "${BENCHTIME:-1s}" ./wasm/host/ | grep -E '^Benchmark'

echo
echo "== headless Chromium"
VIGIE_PUBLIC=$PWD/public go test -run '^$' -bench 'BrowserCheck|CheckerReady' -benchtime 5x ./site/checker/ | grep -E '^Benchmark'

echo
echo "== Node: Vigie's module and alex 11.0.1 on the same text"
alex=$(mktemp -d)
trap 'rm -rf "$alex"' EXIT
(cd "$alex" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund alex@11.0.1 >/dev/null)
node scripts/bench-node.mjs "$wasm" "$corpus" "$alex"
