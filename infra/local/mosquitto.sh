# shellcheck shell=bash disable=SC2034 # variables used by infra.sh
# Mosquitto (MQTT) from Debian's packages, our own instance on MQTT_PORT with a generated
# config and persistence under var/mosquitto. Sourced by infra.sh.

MQTT_HOME="$VAR_DIR/mosquitto"
MQTT_CONF="$MQTT_HOME/mosquitto.conf"
MQTT_PIDFILE="$RUN_DIR/mosquitto.pid"
MQTT_LOG="$LOG_DIR/mosquitto.log"
MOSQUITTO_TIMEOUT=20

mosquitto_addr() { printf '%s:%s\n' "$HOST" "$MQTT_PORT"; }
mosquitto_logfile() { printf '%s\n' "$MQTT_LOG"; }

mosquitto_packages() {
  command -v mosquitto >/dev/null || [[ -x /usr/sbin/mosquitto ]] || echo mosquitto
  command -v mosquitto_sub >/dev/null || echo mosquitto-clients
}
mosquitto_install() { :; }

mosquitto_bin() { command -v mosquitto || echo /usr/sbin/mosquitto; }

mosquitto_pid() { read_pid "$MQTT_PIDFILE" mosquitto; }

mosquitto_start() {
  if port_open "$MQTT_PORT"; then
    die "mosquitto: port $MQTT_PORT is already used by another process"
  fi
  mkdir -p "$MQTT_HOME/data"
  # Rewritten on every start so MQTT_PORT can change. Anonymous clients: local dev only,
  # and the listener is on loopback. Runs in the foreground under launch (pid file, output
  # to var/log/mosquitto.log).
  {
    echo "# Written by infra/local/mosquitto.sh on every start; edits are lost."
    echo "listener $MQTT_PORT $HOST"
    echo "allow_anonymous true"
    echo "persistence true"
    echo "persistence_location $MQTT_HOME/data/"
    echo "autosave_interval 60"
    echo "log_dest stdout"
    echo "log_type error"
    echo "log_type warning"
    echo "log_type notice"
    echo "log_type information"
    # As root, mosquitto would switch to the `mosquitto` user, which may not be able to
    # enter the repo folder; stay root (loopback-only dev broker).
    is_root && echo "user root"
  } >"$MQTT_CONF"
  log "mosquitto: starting on $(mosquitto_addr)"
  launch "$MQTT_PIDFILE" "$MQTT_LOG" mosquitto "$(mosquitto_bin)" -c "$MQTT_CONF"
}

# Health: a real MQTT round trip, reading the broker's retained version topic.
mosquitto_ready() {
  # shellcheck disable=SC2016 # a literal MQTT topic, not a shell variable
  mosquitto_sub -h "$HOST" -p "$MQTT_PORT" -t '$SYS/broker/version' -C 1 -W 3 >/dev/null 2>&1
}
mosquitto_alive() { port_open "$MQTT_PORT"; }
mosquitto_after_start() { :; }
mosquitto_refresh() { :; }

mosquitto_stop() {
  local pid
  pid="$(mosquitto_pid)" || return 0
  log "mosquitto: stopping (pid $pid)"
  # SIGTERM: mosquitto writes its persistence file before it exits.
  stop_pid "$pid" mosquitto TERM 30
  rm -f "$MQTT_PIDFILE"
}
