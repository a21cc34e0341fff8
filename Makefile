# Engage: `make run` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
FLASK := $(BIN)/flask --app engage

.PHONY: run test install install-dev translations extract-messages lint audit serve clean bench

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip uv

$(VENV)/.installed: pyproject.toml $(BIN)/uv
	UV_PYTHON_DOWNLOADS=never $(BIN)/uv pip install --quiet --python $(BIN)/python -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(BIN)/uv
	UV_PYTHON_DOWNLOADS=never $(BIN)/uv pip install --quiet --python $(BIN)/python -e '.[dev]'
	touch $(VENV)/.installed $@

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

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check engage tests migrations tools wsgi.py

## Known vulnerabilities in the installed dependencies (pip-audit): fails on one with a fix.
## Needs PyPI's vulnerability data (or OSV: PIP_AUDIT_SERVICE=osv); where neither can be
## read it fails and says so, so it is not part of `make test` (see SECURITY.md).
audit: $(VENV)/.installed-dev
	$(BIN)/python -m tools.dependency_audit

test: $(VENV)/.installed-dev
	$(MAKE) --no-print-directory translations lint
	$(BIN)/pytest $(PYTEST_ARGS)

serve: translations
	$(FLASK) db upgrade
	ENGAGE_ENV=production $(BIN)/gunicorn --workers $${WORKERS:-4} --bind $(HOST):$${PORT:-8000} wsgi:app

## Load test on PostgreSQL (127.0.0.1) with synthetic data: writes bench/results.md.
## BENCH_DATABASE_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/engage_bench),
## BENCH_ARGS (e.g. --scales 1 --duration 5).
bench: translations
	@command -v wrk >/dev/null || apt-get install -y wrk || sudo apt-get install -y wrk
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache translations/*/LC_MESSAGES/*.mo
