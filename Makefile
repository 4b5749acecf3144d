# Two commands: `make run` (set up and serve with demo data) and `make test` (set up and test).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8050

.PHONY: run install install-dev system-deps system-deps-test test lint typecheck pytest bench loadtest clean i18n i18n-check

$(BIN)/python:
	@scripts/system-deps.sh run
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: requirements.txt $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install -q -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

system-deps:
	@scripts/system-deps.sh run

system-deps-test:
	@scripts/system-deps.sh test

run: system-deps install
	$(BIN)/python -m dashboard init-db
	$(BIN)/python -m dashboard seed --demo
	$(BIN)/python -m dashboard demo-accounts
	$(BIN)/python -m dashboard serve --host $(HOST) --port $(PORT)

lint: install-dev
	$(BIN)/ruff check dashboard tests
	$(BIN)/ruff format --check dashboard tests

typecheck: install-dev
	$(BIN)/mypy dashboard

pytest: install-dev system-deps-test
	scripts/test.sh

test: lint typecheck pytest

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache

bench: install-dev system-deps-test
	$(BIN)/python scripts/bench.py --scales $(or $(SCALES),1,100) --runs $(or $(RUNS),30)

# Translations: extract every French message (code, templates, reference data) into
# dashboard/i18n/messages.pot and merge it into the English and Arabic catalogs, then list what
# is left to translate. The app reads the .po files directly: no compile step.
i18n: install
	$(BIN)/python -m dashboard.i18n update

i18n-check: install
	$(BIN)/python -m dashboard.i18n check

# Load test: locust in its own venv (it needs urllib3 2.x), against 4 local gunicorn workers.
LOAD_VENV := .venv-load

$(LOAD_VENV)/.installed: requirements-load.txt
	$(PYTHON) -m venv $(LOAD_VENV)
	$(LOAD_VENV)/bin/python -m pip install -q --upgrade pip
	$(LOAD_VENV)/bin/pip install -q -r requirements-load.txt
	@touch $@

loadtest: install $(LOAD_VENV)/.installed
	$(BIN)/python scripts/loadtest/run.py --users $(or $(USERS),50) --duration $(or $(DURATION),60) --workers $(or $(WORKERS),4) --scale $(or $(SCALE),1)
