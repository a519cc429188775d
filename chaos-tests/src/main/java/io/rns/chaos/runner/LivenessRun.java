package io.rns.chaos.runner;

import io.rns.chaos.history.History;
import io.rns.chaos.history.HistoryRecorder;
import io.rns.chaos.hosts.HostsBuilder;
import io.rns.chaos.nemesis.FaultEvent;
import io.rns.chaos.nemesis.Nemesis;
import io.rns.chaos.report.Comparison;
import io.rns.chaos.report.Divergence;
import io.rns.chaos.workload.LivenessAnalysis;
import io.rns.chaos.workload.NodePoller;
import io.rns.chaos.workload.SimBroker;
import io.rns.rpc.v1.Consistency;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Workload (c) "liveness" on a real netns cluster under a seeded nemesis schedule. Brokers are simulated in the
 * harness (root) namespace, which reaches every node: only the nodes are partitioned from each other, so a broker's
 * heartbeats can always reach some node, and an acknowledged heartbeat reached the leader.
 *
 * <ul>
 *   <li>{@link Config#liveBrokers} brokers heartbeat for the whole run (including the final heal and the wait for
 *       detections): none of them may be expired while its heartbeats keep being acknowledged (false expiry, see
 *       {@link LivenessAnalysis}).</li>
 *   <li>One driver thread keeps starting short-lived brokers that heartbeat for a seeded 1.5–4.5 s and then die —
 *       KILLED (client closed: its bound connections close) or HUNG (heartbeats stop, connections stay open), seeded
 *       — until the workload deadline. Each must vanish from the routes within the bound derived from the run's
 *       config ({@link LivenessAnalysis.Bound}).</li>
 *   <li>A {@link NodePoller} reads the brokers' topic from every node every {@link Config#pollPeriod} at STALE (and
 *       LINEARIZABLE in Raft mode) for the whole run: detection times and the divergence window.</li>
 * </ul>
 * Artifacts under {@code outDir/<scenario>/<seed>/}: history.jsonl (every register, heartbeat, poll, fault, death),
 * results.json, summary.json (its comparison row), report.html, node logs.
 */
public final class LivenessRun {
    public static final String TOPIC = "LiveTopic";
    /** Allowance for proposing, committing and applying an expiry on a loaded 2-core machine (README: "c"). */
    public static final long COMMIT_ALLOWANCE_MS = 1000;
    /** raft.max-election-delay-ms, written into the nodes' config (the random part of an election timer). */
    public static final long MAX_ELECTION_DELAY_MS = 500;

    public record Config(String scenario, String mode, int nodes, long seed, Duration duration, List<Nemesis> nemeses,
            int liveBrokers, int leaseMs, Path outDir, Duration faultWindow, Duration quietWindow,
            Duration pollPeriod) {
        public boolean raft() {
            return mode.equals("raft");
        }
    }

    public record Result(Path dir, Config config, LivenessAnalysis.Report liveness, Divergence divergence,
            LivenessAnalysis.Bound bound, List<FaultEvent> faults, History history, List<NodePoller.Sample> samples,
            List<String> evidence) {
    }

    // the server's settings this run relies on (the node defaults; see conf/rns.properties)
    static final int ELECTION_TIMEOUT_MS = 1000;
    static final int SUSPECT_LEASE_MS = 3000;
    static final int SCAN_MS = 100;
    static final double EXPIRY_RATE = 5.0;
    static final int LEADERLESS_SCAN_MS = 5000;

    private LivenessRun() {
    }

