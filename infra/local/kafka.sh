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
KAFKA_TIMEOUT=60

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
    local cluster_id
    cluster_id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
    log "kafka: formatting storage in var/kafka/data (cluster id $cluster_id)"
    kafka_tool kafka.tools.StorageTool format --cluster-id "$cluster_id" --config "$KAFKA_CONFIG" \
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

kafka_after_start() { :; } # topics are created by kafka_ready

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
