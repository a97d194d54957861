# The two commands that matter: `make run` and `make test`.
# Both work on a fresh Debian machine with Python 3.11 and nothing running.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed-requirements
HOST ?= 127.0.0.1
PORT ?= 8000
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test
# Local development runs with DEBUG on; production sets its own environment.
# Links in comment e-mail point at the port being served unless COMMENTS_SITE_URL says otherwise.
DEV_ENV := DEBUG=$${DEBUG:-true} COMMENTS_SITE_URL=$${COMMENTS_SITE_URL:-http://$(HOST):$(PORT)}

.PHONY: help venv run serve admin test test-sqlite test-postgres browser-deps lint format \
	check migrate demo screenshots clean worker

help:
	@echo "make run            install, migrate, load demo content, serve on http://$(HOST):$(PORT)/"
	@echo "make admin          create an admin (superuser) login interactively"
	@echo "make worker         run the task worker alone (e-mail); 'make run' starts one itself"
	@echo "make test           the whole test suite on SQLite (installs Chromium if missing)"
	@echo "make test-postgres  the whole test suite on PostgreSQL ($(POSTGRES_URL))"
	@echo "make lint           ruff check and ruff format --check"

$(INSTALLED): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

venv: $(INSTALLED)

migrate: venv
	$(DEV_ENV) $(PY) manage.py migrate --noinput

demo: migrate
	$(DEV_ENV) $(PY) manage.py loaddemo --if-empty

run: demo
	@echo
	@echo "  Serving on http://$(HOST):$(PORT)/"
	@echo "  Admin: http://$(HOST):$(PORT)/admin/ — create a login with 'make admin' (in another terminal)."
	@echo "  A task worker (e-mail) runs beside the server and stops with it."
	@echo
	@trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	trap 'exit 130' INT TERM; \
	$(DEV_ENV) $(PY) manage.py db_worker $(WORKER_ARGS) & worker=$$!; \
	$(DEV_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

# The task worker (comment e-mail, docs/comments.md): one process, one task at a
# time, polling the database every WORKER_INTERVAL seconds when the queue is empty.
WORKER_INTERVAL ?= 2
WORKER_ARGS := --no-reload --interval $(WORKER_INTERVAL)
worker: migrate
	$(DEV_ENV) $(PY) manage.py db_worker $(WORKER_ARGS)

admin: migrate
	$(DEV_ENV) $(PY) manage.py createsuperuser

# Browser tests drive Debian's chromium; install it when it is missing.
browser-deps:
	@{ command -v chromium && command -v wrk; } >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium (browser tests) and wrk (tests/test_bench_scripts.py)..."; \
		SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-dejavu-core wrk; }

test: test-sqlite

test-sqlite: venv browser-deps
	env -u DATABASE_URL $(PY) -m pytest -m "not postgres" $(PYTEST_ARGS)

test-postgres: venv browser-deps
	DATABASE_URL=$${DATABASE_URL:-$(POSTGRES_URL)} $(PY) -m pytest $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check: venv
	$(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(DEV_ENV) $(PY) manage.py check

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles

# The README's screenshots, from a throwaway database with the demo content.
screenshots: venv browser-deps
	$(PY) scripts/screenshots.py

# The browser tests five times in a row while two processes keep the CPU busy
# (docs/browser-tests.md). Too slow for CI; run it after changing a browser test.
# STRESS_ARGS="--runs 10 --burners 3 -- -k moderator" to change it.
.PHONY: browser-stress
browser-stress: venv browser-deps
	$(PY) scripts/browser_stress.py $(STRESS_ARGS)

# The performance harness of issue 8 (bench/run.py, results in bench/RESULTS.md).
# Never part of CI. Builds or reuses the data set in the PostgreSQL database
# `bench`; installs Debian's wrk when it is missing. A quick run:
# make bench BENCH_ARGS="--articles 2000 --comments 20000 --seconds 5"
.PHONY: bench
bench: venv
	@command -v wrk >/dev/null 2>&1 || { \
		echo "Installing Debian's wrk for the benchmark..."; \
		SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk; }
	$(PY) -m bench.run $(BENCH_ARGS)
