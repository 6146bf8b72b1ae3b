# Tandem: `make run` serves the demo, `make test` runs every check. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RUN_STAMP := $(VENV)/.run-installed
DEV_STAMP := $(VENV)/.dev-installed
PYTEST := $(PY) -m pytest

.PHONY: run test lint types unit unit-sqlite unit-postgres browser bench messages clean help

help:
	@echo "make run    serve Tandem with the demo district on http://127.0.0.1:8000"
	@echo "make test   lint, types, tests on SQLite and PostgreSQL, browser tests"
	@echo "make bench  benchmarks on the large demo district (not part of make test)"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(RUN_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -q -e .
	@touch $@

$(DEV_STAMP): pyproject.toml $(RUN_STAMP)
	$(PY) -m pip install -q -e '.[dev]'
	@touch $@

run: $(RUN_STAMP)
	@$(PY) manage.py serve

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

types: $(DEV_STAMP)
	$(VENV)/bin/mypy tandem tests scripts

# The suite on SQLite and on PostgreSQL, side by side on the two cores. The generated
# API requests (schemathesis, marker "fuzz") test input checks, which no database
# changes: they run once, on SQLite.
unit: $(DEV_STAMP)
	$(PY) manage.py makemigrations --check --dry-run
	@set -o pipefail; \
	( $(PYTEST) -m "not browser" -q > var/test-sqlite.log 2>&1; echo $$? > var/test-sqlite.rc ) & \
	( $(PY) scripts/with_postgres.py $(PYTEST) -m "not browser and not fuzz" -q > var/test-postgres.log 2>&1; echo $$? > var/test-postgres.rc ) & \
	wait; \
	echo "── SQLite ──"; tail -n 40 var/test-sqlite.log; \
	echo "── PostgreSQL ──"; tail -n 40 var/test-postgres.log; \
	test "$$(cat var/test-sqlite.rc)" = 0 && test "$$(cat var/test-postgres.rc)" = 0

browser: $(DEV_STAMP)
	@scripts/ensure_chromium.sh
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PYTEST) -m browser -q

test: lint types
	@mkdir -p var
	$(MAKE) --no-print-directory unit
	$(MAKE) --no-print-directory browser

bench: $(DEV_STAMP)
	$(PY) scripts/with_postgres.py $(PY) -m tests.bench

# Tandem's own strings, in Spanish. makemessages and compilemessages walk the
# working directory, so they skip what is not Tandem's: the virtualenv, run-time
# files, tests, scripts, docs and vendored JavaScript (tests/test_translations.py
# reads this list to run the same extraction). The djangojs domain writes a
# catalogue only once a script of ours has a string to translate.
MESSAGES_IGNORE := .venv var node_modules tests scripts docs tandem/static/vendor
MESSAGES_OPTIONS := -l es --no-obsolete --add-location file $(addprefix --ignore ,$(MESSAGES_IGNORE))

messages: $(DEV_STAMP)
	$(PY) manage.py makemessages -d django $(MESSAGES_OPTIONS)
	$(PY) manage.py makemessages -d djangojs $(MESSAGES_OPTIONS)
	$(PY) manage.py compilemessages -l es $(addprefix --ignore ,$(MESSAGES_IGNORE))

clean:
	rm -rf $(VENV) var
