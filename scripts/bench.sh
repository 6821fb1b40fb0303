#!/usr/bin/env bash
# Prints the engine's throughput and scaling figures, and how they compare
# with the budgets in DESIGN.md: checking 10,000 words natively in under
# 5 ms, and a cost flat in the number of rules (ratios measured in the same
# process as their baseline). BENCHTIME=3s for steadier figures.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(go test -run '^$' -bench . -benchmem -benchtime "${BENCHTIME:-1s}" .)
echo "$out" | grep -E '^(Benchmark|cpu:)'
echo
echo "$out" | awk '
/^BenchmarkCheck\/en\/words=10000-/ {
	ms = $3 / 1e6
	printf "native check of 10,000 English words: %.2f ms (budget 5 ms: %s)\n", ms, (ms < 5 ? "within" : "OVER")
}
/^BenchmarkCheck\/fr\/words=10000-/ {
	ms = $3 / 1e6
	printf "native check of 10,000 French words:  %.2f ms (budget 5 ms: %s)\n", ms, (ms < 5 ? "within" : "OVER")
}
/^BenchmarkRuleCount\/rules=/ {
	for (i = 1; i < NF; i++) if ($(i + 1) == "x10rules") { split($1, a, "[=-]"); printf "%6d rules: %.2fx the time of 10 rules\n", a[2], $i }
}'
