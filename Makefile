# podium — `make run` sets up, analyses the bundled example, stores it in podium.db and serves the
# web UI on http://127.0.0.1:8000 (Ctrl-C stops it); `make test` sets up and runs the tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run setup test lint bench sweep clean

run: setup
	$(BIN)/podium analyze examples/sochi-2019-05-14-voltaire.txt
	$(BIN)/podium ingest examples/ --db podium.db
	$(BIN)/podium serve --db podium.db

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

test: setup
	$(BIN)/ruff check .
	$(BIN)/pytest

lint: setup
	$(BIN)/ruff check .

bench: setup
	$(BIN)/python -m pip install -q -e '.[bench]'
	$(BIN)/python bench/throughput.py

sweep: setup
	$(BIN)/python scripts/sweep.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
