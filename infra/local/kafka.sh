# shellcheck shell=bash disable=SC2034,SC2153 # variables shared through infra.sh
# Kafka 4.x, single node in KRaft mode (broker + controller in one JVM), run from the
# jars that Maven fetches (infra/local/kafka/pom.xml). Sourced by infra.sh.

KAFKA_POM="$INFRA_DIR/kafka/pom.xml"
KAFKA_TEMPLATE="$INFRA_DIR/kafka/server.properties.template"
KAFKA_LOG4J="$INFRA_DIR/kafka/log4j2.properties"
KAFKA_REGISTRY="$ROOT_DIR/charts/sbc-platform/platform.yaml" # the topics are the registry's
KAFKA_CACHE="$CACHE_DIR/kafka"
KAFKA_LIBS="$KAFKA_CACHE/libs"
KAFKA_HOME="$VAR_DIR/kafka"
KAFKA_DATA="$KAFKA_HOME/data"
KAFKA_CONFIG="$KAFKA_HOME/server.properties"
KAFKA_PID="$RUN_DIR/kafka.pid"
KAFKA_LOG="$LOG_DIR/kafka.log"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
KAFKA_TIMEOUT="${KAFKA_TIMEOUT:-60}" # seconds to healthy (a loaded machine needs more)
# KAFKA_SECURE=1: clients connect over SASL_SSL (SCRAM-SHA-512, a local CA) and the broker allows
# each service principal only its ACLs (runtime.kafka_security); the CA, the broker's certificate
# and every principal's password are made once under var/kafka/security.
KAFKA_SECURE="${KAFKA_SECURE:-0}"
KAFKA_SECURE_TEMPLATE="$INFRA_DIR/kafka/secure.properties.template"
KAFKA_SECURITY="$KAFKA_HOME/security"
KAFKA_CREDENTIALS="$KAFKA_SECURITY/credentials.json"

kafka_addr() { printf '%s:%s\n' "$HOST" "$KAFKA_PORT"; }
kafka_logfile() { printf '%s\n' "$KAFKA_LOG"; }

# Kafka's tools each do one thing per JVM, and a JVM start costs ~1 s. This tiny class runs
# one tool's main() once per stdin line inside a single JVM, so the listing and every topic
# creation take one JVM start in all. Compiled once into .cache/kafka/classes.
KAFKA_RUNMANY_JAVA='import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.reflect.Method;
import org.apache.kafka.common.utils.Exit;

/** Usage: java -cp "libs/*:classes" RunMany <tool main class>  (stdin: one argument list per line) */
public class RunMany {
    static int status;

    public static void main(String[] args) throws Exception {
        Method tool = Class.forName(args[0]).getMethod("main", String[].class);
        // Kafka tools end with Exit.exit(code): record the code instead of ending the JVM.
        Exit.setExitProcedure((code, message) -> { if (status == 0) status = code; });
        int failures = 0;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        for (String line; (line = in.readLine()) != null; ) {
            line = line.trim();
            if (line.isEmpty()) continue;
            status = 0;
            try {
                tool.invoke(null, (Object) line.split("\\s+"));
            } catch (Exception e) {
                e.printStackTrace();
                status = 1;
            }
            if (status != 0) { failures++; System.err.println("FAILED (exit " + status + "): " + line); }
        }
        System.out.flush();
        System.exit(failures == 0 ? 0 : 1);
    }
}
'

kafka_packages() { :; } # Java and Maven are part of the machine; nothing from apt.

