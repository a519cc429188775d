#!/usr/bin/env bash
# Run one chaos scenario on a real netns cluster and print where its report is.
#
#   scripts/chaos.sh run --scenario raft|unsafe|leaderless|membership|lease-clock|liveness|liveness-leaderless [--nodes 3|5] [--seed N] [--duration-s S] [--out DIR]
#                        [--backend netns|docker|rootless]
#   scripts/chaos.sh report RUN_DIR      # re-check a recorded history.jsonl and rewrite report.html (no root needed)
#   scripts/chaos.sh campaign --runs N --seed-base S [--scenarios raft,lease-clock,membership,liveness,late-delivery,durability]
#                             [--nodes 3,5] [--duration-s 60] [--out DIR]
#       seeded Raft runs back to back (run k: scenario k mod |scenarios|, seed S+k); prints progress, writes
#       DIR/campaign.{md,json} after every run, keeps failing runs' directories whole; resumable (rerun the same
#       command: finished runs are skipped). Root (netns backend). Default DIR chaos-tests/target/chaos/campaign.
#   scripts/chaos.sh compare-modes [--nodes 3|5] [--seed S] [--duration-s 60] [--out DIR]
#       Raft and leaderless on the same seed, workload and fault schedule, client-side partitions included (a node
#       that loses every broker, brokers or readers that reach only some nodes); prints DIR/fair-S/comparison.md.
#
# --backend: netns (default; root), docker (a running local dockerd; no pulls), rootless (no root: the whole run
#   re-executes inside `unshare --user --map-root-user --net --mount`; needs unprivileged user namespaces).
# --seed reproduces a run's nemesis schedule and workload choices (timing still varies). Output:
#   DIR/<scenario>-<nodes>-.../<seed>/{history.jsonl,results.json,summary.json,report.html,nodes/}
#   DIR/<scenario dir>/comparison.md and DIR/comparison.md (every run found under DIR)
# Environment: MVN (default ./mvnw, or mvn if on PATH), CHAOS_MVN_FLAGS (e.g. -o for offline),
#              CHAOS_BUILD_DIR (the chaos-tests module's build dir, default chaos-tests/target).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

