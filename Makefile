# Two commands: `make run` (set up and serve the portal with demo data) and `make test` (every test).
# `make check` runs the habits CI checks besides the tests: lint, migrations in step with models, types.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# The settings derive SITE_URL (the address in emails) from it.
export PORT
MANAGE := $(PY) manage.py
# pytest-xdist workers: one per core, at most 2 (each takes its own test database and the Redis database
# after REDIS_URL's, see sermig_portal/settings/test.py). `make test PYTEST_ARGS=...` replaces the default.
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 1); [ "$$n" -gt 2 ] && n=2; echo $$n)
PYTEST_ARGS ?= -n $(TEST_WORKERS)

.PHONY: run test check setup install install-dev messages browser lint migrations-check types bench clean

$(VENV)/bin/python:
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is required")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# gettext's msgfmt compiles the translations; these machines install it from Debian when missing.
messages:
	@command -v msgfmt >/dev/null || (apt-get update -qq && apt-get install -y -qq gettext)
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v0

# Browser tests drive Debian's Chromium (Playwright cannot download its own browser here).
browser:
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

setup: install messages
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo_data

run: setup
	@echo "Portal: http://127.0.0.1:$(PORT)/  ·  admin: http://127.0.0.1:$(PORT)/admin/"
	$(MANAGE) runserver 127.0.0.1:$(PORT)

test: install-dev messages browser
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# A model change without its migration fails here (no migration file is written; the database only answers
# the history check: SQLite unless DATABASE_URL says otherwise).
migrations-check: install-dev
	$(MANAGE) makemigrations --check --dry-run

# mypy with django-stubs on the files listed in pyproject.toml ([tool.mypy] files).
types: install-dev
	$(VENV)/bin/mypy

check: lint migrations-check types

bench: install-dev messages
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 .pytest_cache .mypy_cache
