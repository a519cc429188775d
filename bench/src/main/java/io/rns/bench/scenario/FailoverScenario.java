package io.rns.bench.scenario;

import io.rns.bench.context.BenchContext;
import io.rns.bench.infra.BenchCluster;
import io.rns.bench.infra.ElectionLog;
import io.rns.bench.infra.Procs;
import io.rns.bench.infra.Quantiles;
import io.rns.bench.report.Results;
import io.rns.client.CallOptions;
import io.rns.client.NamesrvClient;
import io.rns.client.NamesrvException;
import io.rns.client.RetryPolicy;
import io.rns.rpc.v1.Consistency;
import io.rns.rpc.v1.RegisterBrokerRequest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Failover of the RNS cluster (the stock NameServer has no leader, so there is nothing to compare):
 * SIGKILL of the leader -> time to the first committed write and to the first LINEARIZABLE read (each from a fresh
 * client of the surviving nodes, trying every 20 ms with a 500 ms request timeout); SIGTERM of the leader (graceful:
 * leader transfer) -> the longest gap between two successful writes of a writer that never stops.
 */
public final class FailoverScenario implements Scenario {
    @Override
    public String name() {
        return "failover";
    }

    @Override
    public String description() {
        return "RNS: SIGKILL leader -> first committed write / first linearizable read; graceful leader restart -> "
                + "write unavailability";
    }

    private static final long BOUND_MS = 60_000;

    @Override
    public void run(BenchContext ctx, Results.Scenario out) throws Exception {
        ctx.ensureReadBroker();
        BenchCluster rns = ctx.rns();
        int trials = ctx.opts.failoverTrials();
        List<Double> writeMs = new ArrayList<>();
        List<Double> readMs = new ArrayList<>();
        Results.Table kills = out.table(
                "SIGKILL of the leader (" + rns.nodes().size() + " nodes, election timeout "
                        + BenchContext.ELECTION_TIMEOUT_MS + " ms)",
                "trial", "killed", "first pre-vote ms", "leader elected ms", "vote rounds", "first write ms",
                "first linearizable read ms", "new leader");
        List<Double> preVoteMs = new ArrayList<>();
        List<Double> electedMs = new ArrayList<>();
        for (int trial = 1; trial <= trials; trial++) {
            BenchCluster.Node leader = rns.awaitLeader(30_000);
            rns.awaitCaughtUp(60_000);
            List<String> survivors = rns.endpoints().stream().filter(e -> !e.equals(leader.endpoint())).toList();
            long killedAt = System.currentTimeMillis();
            long[] times = killAndProbe(rns, leader, survivors, trial);
            BenchCluster.Node newLeader = rns.awaitLeader(30_000);
            ElectionLog election = ElectionLog.read(rns.nodes().stream().filter(n -> !n.id().equals(leader.id()))
                    .map(n -> n.dir().resolve("logs").resolve("rns.log")).toList(), killedAt);
            writeMs.add(times[0] / 1e6);
            readMs.add(times[1] / 1e6);
            preVoteMs.add((double) election.preVoteMs());
            electedMs.add((double) election.leaderMs());
            out.addOk(2);
            kills.row(trial, leader.id(), election.preVoteMs(), election.leaderMs(), election.voteRounds(),
                    times[0] / 1e6, times[1] / 1e6, newLeader.id());
            BenchContext.log(String.format(
                    "failover trial %d: killed %s, pre-vote after %d ms, leader after %d ms "
                            + "(%d vote rounds), write after %.0f ms, lin read after %.0f ms",
                    trial, leader.id(), election.preVoteMs(), election.leaderMs(), election.voteRounds(),
                    times[0] / 1e6, times[1] / 1e6));
            rns.restart(leader.id(), false);
            rns.awaitCaughtUp(90_000);
        }
        Results.Table sum = out.table("SIGKILL summary", "metric", "trials", "median ms", "max ms",
                "median / election timeout", "target");
        sum.row("first pre-vote (a follower noticed)", trials, median(preVoteMs), max(preVoteMs),
                median(preVoteMs) / BenchContext.ELECTION_TIMEOUT_MS, "");
        sum.row("new leader elected", trials, median(electedMs), max(electedMs),
                median(electedMs) / BenchContext.ELECTION_TIMEOUT_MS, "");
        sum.row("first committed write", trials, median(writeMs), max(writeMs),
                median(writeMs) / BenchContext.ELECTION_TIMEOUT_MS, "<= 1.5");
        sum.row("first linearizable read", trials, median(readMs), max(readMs),
                median(readMs) / BenchContext.ELECTION_TIMEOUT_MS, "<= 1.5");

        int graceful = Math.max(1, trials / 2);
        Results.Table g = out.table("Graceful restart of the leader (SIGTERM -> leader transfer, then restart)",
                "trial", "stopped", "longest write gap ms", "writes ok", "write errors");
        for (int trial = 1; trial <= graceful; trial++) {
            BenchCluster.Node leader = rns.awaitLeader(30_000);
            rns.awaitCaughtUp(60_000);
            double[] r = gracefulProbe(rns, leader, trial);
            out.addOk((long) r[1]);
            g.row(trial, leader.id(), r[0], (long) r[1], (long) r[2]);
            BenchContext.log(String.format("graceful trial %d: stopped %s, longest write gap %.0f ms", trial,
                    leader.id(), r[0]));
        }
        out.note(
                "First pre-vote, leader elected and vote rounds (more than 1: a split vote or a failed round) come from "
                        + "the surviving nodes' rns.log (jraft's INFO lines), ms after the SIGKILL.");
        out.note("Clients in the SIGKILL trials know only the surviving nodes (no time is spent on the dead endpoint); "
                + "times are from the SIGKILL to the first success.");
        out.note("The stock NameServer has no leader and no failover: each node is independent (n/a).");
    }