    public static Result run(Config c) throws Exception {
        Path dir = c.outDir().resolve(c.scenario()).resolve(Long.toString(c.seed()));
        Files.createDirectories(dir);
        System.out.println("chaos-liveness: scenario=" + c.scenario() + " mode=" + c.mode() + " nodes=" + c.nodes()
                + " seed=" + c.seed() + " duration=" + c.duration() + " lease=" + c.leaseMs() + " ms -> " + dir);
        // the values are written explicitly, so the bound below is derived from what the nodes actually run with
        HostsBuilder hb = HostsBuilder.create().nodes(c.nodes()).mode(c.mode()).electionTimeoutMs(ELECTION_TIMEOUT_MS)
                .runDir(dir.resolve("nodes")).keepLogs(true)
                .config("raft.max-election-delay-ms", Long.toString(MAX_ELECTION_DELAY_MS))
                .config("liveness.suspect-lease-ms", Integer.toString(SUSPECT_LEASE_MS))
                .config("liveness.scan-interval-ms", Integer.toString(SCAN_MS))
                .config("liveness.expiry-rate-per-sec", Double.toString(EXPIRY_RATE));
        if (!c.raft()) {
            hb.config("leaderless.scan-interval-ms", Integer.toString(LEADERLESS_SCAN_MS));
        }
        List<SimBroker> live = new CopyOnWriteArrayList<>();
        List<SimBroker> dying = new CopyOnWriteArrayList<>();
        NodePoller[] poller = new NodePoller[1];
        List<Consistency> levels = c.raft() ? List.of(Consistency.STALE, Consistency.LINEARIZABLE)
                : List.of(Consistency.STALE);
        ClusterRun.Background background = (hosts, endpoints, rec) -> {
            poller[0] = new NodePoller(endpoints, () -> List.of(TOPIC), levels, c.pollPeriod(), rec, true, !c.raft())
                    .start();
            for (int i = 0; i < c.liveBrokers(); i++) {
                live.add(new SimBroker("live-" + i, TOPIC, c.leaseMs(), !c.raft(), endpoints, rec, c.seed() * 7 + i)
                        .start());
            }
            return () -> {
                for (SimBroker b : live) {
                    b.close();
                }
                for (SimBroker b : dying) {
                    b.close();
                }
                poller[0].close();
            };
        };
        LivenessAnalysis.Bound[] bound = new LivenessAnalysis.Bound[1];
        ClusterRun.Outcome<Void> out = ClusterRun.run(hb, dir,
                new ClusterRun.Spec(c.mode(), c.nodes(), c.seed(), c.nemeses(), c.duration(), c.faultWindow(),
                        c.quietWindow(), 1, "chaos-liveness-driver-"),
                (w, endpoints, rec, deadline) -> new Driver(c, endpoints, rec, deadline, dying), background,
                (hosts, endpoints, rec) -> {
                    bound[0] = bound(c, dying);
                    awaitDetections(c, dying, poller[0], bound[0]);
                    return null;
                });
        History history = out.recorder().snapshot();
        history.writeJsonl(dir.resolve("history.jsonl"));
        List<NodePoller.Sample> samples = poller[0].samples();
        List<LivenessAnalysis.BrokerRecord> records = new ArrayList<>();
        live.forEach(b -> records.add(LivenessAnalysis.BrokerRecord.of(b)));
        dying.forEach(b -> records.add(LivenessAnalysis.BrokerRecord.of(b)));
        LivenessAnalysis.Report report = LivenessAnalysis.analyze(c.raft(), records, samples, bound[0],
                faultWindows(out.faults()));
        Divergence div = Divergence.compute(samples, "STALE");
        Set<String> late = new TreeSet<>();
        for (LivenessAnalysis.DeadBroker d : report.dead()) {
            if (d.beyondBound() || d.beyondLeaderBound() || d.detectionMs() < 0) {
                late.add(d.name());
            }
        }
        List<String> evidence = late.isEmpty() ? List.of() : serverEvidence(dir.resolve("nodes"), late);
        Result r = new Result(dir, c, report, div, bound[0], out.faults(), history, samples, evidence);
        writeResults(r);
        System.out.println("chaos-liveness: " + c.scenario() + " seed=" + c.seed() + " " + report.summary()
                + "\n  divergence (STALE, all nodes): " + div.describe()
                + (report.falseExpiryDetails().isEmpty() ? "" : "\n  FALSE EXPIRIES: " + report.falseExpiryDetails())
                + (report.legitimateExpiryDetails().isEmpty() ? ""
                        : "\n  expiries after a heartbeat gap (allowed): " + report.legitimateExpiryDetails()));
        for (LivenessAnalysis.DeadBroker d : report.dead()) {
            System.out.println("  dead " + d);
        }
        if (!evidence.isEmpty()) {
            System.out.println("chaos-liveness: what the nodes logged about the late or undetected brokers " + late
                    + " and about leadership:\n  " + String.join("\n  ", evidence));
        }
        try {
            System.out.println("chaos-liveness: report " + Reports.writeLiveness(r));
        } catch (IOException | RuntimeException e) {
            System.err.println("[chaos] writing the reports failed (the verdict stands): " + e);
        }
        return r;
    }

