# shellcheck shell=bash disable=SC2034 # variables used by infra.sh
# Redis from Debian's packages, our own instance (not the system service) on REDIS_PORT
# with its data under var/redis. Sourced by infra.sh.

REDIS_HOME="$VAR_DIR/redis"
REDIS_CONF="$REDIS_HOME/redis.conf"
REDIS_PIDFILE="$RUN_DIR/redis.pid"
REDIS_LOG="$LOG_DIR/redis.log"
REDIS_TIMEOUT=20

redis_addr() { printf '%s:%s\n' "$HOST" "$REDIS_PORT"; }
redis_logfile() { printf '%s\n' "$REDIS_LOG"; }

redis_packages() {
  command -v redis-server >/dev/null || echo redis-server
  command -v redis-cli >/dev/null || echo redis-tools
}
redis_install() { :; }

redis_pid() { read_pid "$REDIS_PIDFILE" redis-server; }

redis_start() {
  if port_open "$REDIS_PORT"; then
    die "redis: port $REDIS_PORT is already used by another process"
  fi
  mkdir -p "$REDIS_HOME/data"
  # Rewritten on every start so REDIS_PORT can change. Runs in the foreground under
  # launch (detached, pid file, output to var/log/redis.log) rather than daemonize yes,
  # so the pid is known at once.
  cat >"$REDIS_CONF" <<CONF
# Written by infra/local/redis.sh on every start; edits are lost.
bind $HOST
port $REDIS_PORT
protected-mode yes
daemonize no
logfile ""
dir "$REDIS_HOME/data"
appendonly yes
appendfsync everysec
CONF
  log "redis: starting on $(redis_addr)"
  launch "$REDIS_PIDFILE" "$REDIS_LOG" redis-server redis-server "$REDIS_CONF"
}

redis_ready() { [[ "$(redis-cli -h "$HOST" -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]]; }
redis_alive() { redis_ready; }
redis_after_start() { :; }
redis_refresh() { :; }

redis_stop() {
  local pid
  pid="$(redis_pid)" || return 0
  log "redis: stopping (pid $pid)"
  # SIGTERM: Redis flushes the append-only file and saves before it exits.
  stop_pid "$pid" redis TERM 30
  rm -f "$REDIS_PIDFILE"
}
