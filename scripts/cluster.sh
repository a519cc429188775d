#!/usr/bin/env bash
# Start, stop and inspect a local RNS cluster on loopback (one JVM per node).
# Run `scripts/cluster.sh --help` for usage.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
MAIN_CLASS="io.rns.server.ServerMain"
# Nodes are started by rns-node (next to this script), the one node launcher (JVM options from conf/jvm.options,
# logging from conf/logback.xml). The RNS_SERVER_LIB / RNS_CLI overrides exist for testing these scripts with
# stand-ins. The server classpath is lib/ in the release layout (rns-<version>.tar.gz: bin/ conf/ lib/), else the
# server module's lib/ (every runtime jar, raft-namesrv and the RocketMQ ingress included).
NODE_LAUNCHER="$HERE/rns-node"
RELEASE=0
[[ -d "$ROOT/lib" && ! -d "$ROOT/server" ]] && RELEASE=1
if ((RELEASE)); then
  SERVER_LIB="${RNS_SERVER_LIB:-$ROOT/lib}"
else
  SERVER_LIB="${RNS_SERVER_LIB:-$ROOT/server/target/lib}"
fi
SERVER_JAR="$SERVER_LIB/server-0.1.0-SNAPSHOT.jar"
CLI_JAR="$ROOT/cli/target/cli-0.1.0-SNAPSHOT.jar"
((RELEASE)) && CLI_JAR="$ROOT/lib/cli-0.1.0-SNAPSHOT.jar"
RNS="${RNS_CLI:-$HERE/rns}"
HOST="127.0.0.1"
MAX_NODES=5
START_WAIT_SECS="${RNS_START_WAIT_SECS:-60}"  # how long `start` waits for a leader (leaderless: for every node)
STOP_WAIT_SECS="${RNS_STOP_WAIT_SECS:-20}"    # how long `stop` waits per node after SIGTERM
# Per-node heap for scripts/rns-node --heap; RNS_NODE_HEAP overrides it (e.g. RNS_NODE_HEAP=256m).
NODE_HEAP="${RNS_NODE_HEAP:-512m}"

usage() {
  cat <<EOF
Usage: scripts/cluster.sh COMMAND [OPTIONS] [-D<key>=<value> ...]

Runs a local RNS cluster on $HOST, one JVM per node. Node i (1..$MAX_NODES) is n<i>,
client port 977<i>, raft port 978<i>, RocketMQ remoting port 987<i>, HTTP admin port 979<i> (/metrics, /live,
/ready, /status) (each plus --port-offset).
Stock RocketMQ brokers and clients use namesrvAddr=127.0.0.1:9871;127.0.0.1:9872;127.0.0.1:9873
(printed as RNS_ROCKETMQ_ADDRS).

Modes (start --mode): raft (default) is one Raft group. leaderless is the stock RocketMQ NameServer design:
the nodes never talk to each other; each keeps its own table (in memory unless leaderless.persist=true: a restarted node starts empty),
expires brokers by its own clock and serves STALE reads only; clients write to every node
(scripts/rns learns the mode from the nodes, or give it --mode leaderless).

Commands:
  start          build if needed, start all nodes, then wait until a leader is elected
                 (leaderless: until every node answers status; there is no leader)
  stop           SIGTERM every node started from DIR (SIGKILL after ${STOP_WAIT_SECS}s), remove pid files
  status         running/stopped per node (by pid file), then 'scripts/rns status'
  kill N         SIGKILL node N (failover demos); its data stays
  restart N      start node N again on its existing data dir and config (after kill or stop; keeps the mode)

Options:
  -n 3|5              number of nodes (start only; default 3)
  --mode raft|leaderless
                      cluster mode (start only; default raft); written as mode=... into every n<i>/rns.properties
  --dir DIR           cluster directory (default: \$ROOT/run/cluster)
  --port-offset K     add K (0..1000) to every port: client 977<i>+K, raft 978<i>+K, rocketmq 987<i>+K, admin 979<i>+K
                      (start only; default 0; kept in cluster.env for the other commands), so a second
                      cluster can run beside the default one; 'auto': the lowest K in 1..1000 none of whose
                      ports is listened on now (read it back from cluster.env: RNS_PORT_OFFSET); concurrent
                      starts take turns on the lock \${TMPDIR:-/tmp}/rns-cluster-port-offset.lock
  --tls               TLS only (tls.mode=enforcing) on every node's client and RocketMQ ports, HTTPS on the admin
                      ports and mutual TLS on the Raft ports (raft.tls=true) (start only): makes a dev CA
                      and node certificates with scripts/dev-certs.sh in DIR/tls (openssl) and writes RNS_TLS_CA into
                      cluster.env, so scripts/rns connects with TLS
  --auth              auth.enabled=true on every node (start only): writes DIR/auth/accounts.properties with random
                      secrets for the accounts rns-node (node), admin (read,broker,admin), broker (read,broker) and
                      app (read), one DIR/auth/<account>.auth (ACCOUNT:SECRET) each, and RNS_AUTH_FILE (admin)
                      into cluster.env, so scripts/rns acts as admin
  --jvm-opt OPT       extra JVM option for every node, repeatable (e.g. --jvm-opt -Drns.raft.election-timeout-ms=1000)
  -D<key>=<value>     same as --jvm-opt -D<key>=<value>
  -h, --help          this text

Layout of DIR:
  cluster.env         RNS_NODES, RNS_MEMBERS, RNS_ENDPOINTS, RNS_MODE, RNS_PORT_OFFSET, RNS_ROCKETMQ_ADDRS,
                      RNS_ADMIN_ADDRS, RNS_TLS_CA (scripts/rns reads it; RNS_ROCKETMQ_ADDRS is the RocketMQ
                      namesrvAddr string; RNS_ADMIN_ADDRS the admin (HTTP) ports, comma-separated)
  jvm.opts            extra JVM options given to 'start' (reused by 'restart')
  n<i>/rns.properties node config;  n<i>/data  its data;  n<i>/logs  rns.log, raft-transport.log, stdout.log
  n<i>/pid            pid of the running node JVM
  auth/               with --auth: accounts.properties (re-read by the nodes when it changes), <account>.auth
  tls/                with --tls: ca.pem (give it to clients), n<i>.pem/.key, client.pem/.key (scripts/dev-certs.sh)

Environment: JAVA_HOME (java to use), RNS_NODE_HEAP (default 512m), RNS_START_WAIT_SECS (default 60),
RNS_STOP_WAIT_SECS (default 20).

Examples:
  scripts/cluster.sh start
  scripts/cluster.sh start -n 5 --jvm-opt -Drns.raft.election-timeout-ms=1000
  scripts/cluster.sh start --tls && scripts/rns status      # scripts/rns reads RNS_TLS_CA from cluster.env
  scripts/cluster.sh start --mode leaderless --dir /tmp/ll && scripts/rns --mode leaderless status
  scripts/cluster.sh kill 1 && scripts/rns status && scripts/cluster.sh restart 1
  scripts/cluster.sh stop
EOF
}

