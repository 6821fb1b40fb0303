#!/usr/bin/env bash
# Load figures for Vigie's API: a bounded number of requests (N, default
# 2,000; C at once, default 8) from a second process on loopback, first to
# the Worker running in workerd, then to the same API served natively, on
# the same texts. Prints throughput and latency percentiles for both.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${N:-2000}
c=${C:-8}
dir=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$dir"' EXIT
./scripts/build-worker.sh "$dir"
workerd=$(./scripts/fetch-workerd.sh)
cp cmd/worker/workerd.capnp "$dir/"
"$workerd" serve "$dir/workerd.capnp" --socket-addr http=127.0.0.1:18787 >/dev/null 2>&1 &
go build -o "$dir/native" ./cmd/worker
"$dir/native" --addr 127.0.0.1:18788 2>/dev/null &
go build -o "$dir/loadgen" ./cmd/worker/loadgen
for port in 18787 18788; do
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/v1/version" >/dev/null && break; sleep 0.2; done
done
echo "== workerd (the Worker: Go compiled to WebAssembly, one isolate)"
"$dir/loadgen" -url http://127.0.0.1:18787 -n "$n" -c "$c"
echo "== native (the same API, go build)"
"$dir/loadgen" -url http://127.0.0.1:18788 -n "$n" -c "$c"
