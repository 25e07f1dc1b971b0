# `make run` and `make test` work on a fresh machine: each makes its own virtualenv first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
READY := $(VENV)/.installed
NODE_READY := node_modules/.installed

.PHONY: run test lint bench package clean

$(READY): pyproject.toml requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(READY)

$(NODE_READY): package.json package-lock.json  ## axe-core, which the browser tests inject
	npm ci --silent --no-audit --no-fund
	touch $(NODE_READY)

run: $(READY)  ## the whole service on http://127.0.0.1:8000 (PORT=..., ARGS=--no-demo)
	$(PY) -m devstack $(if $(PORT),--port $(PORT)) $(ARGS)

test: $(READY) $(NODE_READY) lint  ## every test, browser tests included (Chromium at /usr/bin/chromium)
	$(PY) -m pytest

lint: $(READY)  ## ruff, mypy (strict), and import-linter's layer contracts (pyproject.toml)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	$(VENV)/bin/lint-imports

bench: $(READY)  ## N concurrent chats through the local gateway; prints figures
	$(PY) -m bench $(ARGS)

package: $(READY)  ## the deployable template: build/$(STAGE)/sam.yaml (STAGE=dev|prod)
	$(PY) infra/package.py --stage $(or $(STAGE),dev)

clean:
	rm -rf $(VENV) node_modules build test-artifacts .pytest_cache .ruff_cache
