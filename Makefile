# The two commands a newcomer needs: `make run` and `make test`. Everything else is a helper.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEPS_HASH := $(shell cat requirements/*.txt pyproject.toml package.json | sha1sum | cut -c1-12)
RUN_STAMP := $(VENV)/.run-$(DEPS_HASH)
DEV_STAMP := $(VENV)/.dev-$(DEPS_HASH)
NODE_STAMP := node_modules/.installed-$(DEPS_HASH)
CONSTRAINTS := -c requirements/constraints.txt
PIP := $(PY) -m pip install --quiet --disable-pip-version-check
# SCTS_INSTALLER=pip skips uv. uv does not read pip's configuration: set UV_* if you need to.
SCTS_INSTALLER ?= uv
# The web app (web/): its own package.json, installed and built only when it changed.
WEB_STAMP := web/node_modules/.installed-$(shell sha1sum web/package.json | cut -c1-12)
WEB_SOURCES := $(shell find web/src web/public web/scripts -type f) web/index.html \
	web/vite.config.ts web/tsconfig.json web/package.json
WEB_BUILD := web/dist/index.html
NPX := npx --yes

.PHONY: help install run test lint typecheck unit synth contracts clean web .java .chromium .jq .python-run redrive republish

# `make help` prints every target that has a `## ` description on its line, in file order.
help: ## list the targets (this)
	@grep -E '^[a-z][a-z-]*:.*## ' $(MAKEFILE_LIST) \
	    | sed -E 's/^([a-z-]+):.*## (.*)$$/  make \1\t\2/' | expand -t 20
	@echo
	@echo "One test file:   $(PY) -m pytest tests/unit/test_layering.py -q"
	@echo "One test:        $(PY) -m pytest tests/unit/test_layering.py::test_the_import_contracts_hold -q"
	@echo "Tests by name:   $(PY) -m pytest tests/unit -k layering -q"
	@echo "One layer:       $(PY) -m pytest -m unit -q   (markers: unit integration contract infra e2e)"

install: $(DEV_STAMP) $(NODE_STAMP) $(WEB_STAMP) .java .chromium .jq ## install everything for tests and `make run` (venv, npm, java, chromium, jq)

# Python packages: `make run` installs requirements/run.txt only; tests, lint, type checks
# and synthesis install requirements/dev.txt (a superset). Pins are exact in both, with the
# shared constraints. uv (pinned in installer.txt) installs them when it can, else pip.
define python_install
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@if [ "$(SCTS_INSTALLER)" = uv ] && $(PIP) -r requirements/installer.txt $(CONSTRAINTS) \
	    && $(VENV)/bin/uv pip install --quiet --python $(PY) -r $(1) $(CONSTRAINTS) \
	    && $(VENV)/bin/uv pip install --quiet --python $(PY) --no-deps --no-build-isolation -e .; \
	then echo "installed $(1) with uv"; \
	else echo "installing $(1) with pip"; \
	    $(PIP) -r $(1) $(CONSTRAINTS) \
	    && $(PIP) --no-deps --no-build-isolation -e .; \
	fi
endef

$(RUN_STAMP): $(wildcard requirements/lambda*.txt) requirements/run.txt requirements/constraints.txt requirements/installer.txt pyproject.toml
	@if [ -f $(DEV_STAMP) ]; then touch $@; else $(MAKE) --no-print-directory .python-run; fi

.python-run:
	$(call python_install,requirements/run.txt)
	@rm -f $(VENV)/.run-* $(VENV)/.installed-* && touch $(RUN_STAMP)

$(DEV_STAMP): $(wildcard requirements/lambda*.txt) requirements/run.txt requirements/dev.txt requirements/constraints.txt requirements/installer.txt pyproject.toml
	$(call python_install,requirements/dev.txt)
	@rm -f $(VENV)/.run-* $(VENV)/.dev-* $(VENV)/.installed-* && touch $(RUN_STAMP) $@

# package-lock.json would record registry URLs, so versions are pinned in package.json.
$(NODE_STAMP): package.json
	@command -v npm >/dev/null || (apt-get update -qq && apt-get install -y -qq nodejs npm)
	npm install --no-package-lock --no-audit --no-fund --loglevel=error
	@rm -f node_modules/.installed-* && touch $@

.java:
	@command -v java >/dev/null || (apt-get update -qq && apt-get install -y -qq default-jre-headless)

$(WEB_STAMP): web/package.json
	@command -v npm >/dev/null || (apt-get update -qq && apt-get install -y -qq nodejs npm)
	cd web && npm install --no-package-lock --no-audit --no-fund --loglevel=error
	@rm -f web/node_modules/.installed-* && touch $@

# Browser tests drive Debian's chromium (Playwright cannot download its own browsers here).
.chromium:
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

# The README's examples read endpoints.json with jq; tests/e2e/test_readme_examples.py runs them.
.jq:
	@command -v jq >/dev/null || (apt-get update -qq && apt-get install -y -qq jq)

web: $(WEB_BUILD) ## build the web app into web/dist (`make run` does it when sources changed)

$(WEB_BUILD): $(WEB_STAMP) $(WEB_SOURCES)
	cd web && $(NPX) vite build --logLevel warn
	@touch $@

run: $(RUN_STAMP) $(NODE_STAMP) .java .jq web ## start the whole portal locally on 127.0.0.1 (embedded AWS, demo data)
	$(PY) -m infra.local

lint: install ## ruff check, ruff format --check and eslint
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	cd web && $(NPX) eslint --max-warnings 0 .

typecheck: install ## mypy strict over the Python code and tsc over the web app
	$(PY) -m mypy common contracts services infra bench tests
	cd web && $(NPX) tsc --noEmit -p tsconfig.json

test: lint typecheck web ## lint, type-check and run every test (vitest, then pytest -n 2)
	cd web && $(NPX) vitest run
	$(PY) -m pytest -n 2 --dist loadgroup

unit: install ## only the fast tests: pytest -m "unit or contract"
	$(PY) -m pytest -m "unit or contract" -q

contracts: install ## re-export event JSON Schemas, OpenAPI documents (+ web API types) and docs/ingest.md
	$(PY) -m infra.contracts_export
	$(PY) -m infra.ingest_reference
	cd web && node scripts/generate-api.mjs

synth: install web ## synthesize the CDK app into cdk.out/ (no AWS credentials needed)
	$(PY) -m infra.cdk.synth

# Operator commands against the running local runtime (in AWS: --stage <stage>, see README).
redrive: $(RUN_STAMP) ## move a local DLQ's messages back: make redrive QUEUE=<dlq> (QUEUE=--list lists them)
	@test -n "$(QUEUE)" || (echo "usage: make redrive QUEUE=<dlq name> (make redrive QUEUE=--list lists them)"; exit 2)
	$(PY) -m infra.ops.redrive --local $(QUEUE)

republish: $(RUN_STAMP) ## re-publish local outbox rows: make republish ARGS="--service <name> --unpublished"
	$(PY) -m infra.ops.republish --local $(ARGS)

clean: ## remove the venv, node_modules, builds, caches and .local state
	rm -rf $(VENV) node_modules web/node_modules web/dist cdk.out .local .pytest_cache .mypy_cache .ruff_cache