    private static NamesrvClient client(BenchCluster rns, List<String> endpoints) {
        return rns.client(endpoints).requestTimeout(Duration.ofMillis(500)).overallTimeout(Duration.ofMillis(1000))
                .retryPolicy(RetryPolicy.NONE).build();
    }

    private long[] killAndProbe(BenchCluster rns, BenchCluster.Node leader, List<String> survivors, int trial)
            throws Exception {
        String broker = "bench-failover-" + trial;
        long[] result = {-1, -1};
        List<Failed> failures = Collections.synchronizedList(new ArrayList<>());
        try (NamesrvClient w = client(rns, survivors); NamesrvClient r = client(rns, survivors)) {
            long t0 = System.nanoTime();
            rns.kill(leader.id());
            Thread writer = new Thread(() -> {
                long n = 0;
                while (System.nanoTime() - t0 < BOUND_MS * 1_000_000L) {
                    long began = System.nanoTime();
                    try {
                        w.registerBroker(BenchContext.nativeRegistration(broker, "127.0.0.1:30000", broker + "-t", 1,
                                (int) (4 + (n++ % 2) * 4), n, 300_000));
                        result[0] = System.nanoTime() - t0;
                        return;
                    } catch (RuntimeException e) {
                        failures.add(new Failed(began, System.nanoTime(), e));
                        Procs.sleep(20);
                    }
                }
            });
            Thread reader = new Thread(() -> {
                while (System.nanoTime() - t0 < BOUND_MS * 1_000_000L) {
                    try {
                        r.getTopicRoute(BenchContext.READ_TOPIC + "0",
                                CallOptions.DEFAULT.withConsistency(Consistency.LINEARIZABLE));
                        result[1] = System.nanoTime() - t0;
                        return;
                    } catch (RuntimeException e) {
                        Procs.sleep(20);
                    }
                }
            });
            writer.start();
            reader.start();
            writer.join(BOUND_MS + 10_000);
            reader.join(BOUND_MS + 10_000);
            List<String> last = new ArrayList<>();
            synchronized (failures) {
                for (Failed f : failures.subList(Math.max(0, failures.size() - 4), failures.size())) {
                    last.add(String.format("%.0f ms %s", (f.endNs() - t0) / 1e6, f.brief()));
                }
            }
            BenchContext.log("failover trial " + trial + ": the writer's last failed attempts: " + last);
        }
        if (result[0] < 0 || result[1] < 0) {
            throw new IllegalStateException(
                    "no write/read success within " + BOUND_MS + " ms after killing " + leader.id());
        }
        return result;
    }

