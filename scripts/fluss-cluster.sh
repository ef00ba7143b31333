#!/usr/bin/env bash
# A real local Apache Fluss cluster for tests: ZooKeeper + 1 CoordinatorServer +
# N TabletServers as plain JVM processes from the Maven Central jars (no Docker).
#
#   scripts/fluss-cluster.sh start [--tablet-servers N]
#   scripts/fluss-cluster.sh stop [--wipe]
#   scripts/fluss-cluster.sh status
#   scripts/fluss-cluster.sh kill-tablet ID
#   scripts/fluss-cluster.sh restart-tablet ID
#   scripts/fluss-cluster.sh restart-coordinator
#   scripts/fluss-cluster.sh freeze|thaw coordinator|tablet ID   (SIGSTOP / SIGCONT)
#
# `start` prints exactly two lines on stdout once the cluster really answers:
#   FLUSS_BOOTSTRAP_SERVERS=127.0.0.1:<coordinator CLIENT port>
#   FLUSS_SASL_BOOTSTRAP_SERVERS=127.0.0.1:<coordinator SECURE port>
# Everything else goes to stderr. See docs/cluster.md.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
# shellcheck source-path=SCRIPTDIR source=versions.env
. "$SCRIPT_DIR/versions.env"

HOST=127.0.0.1
CLUSTER_DIR="${FLUSS_CLUSTER_DIR:-$REPO_ROOT/.fluss/cluster}"
JAVA="${FLUSS_JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}"
NODE="${FLUSS_NODE:-node}"
PROBE="$SCRIPT_DIR/lib/cluster-probe.mjs"
START_TIMEOUT="${FLUSS_START_TIMEOUT:-120}"
STOP_TIMEOUT="${FLUSS_STOP_TIMEOUT:-30}"

log() { printf '[fluss-cluster] %s\n' "$*" >&2; }
die() {
  log "ERROR: $*"
  exit 1
}
now() { date +%s; }
elapsed_since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

usage() {
  cat >&2 <<'EOF'
usage: fluss-cluster.sh start [--tablet-servers N]
       fluss-cluster.sh stop [--wipe]
       fluss-cluster.sh status
       fluss-cluster.sh kill-tablet ID
       fluss-cluster.sh restart-tablet ID
       fluss-cluster.sh restart-coordinator
       fluss-cluster.sh freeze|thaw coordinator|tablet ID
environment: FLUSS_CLUSTER_DIR, FLUSS_ZK_PORT, FLUSS_PORT_BASE, FLUSS_START_TIMEOUT,
             FLUSS_STOP_TIMEOUT, FLUSS_ZK_HEAP, FLUSS_COORDINATOR_HEAP, FLUSS_TABLET_HEAP,
             FLUSS_JAVA_OPTS, FLUSS_SERVER_CONF_EXTRA, FLUSS_LOG_LEVEL, FLUSS_ZK_SESSION_TIMEOUT,
             FLUSS_JAVA, FLUSS_NODE  (see docs/cluster.md)
EOF
  exit 2
}

is_uint() { [[ "$1" =~ ^[0-9]+$ ]]; }

# ---------------------------------------------------------------- layout / settings

# Settings of the cluster. For a cluster that exists on disk they are read back
# from $CLUSTER_DIR/cluster.env so that stop/status/restart use what start used.
load_settings() {
  ZK_PORT="${FLUSS_ZK_PORT:-2181}"
  PORT_BASE="${FLUSS_PORT_BASE:-9122}"
  TABLETS=1
  JAR_DIR=""
  if [[ -f "$CLUSTER_DIR/cluster.env" ]]; then
    # shellcheck source=/dev/null
    . "$CLUSTER_DIR/cluster.env"
    ZK_PORT="$CLUSTER_ZK_PORT"
    PORT_BASE="$CLUSTER_PORT_BASE"
    TABLETS="$CLUSTER_TABLETS"
    JAR_DIR="$CLUSTER_JAR_DIR"
  fi
  is_uint "$ZK_PORT" || die "FLUSS_ZK_PORT must be a number (got '$ZK_PORT')"
  is_uint "$PORT_BASE" || die "FLUSS_PORT_BASE must be a number (got '$PORT_BASE')"
}

