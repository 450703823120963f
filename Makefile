# Two commands: `make run` (set up and serve the portal with demo data) and `make test` (every test).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# The settings derive SITE_URL (the address in emails) from it.
export PORT
MANAGE := $(PY) manage.py

.PHONY: run test setup install install-dev messages browser lint bench clean

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

bench: install-dev messages
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 .pytest_cache