    /** Returns {longest gap ms, writes ok, write errors}. */
    private double[] gracefulProbe(BenchCluster rns, BenchCluster.Node leader, int trial) throws Exception {
        String broker = "bench-graceful-" + trial;
        List<Long> successes = Collections.synchronizedList(new ArrayList<>());
        List<Failed> failures = Collections.synchronizedList(new ArrayList<>());
        try (NamesrvClient w = client(rns, rns.endpoints())) {
            long start = System.nanoTime();
            long[] stopAt = {Long.MAX_VALUE};
            Thread writer = new Thread(() -> {
                long n = 0;
                while (System.nanoTime() < stopAt[0] && System.nanoTime() - start < BOUND_MS * 1_000_000L) {
                    RegisterBrokerRequest req = BenchContext.nativeRegistration(broker, "127.0.0.1:30001",
                            broker + "-t", 1, (int) (4 + (n % 2) * 4), n, 300_000);
                    n++;
                    long began = System.nanoTime();
                    try {
                        w.registerBroker(req);
                        successes.add(System.nanoTime());
                    } catch (RuntimeException e) {
                        failures.add(new Failed(began, System.nanoTime(), e));
                        Procs.sleep(5);
                    }
                }
            });
            writer.start();
            Procs.sleep(1000);
            long sigterm = System.nanoTime();
            rns.stop(leader.id()); // SIGTERM: the node transfers leadership before it exits
            long stopped = System.nanoTime();
            rns.awaitLeader(30_000);
            // keep writing until 2 s of writes after the new leader, then stop the writer
            Procs.sleep(2000);
            stopAt[0] = System.nanoTime();
            writer.join(BOUND_MS + 10_000);
            rns.restart(leader.id(), false);
            rns.awaitCaughtUp(90_000);
            long prev = start;
            long gap = 0;
            long gapStart = start;
            List<Long> s;
            synchronized (successes) {
                s = new ArrayList<>(successes);
            }
            for (long t : s) {
                if (t - prev > gap) {
                    gap = t - prev;
                    gapStart = prev;
                }
                prev = t;
            }
            List<String> inGap = new ArrayList<>();
            synchronized (failures) {
                for (Failed f : failures) {
                    if (f.endNs() > gapStart && f.endNs() <= gapStart + gap && inGap.size() < 8) {
                        inGap.add(String.format("+%.0f..%.0f ms %s from %s", (f.startNs() - gapStart) / 1e6,
                                (f.endNs() - gapStart) / 1e6, f.brief(), f.endpoint()));
                    }
                }
            }
            BenchContext.log(String.format(
                    "graceful trial %d: SIGTERM %.0f ms into the longest gap, stop returned at %.0f ms; "
                            + "failures in it: %s",
                    trial, (sigterm - gapStart) / 1e6, (stopped - gapStart) / 1e6, inGap));
            if (s.isEmpty() || s.get(s.size() - 1) < stopped) {
                throw new IllegalStateException("no successful write after stopping " + leader.id());
            }
            return new double[]{gap / 1e6, s.size(), failures.size()};
        }
    }

    /** One failed attempt of a probe's writer: when it was sent, when it failed, and why. */
    private record Failed(long startNs, long endNs, RuntimeException error) {
        String brief() {
            return error instanceof NamesrvException n ? n.codeName() + " " + n.detail()
                    : error.getClass().getSimpleName();
        }

        String endpoint() {
            return error instanceof NamesrvException n ? n.endpoint() : "?";
        }
    }

    static double median(List<Double> v) {
        return Quantiles.median(v.stream().mapToDouble(Double::doubleValue).toArray());
    }

    static double max(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