# Port layout: coordinator INTERNAL/CLIENT/SECURE = base, base+1, base+2;
# tablet server i = base+10*(i+1), +1, +2.
role_port_base() {
  local role="$1"
  case "$role" in
    coordinator) echo "$PORT_BASE" ;;
    tablet-*) echo $((PORT_BASE + 10 * (${role#tablet-} + 1))) ;;
    *) die "no ports for role $role" ;;
  esac
}
internal_port() { role_port_base "$1"; }
client_port() { echo $(($(role_port_base "$1") + 1)); }
sasl_port() { echo $(($(role_port_base "$1") + 2)); }

tablet_roles() {
  local i
  for ((i = 0; i < TABLETS; i++)); do echo "tablet-$i"; done
}
all_roles() {
  echo zookeeper
  echo coordinator
  tablet_roles
}

pid_file() { echo "$CLUSTER_DIR/pids/$1.pid"; }
log_file() { echo "$CLUSTER_DIR/logs/$1.log"; }
out_file() { echo "$CLUSTER_DIR/logs/$1.out"; }

# The pid of a process we started for ROLE, if it is still alive. A pid is ours
# only if its command line carries our marker (guards against pid reuse).
live_pid() {
  local role="$1" f pid
  f="$(pid_file "$role")"
  [[ -s "$f" ]] || return 1
  pid="$(<"$f")"
  is_uint "$pid" || return 1
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | grep -qxF -- "-Dfluss.cluster.role=$CLUSTER_DIR#$role" || return 1
  echo "$pid"
}

port_in_use() {
  (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null
}

print_bootstrap_lines() {
  printf 'FLUSS_BOOTSTRAP_SERVERS=%s:%s\n' "$HOST" "$(client_port coordinator)"
  printf 'FLUSS_SASL_BOOTSTRAP_SERVERS=%s:%s\n' "$HOST" "$(sasl_port coordinator)"
}

# ---------------------------------------------------------------- locking

take_lock() {
  mkdir -p "$CLUSTER_DIR"
  exec 9>"$CLUSTER_DIR/.lock"
  if ! flock -w 600 9; then
    die "could not lock $CLUSTER_DIR/.lock (another fluss-cluster.sh is busy)"
  fi
}

# ---------------------------------------------------------------- probe

probe() {
  "$NODE" "$PROBE" "$@"
}

# Full readiness: the coordinator lists every tablet server (so table creation
# works), knows itself and has created the default database; every tablet
# server has received the cluster metadata from the coordinator.
cluster_ready() {
  local want=() i role
  for ((i = 0; i < TABLETS; i++)); do want+=(--require-node "$i"); done
  probe "$HOST:$(client_port coordinator)" --timeout-ms 3000 --quiet \
    --min-tablets "$TABLETS" "${want[@]}" --require-coordinator --database fluss >/dev/null 2>&1 || return 1
  for role in $(tablet_roles); do
    probe "$HOST:$(client_port "$role")" --timeout-ms 3000 --quiet \
      --min-tablets "$TABLETS" "${want[@]}" >/dev/null 2>&1 || return 1
  done
}

# ---------------------------------------------------------------- config files

write_configs() {
  local role i
  mkdir -p "$CLUSTER_DIR"/{conf,data,logs,pids,plugins}

  cat >"$CLUSTER_DIR/conf/log4j2.properties" <<EOF
# Written by scripts/fluss-cluster.sh
monitorInterval = 0
rootLogger.level = ${FLUSS_LOG_LEVEL:-INFO}
rootLogger.appenderRef.file.ref = MainAppender
appender.main.name = MainAppender
appender.main.type = File
appender.main.append = true
appender.main.fileName = \${sys:log.file}
appender.main.layout.type = PatternLayout
appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p [%t] %c{1.} - %m%n
EOF

  mkdir -p "$CLUSTER_DIR/conf/zookeeper" "$CLUSTER_DIR/data/zookeeper"
  cat >"$CLUSTER_DIR/conf/zookeeper/zoo.properties" <<EOF
# Written by scripts/fluss-cluster.sh (standalone ZooKeeper)
dataDir=$CLUSTER_DIR/data/zookeeper
clientPort=$ZK_PORT
clientPortAddress=$HOST
maxClientCnxns=0
admin.enableServer=false
4lw.commands.whitelist=ruok,srvr
tickTime=2000
EOF

  for role in coordinator $(tablet_roles); do
    mkdir -p "$CLUSTER_DIR/conf/$role"
    {
      echo "# Written by scripts/fluss-cluster.sh. Parsed line by line as 'key: value'; no '#' inside values."
      echo "zookeeper.address: $HOST:$ZK_PORT"
      echo "zookeeper.client.session-timeout: ${FLUSS_ZK_SESSION_TIMEOUT:-20s}"
      echo "bind.listeners: INTERNAL://$HOST:$(internal_port "$role"), CLIENT://$HOST:$(client_port "$role"), SECURE://$HOST:$(sasl_port "$role")"
      echo "internal.listener.name: INTERNAL"
      echo "security.protocol.map: INTERNAL:PLAINTEXT, CLIENT:PLAINTEXT, SECURE:SASL"
      echo "security.sasl.enabled.mechanisms: PLAIN"
      echo 'security.sasl.plain.jaas.config: org.apache.fluss.security.auth.sasl.plain.PlainLoginModule required user_admin="admin-secret" user_alice="alice-secret";'
      echo "remote.data.dir: $CLUSTER_DIR/data/remote"
      echo "default.bucket.number: 1"
      echo "default.replication.factor: 1"
      # Thread counts of Fluss's own test harness (FlussClusterExtension).
      echo "netty.server.num-network-threads: 1"
      echo "netty.server.num-worker-threads: 3"
      echo "server.io-pool.size: 3"
      if [[ "$role" == tablet-* ]]; then
        i="${role#tablet-}"
        mkdir -p "$CLUSTER_DIR/data/$role"
        echo "tablet-server.id: $i"
        echo "data.dir: $CLUSTER_DIR/data/$role"
        # Small heap pool for write-ahead-log rows (default 256mb).
        echo "server.buffer.memory-size: 64mb"
        echo "server.buffer.per-request-memory-size: 8mb"
        # RocksDB memory is off-heap and per primary-key bucket (default 64mb x 2).
        echo "kv.rocksdb.writebuffer.size: 8mb"
        echo "kv.rocksdb.writebuffer.count: 2"
        echo "kv.rocksdb.block.cache-size: 4mb"
        # With replication factor 1 leadership cannot move anyway; retry once, not 3x.
        echo "tablet-server.controlled-shutdown.max-retries: 1"
      fi
      if [[ -n "${FLUSS_SERVER_CONF_EXTRA:-}" ]]; then
        echo "# FLUSS_SERVER_CONF_EXTRA"
        printf '%s\n' "$FLUSS_SERVER_CONF_EXTRA"
      fi
    } >"$CLUSTER_DIR/conf/$role/server.yaml"
  done

  cat >"$CLUSTER_DIR/cluster.env" <<EOF
# Written by scripts/fluss-cluster.sh start; read back by stop/status/*-tablet.
CLUSTER_FLUSS_VERSION=$FLUSS_VERSION
CLUSTER_ZK_PORT=$ZK_PORT
CLUSTER_PORT_BASE=$PORT_BASE
CLUSTER_TABLETS=$TABLETS
CLUSTER_JAR_DIR=$JAR_DIR
EOF
}

# ---------------------------------------------------------------- processes

launch() {
  local role="$1" heap main args=() jvm=()
  case "$role" in
    zookeeper)
      heap="${FLUSS_ZK_HEAP:-256m}"
      main=org.apache.fluss.shaded.zookeeper3.org.apache.zookeeper.server.quorum.QuorumPeerMain
      args=("$CLUSTER_DIR/conf/zookeeper/zoo.properties")
      ;;
    coordinator)
      heap="${FLUSS_COORDINATOR_HEAP:-512m}"
      main=org.apache.fluss.server.coordinator.CoordinatorServer
      args=(--configDir "$CLUSTER_DIR/conf/coordinator")
      ;;
    tablet-*)
      heap="${FLUSS_TABLET_HEAP:-1g}"
      main=org.apache.fluss.server.tablet.TabletServer
      args=(--configDir "$CLUSTER_DIR/conf/$role")
      ;;
    *) die "unknown role $role" ;;
  esac
  jvm=(
    "-Xms64m" "-Xmx$heap"
    -XX:+IgnoreUnrecognizedVMOptions
    --add-opens=java.base/java.nio=ALL-UNNAMED
    -XX:+ExitOnOutOfMemoryError
    "-Dlog.file=$(log_file "$role")"
    "-Dlog4j.configurationFile=file:$CLUSTER_DIR/conf/log4j2.properties"
    -Dlog4j.shutdownHookEnabled=false
    "-Dfluss.cluster.role=$CLUSTER_DIR#$role"
  )
  if [[ -n "${FLUSS_JAVA_OPTS:-}" ]]; then
    # shellcheck disable=SC2206 # word splitting of user options is intended
    jvm+=($FLUSS_JAVA_OPTS)
  fi

  local pidf out
  pidf="$(pid_file "$role")"
  out="$(out_file "$role")"
  rm -f "$pidf"
  {
    printf '==== %s starting %s\n' "$(date '+%F %T')" "$role"
  } >>"$out"
  # setsid: own session, so a Ctrl-C of the caller (or the end of its process
  # group) does not take the cluster down; the inner shell writes its own pid
  # and then exec's java, so the pid file holds the JVM's pid.
  (
    cd "$CLUSTER_DIR"
    # shellcheck disable=SC2016 # $$ and "$@" are for the inner shell
    FLUSS_PLUGINS_DIR="$CLUSTER_DIR/plugins" setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$pidf" \
      "$JAVA" "${jvm[@]}" -cp "$JAR_DIR/*" "$main" "${args[@]}" </dev/null >>"$out" 2>&1 9>&- &
  )
  local i
  for ((i = 0; i < 100; i++)); do
    [[ -s "$pidf" ]] && break
    sleep 0.05
  done
  [[ -s "$pidf" ]] || die "$role did not start (no pid file)"
  log "started $role (pid $(<"$pidf"), heap $heap, log $(log_file "$role"))"
}

show_failure() {
  local role="$1" f
  log "---- $role died; tail of its output ----"
  for f in "$(out_file "$role")" "$(log_file "$role")"; do
    if [[ -s "$f" ]]; then
      echo "---- $f" >&2
      tail -n 40 "$f" >&2
    fi
  done
}

# Fail fast if any of ROLES has died; returns 1 and prints its log.
check_alive() {
  local role
  for role in "$@"; do
    if ! live_pid "$role" >/dev/null; then
      show_failure "$role"
      return 1
    fi
  done
}

stop_role() {
  # SIGTERM the given roles together, wait up to STOP_TIMEOUT, then SIGKILL.
  local roles=("$@") role pid pids=() deadline
  for role in "${roles[@]}"; do
    if pid="$(live_pid "$role")"; then
      log "stopping $role (pid $pid)"
      kill -TERM "$pid" 2>/dev/null || true
      pids+=("$role:$pid")
    fi
  done
  local t0
  t0="$(date +%s.%N)"
  deadline=$(($(now) + STOP_TIMEOUT))
  local entry left
  while :; do
    left=()
    for entry in "${pids[@]+"${pids[@]}"}"; do
      pid="${entry#*:}"
      if kill -0 "$pid" 2>/dev/null; then left+=("$entry"); fi
    done
    ((${#left[@]} == 0)) && break
    if (($(now) >= deadline)); then
      for entry in "${left[@]}"; do
        log "${entry%%:*} did not stop within ${STOP_TIMEOUT}s; sending SIGKILL"
        kill -KILL "${entry#*:}" 2>/dev/null || true
      done
      sleep 0.5
      break
    fi
    sleep 0.2
  done
  for role in "${roles[@]}"; do rm -f "$(pid_file "$role")"; done
  if ((${#pids[@]} > 0)); then
    log "stopped ${roles[*]} in $(elapsed_since "$t0")s"
  fi
}

stop_all() {
  local tabs
  # Tablet servers of any count we may have started (cluster.env may be gone).
  mapfile -t tabs < <(
    for f in "$CLUSTER_DIR"/pids/tablet-*.pid; do
      [[ -e "$f" ]] && basename "$f" .pid
    done
    tablet_roles
  )
  mapfile -t tabs < <(printf '%s\n' "${tabs[@]}" | sort -u)
  stop_role "${tabs[@]}"
  stop_role coordinator
  stop_role zookeeper
}

wait_for_zookeeper() {
  local deadline=$(($(now) + START_TIMEOUT)) resp
  while :; do
    check_alive zookeeper || return 1
    # shellcheck disable=SC2016 # expanded by the inner shell
    resp="$(timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1" && printf ruok >&3 && head -c 4 <&3' "$HOST" "$ZK_PORT" 2>/dev/null || true)"
    [[ "$resp" == imok ]] && return 0
    (($(now) >= deadline)) && {
      log "ZooKeeper did not answer ruok within ${START_TIMEOUT}s"
      return 1
    }
    sleep 0.3
  done
}

# Poll cluster_ready until it holds, a JVM dies, or the deadline passes.
wait_until_ready() {
  local deadline=$(($(now) + START_TIMEOUT)) roles
  mapfile -t roles < <(all_roles)
  while :; do
    check_alive "${roles[@]}" || return 1
    cluster_ready && return 0
    if (($(now) >= deadline)); then
      log "cluster not ready within ${START_TIMEOUT}s; last probe:"
      probe "$HOST:$(client_port coordinator)" --min-tablets "$TABLETS" --require-coordinator --database fluss >&2 || true
      return 1
    fi
    sleep 1
  done
}

running_roles_count() {
  local n=0 role
  for role in $(all_roles); do
    live_pid "$role" >/dev/null && n=$((n + 1))
  done
  echo "$n"
}

# ---------------------------------------------------------------- commands

cmd_start() {
  local want_tablets=""
  while (($#)); do
    case "$1" in
      --tablet-servers)
        [[ $# -ge 2 ]] || usage
        want_tablets="$2"
        shift 2
        ;;
      --tablet-servers=*)
        want_tablets="${1#*=}"
        shift
        ;;
      *) usage ;;
    esac
  done
  if [[ -n "$want_tablets" ]]; then
    if ! is_uint "$want_tablets" || ((10#$want_tablets < 1 || 10#$want_tablets > 9)); then
      die "--tablet-servers must be 1..9"
    fi
    want_tablets=$((10#$want_tablets))
  fi

  take_lock
  load_settings

  # Reuse a running cluster.
  if [[ -f "$CLUSTER_DIR/cluster.env" ]] && (($(running_roles_count) == TABLETS + 2)); then
    if [[ -n "$want_tablets" && "$want_tablets" != "$TABLETS" ]]; then
      die "a cluster with $TABLETS tablet server(s) is running in $CLUSTER_DIR; stop it first to start one with $want_tablets"
    fi
    log "reusing the running cluster in $CLUSTER_DIR ($TABLETS tablet server(s)); checking it answers"
    if wait_until_ready; then
      print_bootstrap_lines
      return 0
    fi
    die "the running cluster does not answer; run '$0 stop' and retry"
  fi

  # Anything half-alive from an earlier run goes away first.
  if [[ -d "$CLUSTER_DIR/pids" ]] && compgen -G "$CLUSTER_DIR/pids/*.pid" >/dev/null; then
    log "stopping the leftovers of an earlier cluster in $CLUSTER_DIR"
    stop_all
  fi

  # Fresh settings from the environment (not from an old cluster.env).
  rm -f "$CLUSTER_DIR/cluster.env"
  load_settings
  TABLETS="${want_tablets:-1}"

  local p role port
  for role in zookeeper coordinator $(tablet_roles); do
    if [[ "$role" == zookeeper ]]; then
      p=("$ZK_PORT")
    else
      p=("$(internal_port "$role")" "$(client_port "$role")" "$(sasl_port "$role")")
    fi
    for port in "${p[@]}"; do
      if ((port < 1 || port > 65535)); then die "port $port of $role is out of range"; fi
      if port_in_use "$port"; then
        die "port $HOST:$port (for $role) is already in use; another cluster? Set FLUSS_ZK_PORT / FLUSS_PORT_BASE / FLUSS_CLUSTER_DIR"
      fi
    done
  done

  command -v "$JAVA" >/dev/null 2>&1 || die "java not found ($JAVA); set FLUSS_JAVA or JAVA_HOME"
  command -v "$NODE" >/dev/null 2>&1 || die "node not found ($NODE); set FLUSS_NODE"
  JAR_DIR="$("$SCRIPT_DIR/fetch-jars.sh" server)"
  [[ -s "$JAR_DIR/fluss-server-$FLUSS_VERSION.jar" ]] || die "no fluss-server jar in $JAR_DIR"

  # Fresh state: stale ZooKeeper state combined with wiped data confuses Fluss.
  local t0
  t0="$(date +%s.%N)"
  rm -rf "$CLUSTER_DIR/data" "$CLUSTER_DIR/conf" "$CLUSTER_DIR/pids" "$CLUSTER_DIR/logs.prev"
  if [[ -d "$CLUSTER_DIR/logs" ]]; then mv "$CLUSTER_DIR/logs" "$CLUSTER_DIR/logs.prev"; fi
  write_configs
  log "starting Fluss $FLUSS_VERSION in $CLUSTER_DIR: ZooKeeper :$ZK_PORT, coordinator :$(client_port coordinator) (SASL :$(sasl_port coordinator)), $TABLETS tablet server(s)"

  if ! {
    launch zookeeper && wait_for_zookeeper
  }; then
    fail_start
  fi
  launch coordinator
  for role in $(tablet_roles); do launch "$role"; done
  if ! wait_until_ready; then
    fail_start
  fi
  # The SASL listener must be up and refuse unauthenticated calls.
  if ! probe "$HOST:$(sasl_port coordinator)" --expect-auth-error --timeout-ms 5000 --quiet >&2; then
    log "the SECURE (SASL) listener did not reject an unauthenticated request as expected"
    fail_start
  fi
  log "cluster ready in $(elapsed_since "$t0")s (logs in $CLUSTER_DIR/logs)"
  print_bootstrap_lines
}

fail_start() {
  if [[ "${FLUSS_KEEP_ON_FAILURE:-0}" == 1 ]]; then
    log "start failed; FLUSS_KEEP_ON_FAILURE=1 so the processes are left running"
  else
    log "start failed; stopping what was started (logs stay in $CLUSTER_DIR/logs)"
    stop_all
  fi
  exit 1
}

cmd_stop() {
  local wipe=0
  while (($#)); do
    case "$1" in
      --wipe) wipe=1 ;;
      *) usage ;;
    esac
    shift
  done
  if [[ ! -d "$CLUSTER_DIR" ]]; then
    log "no cluster in $CLUSTER_DIR"
    return 0
  fi
  take_lock
  load_settings
  stop_all
  log "stopped the cluster in $CLUSTER_DIR"
  if ((wipe)); then
    rm -rf "$CLUSTER_DIR"
    log "wiped $CLUSTER_DIR"
  fi
}

cmd_status() {
  load_settings
  if [[ ! -f "$CLUSTER_DIR/cluster.env" ]]; then
    echo "down: no cluster in $CLUSTER_DIR"
    return 1
  fi
  local role pid up=1 procs=()
  for role in $(all_roles); do
    if pid="$(live_pid "$role")"; then
      procs+=("$role=$pid")
    else
      procs+=("$role=DEAD")
      up=0
    fi
  done
  if ((up)) && cluster_ready; then
    echo "up: $CLUSTER_DIR; coordinator $HOST:$(client_port coordinator) (SASL $HOST:$(sasl_port coordinator)), ZooKeeper $HOST:$ZK_PORT, $TABLETS tablet server(s); ${procs[*]}"
    return 0
  fi
  if ((up)); then
    echo "down: processes alive but the cluster does not answer yet; ${procs[*]}"
  else
    echo "down: ${procs[*]}"
  fi
  return 1
}

tablet_arg() {
  if [[ $# -ne 1 ]] || ! is_uint "$1"; then usage; fi
  load_settings
  [[ -f "$CLUSTER_DIR/cluster.env" ]] || die "no cluster in $CLUSTER_DIR"
  ((10#$1 < TABLETS)) || die "tablet server $1 does not exist (the cluster has $TABLETS: 0..$((TABLETS - 1)))"
}

# freeze/thaw: SIGSTOP/SIGCONT one server. A frozen JVM keeps its sockets: the kernel still
# accepts connections and takes in requests, but nothing answers, as with a hung process or a
# half-open connection. Tests use it for silent-server handling; keep a freeze well below the
# ZooKeeper session timeout (FLUSS_ZK_SESSION_TIMEOUT, 20 s), or the cluster drops the server.
cmd_signal_server() {
  local signal="$1" what="$2"
  shift 2
  local role
  if [[ "${1:-}" == coordinator && $# -eq 1 ]]; then
    load_settings
    [[ -f "$CLUSTER_DIR/cluster.env" ]] || die "no cluster in $CLUSTER_DIR"
    role=coordinator
  elif [[ "${1:-}" == tablet && $# -eq 2 ]]; then
    shift
    tablet_arg "$@"
    role="tablet-$((10#$1))"
  else
    usage
  fi
  local pid
  pid="$(live_pid "$role")" || die "$role is not running"
  log "$what $role (pid $pid)"
  kill "-$signal" "$pid"
}

cmd_kill_tablet() {
  tablet_arg "$@"
  take_lock
  local role="tablet-$((10#$1))" pid i
  pid="$(live_pid "$role")" || die "$role is not running"
  log "SIGKILL $role (pid $pid)"
  kill -KILL "$pid"
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  printf '==== %s %s killed with SIGKILL by fluss-cluster.sh\n' "$(date '+%F %T')" "$role" >>"$(out_file "$role")"
  rm -f "$(pid_file "$role")"
}

cmd_restart_tablet() {
  tablet_arg "$@"
  take_lock
  local id=$((10#$1)) role
  role="tablet-$id"
  live_pid zookeeper >/dev/null || die "ZooKeeper is not running; use '$0 start'"
  live_pid coordinator >/dev/null || die "the coordinator is not running; use '$0 start'"
  [[ -d "$CLUSTER_DIR/conf/$role" ]] || die "no config for $role in $CLUSTER_DIR/conf"
  local t0
  t0="$(now)"
  stop_role "$role"
  launch "$role"
  # Registered again = the coordinator lists it AND the restarted process itself
  # has received the cluster metadata (which the coordinator only sends after it
  # noticed the new registration; after a SIGKILL this waits for the old
  # ZooKeeper session to expire).
  local deadline=$(($(now) + START_TIMEOUT))
  while :; do
    check_alive zookeeper coordinator "$role" || die "$role died while restarting"
    if probe "$HOST:$(client_port "$role")" --timeout-ms 3000 --quiet --require-node "$id" --min-tablets "$TABLETS" >/dev/null 2>&1 &&
      cluster_ready; then
      break
    fi
    if (($(now) >= deadline)); then
      probe "$HOST:$(client_port "$role")" --require-node "$id" >&2 || true
      die "$role did not register again within ${START_TIMEOUT}s"
    fi
    sleep 1
  done
  log "$role is registered again ($(($(now) - t0))s)"
}

# Fluss 0.9.1's coordinator can miss a table creation (its ZooKeeper cache sees the filled table
# znode as NODE_CREATED, which it ignores); a partition created on such a table then leaves its
# request batch dirty and every later table creation fails. A restarted coordinator reloads all
# tables from ZooKeeper and assigns their buckets. Tests use this to recover (tests/support/table-ready.ts).
cmd_restart_coordinator() {
  [[ $# -eq 0 ]] || usage
  load_settings
  [[ -f "$CLUSTER_DIR/cluster.env" ]] || die "no cluster in $CLUSTER_DIR"
  take_lock
  live_pid zookeeper >/dev/null || die "ZooKeeper is not running; use '$0 start'"
  local t0
  t0="$(now)"
  stop_role coordinator
  launch coordinator
  wait_until_ready || die "the coordinator did not come back within ${START_TIMEOUT}s"
  log "coordinator restarted ($(($(now) - t0))s)"
}

main() {
  [[ $# -ge 1 ]] || usage
  local cmd="$1"
  shift
  case "$cmd" in
    start) cmd_start "$@" ;;
    stop) cmd_stop "$@" ;;
    status) cmd_status "$@" ;;
    kill-tablet) cmd_kill_tablet "$@" ;;
    restart-tablet) cmd_restart_tablet "$@" ;;
    restart-coordinator) cmd_restart_coordinator "$@" ;;
    freeze) cmd_signal_server STOP freeze "$@" ;;
    thaw) cmd_signal_server CONT thaw "$@" ;;
    -h | --help | help) usage ;;
    *) usage ;;
  esac
}

main "$@"