die() { echo "cluster.sh: $*" >&2; exit 1; }
log() { echo "cluster.sh: $*"; }


# ---------------------------------------------------------------------------------------------------------------
# Argument parsing

CMD=""
NODE_ARG=""
NODES=""
MODE=""
PORT_OFFSET=""
TLS=0
AUTH=0
DIR="$ROOT/run/cluster"
EXTRA_JVM_OPTS=()

parse_args() {
  while (($#)); do
    case "$1" in
      -h|--help|help) usage; exit 0 ;;
      -n) (($# >= 2)) || die "-n needs a value (3 or 5)"; NODES="$2"; shift 2 ;;
      -n*) NODES="${1#-n}"; shift ;;
      --nodes=*) NODES="${1#--nodes=}"; shift ;;
      --mode) (($# >= 2)) || die "--mode needs a value (raft or leaderless)"; MODE="$2"; shift 2 ;;
      --mode=*) MODE="${1#--mode=}"; shift ;;
      --dir) (($# >= 2)) || die "--dir needs a value"; DIR="$2"; shift 2 ;;
      --dir=*) DIR="${1#--dir=}"; shift ;;
      --port-offset) (($# >= 2)) || die "--port-offset needs a value"; PORT_OFFSET="$2"; shift 2 ;;
      --port-offset=*) PORT_OFFSET="${1#--port-offset=}"; shift ;;
      --tls) TLS=1; shift ;;
      --auth) AUTH=1; shift ;;
      --jvm-opt) (($# >= 2)) || die "--jvm-opt needs a value"; EXTRA_JVM_OPTS+=("$2"); shift 2 ;;
      --jvm-opt=*) EXTRA_JVM_OPTS+=("${1#--jvm-opt=}"); shift ;;
      -D*) EXTRA_JVM_OPTS+=("$1"); shift ;;
      start|stop|status|kill|restart)
        [[ -z "$CMD" ]] || die "more than one command: '$CMD' and '$1' (see --help)"
        CMD="$1"; shift
        if [[ "$CMD" == kill || "$CMD" == restart ]]; then
          (($# >= 1)) || die "$CMD needs a node number N (1..$MAX_NODES)"
          NODE_ARG="$1"; shift
        fi
        ;;
      *) die "unknown argument '$1' (see --help)" ;;
    esac
  done
  [[ -n "$CMD" ]] || { usage >&2; exit 2; }
  ((TLS == 0)) || [[ "$CMD" == start ]] || die "--tls applies to 'start' only (the other commands read RNS_TLS_CA from cluster.env)"
  ((AUTH == 0)) || [[ "$CMD" == start ]] || die "--auth applies to 'start' only (the other commands read RNS_AUTH_FILE from cluster.env)"
  if [[ -n "$NODES" ]]; then
    [[ "$CMD" == start ]] || die "-n applies to 'start' only"
    [[ "$NODES" == 3 || "$NODES" == 5 ]] || die "-n must be 3 or 5, got '$NODES'"
  fi
  if [[ -n "$MODE" ]]; then
    [[ "$CMD" == start ]] || die "--mode applies to 'start' only ('restart' keeps the cluster's mode)"
    MODE="$(tr '[:upper:]' '[:lower:]' <<<"$MODE")"
    [[ "$MODE" == raft || "$MODE" == leaderless ]] || die "--mode must be raft or leaderless, got '$MODE'"
  fi
  if [[ -n "$PORT_OFFSET" ]]; then
    [[ "$CMD" == start ]] || die "--port-offset applies to 'start' only (the other commands read it from cluster.env)"
    [[ "$PORT_OFFSET" == auto ]] || { [[ "$PORT_OFFSET" =~ ^[0-9]+$ ]] && ((PORT_OFFSET <= 1000)); } ||
      die "--port-offset must be a number 0..1000 or 'auto', got '$PORT_OFFSET'"
  fi
  if [[ -n "$NODE_ARG" ]]; then
    [[ "$NODE_ARG" =~ ^n?[1-5]$ ]] || die "node must be a number 1..$MAX_NODES (or n1..n$MAX_NODES), got '$NODE_ARG'"
    NODE_ARG="${NODE_ARG#n}"
  fi
  if ((${#EXTRA_JVM_OPTS[@]})) && [[ "$CMD" != start && "$CMD" != restart ]]; then
    die "JVM options apply to 'start' and 'restart' only"
  fi
  mkdir -p "$DIR" 2>/dev/null || true
  [[ -d "$DIR" ]] || die "cannot create dir '$DIR'"
  DIR="$(cd "$DIR" && pwd)"
  if [[ "$CMD" != start ]]; then
    PORT_OFFSET="$(saved_port_offset)"
  fi
  PORT_OFFSET="${PORT_OFFSET:-0}"
}

# RNS_PORT_OFFSET from cluster.env (0 when absent, e.g. a cluster dir from before the option existed).
saved_port_offset() {
  local o=""
  if [[ -f "$DIR/cluster.env" ]]; then
    # shellcheck disable=SC1091
    o="$(source "$DIR/cluster.env" && echo "${RNS_PORT_OFFSET:-}")"
  fi
  echo "${o:-0}"
}

# ---------------------------------------------------------------------------------------------------------------
# Helpers

client_port() { echo $((9770 + $1 + PORT_OFFSET)); }
raft_port() { echo $((9780 + $1 + PORT_OFFSET)); }
rocketmq_port() { echo $((9870 + $1 + PORT_OFFSET)); }
admin_port() { echo $((9790 + $1 + PORT_OFFSET)); }
node_dir() { echo "$DIR/n$1"; }
pid_file() { echo "$DIR/n$1/pid"; }
endpoint() { echo "$HOST:$(client_port "$1")"; }

members_for() { # members_for N -> n1@127.0.0.1:9781:9771,...
  local n="$1" i out=""
  for ((i = 1; i <= n; i++)); do
    out+="${out:+,}n$i@$HOST:$(raft_port "$i"):$(client_port "$i")"
  done
  echo "$out"
}

rocketmq_addrs_for() { # rocketmq_addrs_for N -> 127.0.0.1:9871;127.0.0.1:9872;... (RocketMQ namesrvAddr syntax)
  local n="$1" i out=""
  for ((i = 1; i <= n; i++)); do out+="${out:+;}$HOST:$(rocketmq_port "$i")"; done
  echo "$out"
}

admin_addrs_for() { # admin_addrs_for N -> 127.0.0.1:9791,...
  local n="$1" i out=""
  for ((i = 1; i <= n; i++)); do out+="${out:+,}$HOST:$(admin_port "$i")"; done
  echo "$out"
}

# The ports node i listens on (client, raft, rocketmq, admin): the one place that lists them.
node_ports() { echo "$(client_port "$1") $(raft_port "$1") $(rocketmq_port "$1") $(admin_port "$1")"; }

# Two starts at once would both find the same ports free (two 'auto' starts the same offset, or an 'auto' start the
# ports a fixed --port-offset start is about to bind), so every start checks, chooses and binds its ports under one
# machine-wide lock (flock, util-linux). It is released once the cluster serves, or when this script exits; the node
# processes never inherit it.
PORT_LOCK="${TMPDIR:-/tmp}/rns-cluster-port-offset.lock"
PORT_LOCK_FD=""
lock_port_choice() {
  if ! command -v flock >/dev/null; then
    log "no flock on this machine (apt-get install util-linux): a start running at the same time may choose the same ports"
    return 0
  fi
  exec {PORT_LOCK_FD}>>"$PORT_LOCK" || die "cannot open the port lock file $PORT_LOCK"
  flock -w 300 "$PORT_LOCK_FD" || die "another 'cluster.sh start' held the port lock $PORT_LOCK for 300 s"
}
unlock_port_choice() {
  [[ -n "$PORT_LOCK_FD" ]] || return 0
  flock -u "$PORT_LOCK_FD"
  exec {PORT_LOCK_FD}>&-
  PORT_LOCK_FD=""
}

# --port-offset auto: the lowest offset in 1..1000 none of whose ports for N nodes anyone listens on now.
pick_port_offset() {
  local n="$1" k i p busy
  for ((k = 1; k <= 1000; k++)); do
    busy=0
    for ((i = 1; i <= n && !busy; i++)); do
      for p in $(PORT_OFFSET=$k node_ports "$i"); do
        if port_listening "$p"; then busy=1; break; fi
      done
    done
    ((busy)) || { echo "$k"; return 0; }
  done
  return 1
}

endpoints_for() { # endpoints_for N -> 127.0.0.1:9771,...
  local n="$1" i out=""
  for ((i = 1; i <= n; i++)); do out+="${out:+,}$(endpoint "$i")"; done
  echo "$out"
}

# Is something accepting TCP connections on HOST:port? (bash /dev/tcp; no nc/ss needed)
port_listening() {
  timeout 2 bash -c "exec 3<>/dev/tcp/$HOST/$1" 2>/dev/null
}

# Is pid alive? A zombie counts as dead (its parent may never reap it).
proc_alive() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"
  [[ "${stat%% *}" != Z && "${stat%% *}" != X ]]
}

# The pid recorded for node i if that process is alive AND is a node started with this node's config (the JVM's
# ServerMain, or scripts/rns-node in the moment before it execs java). Guards against pid reuse: we only ever
# signal processes we started.
live_pid() {
  local i="$1" f pid cmdline
  f="$(pid_file "$i")"
  [[ -f "$f" ]] || return 1
  pid="$(tr -dc '0-9' <"$f")"
  [[ -n "$pid" ]] || return 1
  proc_alive "$pid" || return 1
  cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmdline" == *"$MAIN_CLASS"* || "$cmdline" == *"$NODE_LAUNCHER "* ]] || return 1
  [[ "$cmdline" == *"$(node_dir "$i")/rns.properties"* ]] || return 1
  echo "$pid"
}

# Mode of this cluster: RNS_MODE from cluster.env, else the mode= line of n1's config, else raft.
cluster_mode() {
  local m=""
  if [[ -f "$DIR/cluster.env" ]]; then
    # shellcheck disable=SC1091
    m="$(source "$DIR/cluster.env" && echo "${RNS_MODE:-}")"
  fi
  if [[ -z "$m" && -f "$(node_dir 1)/rns.properties" ]]; then
    m="$(sed -n 's/^[[:space:]]*mode[[:space:]]*=[[:space:]]*\([A-Za-z]*\).*/\1/p' "$(node_dir 1)/rns.properties" | tail -n 1)"
  fi
  echo "${m:-raft}"
}

# Nodes of this cluster: from cluster.env if present, else the n<i> dirs that exist.
cluster_nodes() {
  if [[ -f "$DIR/cluster.env" ]]; then
    # shellcheck disable=SC1091
    (source "$DIR/cluster.env" && echo "${RNS_NODES:?}")
  else
    local i n=0
    for ((i = 1; i <= MAX_NODES; i++)); do [[ -d "$(node_dir "$i")" ]] && n=$i; done
    echo "$n"
  fi
}

ensure_built() {
  if [[ ! -f "$SERVER_JAR" || ( -z "${RNS_CLI:-}" && ! -f "$CLI_JAR" ) ]]; then
    ((RELEASE)) && die "this release is incomplete: $SERVER_JAR or $CLI_JAR is missing (unpack rns-<version>.tar.gz again)"
    log "server or cli jar missing; building: ./mvnw -B -q -DskipTests package (server: the server module's lib/)"
    (cd "$ROOT" && ./mvnw -B -q -DskipTests package) || die "build failed"
    [[ -f "$SERVER_JAR" ]] || die "build did not produce $SERVER_JAR"
  fi
}

write_node_config() { # write_node_config i n mode
  local i="$1" n="$2" mode="$3" d
  d="$(node_dir "$i")"
  mkdir -p "$d/data" "$d/logs"
  cat >"$d/rns.properties" <<EOF
# Written by scripts/cluster.sh for node n$i of a $n-node $mode cluster; see conf/rns.properties for every key.
node.id=n$i
members=$(members_for "$n")
data.dir=$d/data
mode=$mode
rocketmq.listen-port=$(rocketmq_port "$i")
admin.listen-port=$(admin_port "$i")
EOF
  if ((AUTH)); then
    cat >>"$d/rns.properties" <<EOF
auth.enabled=true
auth.accounts-file=$DIR/auth/accounts.properties
EOF
  fi
  if ((TLS)); then
    cat >>"$d/rns.properties" <<EOF
tls.mode=enforcing
tls.cert-file=$DIR/tls/n$i.pem
tls.key-file=$DIR/tls/n$i.key
tls.trust-file=$DIR/tls/ca.pem
raft.tls=true
EOF
  fi
}

# The TLS CA and the admin credentials of this cluster (RNS_TLS_CA, RNS_AUTH_FILE from cluster.env), exported for
# scripts/rns; nothing without --tls / --auth.
load_cluster_env() {
  [[ -f "$DIR/cluster.env" ]] || return 0
  local ca auth
  # shellcheck disable=SC1091
  ca="$(source "$DIR/cluster.env" && echo "${RNS_TLS_CA:-}")"
  if [[ -n "$ca" ]]; then export RNS_TLS_CA="$ca"; fi
  # shellcheck disable=SC1091
  auth="$(source "$DIR/cluster.env" && echo "${RNS_AUTH_FILE:-}")"
  if [[ -n "$auth" && -f "$auth" ]]; then export RNS_AUTH="$(cat "$auth")"; fi
}

# DIR/auth: an accounts file with fresh random secrets and one ACCOUNT:SECRET file per account (kept if present).
write_accounts() {
  local a="$DIR/auth" name perms secret
  mkdir -p "$a"
  [[ -f "$a/accounts.properties" ]] && return 0
  (
    umask 077
    echo "# Written by scripts/cluster.sh start --auth (development accounts; see conf/accounts.properties)" \
      >"$a/accounts.properties"
    for name in rns-node:node admin:read,broker,admin broker:read,broker app:read; do
      perms="${name#*:}"
      name="${name%%:*}"
      secret="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
      printf 'account.%s.secret=%s\naccount.%s.permissions=%s\n' "$name" "$secret" "$name" "$perms" \
        >>"$a/accounts.properties"
      printf '%s:%s\n' "$name" "$secret" >"$a/$name.auth"
    done
  )
}

# Start node i in the background with scripts/rns-node, detached from this shell (own session, stdin from /dev/null,
# stdout/stderr to logs/stdout.log); the pid file names the JVM itself (the wrapper execs rns-node, which execs java).
launch_node() {
  local i="$1" d logs
  d="$(node_dir "$i")"
  logs="$d/logs"
  mkdir -p "$d/data" "$logs"
  local -a cmd=("$NODE_LAUNCHER" --config "$d/rns.properties" --log-dir "$logs" --heap "$NODE_HEAP"
    --classpath "$SERVER_LIB/*")
  local o
  for o in "${EXTRA_JVM_OPTS[@]}"; do cmd+=(--jvm-opt "$o"); done
  {
    echo "=== $(date '+%Y-%m-%d %H:%M:%S') starting n$i: ${cmd[*]}"
  } >>"$logs/stdout.log"
  rm -f "$(pid_file "$i")"
  local setsid=()
  command -v setsid >/dev/null && setsid=(setsid)
  # The inner shell writes its own pid, then execs java (same pid), so the pid file is the JVM's pid.
  (
    cd "$d"
    if [[ -n "$PORT_LOCK_FD" ]]; then exec {PORT_LOCK_FD}>&-; fi # the node must not hold the port-choice lock
    # shellcheck disable=SC2016
    exec "${setsid[@]}" nohup bash -c 'echo $$ >"$1"; shift; exec "$@"' rns-node "$(pid_file "$i")" "${cmd[@]}" \
      </dev/null >>"$logs/stdout.log" 2>&1
  ) &
  local waited=0
  while [[ ! -s "$(pid_file "$i")" ]] && ((waited < 50)); do sleep 0.1; waited=$((waited + 1)); done
  [[ -s "$(pid_file "$i")" ]] || die "n$i: no pid file after 5s (see $logs/stdout.log)"
}

# Print one rns status per node; return 0 if some node reports role=LEADER.
leader_present() {
  local n="$1" i out
  for ((i = 1; i <= n; i++)); do
    live_pid "$i" >/dev/null || continue
    port_listening "$(client_port "$i")" || continue
    out="$(timeout 20 "$RNS" --endpoints "$(endpoint "$i")" status 2>/dev/null)" || continue
    # the meta line every rns command prints: served=<LEVEL> node=<id> role=<ROLE> term=<n> applied=<n> endpoint=...
    if grep -Eq '^served=[^[:space:]]+ node=[^[:space:]]+ role=LEADER([[:space:]]|$)' <<<"$out"; then
      LEADER_LINE="$(grep -E '^served=[^[:space:]]+ node=[^[:space:]]+ role=LEADER' <<<"$out" | head -1)"
      return 0
    fi
  done
  return 1
}

# Wait (bounded) until some node reports a leader; fail early if a node died.
wait_for_leader() {
  local n="$1" deadline i
  deadline=$((SECONDS + START_WAIT_SECS))
  log "waiting up to ${START_WAIT_SECS}s for a leader ..."
  while ((SECONDS < deadline)); do
    for ((i = 1; i <= n; i++)); do
      if [[ -f "$(pid_file "$i")" ]] && ! live_pid "$i" >/dev/null; then
        echo "cluster.sh: n$i exited during startup; last lines of $(node_dir "$i")/logs/stdout.log:" >&2
        tail -n 30 "$(node_dir "$i")/logs/stdout.log" >&2 || true
        return 1
      fi
    done
    if leader_present "$n"; then
      log "leader elected: $LEADER_LINE"
      return 0
    fi
    sleep 1
  done
  echo "cluster.sh: no leader after ${START_WAIT_SECS}s; see $DIR/n*/logs/" >&2
  return 1
}

# Leaderless: wait (bounded) until every node answers status (there is no leader); fail early if a node died.
wait_for_all_nodes() {
  local n="$1" deadline i ok
  deadline=$((SECONDS + START_WAIT_SECS))
  log "leaderless: waiting up to ${START_WAIT_SECS}s for all $n nodes to answer status ..."
  while ((SECONDS < deadline)); do
    ok=0
    for ((i = 1; i <= n; i++)); do
      if ! live_pid "$i" >/dev/null; then
        echo "cluster.sh: n$i exited during startup; last lines of $(node_dir "$i")/logs/stdout.log:" >&2
        tail -n 30 "$(node_dir "$i")/logs/stdout.log" >&2 || true
        return 1
      fi
      port_listening "$(client_port "$i")" || continue
      timeout 20 "$RNS" --endpoints "$(endpoint "$i")" --timeout-ms 3000 status >/dev/null 2>&1 || continue
      ok=$((ok + 1))
    done
    if ((ok == n)); then
      log "all $n nodes answer (leaderless: no leader)"
      return 0
    fi
    sleep 1
  done
  echo "cluster.sh: not every node answered status after ${START_WAIT_SECS}s; see $DIR/n*/logs/" >&2
  return 1
}

print_summary() {
  local n="$1" i web=http
  [[ -z "${RNS_TLS_CA:-}" ]] || web=https # with --tls the admin port speaks HTTPS (curl --cacert "$RNS_TLS_CA")
  echo "cluster dir: $DIR"
  echo "mode:        $(cluster_mode)"
  echo "endpoints:   $(endpoints_for "$n")"
  for ((i = 1; i <= n; i++)); do
    printf '  n%s  client %s  raft %s:%s  rocketmq %s:%s  admin %s://%s:%s/  pid %s\n' "$i" "$(endpoint "$i")" \
      "$HOST" "$(raft_port "$i")" "$HOST" "$(rocketmq_port "$i")" "$web" "$HOST" "$(admin_port "$i")" \
      "$(live_pid "$i" || echo '-')"
  done
  echo "export RNS_ENDPOINTS=$(endpoints_for "$n")"
  echo "export RNS_ROCKETMQ_ADDRS=\"$(rocketmq_addrs_for "$n")\"   # RocketMQ namesrvAddr"
  if [[ -n "${RNS_TLS_CA:-}" ]]; then
    echo "export RNS_TLS_CA=$RNS_TLS_CA   # TLS only: the CLI trusts this CA (RocketMQ clients: -Dtls.enable=true)"
  fi
  if [[ -f "$DIR/auth/admin.auth" ]]; then
    echo "export RNS_AUTH_FILE=$DIR/auth/admin.auth   # auth on: scripts/rns acts as admin; accounts: $DIR/auth/"
  fi
}

# ---------------------------------------------------------------------------------------------------------------
# Commands

cmd_start() {
  local n="${NODES:-3}" mode="${MODE:-raft}" i o p running=() busy=()
  for ((i = 1; i <= MAX_NODES; i++)); do
    live_pid "$i" >/dev/null && running+=("n$i(pid $(live_pid "$i"))")
  done
  ((${#running[@]} == 0)) || die "already running from $DIR: ${running[*]} (use 'stop' first, or another --dir)"
  ensure_built
  lock_port_choice
  if [[ "$PORT_OFFSET" == auto ]]; then
    PORT_OFFSET="$(pick_port_offset "$n")" || die "--port-offset auto: every offset 1..1000 has a port in use on $HOST"
    log "--port-offset auto: $PORT_OFFSET"
  fi
  for ((i = 1; i <= n; i++)); do
    for p in $(node_ports "$i"); do
      port_listening "$p" && busy+=("$p")
    done
  done
  ((${#busy[@]} == 0)) || die "port(s) already in use on $HOST: ${busy[*]} (another cluster running? 'scripts/cluster.sh status --dir ...')"

  mkdir -p "$DIR"
  if ((TLS)); then
    local ids=()
    for ((i = 1; i <= n; i++)); do ids+=("n$i"); done
    "$HERE/dev-certs.sh" "$DIR/tls" "${ids[@]}" || die "could not make TLS certificates in $DIR/tls"
    export RNS_TLS_CA="$DIR/tls/ca.pem"
  else
    unset RNS_TLS_CA
  fi
  if ((AUTH)); then
    write_accounts
    RNS_AUTH="$(cat "$DIR/auth/admin.auth")"
    export RNS_AUTH
  else
    unset RNS_AUTH
  fi
  {
    echo "# Written by scripts/cluster.sh start; sourced by scripts/rns."
    printf 'RNS_NODES=%s\n' "$n"
    printf 'RNS_MEMBERS=%s\n' "$(members_for "$n")"
    printf 'RNS_ENDPOINTS=%s\n' "$(endpoints_for "$n")"
    printf 'RNS_MODE=%s\n' "$mode"
    printf 'RNS_PORT_OFFSET=%s\n' "$PORT_OFFSET"
    printf 'export RNS_ROCKETMQ_ADDRS="%s"\n' "$(rocketmq_addrs_for "$n")"
    printf 'RNS_ADMIN_ADDRS=%s\n' "$(admin_addrs_for "$n")"
    if ((TLS)); then printf 'export RNS_TLS_CA=%s\n' "$DIR/tls/ca.pem"; fi
    if ((AUTH)); then printf 'export RNS_AUTH_FILE=%s\n' "$DIR/auth/admin.auth"; fi
  } >"$DIR/cluster.env"
  : >"$DIR/jvm.opts"
  for o in "${EXTRA_JVM_OPTS[@]}"; do printf '%s\n' "$o" >>"$DIR/jvm.opts"; done

  for ((i = 1; i <= n; i++)); do
    write_node_config "$i" "$n" "$mode"
    launch_node "$i"
    log "started n$i ($mode, pid $(cat "$(pid_file "$i")"), logs $(node_dir "$i")/logs)"
  done
  local started=0
  if [[ "$mode" == leaderless ]]; then
    wait_for_all_nodes "$n" && started=1
  else
    wait_for_leader "$n" && started=1
  fi
  if ((started == 0)); then
    echo "cluster.sh: start failed; stopping the nodes it started (logs stay in $DIR/n*/logs)" >&2
    cmd_stop >&2
    exit 1
  fi
  unlock_port_choice
  print_summary "$n"
}

# SIGTERM, wait, SIGKILL one node; only a pid that live_pid confirmed.
stop_node() {
  local i="$1" pid waited=0
  if ! pid="$(live_pid "$i")"; then
    [[ -f "$(pid_file "$i")" ]] && log "n$i: not running (stale pid file removed)"
    rm -f "$(pid_file "$i")"
    return 0
  fi
  log "n$i: SIGTERM pid $pid"
  kill -TERM "$pid" 2>/dev/null || true
  while proc_alive "$pid" && ((waited < STOP_WAIT_SECS * 10)); do
    sleep 0.1
    waited=$((waited + 1))
  done
  if proc_alive "$pid"; then
    log "n$i: still running after ${STOP_WAIT_SECS}s; SIGKILL pid $pid"
    kill -KILL "$pid" 2>/dev/null || true
    waited=0
    while proc_alive "$pid" && ((waited < 50)); do sleep 0.1; waited=$((waited + 1)); done
  fi
  rm -f "$(pid_file "$i")"
  log "n$i: stopped"
}

cmd_stop() {
  local i found=0
  for ((i = 1; i <= MAX_NODES; i++)); do
    [[ -f "$(pid_file "$i")" ]] || continue
    found=1
    stop_node "$i"
  done
  ((found)) || log "nothing to stop in $DIR (no pid files)"
}

cmd_kill() {
  local i="$NODE_ARG" pid
  pid="$(live_pid "$i")" || die "n$i is not running (no live $MAIN_CLASS for $(pid_file "$i"))"
  log "n$i: SIGKILL pid $pid"
  kill -KILL "$pid"
  local waited=0
  while proc_alive "$pid" && ((waited < 50)); do sleep 0.1; waited=$((waited + 1)); done
  rm -f "$(pid_file "$i")"
  echo "=== $(date '+%Y-%m-%d %H:%M:%S') n$i killed with SIGKILL by cluster.sh" >>"$(node_dir "$i")/logs/stdout.log"
}

cmd_restart() {
  local i="$NODE_ARG" n
  [[ -f "$(node_dir "$i")/rns.properties" ]] || die "n$i has no config in $(node_dir "$i") (was the cluster started with --dir $DIR?)"
  n="$(cluster_nodes)"
  ((i <= n)) || die "n$i is not part of the $n-node cluster in $DIR"
  ! live_pid "$i" >/dev/null || die "n$i is already running (pid $(live_pid "$i"))"
  port_listening "$(client_port "$i")" && die "client port $(client_port "$i") is in use by another process"
  port_listening "$(raft_port "$i")" && die "raft port $(raft_port "$i") is in use by another process"
  port_listening "$(rocketmq_port "$i")" && die "rocketmq port $(rocketmq_port "$i") is in use by another process"
  ensure_built
  # Reuse the JVM options the cluster was started with, then the ones given now (later wins).
  local -a saved=()
  if [[ -s "$DIR/jvm.opts" ]]; then mapfile -t saved <"$DIR/jvm.opts"; fi
  EXTRA_JVM_OPTS=("${saved[@]}" "${EXTRA_JVM_OPTS[@]}")
  launch_node "$i"
  log "restarted n$i ($(cluster_mode), pid $(cat "$(pid_file "$i")")) on its existing data dir $(node_dir "$i")/data and config"
  # Wait until it serves its client port (bounded), then show what it says.
  local deadline=$((SECONDS + START_WAIT_SECS))
  while ((SECONDS < deadline)); do
    live_pid "$i" >/dev/null || { tail -n 30 "$(node_dir "$i")/logs/stdout.log" >&2; die "n$i exited during restart"; }
    if port_listening "$(client_port "$i")"; then
      timeout 20 "$RNS" --endpoints "$(endpoint "$i")" status || true
      return 0
    fi
    sleep 0.5
  done
  die "n$i does not listen on $(client_port "$i") after ${START_WAIT_SECS}s; see $(node_dir "$i")/logs/"
}

cmd_status() {
  local n i pid any=0 eps=""
  n="$(cluster_nodes)"
  if ((n == 0)); then
    log "no cluster in $DIR"
    return 1
  fi
  echo "cluster dir: $DIR ($n nodes, mode $(cluster_mode))"
  for ((i = 1; i <= n; i++)); do
    if pid="$(live_pid "$i")"; then
      any=1
      eps+="${eps:+,}$(endpoint "$i")"
      printf '  n%s  running  pid %-7s client %s  rocketmq %s:%s\n' "$i" "$pid" "$(endpoint "$i")" "$HOST" "$(rocketmq_port "$i")"
    else
      printf '  n%s  stopped              client %s  rocketmq %s:%s\n' "$i" "$(endpoint "$i")" "$HOST" "$(rocketmq_port "$i")"
    fi
  done
  echo "RocketMQ namesrvAddr: $(rocketmq_addrs_for "$n")"
  ((any)) || return 3
  local rc=0
  for ((i = 1; i <= n; i++)); do
    live_pid "$i" >/dev/null || continue
    echo "--- scripts/rns --endpoints $(endpoint "$i") status"
    timeout 20 "$RNS" --endpoints "$(endpoint "$i")" status || { rc=$?; echo "(n$i: rns status failed, exit $rc)"; }
  done
  return 0
}

main() {
  parse_args "$@"
  [[ "$CMD" == start ]] || load_cluster_env
  case "$CMD" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    kill) cmd_kill ;;
    restart) cmd_restart ;;
  esac
}

main "$@"
