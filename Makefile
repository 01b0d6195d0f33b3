# Two commands matter: `make run` and `make test`. Everything else is a step of
# theirs, or a tool for developers (lint, fmt, bench).

SHELL := /bin/bash
.DEFAULT_GOAL := run

PYTHON := $(shell scripts/find-python)
VENV := .venv
PY := $(VENV)/bin/python
UV := .tools/bin/uv
MANAGE := $(PY) manage.py
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

# Development runs in DEBUG with a key kept in var/; tests use their own settings.
DEV_ENV := DJANGO_DEBUG=true
TEST_ENV := DJANGO_SETTINGS_MODULE=kotacerdas.settings_test

.PHONY: run serve setup assets venv messages messages-update static db demo test checks lint fmt \
	unit e2e chromium bench clean

run: setup db demo serve

serve:
	@echo "Serving on http://127.0.0.1:8000 (Ctrl+C stops)."
	$(DEV_ENV) $(MANAGE) runserver 127.0.0.1:8000

setup: venv assets messages static

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet 'uv==0.13.9'

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

venv: $(VENV)/.synced

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: node_modules/.installed

messages: venv
	cd src/kotacerdas && $(TEST_ENV) ../../$(PY) ../../manage.py compilemessages --ignore '.venv' -v0

# Adds the messages the code marks for translation to the Indonesian catalogue;
# translate the new entries, then `make test` checks none is left out.
messages-update: venv
	cd src/kotacerdas && $(TEST_ENV) ../../$(PY) ../../manage.py makemessages -l id --no-obsolete --ignore '.venv' -v0

static: venv assets
	$(DEV_ENV) $(MANAGE) collectstatic --noinput -v0

db: venv
	$(DEV_ENV) $(MANAGE) migrate --noinput -v0
	$(DEV_ENV) $(MANAGE) load_reference_data

demo: db
	@# Quiet logs, so that the demo logins it prints stay readable.
	$(DEV_ENV) DJANGO_LOG_LEVEL=WARNING $(MANAGE) create_demo_data

test: setup chromium checks unit e2e

chromium:
	@scripts/ensure-chromium

checks: lint
	$(TEST_ENV) $(MANAGE) makemigrations --check --dry-run
	$(PY) scripts/check_catalogue.py
	DJANGO_SECRET_KEY="$$(head -c 64 /dev/urandom | base64 | tr -d '\n/+=')" \
	  DJANGO_EMAIL_HOST=smtp.example.test DJANGO_ALLOWED_HOSTS=smartcity.example.test \
	  DATABASE_URL=sqlite:////tmp/kotacerdas-deploy-check.sqlite3 \
	  $(MANAGE) check --deploy --fail-level WARNING

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

unit: venv
	$(PY) -m pytest --ignore=tests/e2e $(PYTEST_ARGS)

# Browser tests run in their own process: Playwright's event loop and the
# Django test database do not share one process well (STACK.md, P9).
e2e: venv chromium
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest tests/e2e $(PYTEST_ARGS)

bench: setup
	$(PY) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .tools node_modules staticfiles test-output

# -- Deployment (docs/deploy.md) ---------------------------------------------------
# The scale test starts PostgreSQL if needed, two app servers and a worker on
# loopback, walks a journey across both and checks a backup restores; it stops
# everything it started. The load test needs locust, kept out of .venv (P17).

.PHONY: scale-test load-test backup restore

scale-test: setup
	$(PY) deploy/scale_test.py $(SCALE_ARGS)

LOAD_VENV := .tools/load
$(LOAD_VENV)/.installed: pyproject.toml uv.lock | $(UV)
	$(PYTHON) -m venv $(LOAD_VENV)
	$(UV) export --frozen --only-group load --no-hashes --no-emit-project \
	  -o $(LOAD_VENV)/requirements.txt
	VIRTUAL_ENV=$(LOAD_VENV) $(UV) pip install --quiet -r $(LOAD_VENV)/requirements.txt
	touch $@

load-test: setup $(LOAD_VENV)/.installed
	$(PY) deploy/load_test.py --locust $(LOAD_VENV)/bin/locust $(LOAD_ARGS)

# Both read the production environment of the shell they run in, as the app does.
backup: venv
	$(PY) deploy/bin/backup.py $(BACKUP_ARGS)

restore: venv
	@test -n "$(ARCHIVE)" || { echo "Usage: make restore ARCHIVE=…/kotacerdas-….tar [FORCE=1]" >&2; exit 2; }
	$(PY) deploy/bin/restore.py "$(ARCHIVE)" $(if $(FORCE),--force)
