# shellcheck shell=bash disable=SC2034 # variables used by infra.sh
# Mosquitto (MQTT) from Debian's packages, our own instance with a generated config and
# persistence under var/mosquitto. Sourced by infra.sh.
#
# Every client authenticates: Mosquitto's dynamic-security plugin holds the clients, roles and
# into var/mosquitto/ (never committed): the admin's and the services' passwords (*.secret), the
# plugin's state (dynamic-security.json: devices provisioned later are kept in it), a local CA
# and the broker's TLS certificate (tls/).
#   MQTT_PORT (11883)      plain, on loopback: the platform's own services and tools
#   MQTT_TLS_PORT (11884)  TLS: devices (the simulator, the tests' devices)

MQTT_HOME="$VAR_DIR/mosquitto"
MQTT_CONF="$MQTT_HOME/mosquitto.conf"
MQTT_DYNSEC="$MQTT_HOME/dynamic-security.json"
MQTT_TLS="$MQTT_HOME/tls"
MQTT_PIDFILE="$RUN_DIR/mosquitto.pid"
MQTT_LOG="$LOG_DIR/mosquitto.log"
MQTT_TLS_PORT="${MQTT_TLS_PORT:-11884}"
MQTT_ADMIN=sbc-admin
# The services' broker clients: username, then the ACLs of its role (acltype topic).
# `+` as the first level: KAFKA_PREFIX puts each run's eldercare topics under a root of its own.
MQTT_SERVICES=(sbc-eldercare sbc-alerts)
MQTT_ACLS_sbc_eldercare=(
  "subscribePattern +/eldercare/devices/+/telemetry"
  "subscribePattern +/eldercare/devices/+/events"
  "subscribePattern +/eldercare/devices/+/receipts"
  "subscribePattern +/eldercare/devices/+/replies"
  "publishClientSend +/eldercare/devices/+/commands"
)
MQTT_ACLS_sbc_alerts=(
  "publishClientSend sbc/alerts/area/+"
  "subscribePattern \$share/+/sbc/alerts/receipts/+"
  "subscribePattern sbc/alerts/receipts/+"
)
MOSQUITTO_TIMEOUT=20

mosquitto_addr() { printf '%s:%s (TLS %s)\n' "$HOST" "$MQTT_PORT" "$MQTT_TLS_PORT"; }
mosquitto_logfile() { printf '%s\n' "$MQTT_LOG"; }

mosquitto_packages() {
  command -v mosquitto >/dev/null || [[ -x /usr/sbin/mosquitto ]] || echo mosquitto
  command -v mosquitto_sub >/dev/null || echo mosquitto-clients
  command -v openssl >/dev/null || echo openssl
}
mosquitto_install() { :; }

mosquitto_bin() { command -v mosquitto || echo /usr/sbin/mosquitto; }