# Fetches the jars once; again only when the pom (or RunMany) changes.
kafka_install() {
  command -v java >/dev/null || die "kafka: java not found (Java 17 is expected on this machine)"
  local want
  want="$({ cat "$KAFKA_POM"; printf '%s' "$KAFKA_RUNMANY_JAVA"; } | sha256sum | cut -c1-16)"
  if [[ -f "$KAFKA_CACHE/installed" && "$(cat "$KAFKA_CACHE/installed")" == "$want" ]]; then
    return 0
  fi
  command -v mvn >/dev/null || die "kafka: mvn not found (Maven is expected on this machine)"
  command -v javac >/dev/null || die "kafka: javac not found (a JDK is expected on this machine)"
  log "kafka: fetching Kafka jars with Maven (once, into .cache/kafka; log: var/log/maven.log)"
  mkdir -p "$LOG_DIR" "$CACHE_DIR"
  # Build in a temp folder and swap it in, so an interrupted install is never taken as done.
  local tmp="$KAFKA_CACHE.tmp"
  rm -rf "$tmp"
  mkdir -p "$tmp/src" "$tmp/classes"
  if ! mvn -B -q -Dstyle.color=never -f "$KAFKA_POM" \
    dependency:copy-dependencies -DoutputDirectory="$tmp/libs" </dev/null >"$LOG_DIR/maven.log" 2>&1; then
    show_log_tail maven "$LOG_DIR/maven.log"
    die "kafka: maven could not fetch the Kafka jars"
  fi
  printf '%s' "$KAFKA_RUNMANY_JAVA" >"$tmp/src/RunMany.java"
  javac -nowarn -d "$tmp/classes" -cp "$tmp/libs/*" "$tmp/src/RunMany.java" ||
    die "kafka: could not compile RunMany.java"
  printf '%s\n' "$want" >"$tmp/installed"
  rm -rf "$KAFKA_CACHE"
  mv "$tmp" "$KAFKA_CACHE"
  log "kafka: installed $(find "$KAFKA_LIBS" -name 'kafka_2.13-*.jar' -printf '%f\n')"
}

kafka_pid() { read_pid "$KAFKA_PID" java; }

# Runs a Kafka command-line class from the cached jars, quietly (warnings to stderr).
kafka_tool() { # main-class args...
  java -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
    -Dlog4j2.configurationFile="$KAFKA_LOG4J" -Dinfra.log.level=WARN -Dinfra.log.target=SYSTEM_ERR \
    -cp "$KAFKA_LIBS/*:$KAFKA_CACHE/classes" "$@"
}

kafka_write_config() {
  mkdir -p "$KAFKA_DATA" "$RUN_DIR" "$LOG_DIR"
  rm -f "$KAFKA_HOME/topics-check.log"
  sed -e "s|@KAFKA_PORT@|$KAFKA_PORT|g" \
    -e "s|@KAFKA_CONTROLLER_PORT@|$KAFKA_CONTROLLER_PORT|g" \
    -e "s|@KAFKA_DATA_DIR@|$KAFKA_DATA|g" \
    "$KAFKA_TEMPLATE" >"$KAFKA_CONFIG"
  # Admin client settings for the tools: fail fast while the broker is still starting.
  printf '%s\n' "request.timeout.ms=5000" "default.api.timeout.ms=10000" >"$KAFKA_HOME/admin.properties"
  if kafka_secure; then
    kafka_security_files
    local pw
    pw="$(kafka_admin_password)"
    # Later keys override the template's (java.util.Properties keeps the last).
    sed -e "s|@KAFKA_PORT@|$KAFKA_PORT|g" \
      -e "s|@KAFKA_CONTROLLER_PORT@|$KAFKA_CONTROLLER_PORT|g" \
      -e "s|@KAFKA_SECURITY@|$KAFKA_SECURITY|g" \
      -e "s|@ADMIN_PASSWORD@|$pw|g" \
      "$KAFKA_SECURE_TEMPLATE" >>"$KAFKA_CONFIG"
    chmod 600 "$KAFKA_CONFIG" "$KAFKA_HOME/admin.properties"
    printf '%s\n' "security.protocol=SASL_SSL" "sasl.mechanism=SCRAM-SHA-512" \
      "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"admin\" password=\"$pw\";" \
      "ssl.truststore.type=PEM" "ssl.truststore.location=$KAFKA_SECURITY/ca.pem" >>"$KAFKA_HOME/admin.properties"
  fi
}

kafka_secure() { [[ "$KAFKA_SECURE" == 1 ]]; }

# The project's Python (the registry, the principals and their ACLs).
kafka_python() {
  PYTHONPATH="$ROOT_DIR/services:$ROOT_DIR/protos" "$ROOT_DIR/.venv/bin/python" "$@"
}

