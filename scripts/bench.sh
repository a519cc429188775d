#!/usr/bin/env bash
# Side-by-side benchmarks: RNS vs the stock RocketMQ 5.5.0 NameServer. Run `scripts/bench.sh --help` for usage.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CP_FILE="$ROOT/bench/target/classpath.txt"
CLASSES="$ROOT/bench/target/classes"

usage() {
  cat <<EOF2
Usage: scripts/bench.sh [--smoke] [--scenario NAME...] [--duration S] [--out DIR] [--rebuild] [BenchMain options]
       scripts/bench.sh --jmh [JMH options]

Starts the stock RocketMQ 5.5.0 NameServer (own JVM) and a 3-node RNS cluster (one JVM per node) on 127.0.0.1
with free ports, drives both with the same load client, writes results.json, results.md and SVG plots, stops every
process it started (by pid) and prints the results directory. Default: every scenario; about 10 minutes on 2 cores.

Scenarios (in this order): reads registrations failover detection scale watch
  --smoke            a few seconds per scenario (numbers meaningless; CI runs this through BenchSmokeTest)
  --scenario NAME... one or more scenario names (or "all")
  --duration S       measured seconds per load cell (default 4, max 20); --warmup S (default 1)
  --out DIR          results directory (default bench/target/bench-results/<timestamp>)
  --rebuild          build even if the jars exist (./mvnw -B -ntp -q -pl bench -am -DskipTests package)
  More (passed to io.rns.bench.BenchMain): --clients 1,4,16,64  --scale-topics 10000,100000[,1000000]
  --repeat N         run each reads/registrations cell N times, targets interleaved: median and min–max (default 1)
  --failover-trials N  --detect-timeout-ms MS  --machine TEXT
  --rns-config KEY=VALUE  an extra rns.properties setting for every RNS node (repeatable; A/B of two settings)
  --native-at-least-once  native clients write without client sessions (A/B: what exactly-once costs)
  --jmh [ARGS]       JMH microbenchmarks (state-machine apply, route lookup); ARGS go to org.openjdk.jmh.Main,
                     e.g. --jmh StateMachineBench.routeLookup -p topics=10000
EOF2
}

die() { echo "bench.sh: $*" >&2; exit 1; }

JAVA="java"
if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then JAVA="$JAVA_HOME/bin/java"; fi

REBUILD=0
JMH=0
ARGS=()
while (($#)); do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --rebuild) REBUILD=1; shift ;;
    --jmh) JMH=1; shift; ARGS+=("$@"); break ;;
    --scenario)
      shift
      names=()
      while (($#)) && [[ "$1" != --* ]]; do names+=("$1"); shift; done
      ((${#names[@]})) || die "--scenario needs at least one name (reads registrations failover detection scale watch all)"
      ARGS+=("--scenario" "$(IFS=,; echo "${names[*]}")")
      ;;
    *) ARGS+=("$1"); shift ;;
  esac
done

# bench depends on the server module (provided scope), so -am also builds server/target/lib, the nodes' classpath
modules="bench"
need_build=$REBUILD
[[ -f "$CP_FILE" && -d "$CLASSES" && -f "$ROOT/server/target/lib/server-0.1.0-SNAPSHOT.jar" ]] || need_build=1
if ((need_build)); then
  echo "bench.sh: building: ./mvnw -B -ntp -q -pl $modules -am -DskipTests package"
  (cd "$ROOT" && ./mvnw -B -ntp -q -pl "$modules" -am -DskipTests package) || die "build failed"
fi
[[ -f "$CP_FILE" ]] || die "$CP_FILE missing after the build"

CP="$CLASSES:$(cat "$CP_FILE")"
if ((JMH)); then
  OUT="$ROOT/bench/target/jmh-results"
  mkdir -p "$OUT"
  ((${#ARGS[@]})) || ARGS=("StateMachineBench")
  exec "$JAVA" -Xmx2g -cp "$CP" org.openjdk.jmh.Main -rf json -rff "$OUT/jmh-$(date +%Y%m%d-%H%M%S).json" "${ARGS[@]}"
fi

# The bench JVM owns every server process it starts and stops them (also on SIGINT/SIGTERM, via its shutdown hook).
"$JAVA" -Xmx1g -XX:+UseG1GC -cp "$CP" io.rns.bench.BenchMain --root "$ROOT" "${ARGS[@]}" &
PID=$!
trap 'kill -TERM "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; exit 130' INT TERM
set +e
wait "$PID"
RC=$?
set -e
exit "$RC"
