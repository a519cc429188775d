package io.rns.chaos;

import io.rns.chaos.checker.CheckOptions;
import io.rns.chaos.checker.CheckResult;
import io.rns.chaos.checker.LinearizabilityChecker;
import io.rns.chaos.checker.SetMembershipModel;
import io.rns.chaos.checker.StaleReadDetector;
import io.rns.chaos.history.History;
import io.rns.chaos.nemesis.Bridge;
import io.rns.chaos.nemesis.ClientCut;
import io.rns.chaos.nemesis.ClockOffset;
import io.rns.chaos.nemesis.Combined;
import io.rns.chaos.nemesis.IsolateLeader;
import io.rns.chaos.nemesis.KillRestart;
import io.rns.chaos.nemesis.MajoritiesRing;
import io.rns.chaos.nemesis.MembershipChange;
import io.rns.chaos.nemesis.Nemesis;
import io.rns.chaos.nemesis.PauseLeader;
import io.rns.chaos.nemesis.RandomHalves;
import io.rns.chaos.report.Comparison;
import io.rns.chaos.report.Divergence;
import io.rns.chaos.runner.Campaign;
import io.rns.chaos.runner.ChaosRun;
import io.rns.chaos.runner.LivenessRun;
import io.rns.chaos.runner.Reports;
import io.rns.rpc.v1.Consistency;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Command-line entry for {@code scripts/chaos.sh}: {@code run --scenario raft|unsafe|leaderless|membership|lease-clock|liveness|liveness-leaderless [--nodes 3|5]
 * [--seed N] [--duration-s S] [--out DIR]}, {@code report RUN_DIR} (re-check a recorded history.jsonl and rewrite its
 * reports, no root needed) and {@code compare DIR} (print the comparison table of every run under DIR).
 * The same scenarios can be run through Maven with {@code -Dchaos.scenario=...} (see ChaosCliTest).
 */
public final class ChaosMain {
    private ChaosMain() {
    }

    /** The three scenario families of ChaosScenariosTest, parameterized by node count, seed and duration. */
    public static ChaosRun.Config config(String scenario, int nodes, long seed, Duration duration, Path out) {
        if (nodes < 3) {
            throw new IllegalArgumentException("--nodes must be >= 3");
        }
        Duration fault = Duration.ofSeconds(5);
        Duration quiet = Duration.ofSeconds(3);
        switch (scenario) {
            case "raft" -> {
                List<Nemesis> ns = new ArrayList<>(
                        List.of(new IsolateLeader(), new KillRestart(), new PauseLeader(), new RandomHalves()));
                if (nodes >= 5) {
                    ns.add(new MajoritiesRing());
                    ns.add(new Bridge());
                    ns.add(new MembershipChange());
                }
                return new ChaosRun.Config("raft-" + nodes + "-linearizable-lease", "raft", nodes, seed, duration,
                        List.of(Consistency.LINEARIZABLE, Consistency.LEASE), false, ns, 6, 150, out, fault, quiet);
            }
            case "unsafe" -> {
                return new ChaosRun.Config("raft-" + nodes + "-unsafe-reads", "raft", nodes, seed, duration,
                        List.of(Consistency.LINEARIZABLE), true, List.of(new IsolateLeader(), new RandomHalves()), 6,
                        150, out, fault, Duration.ofSeconds(2));
            }
            case "leaderless" -> {
                return new ChaosRun.Config("leaderless-" + nodes + "-kill", "leaderless", nodes, seed, duration,
                        List.of(Consistency.STALE), false, List.of(new KillRestart()), 6, 150, out,
                        Duration.ofSeconds(4), Duration.ofSeconds(2));
            }
            case "membership" -> {
                return new ChaosRun.Config("raft-" + nodes + "-membership", "raft", nodes, seed, duration,
                        List.of(Consistency.LINEARIZABLE, Consistency.LEASE), false, List.of(new MembershipChange()), 6,
                        150, out, fault, Duration.ofSeconds(2));
            }
            case "lease-clock" -> {
                return new ChaosRun.Config("raft-" + nodes + "-lease-clock", "raft", nodes, seed, duration,
                        List.of(Consistency.LEASE), false,
                        List.of(new Combined(new ClockOffset(120), new PauseLeader()),
                                new Combined(new ClockOffset(120), new IsolateLeader())),
                        6, 150, out, fault, Duration.ofSeconds(2));
            }
            case "fair-raft", "fair-leaderless" -> {
                // the same seed, workload and fault schedule for both designs, client-side partitions included;
                // each design reads at its own strongest level (leaderless nodes serve STALE only)
                String mode = scenario.substring("fair-".length());
                List<Consistency> levels = mode.equals("raft") ? List.of(Consistency.LINEARIZABLE)
                        : List.of(Consistency.STALE);
                return new ChaosRun.Config("fair-" + mode + "-" + nodes, mode, nodes, seed, duration, levels, false,
                        fairNemeses(), 6, 150, out, fault, quiet, true);
            }
            default -> throw new IllegalArgumentException(
                    "--scenario must be raft, unsafe, leaderless, membership, lease-clock, fair-raft or fair-leaderless: "
                            + scenario);
        }
    }

