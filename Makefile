# Backtrack — two commands: `make run` (demo on SQLite) and `make test` (everything).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HTMX := app/static/vendor/htmx.min.js
PORT ?= 5000
# One test worker per core (pytest-xdist), a file's tests on one worker (its module fixtures once).
PYTEST_ARGS ?= -n auto --dist loadfile
# BROWSERS=no leaves the browser tests (marked e2e) out: CI runs them once, on PostgreSQL (.ci/run).
BROWSERS ?= yes
PYTEST_MARKS := $(if $(filter no,$(BROWSERS)),-m "not e2e",)
export FLASK_APP := wsgi

.PHONY: help run reset test lint mutants bench bench-tools lighthouse clean test-tools

## make help: list the targets
help:
	@grep -h '^## make' $(MAKEFILE_LIST) | sed 's/^## //'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.runtime

# What running needs from npm (htmx only), and everything the tests use (the outside checkers).
node_modules/.runtime: package.json package-lock.json
	npm ci --omit=dev --ignore-scripts --no-audit --no-fund --silent
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --silent
	touch $@ node_modules/.runtime

# The gettext catalogues, compiled at install (the .mo files are built, never committed).
CATALOGUES := $(wildcard app/translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGUES:.po=.mo)
$(COMPILED): %.mo: %.po | $(VENV)/.runtime
	$(BIN)/pybabel -q compile -i $< -o $@

# htmx from the npm package, served locally so runs and tests need no CDN (never committed).
$(HTMX): node_modules/.runtime
	mkdir -p $(dir $@)
	cp node_modules/htmx.org/dist/htmx.min.js $@

## make run: set everything up and serve the demo clinic on http://localhost:5000 (PORT=5001 for another)
run: $(VENV)/.runtime $(HTMX) $(COMPILED)
	BACKTRACK_ENV=development BACKTRACK_SESSION_COOKIE_SECURE=false HTMX_URL=/static/vendor/htmx.min.js \
		PORT=$(PORT) scripts/run-demo

## make reset: delete the local SQLite database, so the next `make run` starts a fresh demo
reset:
	rm -f instance/backtrack.sqlite3 instance/backtrack.sqlite3-wal instance/backtrack.sqlite3-shm
	@echo "Deleted the local demo database (instance/backtrack.sqlite3)."

## make test: set everything up and run every test (DATABASE_URL=postgresql+psycopg://... for PostgreSQL)
test: $(VENV)/.dev $(HTMX) $(COMPILED) node_modules/.installed test-tools
	$(BIN)/ruff check app tests bench scripts
	$(BIN)/ruff format --check --quiet app tests bench migrations scripts
	$(BIN)/mypy
	$(BIN)/python -m pytest $(PYTEST_ARGS) $(PYTEST_MARKS)

# The browser tests drive Debian's Chromium and the HTML checker runs on Java: install them when
# missing (needs root or sudo).
test-tools:
	@scripts/install-test-tools

## make mutants: mutation testing of app/care/ (slow: about an hour on 2 cores); `mutmut results` lists survivors
mutants: $(VENV)/.dev $(HTMX) $(COMPILED)
	$(BIN)/mutmut run --max-children 2; $(BIN)/mutmut results

## make lint: ruff and mypy only
lint: $(VENV)/.dev
	$(BIN)/ruff check app tests bench scripts
	$(BIN)/ruff format --check app tests bench migrations scripts
	$(BIN)/mypy

## make lighthouse: Lighthouse's four scores for sign-in and Today (mobile)
lighthouse: $(VENV)/.dev $(HTMX) $(COMPILED) node_modules/.installed test-tools
	$(BIN)/python scripts/lighthouse.py

## make bench: every page under load on a synthetic clinic (DB="sqlite postgresql" PATIENTS="500 5000" WORKERS=2)
DB ?= sqlite postgresql
PATIENTS ?= 500 5000
WORKERS ?= 2
bench: $(VENV)/.dev $(HTMX) $(COMPILED) bench-tools
	$(BIN)/python bench/run.py --database $(DB) --patients $(PATIENTS) --workers $(WORKERS)

# wrk and nginx for the benchmark: installed when missing (needs root or sudo).
bench-tools:
	@scripts/install-bench-tools

## make clean: remove everything set-up made (the virtualenv, npm packages, caches)
clean:
	rm -rf $(VENV) node_modules app/static/vendor .pytest_cache .mypy_cache test-artifacts $(COMPILED)
