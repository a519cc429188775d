#!/usr/bin/env bash
# Measures RNS failover time and spurious elections for several raft.election-timeout-ms values on this machine.
# Results: docs/measurements/election-timeout.md (written by hand from the raw logs this script leaves in $OUT).
#
#   scripts/measure-election-timeout.sh                      # ETS="1000 2000", 5 failover trials, 2 x 120 s trickle
#   ETS="1000 1500 2000" TRIALS=5 TRICKLE_SECS=120 scripts/measure-election-timeout.sh
#   PHASES="failover" ETS=1000 scripts/measure-election-timeout.sh   # only some phases (failover idle load)
#
# Per election timeout ET, each phase on a fresh 3-node cluster (scripts/cluster.sh, dir $WORK/et$ET-<phase>):
#   failover  TRIALS x: find the leader, SIGKILL it (cluster.sh kill), time from the moment the process is dead
#             until (a) a surviving node reports role=LEADER with a higher term, (b) the first successful register
#             through a NamesrvClient with all three endpoints (default RetryPolicy, and a 20 ms fixed-backoff one);
#             restart the killed node and wait until its applied index equals the leader's.
#   idle      TRICKLE_SECS of one register every 200 ms; a monitor polls every node's role/term/leader every 50 ms.
#   load      the same while `stress-ng --cpu 2 --io 1 --hdd 1` runs (CPU hog on both cores + sync/disk pressure).
# Needs: java 17 + javac, stress-ng (load phase; `apt-get install -y stress-ng`), free ports 9771-9773/9781-9783.
# Jars: copies in $WORK/jars (taken from server/target/lib and cli/target, built offline if missing), so that
# edits to the tree during a run do not change what is measured. Everything this script starts is stopped by its
# pid on exit; cluster data dirs are removed at the end (KEEP_DATA=1 keeps them); logs stay in $OUT.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${WORK:-/tmp/etm}"
OUT="${OUT:-$WORK/results}"
ETS="${ETS:-1000 2000}"
TRIALS="${TRIALS:-5}"
TRICKLE_SECS="${TRICKLE_SECS:-120}"
INTERVAL_MS="${INTERVAL_MS:-200}"
PHASES="${PHASES:-failover idle load}"
JARS="$WORK/jars"
mkdir -p "$WORK" "$OUT"

# ---- jars (private copies) ------------------------------------------------------------------------------------
if [[ ! -f "$JARS/server-lib/server-0.1.0-SNAPSHOT.jar" || ! -f "$JARS/cli/cli-0.1.0-SNAPSHOT.jar" ]]; then
  if [[ ! -f "$ROOT/server/target/lib/server-0.1.0-SNAPSHOT.jar" || ! -f "$ROOT/cli/target/cli-0.1.0-SNAPSHOT.jar" ]]; then
    (cd "$ROOT" && ./mvnw -B -q -o -DskipTests package)
  fi
  mkdir -p "$JARS/cli"
  # the server classpath of scripts/cluster.sh: the server module's lib/ (every runtime jar of the node)
  rm -rf "$JARS/server-lib" "$JARS/cli/lib"
  cp -r "$ROOT/server/target/lib" "$JARS/server-lib"
  # the CLI's classpath: cli jar + its lib/ (which holds the client library, rpc and logback)
  cp "$ROOT/cli/target/cli-0.1.0-SNAPSHOT.jar" "$JARS/cli/"
  cp -r "$ROOT/cli/target/lib" "$JARS/cli/lib"
  cp "$ROOT/conf/logback.xml" "$ROOT/conf/logback-cli.xml" "$ROOT/conf/jvm.options" "$JARS/"
fi
# cluster.sh and the node launcher too: cluster.sh writes the node config, which must match the copied server jars,
# and starts nodes with $JARS/scripts/rns-node, which reads $JARS/conf/jvm.options and logback.xml (ROOT of the copy).
if [[ ! -x "$JARS/scripts/cluster.sh" || ! -x "$JARS/scripts/rns-node" ]]; then
  mkdir -p "$JARS/scripts" "$JARS/conf"
  cp "$ROOT/scripts/cluster.sh" "$ROOT/scripts/rns-node" "$JARS/scripts/"
  cp "$JARS/logback.xml" "$JARS/logback-cli.xml" "$JARS/jvm.options" "$JARS/conf/"