    /**
     * The nodes' own account of the given brokers' leases (lease ran out / expiry proposed, confirmed, not confirmed)
     * and of every leadership change, in time order: tells a leader that decided late from a commit that was slow.
     */
    static List<String> serverEvidence(Path nodesDir, Set<String> brokers) {
        List<String> lines = new ArrayList<>();
        try (var files = Files.walk(nodesDir)) {
            for (Path log : files.filter(f -> f.getFileName().toString().equals("rns.log")).sorted().toList()) {
                String node = log.getParent().getParent().getFileName().toString();
                for (String line : Files.readAllLines(log)) {
                    boolean about = line.contains("liveness:") && brokers.stream()
                            .anyMatch(b -> line.contains("broker " + b + "/") || line.contains("of " + b + "/"));
                    boolean leadership = line.contains("became leader") || line.contains("stepped down as leader")
                            || line.contains("every one has a full lease");
                    if (about || leadership) {
                        lines.add(line.substring(0, Math.min(12, line.length())) + " " + node + " "
                                + (line.length() > 12 ? line.substring(12, Math.min(line.length(), 320)) : ""));
                    }
                }
            }
        } catch (IOException | UncheckedIOException e) {
            lines.add("(could not read the node logs: " + e + ")");
        }
        lines.sort(null); // HH:mm:ss.SSS prefix: time order across nodes
        return lines;
    }

    /** The bound from the run's config; k = most brokers that died within one lease of each other. */

    /** The fault windows (start to stop, by window index) for the analysis' late-copy rule; the final heal is none. */
    static List<LivenessAnalysis.Fault> faultWindows(List<FaultEvent> events) {
        Map<Integer, FaultEvent> started = new HashMap<>();
        List<LivenessAnalysis.Fault> out = new ArrayList<>();
        for (FaultEvent e : events) {
            if (e.window() < 0) {
                continue;
            }
            if (e.phase().equals("start")) {
                started.put(e.window(), e);
            } else if (e.phase().equals("stop") && started.containsKey(e.window())) {
                out.add(new LivenessAnalysis.Fault(e.name(), started.remove(e.window()).nanos(), e.nanos()));
            }
        }
        for (FaultEvent e : started.values()) { // never stopped: it lasted until the end of the run
            out.add(new LivenessAnalysis.Fault(e.name(), e.nanos(), Long.MAX_VALUE / 4));
        }
        return out;
    }

    static LivenessAnalysis.Bound bound(Config c, List<SimBroker> dying) {
        if (!c.raft()) {
            return LivenessAnalysis.Bound.leaderless(c.leaseMs(), LEADERLESS_SCAN_MS, COMMIT_ALLOWANCE_MS);
        }
        List<Long> deaths = dying.stream().filter(b -> b.deathTime() >= 0).map(SimBroker::deathTime).sorted().toList();
        int k = 0;
        for (long d : deaths) {
            long lo = d - c.leaseMs() * 1_000_000L;
            k = Math.max(k, (int) deaths.stream().filter(x -> x >= lo && x <= d).count());
        }
        return LivenessAnalysis.Bound.raft(c.leaseMs(), SUSPECT_LEASE_MS, ELECTION_TIMEOUT_MS, MAX_ELECTION_DELAY_MS,
                SCAN_MS, COMMIT_ALLOWANCE_MS, k, EXPIRY_RATE);
    }