mosquitto_plugin() {
  local p
  for p in /usr/lib/*/mosquitto_dynamic_security.so /usr/lib/mosquitto_dynamic_security.so; do
    [[ -e "$p" ]] && { printf '%s\n' "$p"; return; }
  done
  die "mosquitto: mosquitto_dynamic_security.so not found (Debian's mosquitto package ships it)"
}

mosquitto_pid() { read_pid "$MQTT_PIDFILE" mosquitto; }

# A password of its own per client, generated once (the file is the truth; the broker is told).
mosquitto_secret() { # username
  local f="$MQTT_HOME/$1.secret"
  if [[ ! -s "$f" ]]; then
    mkdir -p "$MQTT_HOME"
    (umask 077 && head -c 24 /dev/urandom | base64 | tr -d '/+=\n' >"$f")
  fi
  cat "$f"
}

# A local CA and the broker's certificate for 127.0.0.1/localhost, generated once.
mosquitto_tls() {
  [[ -s "$MQTT_TLS/server.crt" && -s "$MQTT_TLS/ca.crt" ]] && return
  mkdir -p "$MQTT_TLS"
  (
    umask 077
    cd "$MQTT_TLS"
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=sbc local MQTT CA" \
      -keyout ca.key -out ca.crt 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server.key -out server.csr 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n' >server.ext
    openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 \
      -extfile server.ext -out server.crt 2>/dev/null
    chmod 644 ca.crt server.crt
  )
}

mosquitto_start() {
  local port
  for port in "$MQTT_PORT" "$MQTT_TLS_PORT"; do
    port_open "$port" && die "mosquitto: port $port is already used by another process"
  done
  mkdir -p "$MQTT_HOME/data"
  mosquitto_tls
  # The plugin's state, with the admin client, made once; later starts keep what is in it.
  if [[ ! -s "$MQTT_DYNSEC" ]]; then
    mosquitto_ctrl dynsec init "$MQTT_DYNSEC" "$MQTT_ADMIN" "$(mosquitto_secret "$MQTT_ADMIN")" >/dev/null
  fi
  # Rewritten on every start so the ports can change. Runs in the foreground under launch
  # (pid file, output to var/log/mosquitto.log).
  {
    echo "# Written by infra/local/mosquitto.sh on every start; edits are lost."
    echo "per_listener_settings false"
    echo "allow_anonymous false"
    echo "plugin $(mosquitto_plugin)"
    echo "plugin_opt_config_file $MQTT_DYNSEC"
    echo "listener $MQTT_PORT $HOST"
    echo "listener $MQTT_TLS_PORT $HOST"
    echo "cafile $MQTT_TLS/ca.crt"
    echo "certfile $MQTT_TLS/server.crt"
    echo "keyfile $MQTT_TLS/server.key"
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

mosquitto_ctl() { # dynsec command...
  mosquitto_ctrl -h "$HOST" -p "$MQTT_PORT" -u "$MQTT_ADMIN" -P "$(mosquitto_secret "$MQTT_ADMIN")" dynsec "$@"
}

# Health: a real, authenticated MQTT round trip, reading the broker's retained version topic.
mosquitto_ready() {
  # shellcheck disable=SC2016 # a literal MQTT topic, not a shell variable
  mosquitto_sub -h "$HOST" -p "$MQTT_PORT" -u "$MQTT_ADMIN" -P "$(mosquitto_secret "$MQTT_ADMIN")" \
    -t '$SYS/broker/version' -C 1 -W 3 >/dev/null 2>&1
}
mosquitto_alive() { port_open "$MQTT_PORT"; }

# The services' clients and roles, made idempotently on every start: "already exists" answers
# are fine, and the password is set again from its file.
mosquitto_after_start() {
  local user role acl var
  for user in "${MQTT_SERVICES[@]}"; do
    role="$user"
    mosquitto_ctl createRole "$role" >/dev/null 2>&1 || true
    var="MQTT_ACLS_${user//-/_}[@]"
    for acl in "${!var}"; do
      # shellcheck disable=SC2086 # acltype and topic are two words
      mosquitto_ctl addRoleACL "$role" $acl allow >/dev/null 2>&1 || true
    done
    mosquitto_ctl createClient "$user" -p "$(mosquitto_secret "$user")" >/dev/null 2>&1 || true
    mosquitto_ctl setClientPassword "$user" "$(mosquitto_secret "$user")" 2>&1 | grep -v -i -e encryption -e "visible on the network" -e "^$" >&2 || true
    mosquitto_ctl addClientRole "$user" "$role" >/dev/null 2>&1 || true
  done
}

# A broker started by an older infra.sh (anonymous, no TLS listener) is told apart and named.
mosquitto_refresh() {
  if ! grep -q '^plugin ' "$MQTT_CONF" 2>/dev/null; then
    warn "mosquitto: running with an older config (anonymous, no TLS): run 'infra.sh restart mosquitto'"
  fi
}

mosquitto_env() {
  cat <<EOF
export MQTT_TLS_PORT=$MQTT_TLS_PORT
export MQTT_DEVICE_CA_FILE=$MQTT_TLS/ca.crt
export MQTT_ADMIN_USERNAME=$MQTT_ADMIN
export MQTT_ADMIN_PASSWORD=$(mosquitto_secret "$MQTT_ADMIN")
export ELDERCARE_MQTT_USERNAME=sbc-eldercare
export ELDERCARE_MQTT_PASSWORD=$(mosquitto_secret sbc-eldercare)
export ALERTS_MQTT_USERNAME=sbc-alerts
export ALERTS_MQTT_PASSWORD=$(mosquitto_secret sbc-alerts)
EOF
}

mosquitto_stop() {
  local pid
  pid="$(mosquitto_pid)" || return 0
  log "mosquitto: stopping (pid $pid)"
  # SIGTERM: mosquitto writes its persistence file before it exits.
  stop_pid "$pid" mosquitto TERM 30
  rm -f "$MQTT_PIDFILE"
}