fi
CLUSTER="$JARS/scripts/cluster.sh"
CP_CLIENT="$JARS/cli/cli-0.1.0-SNAPSHOT.jar:$JARS/cli/lib/*"
export RNS_SERVER_LIB="$JARS/server-lib"
# cluster.sh calls $RNS_CLI for `status`; point it at the copied cli jar too.
cat >"$JARS/rns-cli" <<EOF
#!/usr/bin/env bash
exec java -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dlogback.configurationFile=$JARS/logback-cli.xml -cp "$CP_CLIENT" io.rns.cli.RnsCli "\$@"
EOF
chmod +x "$JARS/rns-cli"
export RNS_CLI="$JARS/rns-cli"

# ---- the Java driver ------------------------------------------------------------------------------------------
mkdir -p "$WORK/src" "$WORK/classes"
cat >"$WORK/src/EtMeasure.java" <<'JAVA'
import io.rns.client.CallOptions;
import io.rns.client.NamesrvClient;
import io.rns.client.Reply;
import io.rns.client.RetryPolicy;
import io.rns.rpc.v1.GetNodeStatusResponse;
import io.rns.rpc.v1.RegisterBrokerRequest;
import io.rns.rpc.v1.Role;
import io.rns.rpc.v1.TopicConfig;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;

/** Election-timeout measurements for RNS. Modes: failover DIR CLUSTER_SH TRIALS OUT | trickle SECONDS INTERVAL_MS OUT */
public class EtMeasure {
    static final List<String> EPS = List.of("127.0.0.1:9771", "127.0.0.1:9772", "127.0.0.1:9773");
    static PrintStream out;

    static void log(String s) { String l = Instant.now() + " " + s; System.out.println(l); if (out != null) { out.println(l); out.flush(); } }

    static NamesrvClient client(RetryPolicy p) {
        NamesrvClient.Builder b = NamesrvClient.builder().endpoints(EPS)
                .requestTimeout(Duration.ofMillis(500)).overallTimeout(Duration.ofSeconds(30));
        if (p != null) b.retryPolicy(p);
        return b.build();
    }

    static RegisterBrokerRequest reg(String topic) {
        return RegisterBrokerRequest.newBuilder().setCluster("EtmCluster").setBrokerName("etm-broker").setBrokerId(0)
                .setBrokerAddr("127.0.0.1:10911")
                .addTopics(TopicConfig.newBuilder().setTopic(topic).setReadQueueNums(4).setWriteQueueNums(4).setPerm(6))
                .build();
    }

    /** status of one node, or null if it did not answer */
    static GetNodeStatusResponse status(NamesrvClient c, String ep) {
        try { return c.nodeStatus(ep).value(); } catch (RuntimeException e) { return null; }
    }

    static double ms(long nanos) { return nanos / 1e6; }

    // ------------------------------------------------------------------------------------------------------------
    public static void main(String[] a) throws Exception {
        switch (a[0]) {
            case "failover" -> failover(Path.of(a[1]), a[2], Integer.parseInt(a[3]), Path.of(a[4]));
            case "trickle" -> trickle(Integer.parseInt(a[1]), Integer.parseInt(a[2]), Path.of(a[3]));
            default -> throw new IllegalArgumentException(a[0]);
        }
        System.exit(0);
    }

    static boolean dead(long pid) {
        try {
            String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String st = s.substring(s.lastIndexOf(')') + 2, s.lastIndexOf(')') + 3);
            return st.equals("Z") || st.equals("X");
        } catch (Exception e) { return true; }
    }