    /**
     * After the final heal: keep polling until every dead broker is gone from every node's STALE answers (Raft: and
     * from a LINEARIZABLE answer), or until the last death + bound + 10 s. Live brokers keep heartbeating meanwhile.
     */
    static void awaitDetections(Config c, List<SimBroker> dying, NodePoller poller, LivenessAnalysis.Bound bound)
            throws InterruptedException {
        long lastDeath = dying.stream().mapToLong(SimBroker::deathTime).max().orElse(0);
        long untilHistoryNs = lastDeath + (bound.boundMs() + 10_000) * 1_000_000L;
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < Duration.ofSeconds(120).toNanos()) {
            List<NodePoller.Sample> s = poller.samples();
            long now = s.isEmpty() ? 0 : s.get(s.size() - 1).ret();
            if (now > untilHistoryNs || allGone(dying, s, c.raft())) {
                return;
            }
            Thread.sleep(250);
        }
    }

    private static boolean allGone(List<SimBroker> dying, List<NodePoller.Sample> samples, boolean raft) {
        for (SimBroker b : dying) {
            if (b.deathTime() < 0) {
                continue;
            }
            Map<String, Boolean> lastByNodeLevel = new HashMap<>();
            for (NodePoller.Sample s : samples) {
                if (s.ok() && s.call() > b.deathTime()) {
                    lastByNodeLevel.put(s.node() + "/" + s.level(), !s.addrs().contains(b.addr()));
                }
            }
            long nodesStale = lastByNodeLevel.keySet().stream().filter(k -> k.endsWith("/STALE")).count();
            if (nodesStale == 0 || lastByNodeLevel.containsValue(false)) {
                return false;
            }
            if (raft && lastByNodeLevel.keySet().stream().noneMatch(k -> k.endsWith("/LINEARIZABLE"))) {
                return false;
            }
        }
        return true;
    }

    /** The dying brokers, one after another, until the workload deadline; every choice from the seed. */
    private static final class Driver implements ClusterRun.Workload {
        final Config c;
        final List<String> endpoints;
        final HistoryRecorder rec;
        final long deadline;
        final List<SimBroker> dying;
        final Random random;

        Driver(Config c, List<String> endpoints, HistoryRecorder rec, long deadline, List<SimBroker> dying) {
            this.c = c;
            this.endpoints = endpoints;
            this.rec = rec;
            this.deadline = deadline;
            this.dying = dying;
            this.random = new Random(c.seed() * 31 + 5);
        }

        @Override
        public void run() {
            int i = 0;
            try {
                while (System.nanoTime() < deadline - Duration.ofMillis(1500).toNanos()) {
                    long life = 1500 + random.nextInt(3000);
                    SimBroker.Death how = random.nextBoolean() ? SimBroker.Death.KILLED : SimBroker.Death.HUNG;
                    long gap = 500 + random.nextInt(1500);
                    SimBroker b = new SimBroker("dying-" + i++, TOPIC, c.leaseMs(), !c.raft(), endpoints, rec,
                            c.seed() * 11 + i).start();
                    long registeredBy = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                    while (b.registeredLanes().isEmpty() && System.nanoTime() < registeredBy) {
                        Thread.sleep(50);
                    }
                    if (b.registeredLanes().isEmpty()) {
                        b.close(); // never acknowledged: not a death the bound is about
                        rec.nemesis("broker-abandoned", b.name() + " (registration never acknowledged)");
                        continue;
                    }
                    dying.add(b);
                    Thread.sleep(life);
                    b.die(how);
                    Thread.sleep(gap);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
        }
    }

    private static void writeResults(Result r) throws IOException {
        Config c = r.config();
        new ResultsFile("scenario", c.scenario(), "workload", "liveness", "mode", c.mode(), "nodes", c.nodes(), "seed",
                c.seed(), "durationMs", c.duration().toMillis(), "leaseMs", c.leaseMs(), "liveBrokers", c.liveBrokers(),
                "pollPeriodMs", c.pollPeriod().toMillis(), "nemeses",
                c.nemeses().stream().map(Nemesis::name).toList().toString(), "bound", Comparison.tree(r.bound()),
                "liveness", Comparison.tree(r.liveness()), "divergence", Comparison.tree(r.divergence()), "faults",
                r.faults().stream().map(Object::toString).toList()).write(r.dir());
    }
}
