#!/usr/bin/env bash
# Demo: a 3-node RNS cluster serving a REAL Apache RocketMQ 5.5.0 broker and the stock mqadmin tool.
#
#   scripts/compat-demo.sh [--dir DIR] [--port-offset K] [--keep]
#
# Starts an RNS cluster (scripts/cluster.sh), a stock RocketMQ 5.5.0 broker (org.apache.rocketmq.broker.BrokerStartup
# from Maven Central, on the classpath of the rocketmq-compat-it/rmq-5.5.0 module) registered with all three RNS
# nodes, then uses the stock mqadmin (org.apache.rocketmq.tools.command.MQAdminStartup) to list the cluster, create
# a topic, read its route through each node, send and consume messages, and finally SIGKILLs the RNS leader and
# reads the route again through the survivors. Everything stops at the end unless --keep is given.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="$ROOT/run/compat-demo"
OFFSET=0
KEEP=0
while (($#)); do
  case "$1" in
    --dir) DIR="$2"; shift 2 ;;
    --port-offset) OFFSET="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "compat-demo.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$OFFSET" =~ ^[0-9]+$ ]] && ((OFFSET <= 1000)) || { echo "compat-demo.sh: --port-offset must be 0..1000" >&2; exit 2; }

JAVA="java"
if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then JAVA="$JAVA_HOME/bin/java"; fi
CP_FILE="$ROOT/rocketmq-compat-it/rmq-5.5.0/target/classpath.txt"
if [[ ! -f "$ROOT/server/target/lib/server-0.1.0-SNAPSHOT.jar" || ! -f "$ROOT/cli/target/cli-0.1.0-SNAPSHOT.jar" || ! -f "$CP_FILE" ]]; then
  echo "== building RNS and resolving RocketMQ 5.5.0 (./mvnw -B -q -DskipTests package -pl rocketmq-compat-it/rmq-5.5.0 -am)"
  (cd "$ROOT" && ./mvnw -B -q -DskipTests package -pl rocketmq-compat-it/rmq-5.5.0 -am)
fi
RMQ_CP="$(cat "$CP_FILE")"

mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"
HOME_DIR="$DIR/rocketmq-home"
mkdir -p "$HOME_DIR/conf" "$DIR/broker"
BROKER_PID=""

cleanup() {
  if ((KEEP)); then
    echo "== --keep: cluster and broker keep running; stop with: kill $BROKER_PID; scripts/cluster.sh stop --dir $DIR/rns"
    return
  fi
  if [[ -n "$BROKER_PID" ]] && kill -0 "$BROKER_PID" 2>/dev/null; then
    echo "== stopping the broker (pid $BROKER_PID)"
    kill -TERM "$BROKER_PID" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$BROKER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$BROKER_PID" 2>/dev/null || true
  fi
  "$ROOT/scripts/cluster.sh" stop --dir "$DIR/rns" || true
  echo "== logs stay in $DIR"
}
trap cleanup EXIT

echo "== 1. a 3-node RNS cluster (scripts/cluster.sh start --dir $DIR/rns --port-offset $OFFSET)"
"$ROOT/scripts/cluster.sh" start --dir "$DIR/rns" --port-offset "$OFFSET"
# shellcheck disable=SC1091
source "$DIR/rns/cluster.env"
NSADDR="$RNS_ROCKETMQ_ADDRS"
IFS=';' read -r -a NODES <<<"$NSADDR"
echo "RocketMQ namesrvAddr: $NSADDR"

mqadmin() {
  ROCKETMQ_HOME="$HOME_DIR" "$JAVA" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Duser.home="$DIR/mqadmin" \
    -Drocketmq.home.dir="$HOME_DIR" -cp "$RMQ_CP" org.apache.rocketmq.tools.command.MQAdminStartup "$@" 2>>"$DIR/mqadmin.err" |
    { grep -vE '^[0-9:,]+ \|-' || true; } # drop the shaded logback's status lines
}

BPORT=$((10911 + OFFSET))
cat >"$DIR/broker/broker.conf" <<EOF
brokerClusterName=DemoCluster
brokerName=demo-broker
brokerId=0
namesrvAddr=$NSADDR
listenPort=$BPORT
brokerIP1=127.0.0.1
brokerIP2=127.0.0.1
storePathRootDir=$DIR/broker/store
storePathCommitLog=$DIR/broker/store/commitlog
mappedFileSizeCommitLog=8388608
mappedFileSizeConsumeQueue=400000
rocketmqHome=$HOME_DIR
EOF
echo "== 2. a stock RocketMQ 5.5.0 broker on 127.0.0.1:$BPORT registered with all three nodes (log $DIR/broker/stdout.log)"
(
  cd "$DIR/broker"
  ROCKETMQ_HOME="$HOME_DIR" exec "$JAVA" -Xmx256m -XX:+UseSerialGC --add-opens java.base/jdk.internal.ref=ALL-UNNAMED \
    -Duser.home="$DIR/broker" -Drocketmq.home.dir="$HOME_DIR" -cp "$RMQ_CP" org.apache.rocketmq.broker.BrokerStartup \
    -c "$DIR/broker/broker.conf" </dev/null >>"$DIR/broker/stdout.log" 2>&1
) &
BROKER_PID=$!
for i in $(seq 1 120); do
  if mqadmin clusterList -n "$NSADDR" | grep -q demo-broker; then break; fi
  kill -0 "$BROKER_PID" 2>/dev/null || { tail -20 "$DIR/broker/stdout.log"; echo "broker died" >&2; exit 1; }
  ((i == 120)) && { echo "broker not registered after ~4 min" >&2; exit 1; }
  sleep 2
done
mqadmin clusterList -n "$NSADDR"

echo "== 3. mqadmin updateTopic DemoTopic on the broker, then topicRoute through each RNS node"
mqadmin updateTopic -n "$NSADDR" -b "127.0.0.1:$BPORT" -t DemoTopic -r 4 -w 4
for n in "${NODES[@]}"; do
  echo "--- topicRoute via $n"
  mqadmin topicRoute -n "$n" -t DemoTopic
done

echo "== 4. mqadmin sendMessage x3, then consumeMessage"
SENT=0
for i in 1 2 3; do
  out="$(mqadmin sendMessage -n "$NSADDR" -t DemoTopic -p "hello RNS $i")"
  echo "$out"
  grep -q SEND_OK <<<"$out" && SENT=$((SENT + 1))
done
echo "mqadmin sendMessage: $SENT of 3 sent OK (errors, if any, in $DIR/mqadmin.err and $DIR/mqadmin/logs/rocketmqlogs/)"
CONSUMED="$(mqadmin consumeMessage -n "$NSADDR" -t DemoTopic -c 10 | grep -c '^MSGID' || true)"
echo "mqadmin consumeMessage read $CONSUMED message(s) back from the broker it found through RNS"

echo "== 5. SIGKILL the RNS leader; the survivors still serve the route"
LEADER="$("$ROOT/scripts/rns" --endpoints "$RNS_ENDPOINTS" status | sed -n 's/.*node=n\([0-9]\) role=LEADER.*/\1/p' | head -1)"
[[ -n "$LEADER" ]] || { echo "no leader found" >&2; exit 1; }
"$ROOT/scripts/cluster.sh" kill "$LEADER" --dir "$DIR/rns"
sleep 3
for i in "${!NODES[@]}"; do
  ((i + 1 == LEADER)) && continue
  echo "--- topicRoute via ${NODES[$i]} (n$((i + 1)))"
  mqadmin topicRoute -n "${NODES[$i]}" -t DemoTopic
done
echo "== demo done"