# The local CA, the broker's certificate (127.0.0.1) and the principals' passwords, made once.
kafka_security_files() {
  local d="$KAFKA_SECURITY"
  mkdir -p "$d"
  chmod 700 "$d"
  if [[ ! -s "$d/broker.pem" ]]; then
    command -v openssl >/dev/null || die "kafka: openssl not found (it makes the local CA)"
    log "kafka: making a local CA and the broker's certificate in $d"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$d/ca.key" -out "$d/ca.pem" -days 3650 \
      -subj "/CN=sbc local Kafka CA" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -keyout "$d/broker.key" -out "$d/broker.csr" -subj "/CN=$HOST" 2>/dev/null
    printf 'subjectAltName=IP:%s,DNS:localhost\n' "$HOST" >"$d/broker.ext"
    openssl x509 -req -in "$d/broker.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial \
      -out "$d/broker.crt" -days 3650 -extfile "$d/broker.ext" 2>/dev/null
    cat "$d/broker.key" "$d/broker.crt" >"$d/broker.pem"
    chmod 600 "$d/ca.key" "$d/broker.key" "$d/broker.pem"
  fi
  kafka_python -c "import pathlib, sys; from runtime import kafka_security as k; k.credentials(pathlib.Path(sys.argv[1]))" \
    "$KAFKA_CREDENTIALS" || die "kafka: could not write $KAFKA_CREDENTIALS"
}

kafka_admin_password() {
  kafka_python -c "import json, sys; print(json.load(open(sys.argv[1]))['admin'])" "$KAFKA_CREDENTIALS"
}

# The clients' settings for this broker (infra.sh env).
kafka_env() {
  kafka_secure || return 0
  printf 'export %s\n' "KAFKA_SECURITY_PROTOCOL=SASL_SSL" "KAFKA_SASL_MECHANISM=SCRAM-SHA-512" \
    "KAFKA_CA_FILE=$KAFKA_SECURITY/ca.pem" "KAFKA_CREDENTIALS_FILE=$KAFKA_CREDENTIALS"
}

# With KAFKA_SECURE=1: every principal's SCRAM credential and its ACLs (runtime.kafka_security), as the admin.
kafka_sync_principals() {
  kafka_secure || return 0
  KAFKA_SECURITY_PROTOCOL=SASL_SSL KAFKA_CA_FILE="$KAFKA_SECURITY/ca.pem" KAFKA_USERNAME=admin \
    KAFKA_CREDENTIALS_FILE="$KAFKA_CREDENTIALS" KAFKA_PREFIX="" \
    kafka_python -m runtime.kafka_security sync "$KAFKA_CREDENTIALS" --bootstrap-servers "$HOST:$KAFKA_PORT" ||
    die "kafka: could not create the principals and their ACLs"
}