    /**
     * The faults of the same-seed comparison: node-side ones (kill/restart, isolate the leader or a planned node,
     * random halves) and client-side ones (one node loses every broker, brokers reach only some nodes, readers reach
     * only some nodes).
     */
    static List<Nemesis> fairNemeses() {
        return List.of(new KillRestart(), new IsolateLeader(), new RandomHalves(),
                new ClientCut(ClientCut.Kind.NODE_LOSES_BROKERS), new ClientCut(ClientCut.Kind.BROKERS_REACH_SOME),
                new ClientCut(ClientCut.Kind.READERS_REACH_SOME));
    }

    /**
     * Raft and leaderless on the same seed, workload and fault schedule; writes DIR/fair-S/comparison.md and prints
     * it. Returns the table.
     */
    public static String compareModes(int nodes, long seed, Duration duration, Path out) throws Exception {
        Path dir = out.resolve("fair-" + seed);
        for (String scenario : List.of("fair-raft", "fair-leaderless")) {
            ChaosRun.Result r = ChaosRun.run(config(scenario, nodes, seed, duration, dir));
            System.out.println("chaos: " + scenario + " verdict " + r.verdict());
        }
        String table = Comparison.markdown(Comparison.fromDirectory(dir, 3));
        String header = "Same seed (" + seed + "), same workload (6 workers: register/unregister from the brokers' "
                + "address, reads from the readers' address), same fault schedule (" + fairNemeses() + "), "
                + duration.toSeconds() + " s, " + nodes + " nodes; Raft reads LINEARIZABLE, leaderless STALE.\n"
                + "Command: scripts/chaos.sh compare-modes --nodes " + nodes + " --seed " + seed + " --duration-s "
                + duration.toSeconds() + "\n\n";
        Files.writeString(dir.resolve("comparison.md"), header + table);
        return header + table;
    }

    /**
     * The liveness workload (c): {@code liveness} (Raft) or {@code liveness-leaderless}; 3 brokers heartbeating all
     * run, short-lived ones dying; isolate leader, kill the leader, pause the leader, random halves; lease 4 s.
     */
    public static LivenessRun.Config livenessConfig(String scenario, int nodes, long seed, Duration duration,
            Path out) {
        if (nodes < 3) {
            throw new IllegalArgumentException("--nodes must be >= 3");
        }
        String mode = switch (scenario) {
            case "liveness" -> "raft";
            case "liveness-leaderless" -> "leaderless";
            default -> throw new IllegalArgumentException("not a liveness scenario: " + scenario);
        };
        return new LivenessRun.Config(mode + "-" + nodes + "-liveness", mode, nodes, seed, duration,
                List.of(new IsolateLeader(), KillRestart.leader(), new PauseLeader(), new RandomHalves()), 3, 4000, out,
                Duration.ofSeconds(5), Duration.ofSeconds(3), Duration.ofMillis(150));
    }

