# shellcheck shell=bash disable=SC2034 # variables used by the other files
# Shared helpers for infra/local/*.sh. Sourced by infra.sh, never run on its own.

# Paths come from this file's own location, so any cwd and any clone folder work.
INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT_DIR="$(cd "$INFRA_DIR/../.." && pwd)"
CACHE_DIR="$ROOT_DIR/.cache"      # installed once, git-ignored
VAR_DIR="${INFRA_VAR_DIR:-$ROOT_DIR/var}" # runtime data, pid files, logs (INFRA_VAR_DIR: a second instance)
RUN_DIR="$VAR_DIR/run"
LOG_DIR="$VAR_DIR/log"

# Ports (override with env vars). Everything binds to 127.0.0.1 only.
KAFKA_PORT="${KAFKA_PORT:-19092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-19093}"
PG_PORT="${PG_PORT:-15432}"
REDIS_PORT="${REDIS_PORT:-16379}"
MQTT_PORT="${MQTT_PORT:-11883}"
HOST=127.0.0.1

log() { printf '%s\n' "$*"; }
warn() { printf '%s\n' "$*" >&2; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# The last lines of a component's log, shown when it fails to come up.
show_log_tail() { # name logfile
  warn "---- last lines of $2 ----"
  tail -n 40 "$2" >&2 2>/dev/null || true
  warn "----"
}

is_root() { [[ $EUID -eq 0 ]]; }

# True when something accepts TCP connections on 127.0.0.1:port (bash built-in, no nc needed).
port_open() { # port
  (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null
}

# True when the pid is alive AND is the expected program: a pid file left by a crash
# may point to a recycled pid that now belongs to something else. A killed server whose
# parent (init here) has not reaped it yet is a zombie: that counts as dead.
pid_is() { # pid comm
  [[ -n "${1:-}" && "$(cat "/proc/$1/comm" 2>/dev/null)" == "$2" ]] && pid_alive "$1"
}

# kill -0 says yes to a zombie; this doesn't.
pid_alive() { # pid
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }" # the fields after "(comm) "; the first is the state
  [[ "${stat:0:1}" != Z ]]
}

# Prints the pid from a pid file when that process runs; drops a stale pid file.
read_pid() { # pidfile comm
  local pid=""
  [[ -s "$1" ]] && pid="$(head -n 1 "$1" | tr -dc '0-9')"
  if pid_is "$pid" "$2"; then
    printf '%s\n' "$pid"
  else
    [[ -e "$1" ]] && rm -f "$1" 2>/dev/null
    return 1
  fi
}

# Starts a long-running server in the background, detached from the caller: setsid gives it
# its own session (a Ctrl-C in the caller's terminal doesn't reach it), nohup and the
# redirects detach it from the terminal. Not being a process-group leader, setsid execs in
# place (as do nohup and setpriv), so $! ends up being the server's own pid. Its output
# goes to the log file.
launch() { # pidfile logfile comm command...
  local pidfile="$1" logfile="$2" comm="$3" pid i
  shift 3
  mkdir -p "$(dirname "$pidfile")" "$(dirname "$logfile")"
  (
    ulimit -n "$(ulimit -Hn)" 2>/dev/null || true # Kafka keeps a file open per log segment
    cd / # servers run as another user may not be able to read the caller's cwd
    exec 9>&- # the infra.sh lock: a server holding it would block every later infra.sh
    exec setsid nohup "$@" </dev/null >>"$logfile" 2>&1
  ) &
  pid=$!
  printf '%s\n' "$pid" >"$pidfile"
  # Until the exec chain reaches the server, the pid still shows as bash/setsid/nohup and
  # would look like a stale pid file: wait for the real program (or its early death).
  for ((i = 0; i < 100; i++)); do
    [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == "$comm" ]] && return 0
    pid_alive "$pid" || return 0
    sleep 0.05
  done
}

# Graceful stop: a polite signal, wait, then SIGKILL.
stop_pid() { # pid name [signal] [timeout_s]
  local pid="$1" name="$2" sig="${3:-TERM}" timeout="${4:-30}" i
  kill "-$sig" "$pid" 2>/dev/null || return 0
  for ((i = 0; i < timeout * 10; i++)); do
    pid_alive "$pid" || return 0
    sleep 0.1
  done
  warn "$name: still running after ${timeout}s, sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    pid_alive "$pid" || return 0
    sleep 0.1
  done
}

# Installs Debian packages (one apt-get call for everything missing), without
# starting the distro services: we run our own instances on our own ports.
APT_UPDATED=""
apt_install() { # packages...
  (($# > 0)) || return 0
  local sudo=""
  if ! is_root; then
    command -v sudo >/dev/null || die "need root (or sudo) to install: $*"
    sudo="sudo"
  fi
  log "installing Debian packages: $* (log: var/log/apt.log)"
  mkdir -p "$LOG_DIR"
  # policy-rc.d exit 101 = "do not start services from maintainer scripts"
  # (else apt would start Debian's own postgres/redis/mosquitto on the default ports).
  local policy=/usr/sbin/policy-rc.d added="" rc=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null && $sudo chmod 755 "$policy" && added=1
  fi
  {
    if [[ -z $APT_UPDATED ]]; then
      $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
    fi &&
      $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
        --no-install-recommends "$@"
  } </dev/null >>"$LOG_DIR/apt.log" 2>&1 || rc=$?
  [[ -n $added ]] && $sudo rm -f "$policy"
  APT_UPDATED=1
  if ((rc != 0)); then
    show_log_tail apt "$LOG_DIR/apt.log"
    die "apt-get install $* failed"
  fi
}

# One infra.sh at a time changes things (two test runs calling `up` together must not race).
take_lock() {
  mkdir -p "$VAR_DIR"
  exec 9>"$VAR_DIR/.infra.lock"
  flock -w 300 9 || die "another infra.sh is still running (lock: var/.infra.lock)"
}
