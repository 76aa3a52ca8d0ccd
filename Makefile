# AllianceGraph: `make demo` and `make test` do all the set-up on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SHARED ?= ../shared
DEMO_DB ?= demo.db
STAMP := $(VENV)/.installed

.PHONY: install demo test eval eval-test bench serve clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	rm -f $(DEMO_DB)
	$(BIN)/alliancegraph ingest samples/articles --db $(DEMO_DB)
	$(BIN)/alliancegraph entity Renault --db $(DEMO_DB)

test: $(STAMP)
	$(BIN)/python -m pytest -q

eval: $(STAMP)
	@mkdir -p out
	$(BIN)/alliancegraph extract $(SHARED)/eval/dev/docs --format jsonl > out/dev.jsonl
	$(BIN)/python $(SHARED)/eval/score.py out/dev.jsonl $(SHARED)/eval/gold

clean:
	rm -rf $(VENV) out $(DEMO_DB) .pytest_cache