kafka_start() {
  if port_open "$KAFKA_PORT" || port_open "$KAFKA_CONTROLLER_PORT"; then
    die "kafka: port $KAFKA_PORT or $KAFKA_CONTROLLER_PORT is already used by another process"
  fi
  kafka_topic_args >/dev/null || exit 1
  kafka_write_config
  # Storage is formatted once; meta.properties marks a formatted log dir.
  if [[ ! -f "$KAFKA_DATA/meta.properties" ]]; then
    # A cluster id is 16 random bytes in URL-safe base64 (what `kafka-storage random-uuid` prints).
    # Like Kafka's own, it never starts with '-', which the tool's argument parser takes for an option.
    local cluster_id="-"
    while [[ "$cluster_id" == -* ]]; do
      cluster_id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
    done
    log "kafka: formatting storage in var/kafka/data (cluster id $cluster_id)"
    local scram=()
    # The admin's SCRAM credential exists from the start: the broker signs in to itself with it.
    kafka_secure && scram=(--add-scram "SCRAM-SHA-512=[name=admin,password=$(kafka_admin_password)]")
    kafka_tool kafka.tools.StorageTool format --cluster-id "$cluster_id" --config "$KAFKA_CONFIG" "${scram[@]}" \
      >>"$KAFKA_LOG" 2>&1 || {
      show_log_tail kafka "$KAFKA_LOG"
      die "kafka: storage format failed"
    }
  fi
  log "kafka: starting on $(kafka_addr)"
  # shellcheck disable=SC2086 # KAFKA_HEAP_OPTS holds several options
  launch "$KAFKA_PID" "$KAFKA_LOG" java java $KAFKA_HEAP_OPTS \
    -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$KAFKA_LOG4J" \
    -cp "$KAFKA_LIBS/*" kafka.Kafka "$KAFKA_CONFIG"
}

# Health: the broker answers on its port and a topic-list (metadata) call works. The same
# JVM creates the registry's topics that don't exist yet.
kafka_ready() {
  port_open "$KAFKA_PORT" && kafka_sync_topics quiet
}

# What the topics are (the registry's, with those it derives, such as the dead-letter topics).
kafka_topics_hash() { { kafka_topic_args; echo "$KAFKA_DATA"; } | sha256sum | cut -c1-16; }

# The registry's topics as TopicCommand argument lines, one per topic (the registry is read by
# the project's Python: `make install` first, which `make up` and `make test` do).
kafka_topic_args() {
  local py="$ROOT_DIR/.venv/bin/python" name partitions retention
  [[ -x "$py" ]] || die "kafka: .venv is missing (make install); it reads the topics from $KAFKA_REGISTRY"
  PYTHONPATH="$ROOT_DIR/services" "$py" -m runtime.registry topics | while read -r name partitions retention; do
    printf '%s\n' "--create --if-not-exists --topic $name --partitions $partitions --replication-factor 1 --config retention.ms=$retention"
  done
  return "${PIPESTATUS[0]}"
}

kafka_sync_topics() { # [quiet]
  local common args line out
  common="--bootstrap-server $HOST:$KAFKA_PORT --command-config $KAFKA_HOME/admin.properties"
  args="$(kafka_topic_args)" || exit 1
  # The listing first: it is the health check (metadata answered), then one create per topic.
  if ! out="$({
    echo "$common --list"
    while IFS= read -r line; do
      [[ -z "$line" ]] || echo "$common $line"
    done <<<"$args"
  } | kafka_tool RunMany org.apache.kafka.tools.TopicCommand 2>&1)"; then
    printf '%s\n' "$out" >"$KAFKA_HOME/topics-check.log" # shown if the broker never gets healthy
    [[ "${1:-}" == quiet ]] || warn "$out"
    return 1
  fi
  # Show only what changed ("Created topic X."), not the listing.
  grep '^Created topic' <<<"$out" | sed 's/^/kafka: /' || true
  kafka_topics_hash >"$KAFKA_HOME/topics.synced"
}

# Topics are created by kafka_ready; with KAFKA_SECURE=1 the principals and their ACLs now.
kafka_after_start() { kafka_sync_principals; }

# Why the last health check failed (wait_healthy prints it on a timeout).
kafka_explain() {
  [[ -s "$KAFKA_HOME/topics-check.log" ]] || return 0
  warn "---- last topic list/create attempt ----"
  tail -n 20 "$KAFKA_HOME/topics-check.log" >&2
  warn "----"
}

# Already running: create topics that were added to the registry since the last sync.
kafka_refresh() {
  if [[ "$(cat "$KAFKA_HOME/topics.synced" 2>/dev/null)" != "$(kafka_topics_hash)" ]]; then
    log "kafka: the registry's topics changed, creating missing topics"
    kafka_sync_topics
    kafka_sync_principals
  fi
}

# Cheap check for `status` and for a warm `up`: the process is ours and the port answers.
kafka_alive() { port_open "$KAFKA_PORT"; }

kafka_stop() {
  local pid
  pid="$(kafka_pid)" || return 0
  log "kafka: stopping (pid $pid)"
  # SIGTERM = controlled shutdown: flushes and closes the logs, so the next start needs no recovery.
  stop_pid "$pid" kafka TERM 60
  rm -f "$KAFKA_PID"
}