    /** Runs a scenario; returns its run directory. */
    public static Path run(String scenario, int nodes, long seed, Duration duration, Path out) throws Exception {
        if (scenario.startsWith("liveness")) {
            LivenessRun.Result r = LivenessRun.run(livenessConfig(scenario, nodes, seed, duration, out));
            System.out.println("chaos: liveness " + r.liveness().summary() + "; reproduce with --scenario " + scenario
                    + " --nodes " + nodes + " --seed " + seed + " --duration-s " + duration.toSeconds());
            System.out.println("chaos: report " + r.dir().resolve("report.html").toAbsolutePath());
            return r.dir();
        }
        ChaosRun.Result r = ChaosRun.run(config(scenario, nodes, seed, duration, out));
        System.out.println("chaos: verdict " + r.verdict() + "; reproduce with --scenario " + scenario + " --nodes "
                + nodes + " --seed " + seed + " --duration-s " + duration.toSeconds());
        System.out.println("chaos: report " + r.dir().resolve("report.html").toAbsolutePath());
        System.out.println("chaos: comparison " + r.dir().getParent().resolve("comparison.md").toAbsolutePath());
        return r.dir();
    }

    /** Re-checks a recorded run directory (history.jsonl) and rewrites its reports; config from summary.json. */
    public static Path report(Path runDir) throws Exception {
        History h = History.readJsonl(runDir.resolve("history.jsonl"));
        CheckResult check = LinearizabilityChecker.check(h, new SetMembershipModel(),
                CheckOptions.defaults().deadline(Duration.ofSeconds(120)));
        StaleReadDetector.Report stale = new StaleReadDetector().check(h);
        String scenario = runDir.getParent().getFileName().toString();
        long seed = Long.parseLong(runDir.getFileName().toString());
        Path summary = runDir.resolve("summary.json");
        ChaosRun.Config c;
        Divergence divergence = null; // measured during the run only: kept from the previous summary
        if (Files.exists(summary)) {
            Comparison.Row row = Comparison.fromJson(Files.readString(summary));
            divergence = row.divergence();
            c = new ChaosRun.Config(row.scenario(), row.mode(), row.nodes(), row.seed(),
                    Duration.ofSeconds(row.durationS()), List.of(), row.unsafeReads(), List.of(), 0, 0,
                    runDir.getParent().getParent(), Duration.ZERO, Duration.ZERO);
        } else {
            String mode = scenario.startsWith("leaderless") ? "leaderless" : "raft";
            String nodes = scenario.replaceAll("^[a-z]+-(\\d+)-.*$", "$1");
            c = new ChaosRun.Config(scenario, mode, nodes.matches("\\d+") ? Integer.parseInt(nodes) : 0, seed,
                    Duration.ZERO, List.of(), scenario.contains("unsafe"), List.of(), 0, 0,
                    runDir.getParent().getParent(), Duration.ZERO, Duration.ZERO);
        }
        int ops = h.pair().operations().size();
        return Reports.write(new ChaosRun.Result(runDir, check, stale, ops, 0, List.of(), c, h, divergence));
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
        }
        switch (args[0]) {
            case "run" -> {
                String scenario = null;
                int nodes = 3;
                long seed = System.nanoTime() & 0xffffffffL;
                long durationS = 30;
                Path out = Path.of("target/chaos");
                for (int i = 1; i < args.length; i++) {
                    String v = i + 1 < args.length ? args[i + 1] : null;
                    switch (args[i]) {
                        case "--scenario" -> scenario = v;
                        case "--nodes" -> nodes = Integer.parseInt(v);
                        case "--seed" -> seed = Long.parseLong(v);
                        case "--duration-s" -> durationS = Long.parseLong(v);
                        case "--out" -> out = Path.of(v);
                        default -> usage();
                    }
                    i++;
                }
                if (scenario == null) {
                    usage();
                }
                run(scenario, nodes, seed, Duration.ofSeconds(durationS), out);
            }
            case "report" -> System.out.println(report(Path.of(args[1])));
            case "campaign" -> campaign(args);
            case "compare-modes" -> {
                int nodes = 3;
                long seed = System.nanoTime() & 0xffffffL;
                long durationS = 60;
                Path out = Path.of("target/chaos");
                for (int i = 1; i + 1 < args.length; i += 2) {
                    switch (args[i]) {
                        case "--nodes" -> nodes = Integer.parseInt(args[i + 1]);
                        case "--seed" -> seed = Long.parseLong(args[i + 1]);
                        case "--duration-s" -> durationS = Long.parseLong(args[i + 1]);
                        case "--out" -> out = Path.of(args[i + 1]);
                        default -> usage();
                    }
                }
                System.out.print(compareModes(nodes, seed, Duration.ofSeconds(durationS), out));
            }
            case "compare" -> System.out.print(Comparison.markdown(Comparison.fromDirectory(Path.of(args[1]), 3)));
            default -> usage();
        }
        System.exit(0);
    }

    /** {@code campaign --runs N --seed-base S [--scenarios a,b] [--nodes 3,5] [--duration-s 60] [--out DIR]}. */
    static void campaign(String[] args) throws Exception {
        int runs = 0;
        long seedBase = System.nanoTime() & 0xffffffL;
        List<String> scenarios = Campaign.SCENARIOS;
        List<Integer> nodes = List.of(3, 5);
        long durationS = 60;
        Path out = Path.of("target/chaos/campaign");
        for (int i = 1; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : null;
            if (v == null) {
                usage();
            }
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(v);
                case "--seed-base" -> seedBase = Long.parseLong(v);
                case "--scenarios" -> scenarios = List.of(v.split(","));
                case "--nodes" -> nodes = java.util.Arrays.stream(v.split(",")).map(Integer::valueOf).toList();
                case "--duration-s" -> durationS = Long.parseLong(v);
                case "--out" -> out = Path.of(v);
                default -> usage();
            }
            i++;
        }
        List<Campaign.RunRecord> done = Campaign.run(
                new Campaign.Config(runs, seedBase, scenarios, nodes, Duration.ofSeconds(durationS), out),
                new Campaign.Scenarios() {
                    @Override
                    public ChaosRun.Config config(String s, int n, long seed, Duration d, Path o) {
                        return ChaosMain.config(s, n, seed, d, o);
                    }

                    @Override
                    public LivenessRun.Config livenessConfig(String s, int n, long seed, Duration d, Path o) {
                        return ChaosMain.livenessConfig(s, n, seed, d, o);
                    }
                });
        long bad = done.stream().filter(r -> !r.anomalies().isEmpty()).count();
        System.out.println("campaign: " + done.size() + " runs, " + bad + " with anomalies; see "
                + out.resolve("campaign.md").toAbsolutePath());
    }

    static void usage() {
        System.err.println(
                "usage: ChaosMain run --scenario raft|unsafe|leaderless|membership|lease-clock|liveness|liveness-leaderless [--nodes 3|5] [--seed N] [--duration-s S] [--out DIR]\n"
                        + "       ChaosMain report RUN_DIR\n       ChaosMain compare DIR\n"
                        + "       ChaosMain compare-modes [--nodes 3|5] [--seed S] [--duration-s 60] [--out DIR]\n"
                        + "       ChaosMain campaign --runs N --seed-base S [--scenarios raft,lease-clock,membership,liveness,late-delivery,durability] [--nodes 3,5] [--duration-s 60] [--out DIR]");
        System.exit(2);
    }
}