usage() {
  sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

[ $# -ge 1 ] || usage
cmd="$1"; shift

if command -v mvn >/dev/null 2>&1; then MVN="${MVN:-mvn}"; else MVN="${MVN:-./mvnw}"; fi
FLAGS=(${CHAOS_MVN_FLAGS:-})
BUILD_DIR="${CHAOS_BUILD_DIR:-}"
[ -n "$BUILD_DIR" ] && FLAGS+=("-Dchaos.build.dir=$BUILD_DIR")

case "$cmd" in
  run)
    scenario=""; nodes=3; seed=""; duration=30; out="$ROOT/chaos-tests/target/chaos"; backend=netns
    while [ $# -gt 0 ]; do
      case "$1" in
        --scenario) scenario="$2"; shift 2 ;;
        --nodes) nodes="$2"; shift 2 ;;
        --seed) seed="$2"; shift 2 ;;
        --duration-s) duration="$2"; shift 2 ;;
        --out) out="$(mkdir -p "$2" && cd "$2" && pwd)"; shift 2 ;;
        --backend) backend="$2"; shift 2 ;;
        *) usage ;;
      esac
    done
    case "$scenario" in
      raft) dir="raft-$nodes-linearizable-lease" ;;
      unsafe) dir="raft-$nodes-unsafe-reads" ;;
      leaderless) dir="leaderless-$nodes-kill" ;;
      membership) dir="raft-$nodes-membership" ;;
      lease-clock) dir="raft-$nodes-lease-clock" ;;
      liveness) dir="raft-$nodes-liveness" ;;
      liveness-leaderless) dir="leaderless-$nodes-liveness" ;;
      *) echo "chaos.sh: --scenario must be raft, unsafe, leaderless, membership, lease-clock, liveness or liveness-leaderless" >&2; usage ;;
    esac
    [[ "$nodes" =~ ^[0-9]+$ && "$duration" =~ ^[0-9]+$ ]] || usage
    case "$backend" in
      netns)
        if [ "$(id -u)" != 0 ]; then
          echo "chaos.sh: the netns backend needs root (network namespaces, veth, iptables); rerun with sudo," \
               "or use --backend rootless (no root) or --backend docker." >&2
          exit 1
        fi ;;
      docker)
        if ! docker info >/dev/null 2>&1; then
          echo "chaos.sh: --backend docker needs a running local docker engine (e.g. as root:" \
               "dockerd >/tmp/dockerd.log 2>&1 &); \`docker info\` failed." >&2
          exit 1
        fi
        export TESTCONTAINERS_RYUK_DISABLED=true TESTCONTAINERS_HOST_OVERRIDE=localhost ;;
      rootless)
        command -v unshare >/dev/null || { echo "chaos.sh: --backend rootless needs unshare (util-linux)" >&2; exit 1; }
        if ! unshare --user --map-root-user --net --mount true 2>/dev/null; then
          echo "chaos.sh: --backend rootless: this user cannot create user+net+mount namespaces" \
               "(kernel.unprivileged_userns_clone / user.max_user_namespaces / AppArmor restriction?)" >&2
          exit 1
        fi ;;
      *) echo "chaos.sh: --backend must be netns, docker or rootless" >&2; usage ;;
    esac
    [ -n "$seed" ] || seed=$(( (RANDOM << 15 | RANDOM) ))
    echo "chaos.sh: scenario=$scenario nodes=$nodes seed=$seed duration=${duration}s backend=$backend out=$out"
    # bounded: the run itself plus cluster start, final heal, quiesce, check and build (at most ~6 min more)
    rc=0
    if [ "$backend" = rootless ]; then
      # the whole harness JVM runs inside the namespaces (see RootlessHosts): build + classpath outside, run inside
      b="${BUILD_DIR:-$ROOT/chaos-tests/target}"
      mkdir -p "$b"
      "$MVN" -B -q "${FLAGS[@]}" -pl chaos-tests -am test-compile dependency:build-classpath -DskipTests \
        -Dmdep.includeScope=test -Dmdep.outputFile="$b/chaos-cp.txt" >/dev/null
      timeout --kill-after=30 $((duration + 420)) \
        unshare --user --map-root-user --net --mount --propagation private -- \
        sh -c 'mount -t tmpfs -o mode=0755 rns-rootless-run /run && ip link set lo up && export RNS_CHAOS_ROOTLESS=1 && exec "$@"' \
        rns-rootless java -cp "$b/classes:$(cat "$b/chaos-cp.txt")" -Drns.chaos.backend=rootless \
        io.rns.chaos.ChaosMain run --scenario "$scenario" --nodes "$nodes" --seed "$seed" \
        --duration-s "$duration" --out "$out" || rc=$?
    else
      timeout --kill-after=30 $((duration + 420)) "$MVN" -B -q "${FLAGS[@]}" -pl chaos-tests -am test \
        -Dtest=io.rns.chaos.ChaosCliTest -Dsurefire.failIfNoSpecifiedTests=false \
        -DexcludedGroups= -Dchaos.scenario="$scenario" -Dchaos.nodes="$nodes" -Dchaos.seed="$seed" \
        -Dchaos.duration.s="$duration" -Dchaos.out="$out" -Drns.chaos.backend="$backend" || rc=$?
    fi
    run_dir="$out/$dir/$seed"
    if [ -f "$run_dir/report.html" ]; then
      verdict=$(sed -n 's/.*"verdict": "\([A-Z]*\)".*/\1/p' "$run_dir/summary.json" | head -1)
      echo "chaos.sh: verdict ${verdict:-?}"
      echo "chaos.sh: report     $run_dir/report.html"
      echo "chaos.sh: comparison $out/$dir/comparison.md (this scenario), $out/comparison.md (all)"
      echo "chaos.sh: reproduce  scripts/chaos.sh run --scenario $scenario --nodes $nodes --seed $seed --duration-s $duration --backend $backend"
    else
      echo "chaos.sh: no report at $run_dir (maven exit $rc); see the output above and $run_dir/nodes/" >&2
      [ "$rc" != 0 ] || rc=1
    fi
    exit "$rc"
    ;;
  campaign|compare-modes)
    if [ "$(id -u)" != 0 ]; then
      echo "chaos.sh: $cmd uses the netns backend, which needs root (network namespaces, veth, iptables);" \
           "rerun with sudo." >&2
      exit 1
    fi
    runs=1; args=()
    while [ $# -gt 0 ]; do
      case "$1" in
        --runs) runs="$2"; args+=("$1" "$2"); shift 2 ;;
        --seed-base|--scenarios|--nodes|--duration-s|--seed) args+=("$1" "$2"); shift 2 ;;
        --out) mkdir -p "$2"; args+=("$1" "$(cd "$2" && pwd)"); shift 2 ;;
        *) usage ;;
      esac
    done
    [[ "$runs" =~ ^[0-9]+$ ]] || { echo "chaos.sh: --runs must be a number" >&2; usage; }
    [ "$cmd" = compare-modes ] && runs=2
    default_out="$ROOT/chaos-tests/target/chaos"; [ "$cmd" = campaign ] && default_out="$default_out/campaign"
    [[ " ${args[*]} " == *" --out "* ]] || args+=(--out "$default_out")
    b="${BUILD_DIR:-$ROOT/chaos-tests/target}"
    mkdir -p "$b"
    # package the server (scripts/rns-node's own files), then the harness's classpath
    "$MVN" -B -q "${FLAGS[@]}" -pl server -am package -DskipTests >/dev/null
    "$MVN" -B -q "${FLAGS[@]}" -pl chaos-tests -am test-compile dependency:build-classpath -DskipTests \
      -Dmdep.includeScope=test -Dmdep.outputFile="$b/chaos-cp.txt" >/dev/null
    # The node JVMs inherit the harness's classpath, whose RNS entries are the modules' target/classes directories.
    # A build during a long campaign rewrites those class files under the running nodes, and a class first loaded
    # then can fail to load (track record #6). So the campaign runs from a private copy in DIR/.classpath.
    out_dir=""
    for ((i = 0; i < ${#args[@]}; i++)); do [ "${args[$i]}" = --out ] && out_dir="${args[$((i + 1))]}"; done
    mkdir -p "$out_dir"
    frozen="$out_dir/.classpath"
    rm -rf "$frozen"
    cp_frozen=""
    n=0
    IFS=: read -ra entries <<< "$b/classes:$(cat "$b/chaos-cp.txt")"
    for e in "${entries[@]}"; do
      if [ -d "$e" ]; then
        copy="$frozen/$n-$(basename "$(dirname "$(dirname "$e")")")-$(basename "$e")"   # e.g. 3-client-classes
        mkdir -p "$copy"
        cp -a "$e/." "$copy/"
        e="$copy"
      fi
      cp_frozen="${cp_frozen:+$cp_frozen:}$e"
      n=$((n + 1))
    done
    echo "chaos.sh: running from a copy of the build's classes in $frozen (later builds do not reach these nodes)"
    # bounded: every run is bounded by its duration plus cluster start, heal, check (~7 min at most each)
    exec timeout --kill-after=60 $(( runs * 420 + 60 )) \
      java -cp "$cp_frozen" io.rns.chaos.ChaosMain "$cmd" "${args[@]}"
    ;;
  report)
    [ $# -eq 1 ] || usage
    run_dir="$(cd "$1" && pwd)"
    b="${BUILD_DIR:-$ROOT/chaos-tests/target}"
    "$MVN" -B -q "${FLAGS[@]}" -pl chaos-tests -am test-compile -DskipTests
    "$MVN" -B -q "${FLAGS[@]}" -pl chaos-tests dependency:build-classpath -Dmdep.includeScope=test \
      -Dmdep.outputFile="$b/chaos-cp.txt" >/dev/null
    java -cp "$b/classes:$(cat "$b/chaos-cp.txt")" io.rns.chaos.ChaosMain report "$run_dir"
    ;;
  *) usage ;;
esac
