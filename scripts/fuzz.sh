#!/usr/bin/env bash
# Bounded, seeded frame fuzzing of a local 3-node cluster (io.rns.chaos.fuzz.FuzzMain, the chaos-tests module).
#
#   scripts/fuzz.sh                                   # 20,000 frames per port, a random seed (printed)
#   scripts/fuzz.sh --frames 1000000 --seed 42 --seconds 3600 --threads 4 --idle 1000
#
# Starts a cluster with scripts/cluster.sh in a temp dir (--port-offset K, default 300), holds --idle idle connections
# open on every port, sends --frames frames to EACH of the native client, RocketMQ remoting and Raft peer ports
# (structured requests of every kind with hostile fields, byte-level mutations, broken JSON, zlib bombs, lying
# lengths, bolt headers, slow writers, connections left mid-frame or reset), then checks: every node process alive,
# every node answering with one leader, 50 acknowledged writes read back LINEARIZABLY from every node, every node
# serving the same state at one applied index, no OutOfMemoryError / HALTED / uncaught exception in the node logs;
# and prints each node's heap. Exit 0 only if all of that holds. Bounded by --seconds (default 600) plus start/stop.
# The cluster dir (logs) is kept on failure, removed on success (--keep keeps it always).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FRAMES=20000
SEED="$(( (RANDOM << 15) | RANDOM ))"
SECONDS_MAX=600
THREADS=2
IDLE=100
OFFSET=300
KEEP=0
die() { echo "fuzz.sh: $*" >&2; exit 2; }
while (($#)); do
  case "$1" in
    --frames) FRAMES="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --seconds) SECONDS_MAX="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    --idle) IDLE="$2"; shift 2 ;;
    --port-offset) OFFSET="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
for v in "$FRAMES" "$SEED" "$SECONDS_MAX" "$THREADS" "$IDLE" "$OFFSET"; do
  [[ "$v" =~ ^[0-9]+$ ]] || die "numbers only, got '$v'"
done

# idle connections need file descriptors (fuzzer and nodes inherit this limit)
want=$((IDLE * 3 + 4096))
if (($(ulimit -n) < want)); then
  ulimit -n "$want" 2>/dev/null || echo "fuzz.sh: could not raise the open-file limit to $want (ulimit -n is $(ulimit -n)); use fewer --idle" >&2
fi

if command -v mvn >/dev/null 2>&1; then MVN="${MVN:-mvn}"; else MVN="${MVN:-$ROOT/mvnw}"; fi
CP_FILE="$ROOT/chaos-tests/target/fuzz-cp.txt"
echo "fuzz.sh: building the fuzzer and the node (${MVN##*/} -q -pl chaos-tests -am package -DskipTests)"
(cd "$ROOT" && "$MVN" -B -q ${FUZZ_MVN_FLAGS:-} -pl chaos-tests -am package dependency:build-classpath -DskipTests \
  -Dmdep.outputFile="$CP_FILE" >/dev/null) || die "build failed (run the command above without -q to see why)"

DIR="$(mktemp -d "${TMPDIR:-/tmp}/rns-fuzz.XXXXXX")"
CLUSTER="$ROOT/scripts/cluster.sh"
rc=1
finish() {
  "$CLUSTER" stop --dir "$DIR" >/dev/null 2>&1 || true
  if ((rc == 0 && KEEP == 0)); then rm -rf "$DIR"; else echo "fuzz.sh: cluster dir and node logs kept in $DIR"; fi
}
trap finish EXIT

"$CLUSTER" start --dir "$DIR" --port-offset "$OFFSET" || die "cluster did not start (logs in $DIR)"
NATIVE="" RMQ="" PEER="" ADMIN=""
for i in 1 2 3; do
  NATIVE+="127.0.0.1:$((9770 + i + OFFSET)),"
  PEER+="127.0.0.1:$((9780 + i + OFFSET)),"
  ADMIN+="127.0.0.1:$((9790 + i + OFFSET)),"
  RMQ+="127.0.0.1:$((9870 + i + OFFSET)),"
done

echo "fuzz.sh: seed $SEED; reproduce: scripts/fuzz.sh --frames $FRAMES --seed $SEED --threads $THREADS --idle $IDLE"
set +e
timeout --kill-after=30 $((SECONDS_MAX + 180)) java -Xmx1g -cp "$ROOT/chaos-tests/target/classes:$(cat "$CP_FILE")" \
  -Dlogback.configurationFile="$ROOT/conf/logback-cli.xml" io.rns.chaos.fuzz.FuzzMain \
  --native "$NATIVE" --rocketmq "$RMQ" --peer "$PEER" --admin "$ADMIN" --frames "$FRAMES" --seed "$SEED" \
  --seconds "$SECONDS_MAX" --threads "$THREADS" --idle "$IDLE"
rc=$?
set -e

for i in 1 2 3; do
  pid="$(cat "$DIR/n$i/pid" 2>/dev/null || true)"
  if [[ -z "$pid" ]] || ! kill -0 "$pid" 2>/dev/null; then
    echo "fuzz.sh: FAIL node n$i is not running (crashed?): see $DIR/n$i/logs"; rc=1
  fi
done
bad="$(grep -lE 'OutOfMemoryError|HALTED|Exception in thread' "$DIR"/n*/logs/*.log 2>/dev/null || true)"
if [[ -n "$bad" ]]; then
  echo "fuzz.sh: FAIL the node logs report OutOfMemoryError, HALTED or an uncaught exception: $bad"; rc=1
fi
refusals="$(cat "$DIR"/n*/logs/rns.log 2>/dev/null | grep -cE 'WARN|refus' || true)"
echo "fuzz.sh: node log lines with WARN or a refusal: $refusals (every refusal is logged, with a budget)"
if ((rc == 0)); then echo "fuzz.sh: PASSED (seed $SEED)"; else echo "fuzz.sh: FAILED (seed $SEED)"; fi
exit "$rc"