    static int run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
                new java.io.File(System.getProperty("etm.cmdlog", "/tmp/etm/commands.log")))).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) { p.destroyForcibly(); return -1; }
        return p.exitValue();
    }

    static void failover(Path dir, String clusterSh, int trials, Path outFile) throws Exception {
        out = new PrintStream(Files.newOutputStream(outFile), true);
        NamesrvClient probe = client(RetryPolicy.NONE);
        log("# columns: trial killed old_term new_leader new_term kill_cmd_to_dead_ms leader_ms write_default_ms write_fast_ms default_calls fast_calls");
        for (int t = 1; t <= trials; t++) {
            // 1. leader + all nodes caught up (bounded 60 s)
            String leaderEp = null; GetNodeStatusResponse ls = null;
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (System.nanoTime() < deadline) {
                leaderEp = null; ls = null; Set<Long> applied = new HashSet<>(); int answered = 0;
                for (String ep : EPS) {
                    GetNodeStatusResponse s = status(probe, ep);
                    if (s == null) continue;
                    answered++; applied.add(s.getAppliedIndex());
                    if (s.getRole() == Role.LEADER) { leaderEp = ep; ls = s; }
                }
                if (leaderEp != null && answered == 3 && applied.size() == 1) break;
                Thread.sleep(20);
            }
            if (leaderEp == null) { log("trial " + t + " FAILED: no leader with 3 caught-up nodes within 60 s"); continue; }
            int n = EPS.indexOf(leaderEp) + 1;
            long oldTerm = ls.getTerm();
            // 2. two writer clients that know the current leader
            NamesrvClient cDefault = client(null);
            NamesrvClient cFast = client(new RetryPolicy(1000, Duration.ofMillis(20), Duration.ofMillis(20), 0));
            cDefault.registerBroker(reg("etm-warm-d-" + t));
            cFast.registerBroker(reg("etm-warm-f-" + t));
            long pid = Long.parseLong(Files.readString(dir.resolve("n" + n).resolve("pid")).trim());
            // 3. kill; T0 = first moment the leader process is seen dead (polled every 1 ms)
            CountDownLatch go = new CountDownLatch(1);
            AtomicLong tDead = new AtomicLong();
            long[] writeDone = new long[2]; int[] calls = new int[2];
            NamesrvClient[] wc = {cDefault, cFast};
            Thread[] writers = new Thread[2];
            for (int w = 0; w < 2; w++) {
                final int wi = w; final int tt = t;
                writers[w] = new Thread(() -> {
                    try { go.await(); } catch (InterruptedException e) { return; }
                    long end = System.nanoTime() + 30_000_000_000L;
                    int k = 0;
                    while (System.nanoTime() < end) {
                        k++;
                        try { wc[wi].registerBroker(reg("etm-fo-" + tt + "-" + wi + "-" + k)); writeDone[wi] = System.nanoTime(); break; }
                        catch (RuntimeException e) { log("  writer " + (wi == 0 ? "default" : "fast") + " call " + k + " failed after " + ms(System.nanoTime() - tDead.get()) + " ms: " + e.getMessage()); }
                    }
                    calls[wi] = k;
                });
                writers[w].start();
            }
            long tCmd = System.nanoTime();
            Thread killer = new Thread(() -> { try { run(clusterSh, "--dir", dir.toString(), "kill", String.valueOf(n)); } catch (Exception e) { throw new RuntimeException(e); } });
            killer.start();
            while (!dead(pid)) { if (System.nanoTime() - tCmd > 10_000_000_000L) break; Thread.sleep(1); }
            tDead.set(System.nanoTime());
            go.countDown();
            // (a) a surviving node reports itself LEADER with a higher term
            long tLeader = 0; String newLeader = "-"; long newTerm = 0;
            List<String> surv = new ArrayList<>(EPS); surv.remove(leaderEp);
            long end = tDead.get() + 30_000_000_000L;
            outer:
            while (System.nanoTime() < end) {
                for (String ep : surv) {
                    GetNodeStatusResponse s = status(probe, ep);
                    if (s != null && s.getRole() == Role.LEADER && s.getTerm() > oldTerm) {
                        tLeader = System.nanoTime(); newLeader = s.getNodeId(); newTerm = s.getTerm(); break outer;
                    }
                }
                Thread.sleep(20);
            }
            for (Thread w : writers) w.join(35_000);
            killer.join(30_000);
            String leaderMs = tLeader == 0 ? "FAIL" : String.format("%.1f", ms(tLeader - tDead.get()));
            String wd = writeDone[0] == 0 ? "FAIL" : String.format("%.1f", ms(writeDone[0] - tDead.get()));
            String wf = writeDone[1] == 0 ? "FAIL" : String.format("%.1f", ms(writeDone[1] - tDead.get()));
            log(String.format("RESULT %d n%d %d %s %d %.1f %s %s %s %d %d", t, n, oldTerm, newLeader, newTerm,
                    ms(tDead.get() - tCmd), leaderMs, wd, wf, calls[0], calls[1]));
            cDefault.close(); cFast.close();
            // 4. restart the killed node; the next trial's step 1 waits until it has caught up
            long tr = System.nanoTime();
            int rc = run(clusterSh, "--dir", dir.toString(), "restart", String.valueOf(n));
            log("  restart n" + n + " rc=" + rc + " took " + String.format("%.0f", ms(System.nanoTime() - tr)) + " ms");
            long cu = System.nanoTime(); boolean caught = false;
            while (System.nanoTime() - cu < 60_000_000_000L) {
                GetNodeStatusResponse me = status(probe, leaderEp); Long la = null;
                for (String ep : EPS) { GetNodeStatusResponse s = status(probe, ep); if (s != null && s.getRole() == Role.LEADER) la = s.getAppliedIndex(); }
                if (me != null && la != null && me.getAppliedIndex() == la) { caught = true;
                    log("  n" + n + " caught up (applied=" + la + ") " + String.format("%.0f", ms(System.nanoTime() - cu)) + " ms after restart returned"); break; }
                Thread.sleep(50);
            }
            if (!caught) log("  n" + n + " did NOT catch up within 60 s");
            Thread.sleep(1000);
        }
        probe.close();
    }

    // ------------------------------------------------------------------------------------------------------------
    static void trickle(int seconds, int intervalMs, Path outFile) throws Exception {
        out = new PrintStream(Files.newOutputStream(outFile), true);
        NamesrvClient probe = client(RetryPolicy.NONE);
        NamesrvClient writer = client(null);
        Map<String, Long> startTerm = new TreeMap<>();
        for (String ep : EPS) { GetNodeStatusResponse s = null;  // retry: under load the first status call can time out
            for (int i = 0; i < 20 && s == null; i++) { s = status(probe, ep); if (s == null) Thread.sleep(250); }
            startTerm.put(ep, s == null ? -1 : s.getTerm());
            log("START " + ep + " " + (s == null ? "unreachable" : s.getNodeId() + " role=" + s.getRole() + " term=" + s.getTerm() + " leader=" + s.getLeaderId())); }
        AtomicBoolean stop = new AtomicBoolean();
        // monitor: every 50 ms, every node; log each change of (role, term, leader) per node
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        AtomicLong maxGap = new AtomicLong(-1);  // largest ms_since_leader_contact a follower reported (heartbeat gap)
        Thread mon = new Thread(() -> {
            NamesrvClient mc = client(RetryPolicy.NONE);
            Map<String, String> last = new HashMap<>();
            while (!stop.get()) {
                for (String ep : EPS) {
                    GetNodeStatusResponse s = status(mc, ep);
                    if (s != null && s.getRole() == Role.FOLLOWER) maxGap.accumulateAndGet(s.getMsSinceLeaderContact(), Math::max);
                    String v = s == null ? "unreachable" : "role=" + s.getRole() + " term=" + s.getTerm() + " leader=" + s.getLeaderId();
                    if (!v.equals(last.get(ep))) {
                        if (last.containsKey(ep)) { String e = "CHANGE " + ep + " " + last.get(ep) + " -> " + v; events.add(e); log(e); }
                        last.put(ep, v);
                    }
                }
                try { Thread.sleep(50); } catch (InterruptedException e) { break; }
            }
            mc.close();
        });
        mon.start();
        long t0 = System.nanoTime(), endAt = t0 + seconds * 1_000_000_000L;
        List<Double> lat = new ArrayList<>(); int fail = 0; int k = 0; long next = t0;
        while (System.nanoTime() < endAt) {
            long now = System.nanoTime();
            if (now < next) { Thread.sleep((next - now) / 1_000_000, (int) ((next - now) % 1_000_000)); }
            next += intervalMs * 1_000_000L;
            k++;
            long s = System.nanoTime();
            try {
                Reply<?> r = writer.registerBroker(reg("etm-tr-" + k));
                double l = ms(System.nanoTime() - s); lat.add(l);
                if (l > 100) log(String.format("SLOW write %d %.1f ms (node=%s term=%d)", k, l, r.meta().nodeId(), r.meta().term()));
            } catch (RuntimeException e) {
                fail++; log(String.format("FAIL write %d after %.1f ms: %s", k, ms(System.nanoTime() - s), e.getMessage()));
            }
        }
        stop.set(true); mon.join(5000);
        for (String ep : EPS) { GetNodeStatusResponse s = status(probe, ep);
            log("END " + ep + " " + (s == null ? "unreachable" : s.getNodeId() + " role=" + s.getRole() + " term=" + s.getTerm() + " leader=" + s.getLeaderId())
                + " term_delta=" + (s == null || startTerm.get(ep) < 0 ? "?" : String.valueOf(s.getTerm() - startTerm.get(ep)))); }
        List<Double> sorted = new ArrayList<>(lat); Collections.sort(sorted);
        double p50 = sorted.isEmpty() ? -1 : sorted.get(sorted.size() / 2);
        double p99 = sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1));
        double max = sorted.isEmpty() ? -1 : sorted.get(sorted.size() - 1);
        long over100 = lat.stream().filter(x -> x > 100).count(), over500 = lat.stream().filter(x -> x > 500).count();
        log(String.format("SUMMARY writes=%d ok=%d failed=%d p50_ms=%.1f p99_ms=%.1f max_ms=%.1f over100ms=%d over500ms=%d node_state_changes=%d max_follower_ms_since_leader_contact=%d",
                k, lat.size(), fail, p50, p99, max, over100, over500, events.size(), maxGap.get()));
        writer.close(); probe.close();
    }
}
JAVA
javac -d "$WORK/classes" -cp "$CP_CLIENT" "$WORK/src/EtMeasure.java"
JAVA_CP="$WORK/classes:$CP_CLIENT"
drive() { timeout "$1" java -Xmx256m -Detm.cmdlog="$OUT/commands.log" -Dlogback.configurationFile="$JARS/logback-cli.xml" -cp "$JAVA_CP" EtMeasure "${@:2}"; }

