#!/usr/bin/env bash
# The platform's image (the Dockerfile), built and run with podman on these machines, where no
# image registry is reachable and packages come through a proxy only the host trusts.
#
#   image.sh base              the base image: Debian bookworm from Debian's packages (debootstrap),
#                              with python3 and python3-venv; prints its name. The rootfs is cached
#                              under .cache/podman/, so only a fresh clone runs debootstrap.
#   image.sh build [NAME]      base, then `podman build` of the Dockerfile with PYTHON_IMAGE=the base
#                              and the host's CA bundle mounted read-only for pip; prints the name
#                              (default localhost/sbc-platform:dev)
#   image.sh run NAME ARGS...  `podman run` as the chart runs a process: user 10001, a read-only
#                              root filesystem, a tmpfs /tmp, the host's network
#   image.sh env               export lines for running podman by hand (CONTAINERS_CONF)
#
# Podman here: the runc runtime (crun refuses), cgroupfs, no default ulimits (podman/containers.conf).
# Networking: `--network host`. The local infrastructure listens on 127.0.0.1 only, which a
# container reaches only on the host's network; published ports (-p) would need each process's
# address configured twice and CNI bridges, which are not set up here.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"
log() { printf '%s\n' "$*" >&2; } # stdout carries only the image's name

export CONTAINERS_CONF="$HERE/podman/containers.conf"
DEBIAN_MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
DEBIAN_SUITE=bookworm
BASE_PACKAGES="python3,python3-venv"
CA_BUNDLE="${CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}"
IMAGE_CACHE="$CACHE_DIR/podman"
# The base's name changes with what goes into it, so a changed package list builds a new one.
BASE_VERSION=1 # raise to rebuild the base with the same packages
BASE_TAG="$(printf '%s %s %s' "$DEBIAN_SUITE" "$BASE_PACKAGES" "$BASE_VERSION" | sha256sum | cut -c1-12)"
BASE_IMAGE="localhost/sbc-python:$DEBIAN_SUITE-$BASE_TAG"
BASE_TAR="$IMAGE_CACHE/sbc-python-$DEBIAN_SUITE-$BASE_TAG.tar"

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; }

# The packages the host needs: podman, runc and debootstrap (once).
host_tools() {
  local missing=()
  command -v podman >/dev/null || missing+=(podman)
  [[ -x /usr/sbin/runc || -n "$(command -v runc)" ]] || missing+=(runc)
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  apt_install "${missing[@]}"
}

# The rootfs tarball: debootstrap once, then cleaned of apt's lists, docs and man pages.
base_tar() {
  [[ -s $BASE_TAR ]] && return 0
  is_root || die "debootstrap needs root"
  local root="$IMAGE_CACHE/rootfs-$BASE_TAG.tmp"
  rm -rf "$root"
  mkdir -p "$root" "$LOG_DIR"
  log "image: debootstrap $DEBIAN_SUITE with $BASE_PACKAGES (once; log: var/log/debootstrap.log)"
  if ! debootstrap --variant=minbase --include="$BASE_PACKAGES" "$DEBIAN_SUITE" "$root" "$DEBIAN_MIRROR" \
    >"$LOG_DIR/debootstrap.log" 2>&1; then
    show_log_tail debootstrap "$LOG_DIR/debootstrap.log"
    die "debootstrap failed"
  fi
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* "$root"/usr/share/doc/* \
    "$root"/usr/share/man/* "$root"/usr/share/locale/* "$root"/var/log/*
  tar --numeric-owner -C "$root" -cf "$BASE_TAR.tmp" .
  mv "$BASE_TAR.tmp" "$BASE_TAR"
  rm -rf "$root"
}

cmd_base() {
  mkdir -p "$IMAGE_CACHE"
  # Parallel runs (two test sessions) build the base once.
  exec 8>"$IMAGE_CACHE/.lock"
  flock -w 900 8 || die "another image.sh holds $IMAGE_CACHE/.lock"
  host_tools
  if ! podman image exists "$BASE_IMAGE"; then
    base_tar
    podman import --quiet --change 'CMD ["python3"]' "$BASE_TAR" "$BASE_IMAGE" >/dev/null
  fi
  exec 8>&-
  printf '%s\n' "$BASE_IMAGE"
}

cmd_build() {
  local name="${1:-localhost/sbc-platform:dev}" base
  base="$(cmd_base)"
  [[ -r $CA_BUNDLE ]] || die "no CA bundle at $CA_BUNDLE (set CA_BUNDLE)"
  # The CA bundle is a build-time mount (not a layer): pip trusts the host's proxy, the image
  # keeps no certificate of it.
  podman build --quiet --format docker --network host \
    --build-arg PYTHON_IMAGE="$base" \
    --build-arg PIP_CERT=/run/host-ca.crt \
    --volume "$CA_BUNDLE:/run/host-ca.crt:ro" \
    --tag "$name" "$ROOT_DIR" >/dev/null
  printf '%s\n' "$name"
}

cmd_run() {
  (($# >= 2)) || die "usage: image.sh run NAME ARGS..."
  local name="$1"
  shift
  exec podman run --rm --network host --user 10001:10001 --read-only --tmpfs /tmp:rw,mode=1777 "$name" "$@"
}

case "${1:-}" in
base) cmd_base ;;
build)
  shift
  cmd_build "$@"
  ;;
run)
  shift
  cmd_run "$@"
  ;;
env) printf 'export CONTAINERS_CONF=%q\n' "$CONTAINERS_CONF" ;;
-h | --help | help) usage ;;
*)
  usage >&2
  exit 2
  ;;
esac
