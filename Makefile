# The two commands a newcomer needs: `make run` and `make test`. Everything else is a helper.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEPS_HASH := $(shell cat requirements/*.txt pyproject.toml package.json | sha1sum | cut -c1-12)
PY_STAMP := $(VENV)/.installed-$(DEPS_HASH)
NODE_STAMP := node_modules/.installed-$(DEPS_HASH)

.PHONY: help install run test lint typecheck unit synth contracts clean .java redrive republish

help:
	@echo "make run    start the whole portal locally (embedded AWS, demo data)"
	@echo "make test   lint, type-check and run every test"
	@echo "make synth  synthesize the CDK app into cdk.out/ (no AWS credentials needed)"
	@echo "make contracts  re-export event JSON Schemas and OpenAPI documents"
	@echo "make redrive QUEUE=<dlq>   move a local DLQ's messages back (docs/reliability.md)"
	@echo "make republish ARGS=\"--service <name> --unpublished\"   re-publish local outbox rows"

install: $(PY_STAMP) $(NODE_STAMP) .java

$(PY_STAMP): requirements/lambda.txt requirements/dev.txt requirements/constraints.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements/dev.txt -c requirements/constraints.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@rm -f $(VENV)/.installed-* && touch $@

# package-lock.json would record registry URLs, so versions are pinned in package.json.
$(NODE_STAMP): package.json
	@command -v npm >/dev/null || (apt-get update -qq && apt-get install -y -qq nodejs npm)
	npm install --no-package-lock --no-audit --no-fund --loglevel=error
	@rm -f node_modules/.installed-* && touch $@

.java:
	@command -v java >/dev/null || (apt-get update -qq && apt-get install -y -qq default-jre-headless)

run: install
	$(PY) -m infra.local

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

typecheck: install
	$(PY) -m mypy common contracts services infra bench tests

test: lint typecheck
	$(PY) -m pytest -n 2 --dist loadgroup

unit: install
	$(PY) -m pytest -m "unit or contract" -q

contracts: install
	$(PY) -m contracts.export

synth: install
	$(PY) -m infra.cdk.synth

# Operator commands against the running local runtime (in AWS: --stage <stage>, see README).
redrive: install
	@test -n "$(QUEUE)" || (echo "usage: make redrive QUEUE=<dlq name> (make redrive QUEUE=--list lists them)"; exit 2)
	$(PY) -m infra.ops.redrive --local $(QUEUE)

republish: install
	$(PY) -m infra.ops.republish --local $(ARGS)

clean:
	rm -rf $(VENV) node_modules cdk.out .local .pytest_cache .mypy_cache .ruff_cache
