# Engage: `make run` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
FLASK := $(BIN)/flask --app engage
UV := UV_PYTHON_DOWNLOADS=never $(BIN)/uv
# Versions come from the lock files (`make lock` refreshes them from pyproject.toml's ranges).
LOCK := $(UV) pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes --quiet
# Both cores; a worker that finishes early takes tests from the other (tests/README.md).
TEST_WORKERS ?= 2

.PHONY: run test install install-dev translations extract-messages lint audit serve clean bench lock

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip uv

$(VENV)/.installed: requirements.lock pyproject.toml $(BIN)/uv
	$(UV) pip install --quiet --python $(BIN)/python --require-hashes -r requirements.lock
	$(UV) pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

$(VENV)/.installed-dev: requirements-dev.lock pyproject.toml $(BIN)/uv
	$(UV) pip install --quiet --python $(BIN)/python --require-hashes -r requirements-dev.lock
	$(UV) pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $(VENV)/.installed $@

## Pin every dependency again, within pyproject.toml's ranges (then run `make test`).
lock: $(BIN)/uv
	$(LOCK) -o requirements.lock
	$(LOCK) --extra dev -o requirements-dev.lock

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

translations: $(VENV)/.installed
	$(BIN)/pybabel compile -d translations --statistics

## Refresh the catalogs from the code and templates (then translate the new entries).
extract-messages: $(VENV)/.installed
	$(FLASK) translate update

run: translations
	$(FLASK) db upgrade
	@if $(FLASK) engage is-empty; then $(FLASK) engage demo; fi
	@echo ""
	@echo "Engage is running at http://$(HOST):$(PORT)/"
	@echo "Demo accounts (demo only), password engage-demo-2026:"
	@echo "  admin@example.org, moderator@example.org, representative@example.org,"
	@echo "  reviewer@example.org, participant@example.org"
	@echo ""
	$(FLASK) run --host $(HOST) --port $(PORT)

## ruff, the import contracts of docs/architecture.md (pyproject.toml [tool.importlinter])
## and the type check (mypy, [tool.mypy]).
lint: $(VENV)/.installed-dev
	$(BIN)/ruff check engage tests migrations tools wsgi.py
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

## Known vulnerabilities in the installed dependencies (pip-audit): fails on one with a fix.
## Needs PyPI's vulnerability data (or OSV: PIP_AUDIT_SERVICE=osv); where neither can be
## read it fails and says so, so it is not part of `make test` (see SECURITY.md).
audit: $(VENV)/.installed-dev
	$(BIN)/python -m tools.dependency_audit

test: $(VENV)/.installed-dev
	$(MAKE) --no-print-directory translations lint
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal --durations=30 $(PYTEST_ARGS)

serve: translations
	$(FLASK) db upgrade
	ENGAGE_ENV=production $(BIN)/gunicorn --config deploy/gunicorn.conf.py --workers $${WORKERS:-4} --bind $(HOST):$${PORT:-8000} wsgi:app

## Load test on PostgreSQL (127.0.0.1) with synthetic data: writes bench/results.md, the
## read-only tables, the in-process render cost and deep pages (bench/render_cost.py), then
## the pages under a stream of writes (bench/mixed.py). About 15 minutes (--quick: 5).
## BENCH_DATABASE_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/engage_bench),
## BENCH_REDIS_URL (a Redis database of its own for the shared page cache; emptied),
## BENCH_ARGS (e.g. --quick; --mixed-only --reuse; --render-only; --rates 1,5,20).
bench: translations
	@command -v wrk >/dev/null || apt-get install -y wrk || sudo apt-get install -y wrk
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache translations/*/LC_MESSAGES/*.mo
