# AllianceGraph: `make demo` and `make test` do all the set-up on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SHARED ?= ../shared
DEMO_DB ?= demo.db
STAMP := $(VENV)/.installed
WEB_VENDOR := src/alliancegraph/serve/web/static/vendor
WEB_STAMP := $(WEB_VENDOR)/.built
PORT ?= 8000

.PHONY: install demo test eval eval-test bench serve clean web test-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP) $(WEB_STAMP)
	rm -f $(DEMO_DB) $(DEMO_DB)-shm $(DEMO_DB)-wal
	$(BIN)/alliancegraph ingest samples/articles --db $(DEMO_DB)
	$(BIN)/alliancegraph entity Renault --db $(DEMO_DB)
	@# Serve only for a person at a terminal; CI and scripts (no TTY on stdin, or CI set) must terminate.
	@if [ -t 0 ] && [ -z "$$CI" ]; then \
		echo "Serving the sample graph at http://127.0.0.1:$(PORT)/entity/Renault (Ctrl-C stops it)"; \
		$(BIN)/alliancegraph serve --db $(DEMO_DB) --port $(PORT); \
	else \
		echo "Explore it in a browser: run 'make serve', then open http://127.0.0.1:$(PORT)/entity/Renault"; \
	fi

test: $(STAMP) $(WEB_STAMP) test-deps
	$(BIN)/python -m pytest -q

# The web explorer's libraries (cytoscape, vis-timeline): pinned in web/package-lock.json, installed
# with npm ci and copied into the served static folder (gitignored).
web: $(WEB_STAMP)

$(WEB_STAMP): web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(WEB_VENDOR)
	cp web/node_modules/cytoscape/dist/cytoscape.esm.min.mjs $(WEB_VENDOR)/cytoscape.esm.min.js
	cp web/node_modules/cytoscape/LICENSE $(WEB_VENDOR)/cytoscape.LICENSE.txt
	cp web/node_modules/vis-timeline/standalone/esm/vis-timeline-graph2d.min.mjs $(WEB_VENDOR)/vis-timeline.esm.min.js
	cp web/node_modules/vis-timeline/LICENSE.md $(WEB_VENDOR)/vis-timeline.LICENSE.md
	touch $@

# Debian's Chromium for the browser tests (Playwright's own browser download is not reachable).
test-deps:
	bash scripts/install-test-deps.sh
	bash scripts/install-postgres.sh
	bash scripts/install-java.sh

serve: $(STAMP) $(WEB_STAMP)
	@test -f $(DEMO_DB) || $(MAKE) demo
	$(BIN)/alliancegraph serve --db $(DEMO_DB) --port $(PORT)

eval: $(STAMP)
	@mkdir -p out
	$(BIN)/alliancegraph extract $(SHARED)/eval/dev/docs --format jsonl > out/dev.jsonl
	$(BIN)/python $(SHARED)/eval/score.py out/dev.jsonl $(SHARED)/eval/gold

# Throughput and peak memory of `ingest` against spaCy's full parse on 2 processes, over the Reuters
# corpus; writes docs/performance.md. BENCH_LIMIT=1000 (comma list of sizes) for a shorter run.
BENCH_LIMIT ?= 1000,9179
bench: $(STAMP)
	BENCH_LIMIT=$(BENCH_LIMIT) $(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) out $(DEMO_DB) .pytest_cache web/node_modules $(WEB_VENDOR)
