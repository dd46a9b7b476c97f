# Podium developer and CI entry points. `make test` is what .ci/run runs.
SHELL := /bin/bash
# Fail a recipe line on any failing command, unset variable or pipe stage.
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := test

PORT ?= 8000
PYTEST_ARGS ?=
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Recursive (=) so the lookup only runs when the venv has to be built.
PYTHON = $(shell command -v python3.11 || command -v python3)

# Start/reuse the test PostgreSQL and export its settings into the same shell
# line. Assigning before eval keeps the script's exit status (fatal with
# CI=true); a bare `eval "$$(...)"` would always succeed.
WITH_PG = exports="$$(scripts/ensure-postgres.sh)" && eval "$$exports" &&
# The same for Debian's Chromium, which the browser tests (tests/browser/) drive.
WITH_CHROMIUM = exports="$$(scripts/ensure-chromium.sh)" && eval "$$exports" &&
# And a Kafka broker (scripts/ensure-kafka.sh: Apache Kafka's jars from Maven Central by mvn,
# a single-node KRaft broker on loopback) for the relay and feed tests.
WITH_KAFKA = exports="$$(scripts/ensure-kafka.sh)" && eval "$$exports" &&

.PHONY: venv run lint test format bench clean

venv: $(STAMP)

# File target: reinstall only when pyproject.toml is newer than the stamp.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -e '.[dev]'
	touch $@

run: venv
	mkdir -p var
	$(BIN)/podium migrate
	PODIUM_PORT=$(PORT) $(BIN)/podium serve

lint: venv
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy .

test: venv lint
	$(WITH_PG) $(WITH_CHROMIUM) $(WITH_KAFKA) $(BIN)/pytest $(PYTEST_ARGS)

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

BENCH_ARGS ?= --store both --seconds 8 --threads 4 --processes 2 --accounts 1000 --repeat 2

bench: venv
	$(WITH_PG) $(BIN)/python -m bench $(BENCH_ARGS)

clean:
	scripts/stop-postgres.sh
	scripts/stop-kafka.sh
	rm -rf var
