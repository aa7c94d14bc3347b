#!/usr/bin/env bash
# Local infrastructure for development, tests and CI: Kafka, PostgreSQL, Redis, Mosquitto and
# an S3-compatible object store as plain processes on 127.0.0.1 (no Docker). Installed once into .cache/,
# data and logs under var/ (both git-ignored, at the repo root).
#
#   infra.sh up      [components...]   install if needed, start, wait until healthy
#   infra.sh down    [components...]   stop gracefully (SIGTERM/SIGINT, then SIGKILL)
#   infra.sh restart [components...]   down then up; data is kept
#   infra.sh status  [components...]   one line per component: name, up/down, address
#   infra.sh env                       export lines for the services (eval "$(infra.sh env)")
#   infra.sh kafka-run CLASS [args]    run a Kafka tool from the cached jars, e.g.
#                                      org.apache.kafka.tools.TopicCommand --bootstrap-server ... --list
#
# Components: kafka postgres redis mosquitto objectstore (default: all).
# Ports: KAFKA_PORT=19092 KAFKA_CONTROLLER_PORT=19093 PG_PORT=15432 REDIS_PORT=16379 MQTT_PORT=11883
#        MQTT_TLS_PORT=11884 (the broker's TLS listener for devices) OBJECT_STORE_PORT=19000
# KAFKA_SECURE=1: Kafka with SASL_SSL (SCRAM) and ACLs per service principal (kafka.sh).
# INFRA_VAR_DIR: data, logs and pid files elsewhere than var/ (a second instance on other ports).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"
# shellcheck source=kafka.sh
source "$HERE/kafka.sh"
# shellcheck source=postgres.sh
source "$HERE/postgres.sh"
# shellcheck source=redis.sh
source "$HERE/redis.sh"
# shellcheck source=mosquitto.sh
source "$HERE/mosquitto.sh"
# shellcheck source=objectstore.sh
source "$HERE/objectstore.sh"

# Kafka first: it is the slowest to boot, so the others start while it does.
ALL_COMPONENTS=(kafka postgres redis mosquitto objectstore)

# The comment block at the top of this file.
usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$HERE/infra.sh"; }

# The components named on the command line (validated), or all of them, in start order.
select_components() {
  local c want
  if (($# == 0)); then
    printf '%s\n' "${ALL_COMPONENTS[@]}"
    return
  fi
  for want in "$@"; do
    [[ " ${ALL_COMPONENTS[*]} " == *" $want "* ]] || die "unknown component '$want' (known: ${ALL_COMPONENTS[*]})"
  done
  for c in "${ALL_COMPONENTS[@]}"; do
    [[ " $* " == *" $c "* ]] && printf '%s\n' "$c"
  done
  return 0
}

timeout_of() {
  case "$1" in
  kafka) echo "$KAFKA_TIMEOUT" ;;
  postgres) echo "$PG_TIMEOUT" ;;
  redis) echo "$REDIS_TIMEOUT" ;;
  mosquitto) echo "$MOSQUITTO_TIMEOUT" ;;
  objectstore) echo "$OBJECTSTORE_TIMEOUT" ;;
  esac
}

# Waits until a started component answers its health check; on failure prints its log tail.
wait_healthy() { # component
  local c="$1" t0=$SECONDS
  local deadline=$((SECONDS + $(timeout_of "$c")))
  while ! "${c}_ready"; do
    if ! "${c}_pid" >/dev/null; then
      show_log_tail "$c" "$("${c}_logfile")"
      die "$c: the process exited during startup"
    fi
    if ((SECONDS >= deadline)); then
      show_log_tail "$c" "$("${c}_logfile")"
      if declare -F "${c}_explain" >/dev/null; then "${c}_explain"; fi
      die "$c: not healthy after $(timeout_of "$c")s (still running; stop it with: infra.sh down $c)"
    fi
    sleep 0.3
  done
  "${c}_after_start"
  log "$c: up on $("${c}_addr") (healthy after $((SECONDS - t0))s)"
}

cmd_up() {
  local comps c pkgs=() to_start=() to_wait=()
  mapfile -t comps < <(select_components "$@")
  mkdir -p "$RUN_DIR" "$LOG_DIR"

  for c in "${comps[@]}"; do
    if "${c}_pid" >/dev/null; then
      if "${c}_alive"; then
        log "$c: already running on $("${c}_addr")"
        "${c}_refresh"
      else
        to_wait+=("$c") # our process, but not answering yet (still booting?)
      fi
    else
      to_start+=("$c")
      mapfile -t -O "${#pkgs[@]}" pkgs < <("${c}_packages")
    fi
  done

  # Install what is missing: one apt-get call for all Debian packages, then the rest.
  apt_install "${pkgs[@]}"
  for c in "${to_start[@]}"; do "${c}_install"; done

  # Start everything, then wait: the servers boot in parallel.
  for c in "${to_start[@]}"; do "${c}_start"; done
  for c in "${to_start[@]}" "${to_wait[@]}"; do wait_healthy "$c"; done
}

cmd_down() {
  local comps c i
  mapfile -t comps < <(select_components "$@")
  # Reverse start order.
  for ((i = ${#comps[@]} - 1; i >= 0; i--)); do
    c="${comps[i]}"
    if "${c}_pid" >/dev/null; then
      "${c}_stop"
      log "$c: stopped"
    else
      log "$c: not running"
    fi
  done
}

cmd_status() {
  local comps c state
  mapfile -t comps < <(select_components "$@")
  for c in "${comps[@]}"; do
    state=down
    if "${c}_pid" >/dev/null; then
      if "${c}_alive"; then state=up; else state=starting; fi
    fi
    printf '%-10s %-9s %s\n' "$c" "$state" "$("${c}_addr")"
  done
}

cmd_env() {
  cat <<EOF
export KAFKA_BOOTSTRAP_SERVERS=$HOST:$KAFKA_PORT
export REDIS_URL=redis://$HOST:$REDIS_PORT/0
export MQTT_HOST=$HOST
export MQTT_PORT=$MQTT_PORT
export PG_ADMIN_URL=postgresql+psycopg://sbc:sbc@$HOST:$PG_PORT/sbc
EOF
  kafka_env
  mosquitto_env
  objectstore_env
}

main() {
  local cmd="${1:-}"
  (($# > 0)) && shift
  case "$cmd" in
  up | down | restart)
    select_components "$@" >/dev/null # reject unknown names before waiting for the lock
    # One changer at a time (parallel test runs call up/restart); restart holds the lock
    # from its stop to its start, so nobody else's up/down slips in between.
    take_lock
    ;;
  esac
  case "$cmd" in
  up) cmd_up "$@" ;;
  down) cmd_down "$@" ;;
  restart)
    cmd_down "$@"
    cmd_up "$@"
    ;;
  status) cmd_status "$@" ;;
  env) cmd_env ;;
  kafka-run)
    (($# > 0)) || die "usage: infra.sh kafka-run MAIN_CLASS [args...]"
    kafka_install >&2 # keep the tool's stdout clean
    kafka_tool "$@"
    ;;
  -h | --help | help) usage ;;
  *)
    usage >&2
    exit 2
    ;;
  esac
}

main "$@"
