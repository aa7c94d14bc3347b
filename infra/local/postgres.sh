# shellcheck shell=bash disable=SC2034 # variables used by infra.sh
# PostgreSQL from Debian's packages, but our own cluster under var/postgres on PG_PORT
# (Debian's own cluster service is never used). Sourced by infra.sh.

PG_LOG="$LOG_DIR/postgres.log"
PG_PIDFILE="$RUN_DIR/postgres.pid"
PG_TIMEOUT=60

postgres_addr() { printf '%s:%s\n' "$HOST" "$PG_PORT"; }
postgres_logfile() { printf '%s\n' "$PG_LOG"; }

pg_bindir() { # newest installed major version
  local d
  # shellcheck disable=SC2012 # version folders are plain names
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [[ -n "$d" && -x "$d/pg_ctl" ]] && printf '%s\n' "$d"
}

postgres_packages() { pg_bindir >/dev/null || echo postgresql; }
postgres_install() { :; }

# The server refuses to run as root, so as root every server-side command runs as the
# `postgres` OS user (setpriv execs in place, so a launched server keeps the pid we record).
# A non-root user simply runs everything as itself.
as_pg() {
  if is_root; then
    setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"
  else
    "$@"
  fi
}
pg_superuser() { if is_root; then echo postgres; else id -un; fi; }

# Where the cluster lives: var/postgres, or, when the `postgres` user cannot enter the
# repo (a clone under /root, mode 700), a folder under /var/tmp that var/postgres links to.
# Prints the real path (the server must not go through the link it can't traverse).
pg_base() {
  local link="$VAR_DIR/postgres"
  if [[ ! -e "$link" ]] && is_root && ! as_pg test -x "$VAR_DIR" 2>/dev/null; then
    local real
    real="/var/tmp/sbc-infra-$(printf '%s' "$ROOT_DIR" | sha256sum | cut -c1-12)/postgres"
    mkdir -p "$real"
    chmod 755 "$(dirname "$real")"
    ln -sfn "$real" "$link"
    warn "postgres: user postgres cannot enter $VAR_DIR; data goes to $real (var/postgres links there)"
  fi
  mkdir -p "$link"
  readlink -f "$link"
}

# Unix sockets have a ~107-byte path limit: a deep clone folder falls back to /tmp.
pg_socket_dir() { # base
  if ((${#1} + 20 < 100)); then printf '%s/run\n' "$1"; else printf '/tmp\n'; fi
}

postgres_pid() {
  [[ -e "$VAR_DIR/postgres" ]] || return 1
  read_pid "$PG_PIDFILE" postgres
}

postgres_start() {
  local bin base data sock
  bin="$(pg_bindir)" || die "postgres: no server under /usr/lib/postgresql/*/bin"
  if port_open "$PG_PORT"; then
    die "postgres: port $PG_PORT is already used by another process"
  fi
  base="$(pg_base)"
  data="$base/data"
  sock="$(pg_socket_dir "$base")"
  mkdir -p "$sock" "$LOG_DIR"
  is_root && chown postgres: "$base" "$sock"

  # initdb once. PG_VERSION is written last-ish; a data dir without it is a failed attempt.
  if [[ ! -f "$data/PG_VERSION" ]]; then
    rm -rf "$data"
    log "postgres: initdb in var/postgres/data"
    as_pg "$bin/initdb" -D "$data" -U "$(pg_superuser)" -E UTF8 --locale=C.UTF-8 \
      --auth-local=peer --auth-host=scram-sha-256 </dev/null >>"$PG_LOG" 2>&1 || {
      show_log_tail postgres "$PG_LOG"
      die "postgres: initdb failed"
    }
    # Our settings live in infra.conf, rewritten on every start (so PG_PORT can change).
    echo "include_if_exists = 'infra.conf'" >>"$data/postgresql.conf"
  fi
  cat >"$data/infra.conf" <<EOF
# Written by infra/local/postgres.sh on every start; edits are lost.
listen_addresses = '$HOST'
port = $PG_PORT
unix_socket_directories = '$sock'
EOF
  is_root && chown postgres: "$data/infra.conf"

  log "postgres: starting on $(postgres_addr)"
  # The log file is opened by us (root) and inherited, so the postgres user needs no access to var/log.
  local as_user=()
  is_root && as_user=(setpriv --reuid=postgres --regid=postgres --init-groups --)
  launch "$PG_PIDFILE" "$PG_LOG" postgres "${as_user[@]}" "$bin/postgres" -D "$data"
}

postgres_ready() { pg_isready -q -h "$HOST" -p "$PG_PORT" -t 2; }
postgres_alive() { postgres_ready; }

# Login role sbc/sbc (CREATEDB) and database sbc owned by it; a no-op when they exist.
postgres_after_start() {
  local base sock
  base="$(pg_base)"
  sock="$(pg_socket_dir "$base")"
  as_pg "$(pg_bindir)/psql" -X -q -h "$sock" -p "$PG_PORT" -U "$(pg_superuser)" -d postgres \
    -v ON_ERROR_STOP=1 >>"$PG_LOG" 2>&1 <<'SQL' || {
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sbc') THEN
    CREATE ROLE sbc LOGIN CREATEDB PASSWORD 'sbc';
  END IF;
END
$$;
SELECT 'CREATE DATABASE sbc OWNER sbc'
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'sbc')\gexec
SQL
    show_log_tail postgres "$PG_LOG"
    die "postgres: could not create role/database sbc"
  }
}

postgres_refresh() { :; }

postgres_stop() {
  local pid
  pid="$(postgres_pid)" || return 0
  log "postgres: stopping (pid $pid)"
  # SIGINT = "fast" shutdown: rolls back open sessions instead of waiting for clients to leave
  # (SIGTERM, "smart", would wait for every connected service).
  stop_pid "$pid" postgres INT 60
  rm -f "$PG_PIDFILE"
}