# ---- cleanup --------------------------------------------------------------------------------------------------
CUR_DIR=""
STRESS_PID=""
DIRS=()
cleanup() {
  set +e
  if [[ -n "$STRESS_PID" ]] && kill -0 "$STRESS_PID" 2>/dev/null; then kill -TERM "$STRESS_PID"; wait "$STRESS_PID" 2>/dev/null; fi
  STRESS_PID=""
  [[ -n "$CUR_DIR" ]] && "$CLUSTER" stop --dir "$CUR_DIR" >>"$OUT/commands.log" 2>&1
  CUR_DIR=""
}
final_cleanup() {
  cleanup
  if [[ "${KEEP_DATA:-0}" != 1 ]]; then for d in "${DIRS[@]}"; do rm -rf "$d"; done; rm -f "$WORK"/stress/* 2>/dev/null; fi
}
trap final_cleanup EXIT
trap 'exit 130' INT TERM

start_cluster() { # start_cluster ET DIR
  rm -rf "$2"; DIRS+=("$2"); CUR_DIR="$2"
  if ! "$CLUSTER" start --dir "$2" -n 3 --jvm-opt "-Drns.raft.election-timeout-ms=$1" >>"$OUT/commands.log" 2>&1; then
    echo "RUN FAILED: cluster start failed (ports busy or node exited; see $OUT/commands.log)" | tee -a "$OUT/failed-runs.txt"
    return 1
  fi
  sleep 3   # let followers settle
  PIDS_AT_START="$(cat "$2"/n*/pid | tr '\n' ' ')"
}
# The nodes answering on 977x must be ours for the whole run: same pids alive at the end (phases without kills).
check_pids() {
  local p
  for p in $PIDS_AT_START; do
    kill -0 "$p" 2>/dev/null || { echo "RUN INVALID: node pid $p of $CUR_DIR died during the run" | tee -a "$OUT/failed-runs.txt"; return 0; }
  done
  echo "pids alive at end: $PIDS_AT_START"
}
save_node_logs() { # copy the election lines of every node's log
  local d="$1" tag="$2" i
  for i in 1 2 3; do
    grep -hE "Node <[^>]*> .*(start preVote|start vote|become leader|stepDown|step down)" "$d/n$i/logs/"*.log 2>/dev/null \
      | cut -c1-300 >"$OUT/$tag-n$i-election-lines.log" || true
    printf '%s n%s: preVote=%s vote=%s becomeLeader=%s stepDown=%s\n' "$tag" "$i" \
      "$(grep -c 'start preVote' "$OUT/$tag-n$i-election-lines.log")" "$(grep -c 'start vote' "$OUT/$tag-n$i-election-lines.log")" \
      "$(grep -c 'become leader' "$OUT/$tag-n$i-election-lines.log")" "$(grep -ciE 'stepDown|step down' "$OUT/$tag-n$i-election-lines.log")" \
      | tee -a "$OUT/election-counts.txt"
  done
}

