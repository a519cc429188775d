#!/usr/bin/env bash
# The README's two-minute tour, run as a test so the README cannot rot.
#
#   scripts/readme-tour-test.sh          (builds first if the jars are missing)
#
# Starts a fresh 3-node cluster in a temp dir (ports 9771-9773 client, 9781-9783 raft), then:
#   0. checks with `ss -ltnp` that no node listens on a wildcard address
#   1. finds the leader and the two followers (A, B) from `rns status` on each node
#   2. registers a broker with a topic through follower A
#   3. reads the route LINEARIZABLY from follower B: must contain the broker, served=LINEARIZABLE node=<B>
#   4. kill -9 the leader (cluster.sh kill), waits for the survivors to elect a new one
#   5. reads the route again through the default endpoints (linearizable): still there
#   6. registers a second topic through the default endpoints (writes continue) and reads it back
#   7. restarts the old leader on its data; a linearizable read from it sees the second topic
#   8. stops the cluster
# The cluster is always stopped on exit; the temp dir is deleted on success and kept (path printed) on failure.
#
# Only the meta line every rns command prints is parsed:
#   served=<LEVEL> node=<id> role=<ROLE> term=<n> applied=<n> endpoint=<host:port>
# Every rns invocation is in one of the rns_* functions below; change them there if the CLI changes.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CLUSTER="$ROOT/scripts/cluster.sh"
RNS="${RNS_CLI:-$ROOT/scripts/rns}"   # RNS_CLI: a stand-in, only for testing this script
HOST=127.0.0.1
NODES=3
CLI_TIMEOUT=30            # seconds for one rns invocation (it has its own request deadlines inside)
ELECTION_WAIT_SECS=30     # bounded wait for a new leader after the old one is killed

BROKER_CLUSTER="TourCluster"
BROKER_NAME="broker-tour"
BROKER_ADDR="127.0.0.1:10911"
TOPIC1="TourTopic1"
TOPIC2="TourTopic2"

PASSED=0
FAILED=0
DIR=""
STEP=0

step() { STEP=$((STEP + 1)); echo; echo "=== tour step $STEP: $*"; }
info() { echo "    $*"; }

