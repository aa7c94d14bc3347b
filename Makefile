# The two commands: `make up` runs the platform, `make test` runs every test.
# Both install what is missing first (Python packages, Kafka's jars, Debian
# packages for PostgreSQL, Redis and Mosquitto, grpcurl) and start what they need.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
CACHE := .cache
GRPCURL := $(CACHE)/go/bin/grpcurl
GRPCURL_VERSION := v1.9.3
INFRA := bash infra/local/infra.sh
PYTEST_ARGS ?=

.PHONY: up test install protos protos-check infra-up infra-down infra-status lock tools browser clean

## up: install, start the infrastructure and every process; Ctrl-C stops the processes.
up: install tools infra-up
	@eval "$$($(INFRA) env)" && $(PY) infra/local/supervisor.py

## test: install, start the infrastructure, run every test.
test: install tools browser infra-up
	@eval "$$($(INFRA) env)" && $(PY) -m pytest $(PYTEST_ARGS)

## install: the Python environment, from the lock file.
install: $(VENV)/.installed

$(VENV)/.installed: requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	@touch $@

## tools: grpcurl, built from the Go module registry (the README's examples use it).
tools: $(GRPCURL)

$(GRPCURL):
	GOBIN=$(abspath $(CACHE)/go/bin) go install github.com/fullstorydev/grpcurl/cmd/grpcurl@$(GRPCURL_VERSION)

## browser: Debian's Chromium, which the page tests drive headless through Playwright.
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

## protos: regenerate the Python code from protos/ (never edit it by hand).
protos: install
	$(PY) protos/generate.py

protos-check: install
	$(PY) protos/generate.py --check

infra-up:
	@$(INFRA) up

infra-down:
	@$(INFRA) down

infra-status:
	@$(INFRA) status

## lock: re-resolve requirements.in into requirements.lock.
lock:
	rm -rf $(CACHE)/lockenv && $(PYTHON) -m venv $(CACHE)/lockenv
	$(CACHE)/lockenv/bin/pip install --quiet -r requirements.in
	$(CACHE)/lockenv/bin/pip freeze --exclude-editable > requirements.lock
	rm -rf $(CACHE)/lockenv

clean:
	rm -rf var/data var/run var/e2e