{
  echo "date: $(date -u '+%Y-%m-%dT%H:%M:%SZ')"; echo "git: $(cd "$ROOT" && git rev-parse HEAD) $(cd "$ROOT" && git status --porcelain | wc -l) modified paths"
  echo "nproc: $(nproc)"; free -g; uname -a; java -version 2>&1; stress-ng --version 2>/dev/null || true
} >"$OUT/machine.txt"

for ET in $ETS; do
  for PH in $PHASES; do
    DIR="$WORK/et$ET-$PH"
    echo "=== ET=$ET phase=$PH dir=$DIR ($(date -u +%T))"
    start_cluster "$ET" "$DIR" || { echo "ET=$ET $PH: RUN FAILED (cluster start)" >>"$OUT/failed-runs.txt"; cleanup; continue; }
    case "$PH" in
      failover)
        drive $((TRIALS * 150)) failover "$DIR" "$CLUSTER" "$TRIALS" "$OUT/et$ET-failover.log" || echo "failover driver exit $?"
        ;;
      idle)
        drive $((TRICKLE_SECS + 60)) trickle "$TRICKLE_SECS" "$INTERVAL_MS" "$OUT/et$ET-idle.log" || echo "trickle driver exit $?"
        ;;
      load)
        mkdir -p "$WORK/stress"
        (cd "$WORK/stress" && exec stress-ng --cpu 2 --io 1 --hdd 1 --timeout "${TRICKLE_SECS}s" --metrics-brief) >"$OUT/et$ET-stress.log" 2>&1 &
        STRESS_PID=$!
        drive $((TRICKLE_SECS + 60)) trickle "$TRICKLE_SECS" "$INTERVAL_MS" "$OUT/et$ET-load.log" || echo "trickle driver exit $?"
        if kill -0 "$STRESS_PID" 2>/dev/null; then kill -TERM "$STRESS_PID"; fi
        wait "$STRESS_PID" 2>/dev/null || true
        STRESS_PID=""
        ;;
    esac
    [[ "$PH" != failover ]] && check_pids
    save_node_logs "$DIR" "et$ET-$PH"
    cleanup
    grep -hE "RESULT|SUMMARY|FAILED" "$OUT/et$ET-$PH.log" 2>/dev/null || true
  done
done
echo "raw logs in $OUT"