fail() {
  FAILED=$((FAILED + 1))
  echo "FAIL: $1" >&2
  if (($# >= 3)); then
    echo "  expected: $2" >&2
    echo "  actual:   $3" >&2
  fi
  exit 1
}
pass() { PASSED=$((PASSED + 1)); echo "    ok: $*"; }

cleanup() {
  local rc=$?
  set +e
  trap - EXIT INT TERM
  if [[ -n "$DIR" && -d "$DIR" ]]; then
    echo
    echo "=== cleanup: scripts/cluster.sh stop --dir $DIR"
    "$CLUSTER" stop --dir "$DIR"
    if ((rc == 0)); then
      rm -rf "$DIR"
    else
      echo "readme-tour: FAILED (exit $rc); cluster dir and logs kept in: $DIR" >&2
      local f
      for f in "$DIR"/n*/logs/stdout.log "$DIR"/n*/logs/rns.log; do
        [[ -f "$f" ]] || continue
        echo "--- last lines of $f" >&2
        tail -n 15 "$f" >&2
      done
    fi
  fi
  if ((rc != 0 && FAILED == 0)); then FAILED=1; fi
  echo "readme-tour: $PASSED passed, $FAILED failed"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------------------------------------------
# The rns invocations of the tour (keep in sync with README.md "Two-minute tour").

# Run rns, echo the command and its output; sets OUT. Fails the test if rns exits non-zero.
run_rns() {
  echo "    \$ scripts/rns $*"
  local rc=0
  OUT="$(timeout "$CLI_TIMEOUT" "$RNS" "$@" 2>&1)" || rc=$?
  # shellcheck disable=SC2001
  sed 's/^/      | /' <<<"$OUT"
  ((rc == 0)) || fail "scripts/rns $* exited with status $rc" "exit 0" "exit $rc"
}

# --node HOST:PORT asks exactly that node (one attempt, no failover, no redirect to the leader).
rns_status() { # rns_status ENDPOINT
  run_rns --node "$1" status
}

rns_register() { # rns_register ENDPOINT|"" TOPIC   ("" = the default endpoints, with failover)
  local target=()
  [[ -n "$1" ]] && target=(--node "$1")
  run_rns "${target[@]}" register --cluster "$BROKER_CLUSTER" --broker-name "$BROKER_NAME" --broker-id 0 \
    --broker-addr "$BROKER_ADDR" --topic "$2" --lease-ms 300000
}

rns_route() { # rns_route ENDPOINT|"" CONSISTENCY TOPIC
  local target=()
  [[ -n "$1" ]] && target=(--node "$1")
  run_rns "${target[@]}" --consistency "$2" route "$3"
}

# meta KEY: the value of KEY= on the meta line of $OUT (empty if absent).
meta() {
  local line
  line="$(grep -E '(^|[[:space:]])served=[^[:space:]]*[[:space:]]+node=' <<<"$OUT" | tail -n 1 || true)"
  grep -Eo "(^|[[:space:]])$1=[^[:space:]]*" <<<"$line" | head -n 1 | sed -E "s/^[[:space:]]*$1=//" || true
}

expect_meta() { # expect_meta KEY VALUE
  local actual
  actual="$(meta "$1")"
  [[ "$actual" == "$2" ]] || fail "meta line: $1" "$1=$2" "$1=${actual:-<missing>} (meta line: $(grep -E 'served=' <<<"$OUT" | tail -n 1))"
  pass "$1=$2"
}

expect_output_contains() { # expect_output_contains TEXT WHAT
  grep -qF -- "$1" <<<"$OUT" || fail "$2" "output containing '$1'" "$(tr '\n' ' ' <<<"$OUT")"
  pass "$2"
}

# The leader a node knows, from the `status` text line "<ep> id=<id> mode=… role=… term=… leader=<id>@<ep>|- …".
status_leader() {
  grep -E '(^|[[:space:]])id=[^[:space:]]+ .*role=' <<<"$OUT" | head -n 1 | grep -Eo '(^|[[:space:]])leader=[^[:space:]]+' |
    sed -E 's/^[[:space:]]*leader=//; s/@.*//' || true
}

endpoint_of() { echo "$HOST:977$1"; }

# Query every live node; sets LEADER and FOLLOWERS (node numbers). Returns 1 unless there is a leader and
# every follower already knows it (so a follower can forward writes and serve linearizable reads).
find_roles() { # find_roles [SKIP_NODE]
  LEADER=""
  FOLLOWERS=()
  local i role node known unaware=0 term leader_term=""
  for ((i = 1; i <= NODES; i++)); do
    [[ "$i" == "${1:-}" ]] && continue
    rns_status "$(endpoint_of "$i")"
    role="$(meta role)"
    node="$(meta node)"
    [[ "$node" == "n$i" ]] || fail "status from $(endpoint_of "$i") names the node that answered" "node=n$i" "node=${node:-<missing>}"
    case "$role" in
      LEADER)
        term="$(meta term)"
        if [[ -n "$LEADER" ]]; then
          # Raft allows a deposed leader of an older term to believe it leads until it notices; two leaders of the
          # SAME term would be a safety violation.
          [[ "$term" != "$leader_term" ]] || fail "at most one leader per term" "one LEADER in term $term" "n$LEADER and n$i"
          info "n$LEADER (term $leader_term) and n$i (term $term) both say LEADER: a deposed leader has not noticed yet"
          unaware=1
        fi
        if [[ -z "$leader_term" || "$term" -gt "$leader_term" ]]; then LEADER="$i"; leader_term="$term"; fi
        ;;
      FOLLOWER)
        FOLLOWERS+=("$i")
        known="$(status_leader)"
        if [[ -z "$known" || "$known" == "-" ]]; then info "n$i does not know a leader yet"; unaware=1; fi
        ;;
      *) info "n$i role=$role" ;;
    esac
  done
  [[ -n "$LEADER" ]] && ((unaware == 0))
}

# ---------------------------------------------------------------------------------------------------------------

step "check that the cluster ports are free"
busy=()
for ((i = 1; i <= NODES; i++)); do
  for port in "977$i" "978$i" "979$i" "987$i"; do
    if timeout 2 bash -c "exec 3<>/dev/tcp/$HOST/$port" 2>/dev/null; then busy+=("$port"); fi
  done
