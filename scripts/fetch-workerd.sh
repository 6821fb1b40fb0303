#!/bin/sh
# Prints the path of Cloudflare's open-source Workers runtime, workerd,
# installing the npm package workerd into artifacts/workerd/ when it is not
# there yet. The tests run Vigie's Worker in it, on loopback.
set -eu
cd "$(dirname "$0")/.."
version=1.20261117.1
dir=artifacts/workerd
bin=$dir/node_modules/.bin/workerd
if [ ! -x "$bin" ] || [ "$("$bin" --version 2>/dev/null)" = "" ]; then
  mkdir -p "$dir"
  (cd "$dir" && [ -f package.json ] || npm init -y >/dev/null)
  (cd "$dir" && npm install --silent --no-audit --no-fund "workerd@$version" >/dev/null)
fi
echo "$PWD/$bin"
