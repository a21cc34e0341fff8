# Engage: `make run` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
FLASK := $(BIN)/flask --app engage

.PHONY: run test install install-dev translations extract-messages lint serve clean

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
	$(BIN)/ruff check engage tests migrations wsgi.py

test: $(VENV)/.installed-dev
	$(MAKE) --no-print-directory translations lint
	$(BIN)/pytest $(PYTEST_ARGS)

serve: translations
	$(FLASK) db upgrade
	ENGAGE_ENV=production $(BIN)/gunicorn --workers $${WORKERS:-4} --bind $(HOST):$${PORT:-8000} wsgi:app

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache translations/*/LC_MESSAGES/*.mo