done
if ((${#busy[@]})); then
  fail "ports busy on $HOST: ${busy[*]} — the tour needs 9771-977$NODES, 9781-978$NODES, 9791-979$NODES and 9871-987$NODES free (a cluster still running? scripts/cluster.sh status)"
fi
pass "ports 9771-977$NODES, 9781-978$NODES, 9791-979$NODES and 9871-987$NODES are free"

DIR="$(mktemp -d /tmp/rns-tour.XXXXXX)"
export RNS_CLUSTER_DIR="$DIR"   # scripts/rns takes its default endpoints from $DIR/cluster.env
unset RNS_ENDPOINTS

step "start a $NODES-node cluster: scripts/cluster.sh start --dir $DIR"
"$CLUSTER" start -n "$NODES" --dir "$DIR" || fail "scripts/cluster.sh start failed"
pass "cluster started"

step "no node listens on a wildcard address (ss -ltnp): client, raft and RocketMQ ports are bound to $HOST"
command -v ss >/dev/null 2>&1 || fail "ss is needed for this step: install iproute2 (apt-get install iproute2)"
for i in $(seq 1 "$NODES"); do
  pid="$(cat "$DIR/n$i/pid")"
  listens="$(ss -Hltnp | grep "pid=$pid," | awk '{print $4}' | sort || true)"
  [[ -n "$listens" ]] || fail "n$i listens" "the ports of pid $pid in ss -ltnp" "none"
  wild="$(grep -E '^(\*|0\.0\.0\.0|\[::\]|\[::ffff:0\.0\.0\.0\]):' <<<"$listens" || true)"
  [[ -z "$wild" ]] || fail "n$i binds no wildcard address" "only $HOST:<port>" "$(tr '\n' ' ' <<<"$wild")"
  pass "n$i (pid $pid) listens on $(tr '\n' ' ' <<<"$listens")"
done

step "find the leader and the followers (scripts/rns --node <node> status, for each node)"
deadline=$((SECONDS + ELECTION_WAIT_SECS))
until find_roles; do
  ((SECONDS < deadline)) || fail "a leader known to every follower within ${ELECTION_WAIT_SECS}s" "one LEADER, followers naming it" "see the status output above"
  sleep 1
done
((${#FOLLOWERS[@]} == 2)) || fail "two followers" "2 followers" "${#FOLLOWERS[@]} (${FOLLOWERS[*]:-})"
A="${FOLLOWERS[0]}"
B="${FOLLOWERS[1]}"
OLD_LEADER="$LEADER"
info "leader n$LEADER, follower A = n$A, follower B = n$B"
pass "one leader, two followers"

step "register $BROKER_NAME ($BROKER_ADDR) with topic $TOPIC1 through follower A (n$A)"
rns_register "$(endpoint_of "$A")" "$TOPIC1"
expect_meta endpoint "$(endpoint_of "$A")"
info "(the follower forwarded the write; the header is the leader's: node=$(meta node) role=$(meta role))"

step "read the route of $TOPIC1 LINEARIZABLY from follower B (n$B)"
rns_route "$(endpoint_of "$B")" LINEARIZABLE "$TOPIC1"
expect_output_contains "$BROKER_ADDR" "route of $TOPIC1 names $BROKER_ADDR"
expect_meta served LINEARIZABLE
expect_meta node "n$B"

step "probe follower B's admin port: curl http://$HOST:979$B/ready and /metrics"
command -v curl >/dev/null 2>&1 || fail "curl is needed for this step: install it (apt-get install curl)"
ready="$(curl -sS -w ' HTTP %{http_code}' "http://$HOST:979$B/ready")" || fail "curl http://$HOST:979$B/ready"
[[ "$ready" == *'"ok":true'*' HTTP 200' ]] || fail "n$B is ready" '{"node":...,"ok":true,...} HTTP 200' "$ready"
pass "n$B /ready: $ready"
metrics="$(curl -sS "http://$HOST:979$B/metrics")" || fail "curl http://$HOST:979$B/metrics"
line="$(grep -E "^rns_requests_seconds_count\{code=\"ok\",kind=\"get_topic_route\",node=\"n$B\",served=\"linearizable\"\} [1-9]" <<<"$metrics" || true)"
[[ -n "$line" ]] || fail "n$B's metrics count the linearizable route read" 'rns_requests_seconds_count{code="ok",kind="get_topic_route",node="n'"$B"'",served="linearizable"} >= 1' "$(grep -E '^rns_requests_seconds_count' <<<"$metrics" | tr '\n' ' ')"
pass "n$B /metrics: $line"

step "kill -9 the leader: scripts/cluster.sh kill $OLD_LEADER"
"$CLUSTER" kill "$OLD_LEADER" --dir "$DIR" || fail "scripts/cluster.sh kill $OLD_LEADER failed"
pass "n$OLD_LEADER killed"

step "wait (at most ${ELECTION_WAIT_SECS}s) until the survivors elect a new leader"
deadline=$((SECONDS + ELECTION_WAIT_SECS))
until find_roles "$OLD_LEADER"; do
  ((SECONDS < deadline)) || fail "a new leader within ${ELECTION_WAIT_SECS}s" "a survivor with role=LEADER" "none"
  sleep 1
done
info "new leader: n$LEADER"
[[ "$LEADER" != "$OLD_LEADER" ]] || fail "new leader differs from the killed one" "not n$OLD_LEADER" "n$LEADER"
pass "new leader n$LEADER"

step "read the route of $TOPIC1 again, linearizable, through the default endpoints"
rns_route "" LINEARIZABLE "$TOPIC1"
expect_output_contains "$BROKER_ADDR" "route of $TOPIC1 still names $BROKER_ADDR after failover"
expect_meta served LINEARIZABLE
served_by="$(meta node)"
[[ "$served_by" != "n$OLD_LEADER" ]] || fail "read served by a live node" "node != n$OLD_LEADER" "node=$served_by"

step "register topic $TOPIC2 through the default endpoints (writes continue after failover)"
rns_register "" "$TOPIC2"
pass "registered $TOPIC2"

step "read the route of $TOPIC2 (linearizable, default endpoints)"
rns_route "" LINEARIZABLE "$TOPIC2"
expect_output_contains "$BROKER_ADDR" "route of $TOPIC2 names $BROKER_ADDR"
expect_meta served LINEARIZABLE

step "restart the old leader on its data: scripts/cluster.sh restart $OLD_LEADER"
"$CLUSTER" restart "$OLD_LEADER" --dir "$DIR" || fail "scripts/cluster.sh restart $OLD_LEADER failed"
deadline=$((SECONDS + ELECTION_WAIT_SECS))
while :; do
  rns_status "$(endpoint_of "$OLD_LEADER")"
  role="$(meta role)"
  [[ "$role" == FOLLOWER || "$role" == LEADER ]] && break
  ((SECONDS < deadline)) || fail "n$OLD_LEADER rejoins within ${ELECTION_WAIT_SECS}s" "role=FOLLOWER (or LEADER)" "role=${role:-<missing>}"
  sleep 1
done
pass "n$OLD_LEADER rejoined as $role"

step "read the route of $TOPIC2 (written while it was down) LINEARIZABLY from the restarted n$OLD_LEADER"
rns_route "$(endpoint_of "$OLD_LEADER")" LINEARIZABLE "$TOPIC2"
expect_output_contains "$BROKER_ADDR" "route of $TOPIC2 names $BROKER_ADDR on the restarted node"
expect_meta served LINEARIZABLE
expect_meta node "n$OLD_LEADER"

step "back up the cluster: scripts/rns snapshot save $DIR/tour.rnsbak; check it: scripts/rns-admin snapshot status"
run_rns snapshot save "$DIR/tour.rnsbak"
expect_output_contains "snapshot saved $DIR/tour.rnsbak" "the backup file is written"
expect_meta served LINEARIZABLE
OUT="$("$ROOT/scripts/rns-admin" snapshot status "$DIR/tour.rnsbak" 2>&1)" || fail "rns-admin snapshot status" "exit 0" "$OUT"
expect_output_contains '"ok": true' "rns-admin checks the backup (format, entries, SHA-256)"

step "stop the cluster: scripts/cluster.sh stop --dir $DIR"
"$CLUSTER" stop --dir "$DIR" || fail "scripts/cluster.sh stop failed"
for ((i = 1; i <= NODES; i++)); do
  [[ ! -f "$DIR/n$i/pid" ]] || fail "n$i stopped" "no pid file" "$DIR/n$i/pid exists"
done
pass "cluster stopped"

echo
echo "readme-tour: all steps passed"
