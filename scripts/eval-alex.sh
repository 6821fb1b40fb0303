#!/bin/sh
# Installs alex 11.0.1 from npm into a temporary folder and runs it on the
# evaluation corpora, writing its messages to the file given (default
# artifacts/alex.json) for `vigie eval --compare`. alex is a point of
# comparison only, never a dependency of Vigie.
set -eu
cd "$(dirname "$0")/.."
out=${1:-artifacts/alex.json}
mkdir -p "$(dirname "$out")"
alex=$(mktemp -d)
trap 'rm -rf "$alex"' EXIT
(cd "$alex" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund alex@11.0.1 >/dev/null)
node scripts/eval-alex.mjs "$alex" "$out"
