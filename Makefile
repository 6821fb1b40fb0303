# Vigie: the two commands a newcomer needs are `make run` and `make test`.
GO ?= go
ADDR ?= 127.0.0.1:8080

.PHONY: run build wasm public worker test eval model bench fuzz clean

# The main job: build the browser module and the portal into public/, and
# serve them on http://127.0.0.1:8080/.
run: public build
	./bin/vigie serve --dir public --addr $(ADDR)

build:
	$(GO) build -o bin/vigie ./cmd/vigie

# The browser module (GOOS=wasip1 reactor). One recipe, shared with the tests.
wasm:
	./scripts/build-wasm.sh bin/vigie.wasm

# The HTTP API for Cloudflare Workers (cmd/worker), into bin/worker; deploy
# it with wrangler (cmd/worker/wrangler.toml).
worker:
	./scripts/build-worker.sh bin/worker

# Everything a static host needs: the portal, the checker page, the module.
public: wasm
	./scripts/build-public.sh public bin/vigie.wasm

# Everything CI runs: vet, the unit, end-to-end, wazero and browser tests
# (every rule's examples included), the Worker run in workerd (installed
# from npm into artifacts/), and a short fuzz run of the pipeline.
# The wazero tests run the module that `make wasm` built, and the browser
# tests the public/ folder; they leave a screenshot in artifacts/.
test: public worker
	$(GO) vet ./...
	mkdir -p artifacts
	VIGIE_WASM=$(CURDIR)/bin/vigie.wasm VIGIE_PUBLIC=$(CURDIR)/public VIGIE_ARTIFACTS=$(CURDIR)/artifacts \
	VIGIE_WORKER=$(CURDIR)/bin/worker VIGIE_WORKERD=$$(./scripts/fetch-workerd.sh) $(GO) test ./...
	$(GO) test -run '^$$' -fuzz FuzzCheck -fuzztime 20s -fuzzminimizetime 5s .

# The whole evaluation, slower than the tests: every suite, alex 11.0.1 for
# comparison (installed in a temporary folder), and the personal-use corpora
# of python3-pattern (unpacked into artifacts/, never committed). Writes
# eval/results.json, which the portal's evaluation page is built from.
eval: build
	./scripts/eval-alex.sh artifacts/alex.json
	./bin/vigie eval --compare artifacts/alex.json --external "$$(./scripts/fetch-pattern.sh)" --out eval/results.json

# Retrain the sentence model (models/loaded/) from the parallel corpus
# (models/pairs/) and the rules' examples, and measure it on the held-out
# pairs and on python3-pattern's corpora (never trained on). Deterministic:
# the same data gives the same bytes, and a test checks the committed model.
model:
	$(GO) run ./cmd/train-model --external "$$(./scripts/fetch-pattern.sh)"

# Throughput and scaling figures (words per second, cost against rule count).
bench:
	./scripts/bench.sh

# A longer fuzz run than CI's.
fuzz:
	$(GO) test -run '^$$' -fuzz FuzzCheck -fuzztime 5m .

clean:
	rm -rf bin public artifacts
