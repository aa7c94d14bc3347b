# shellcheck shell=bash disable=SC2034 # variables used by infra.sh
# An S3-compatible object store: the Versity S3 Gateway (versitygw, Apache-2.0) over a plain
# directory under var/objectstore, built once from the Go module registry into .cache/go/bin.
# E-government keeps its applications' materials in it when OBJECT_STORE_URL is set (runtime.objects):
# the same S3 API a cluster's store (Ceph RGW, a cloud's) speaks. Sourced by infra.sh.
#   OBJECT_STORE_PORT (19000)  S3 over HTTP on loopback; its root user's keys are generated once.

OBJECT_STORE_PORT="${OBJECT_STORE_PORT:-19000}"
OBJECT_STORE_HOME="$VAR_DIR/objectstore"
OBJECT_STORE_ROOT="$OBJECT_STORE_HOME/buckets"
OBJECT_STORE_BUCKET=sbc-local
OBJECT_STORE_PIDFILE="$RUN_DIR/objectstore.pid"
OBJECT_STORE_LOG="$LOG_DIR/objectstore.log"
VERSITYGW_VERSION=v1.8.0
VERSITYGW="$CACHE_DIR/go/bin/versitygw"
OBJECTSTORE_TIMEOUT=20

objectstore_addr() { printf '%s:%s\n' "$HOST" "$OBJECT_STORE_PORT"; }
objectstore_logfile() { printf '%s\n' "$OBJECT_STORE_LOG"; }
objectstore_packages() { :; }

# Built with `go install` (a few minutes, once): a stamp per version, as the Makefile does helm.
objectstore_install() {
  [[ -x "$VERSITYGW" && -f "$CACHE_DIR/go/.versitygw-$VERSITYGW_VERSION" ]] && return 0
  command -v go >/dev/null || die "objectstore: go is needed to build versitygw"
  log "objectstore: building versitygw $VERSITYGW_VERSION (go install, once)"
  GOBIN="$CACHE_DIR/go/bin" go install "github.com/versity/versitygw/cmd/versitygw@$VERSITYGW_VERSION"
  touch "$CACHE_DIR/go/.versitygw-$VERSITYGW_VERSION"
}

objectstore_pid() { read_pid "$OBJECT_STORE_PIDFILE" versitygw; }

objectstore_secret() { # name: the root user's access key or secret, made once
  local f="$OBJECT_STORE_HOME/$1"
  if [[ ! -s "$f" ]]; then
    mkdir -p "$OBJECT_STORE_HOME"
    (umask 077 && head -c 24 /dev/urandom | base64 | tr -d '/+=\n' >"$f")
  fi
  cat "$f"
}

objectstore_start() {
  if port_open "$OBJECT_STORE_PORT"; then
    die "objectstore: port $OBJECT_STORE_PORT is already used by another process"
  fi
  # With the posix backend a bucket is a directory of the root: the local bucket exists from the start.
  mkdir -p "$OBJECT_STORE_ROOT/$OBJECT_STORE_BUCKET"
  log "objectstore: starting on $(objectstore_addr)"
  ROOT_ACCESS_KEY_ID="$(objectstore_secret access-key)" ROOT_SECRET_ACCESS_KEY="$(objectstore_secret secret-key)" \
    launch "$OBJECT_STORE_PIDFILE" "$OBJECT_STORE_LOG" versitygw "$VERSITYGW" \
    --port "$HOST:$OBJECT_STORE_PORT" --health /health posix "$OBJECT_STORE_ROOT"
}

objectstore_ready() { curl -fsS -o /dev/null "http://$HOST:$OBJECT_STORE_PORT/health" 2>/dev/null; }
objectstore_alive() { objectstore_ready; }
objectstore_after_start() { :; }
objectstore_refresh() { :; }

objectstore_stop() {
  local pid
  pid="$(objectstore_pid)" || return 0
  log "objectstore: stopping (pid $pid)"
  stop_pid "$pid" objectstore TERM 20
  rm -f "$OBJECT_STORE_PIDFILE"
}

objectstore_env() {
  cat <<ENV
export OBJECT_STORE_URL=http://$HOST:$OBJECT_STORE_PORT
export OBJECT_STORE_BUCKET=$OBJECT_STORE_BUCKET
export OBJECT_STORE_ACCESS_KEY=$(objectstore_secret access-key)
export OBJECT_STORE_SECRET_KEY=$(objectstore_secret secret-key)
ENV
}
