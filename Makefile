# Vigie: the two commands a newcomer needs are `make run` and `make test`.
GO ?= go

.PHONY: run build test bench fuzz clean

# The main job, until the portal lands: build the CLI and check the sample
# texts in testdata/corpus, one summary line per text.
run: build
	@./bin/vigie check --lang fr testdata/corpus/udhr-fr.txt | tail -n 1
	@./bin/vigie check --lang en testdata/corpus/udhr-en.txt | tail -n 1
	@./bin/vigie check --lang en testdata/corpus/sotu-2002-2021.txt | tail -n 1
	@echo "Now try: ./bin/vigie check YOUR-FILE.txt   (or: ./bin/vigie check --help)"

build:
	$(GO) build -o bin/vigie ./cmd/vigie

# Everything CI runs: vet, the unit and end-to-end tests (every rule's
# examples included), and a short fuzz run of the whole pipeline.
test:
	$(GO) vet ./...
	$(GO) test ./...
	$(GO) test -run '^$$' -fuzz FuzzCheck -fuzztime 20s -fuzzminimizetime 5s .

# Throughput and scaling figures (words per second, cost against rule count).
bench:
	./scripts/bench.sh

# A longer fuzz run than CI's.
fuzz:
	$(GO) test -run '^$$' -fuzz FuzzCheck -fuzztime 5m .

clean:
	rm -rf bin
