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

.PHONY: help install run test lint typecheck unit synth contracts clean web redrive republish .java .chromium .python-run

help:
	@echo "make run    start the whole portal locally (embedded AWS, demo data)"
	@echo "make test   lint, type-check and run every test"
	@echo "make synth  synthesize the CDK app into cdk.out/ (no AWS credentials needed)"
	@echo "make contracts  re-export event JSON Schemas and OpenAPI documents (+ web API types)"
	@echo "make web   build the web app into web/dist (make run does it when sources changed)"
	@echo "make redrive QUEUE=<dlq>   move a local DLQ's messages back (docs/reliability.md)"
	@echo "make republish ARGS=\"--service <name> --unpublished\"   re-publish local outbox rows"

install: $(DEV_STAMP) $(NODE_STAMP) $(WEB_STAMP) .java .chromium

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

web: $(WEB_BUILD)

$(WEB_BUILD): $(WEB_STAMP) $(WEB_SOURCES)
	cd web && $(NPX) vite build --logLevel warn
	@touch $@

run: $(RUN_STAMP) $(NODE_STAMP) .java web
	$(PY) -m infra.local

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	cd web && $(NPX) eslint --max-warnings 0 .

typecheck: install
	$(PY) -m mypy common contracts services infra bench tests
	cd web && $(NPX) tsc --noEmit -p tsconfig.json

test: lint typecheck web
	cd web && $(NPX) vitest run
	$(PY) -m pytest -n 2 --dist loadgroup

unit: install
	$(PY) -m pytest -m "unit or contract" -q

contracts: install
	$(PY) -m infra.contracts_export
	cd web && node scripts/generate-api.mjs

synth: install web
	$(PY) -m infra.cdk.synth

# Operator commands against the running local runtime (in AWS: --stage <stage>, see README).
redrive: $(RUN_STAMP)
	@test -n "$(QUEUE)" || (echo "usage: make redrive QUEUE=<dlq name> (make redrive QUEUE=--list lists them)"; exit 2)
	$(PY) -m infra.ops.redrive --local $(QUEUE)

republish: $(RUN_STAMP)
	$(PY) -m infra.ops.republish --local $(ARGS)

clean:
	rm -rf $(VENV) node_modules web/node_modules web/dist cdk.out .local .pytest_cache .mypy_cache .ruff_cache
