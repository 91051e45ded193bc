# The README's two commands: `make run` (set up, build the database, serve the app) and
# `make test` (set up and run every test, what CI runs). Both start from a fresh clone with
# Python 3.11+. `make test-fast` is the developer's loop between them.
PYTHON_SYSTEM ?= python3
VENV ?= .venv
PYTHON := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test test-fast build generate benchmark load-test outdated clean

$(VENV)/.runtime-installed: requirements.txt
	$(PYTHON_SYSTEM) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON_SYSTEM) -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: $(VENV)/.runtime-installed requirements-dev.txt
	$(PYTHON) -m pip install --quiet -r requirements-dev.txt
	touch $@

build: $(VENV)/.runtime-installed
	$(PYTHON) -m jsw_explorer.build

run: build
	$(PYTHON) -m jsw_explorer.serve --server.port $(PORT)

test: $(VENV)/.dev-installed
	$(PYTHON) -m pytest

# The quick loop while changing code: unit, query and AppTest page tests, in a few minutes. It
# leaves to `make test` the real-browser tests (Chromium), the loads killed at every step
# (subprocesses), the benchmark scripts' 100x dataset, and three long AppTest sweeps: hostile links
# on every page and 200 random filter changes (test_security.py), every indicator in every period
# (test_outcomes.py).
SWEEPS := test_hostile_link_values_on_every_page or test_a_random_sweep_of_filter_changes \
	or test_every_indicator_in_the_picker_renders_in_every_period
FAST_TESTS := -m "not browser and not office and not cluster" --ignore=tests/test_ingest_crash.py --ignore=tests/test_benchmark_scripts.py \
	-k "not ($(SWEEPS))"

test-fast: $(VENV)/.dev-installed
	$(PYTHON) -m pytest $(FAST_TESTS)

generate: $(VENV)/.runtime-installed
	$(PYTHON) -m jsw_explorer.generate

# On demand, not part of the test gate: figures and targets are explained in the README.
# Options go in ARGS, e.g. `make benchmark ARGS=--quick` or `make load-test ARGS="--sessions 5"`.
benchmark: $(VENV)/.dev-installed
	$(PYTHON) scripts/benchmark.py $(ARGS)

load-test: $(VENV)/.dev-installed
	$(PYTHON) scripts/load_test.py $(ARGS)

# Pins behind the package index (exit 1 if any): drift is seen, not discovered.
outdated: $(VENV)/.dev-installed
	$(PYTHON) scripts/outdated.py

clean:
	rm -rf $(VENV) data/jsw.duckdb data/jsw.duckdb.bak tests/artifacts
