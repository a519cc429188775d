package io.rns.bench.scenario;

import io.rns.bench.context.BenchContext;
import io.rns.bench.infra.BenchCluster;
import io.rns.bench.infra.LoadRunner;
import io.rns.bench.infra.LoadRunner.Stats;
import io.rns.bench.infra.Procs;
import io.rns.bench.infra.RmqClient;
import io.rns.bench.infra.ServerBuild;
import io.rns.bench.infra.StockNamesrv;
import io.rns.bench.report.Results;
import io.rns.client.BrokerRegistrar;
import io.rns.client.CallOptions;
import io.rns.client.NamesrvClient;
import io.rns.rpc.v1.Consistency;
import io.rns.rpc.v1.GetNodeStatusResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Scale: a dedicated stock NameServer and RNS cluster (snapshots every 5 s) are filled to each route-table size
 * (1,000 topics per broker, brokers kept alive), then: load time, live heap per node after a full GC (jcmd), route read
 * latency (1 client, random topics), snapshot size, a wiped follower's catch-up time, a full-cluster restart; at the
 * end the largest single-broker registration each server accepts.
 */
public final class ScaleScenario implements Scenario {
    static final int TOPICS_PER_BROKER = 1000;

    @Override
    public String name() {
        return "scale";
    }

    @Override
    public String description() {
        return "10k/100k(/1M) topics: heap per node, read latency, snapshot size, catch-up of a wiped node, "
                + "full-cluster restart, largest single-broker registration";
    }

    @Override
    public void run(BenchContext ctx, Results.Scenario out) throws Exception {
        Path dir = ctx.out().resolve("servers/scale");
        List<AutoCloseable> cleanup = new ArrayList<>();
        ScheduledExecutorService hb = Executors.newScheduledThreadPool(2);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (StockNamesrv stock = StockNamesrv.start(dir.resolve("stock"), ctx.opts.stockClasspath(),
                ctx.opts.stockHeap());
                BenchCluster rns = BenchCluster.start(ServerBuild.locate(ctx.opts.root()), dir.resolve("rns"),
                        ctx.opts.rnsNodes(), ctx.opts.rnsHeap(),
                        ctx.rnsConfig(
                                Map.of("raft.election-timeout-ms", Integer.toString(BenchContext.ELECTION_TIMEOUT_MS),
                                        "raft.snapshot-interval-secs", "5", "raft.snapshot-log-index-margin", "0")))) {
            ctx.track(stock);
            ctx.track(rns);
            NamesrvClient nc = rns.client(rns.endpoints()).requestTimeout(Duration.ofSeconds(30))
                    .overallTimeout(Duration.ofSeconds(60)).build();
            cleanup.add(nc);
            List<RmqClient> rmq = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                RmqClient c = new RmqClient(30_000);
                rmq.add(c);
                cleanup.add(c);
            }
            Results.Table t = out.table(
                    "Route-table scale (" + TOPICS_PER_BROKER + " topics per broker; heap = live heap after a full GC)",
                    "topics", "server", "load s", "heap MiB (per node)", "read p50 ms", "read p99 ms",
                    "reads/s (1 client)", "snapshot MiB", "snapshot save ms (apply thread + background)",
                    "wiped follower catch-up s", "catch-up via snapshot", "full restart s");
            int brokers = 0;
            for (int size : ctx.opts.scaleTopics()) {
                int target = Math.max(1, size / TOPICS_PER_BROKER);
                int from = brokers;
                // stock: REGISTER_BROKER of each new broker (600 s heartbeat timeout so nothing expires meanwhile)
                long s0 = System.nanoTime();
                List<Future<?>> fs = new ArrayList<>();
                for (int b = from; b < target; b++) {
                    final int bb = b;
                    fs.add(pool.submit(() -> {
                        RmqClient.Registration reg = RmqClient.registration(BenchContext.CLUSTER, "scale-b" + bb,
                                "127.0.0.1:" + (50000 + bb % 10000), "scale-b" + bb + "-t", TOPICS_PER_BROKER, 4, 1, 1,
                                600_000L);
                        RmqClient.Result r = rmq.get(bb % 4).register(stock.addr(), reg);
                        if (!r.ok())
                            throw new IllegalStateException("stock registration of scale-b" + bb + " failed: " + r);
                        return null;
                    }));
                }
                for (Future<?> f : fs)
                    f.get(10, TimeUnit.MINUTES);
                double stockLoad = (System.nanoTime() - s0) / 1e9;
                // RNS: a BrokerRegistrar per broker (registers, then heartbeats)
                long r0 = System.nanoTime();
                fs.clear();
                for (int b = from; b < target; b++) {
                    final int bb = b;
                    fs.add(pool.submit(() -> {
                        BrokerRegistrar reg = BrokerRegistrar.builder(nc,
                                BenchContext.nativeRegistration("scale-b" + bb, "127.0.0.1:" + (50000 + bb % 10000),
                                        "scale-b" + bb + "-t", TOPICS_PER_BROKER, 4, 1, 60_000))
                                .scheduler(hb).build();
                        // not closed at the end: close() unregisters (one write per broker); the cluster is
                        // torn down instead, after the heartbeat scheduler stops
                        reg.start();
                        return null;
                    }));
                }
                for (Future<?> f : fs)
                    f.get(10, TimeUnit.MINUTES);
                rns.awaitCaughtUp(300_000);
                double rnsLoad = (System.nanoTime() - r0) / 1e9;
                brokers = target;
                int topics = brokers * TOPICS_PER_BROKER;
                out.addOk(topics);
                BenchContext
                        .log("scale: " + topics + " topics loaded (stock " + stockLoad + " s, rns " + rnsLoad + " s)");

                long stockHeap = Procs.liveHeapBytes(stock.pid());
                List<String> rnsHeaps = new ArrayList<>();
                for (BenchCluster.Node n : rns.nodes())
                    rnsHeaps.add(mib(rns.heapBytes(n.id())));
                int nb = brokers;
                SplittableRandom rnd = new SplittableRandom(42);
                Stats sr = LoadRunner.run(1, ctx.opts.warmupS(), ctx.opts.measureS(),
                        (th, seq) -> rmq.get(0).route(stock.addr(), randomTopic(rnd, nb), null).orThrow());
                BenchCluster.Node leader = rns.awaitLeader(30_000);
                BenchCluster.Node follower = rns.follower(leader);
                CallOptions stale = CallOptions.DEFAULT.withConsistency(Consistency.STALE)
                        .withNode(follower.endpoint());
                CallOptions lin = CallOptions.DEFAULT.withConsistency(Consistency.LINEARIZABLE)
                        .withNode(follower.endpoint());
                Stats rs = LoadRunner.run(1, ctx.opts.warmupS(), ctx.opts.measureS(), (th, seq) -> {
                    nc.getTopicRoute(randomTopic(rnd, nb), stale);
                    return true;
                });
                Stats rl = LoadRunner.run(1, ctx.opts.warmupS(), ctx.opts.measureS(), (th, seq) -> {
                    nc.getTopicRoute(randomTopic(rnd, nb), lin);
                    return true;
                });
                out.addOk(sr.ok() + rs.ok() + rl.ok());

                // snapshot: wait (bounded) until the leader has a snapshot covering the load
                long applied = rns.status(leader).map(GetNodeStatusResponse::getAppliedIndex).orElse(0L);
                long snapDeadline = System.currentTimeMillis() + 60_000;
                while (System.currentTimeMillis() < snapDeadline
                        && rns.status(leader).map(GetNodeStatusResponse::getLastSnapshotIndex).orElse(0L) < applied) {
                    Procs.sleep(200);
                }
                long snapBytes = snapshotBytes(leader.dir().resolve("data"));
                String snapSave = lastSnapshotSave(leader.dir().resolve("logs").resolve("rns.log"));

                // catch-up of a wiped follower (a new node: snapshot install + log tail)
                rns.kill(follower.id());
                long c0 = System.nanoTime();
                rns.restart(follower.id(), true);
                double catchUp = awaitApplied(rns, follower, leader, 300_000, c0);
                boolean installed = rns.status(follower).map(GetNodeStatusResponse::getLastSnapshotIndex)
                        .orElse(0L) > 0;

                // full-cluster restart: SIGTERM every node, start all, time until a leader serves a linearizable read
                // of the last broker's topic on every node
                for (BenchCluster.Node n : rns.nodes())
                    rns.stop(n.id());
                long f0 = System.nanoTime();
                for (BenchCluster.Node n : rns.nodes())
                    rns.restart(n.id(), false);
                BenchCluster.Node l2 = rns.awaitLeader(300_000);
                double fullRestart = Double.NaN;
                long fDeadline = System.currentTimeMillis() + 300_000;
                String probe = "scale-b" + (nb - 1) + "-t0";
                while (System.currentTimeMillis() < fDeadline) {
                    boolean all = true;
                    for (BenchCluster.Node n : rns.nodes()) {
                        try {
                            nc.getTopicRoute(probe, CallOptions.DEFAULT.withConsistency(Consistency.LINEARIZABLE)
                                    .withNode(n.endpoint()));
                        } catch (RuntimeException e) {
                            all = false;
                        }
                    }
                    if (all) {
                        fullRestart = (System.nanoTime() - f0) / 1e9;
                        break;
                    }
                    Procs.sleep(100);
                }
                BenchContext.log("scale: " + topics + " topics: catch-up " + catchUp + " s, full restart " + fullRestart
                        + " s (leader " + l2.id() + ")");

                t.row(topics, "stock", stockLoad, mib(stockHeap), sr.p50Ms(), sr.p99Ms(), sr.opsPerSec(),
                        "n/a (in memory)", "n/a", "n/a", "n/a", "n/a (routes are rebuilt by re-registration)");
                t.row(topics, "rns STALE follower", rnsLoad, String.join(" / ", rnsHeaps), rs.p50Ms(), rs.p99Ms(),
                        rs.opsPerSec(), snapBytes < 0 ? "no snapshot within 60 s" : snapBytes / 1048576.0, snapSave,
                        catchUp, installed ? "yes" : "no (log replay)", fullRestart);
                t.row(topics, "rns LINEARIZABLE follower", "", "", rl.p50Ms(), rl.p99Ms(), rl.opsPerSec(), "", "", "",
                        "", "");
            }
            largestRegistration(ctx, out, stock, rns, rmq.get(0), nc);
            out.note(
                    "Snapshot size: the leader's newest snapshot directory. Snapshot save time: from the leader's log line "
                            + "for its newest snapshot — the RocksDB checkpoint, taken on the apply thread, and the checksums + "
                            + "manifest, written in the background while entries go on being applied.");
            out.note(
                    "The RNS brokers heartbeat through BrokerRegistrar (60 s lease); stock brokers registered with a 600 s "
                            + "heartbeatTimeoutMillis so nothing expires during the scenario.");
        } finally {
            Cleanup.closeAll(cleanup);
            hb.shutdownNow();
            pool.shutdownNow();
        }
    }

    private void largestRegistration(BenchContext ctx, Results.Scenario out, StockNamesrv stock, BenchCluster rns,
            RmqClient rmq, NamesrvClient nc) {
        Results.Table t = out.table("Largest single-broker registration (one broker, N topics, one REGISTER)", "topics",
                "stock rmq", "stock body bytes", "rns native", "rns rmq");
        List<Integer> sizes = new ArrayList<>();
        for (int n : new int[]{10_000, 20_000, 40_000, 60_000, 70_000, 80_000, 100_000, 120_000, 160_000, 250_000,
                500_000, 1_000_000}) {
            if (n <= ctx.opts.maxSingleBrokerTopics())
                sizes.add(n);
        }
        if (ctx.opts.smoke())
            sizes = List.of(ctx.opts.maxSingleBrokerTopics());
        boolean stockFailed = false, rnsFailed = false, rnsRmqFailed = false;
        for (int n : sizes) {
            if (stockFailed && rnsFailed && rnsRmqFailed)
                break;
            String broker = "huge-" + n;
            String s = "skipped (failed at a smaller size)";
            int bytes = 0;
            if (!stockFailed) {
                try {
                    RmqClient.Registration reg = RmqClient.registration(BenchContext.CLUSTER, broker, "127.0.0.1:60000",
                            broker + "-t", n, 4, 1, 1, 600_000L);
                    bytes = reg.bodyBytes();
                    RmqClient.Result r = rmq.register(stock.addr(), reg);
                    RmqClient.Result q = rmq.route(stock.addr(), broker + "-t" + (n - 1), null);
                    s = r.ok() && q.ok() ? "accepted"
                            : "FAILED: register code " + r.code() + " " + r.remark() + "; route code " + q.code();
                } catch (Exception e) {
                    s = "FAILED: " + e.getClass().getSimpleName() + ": " + e.getMessage();
                }
                stockFailed = !s.equals("accepted");
                if (!stockFailed)
                    out.addOk(1);
            }
            String r1 = "skipped (failed at a smaller size)";
            if (!rnsFailed) {
                try {
                    nc.registerBroker(BenchContext.nativeRegistration(broker, "127.0.0.1:60000", broker + "-t", n, 4, 1,
                            300_000));
                    nc.getTopicRoute(broker + "-t" + (n - 1),
                            CallOptions.DEFAULT.withConsistency(Consistency.LINEARIZABLE));
                    r1 = "accepted";
                    out.addOk(1);
                } catch (RuntimeException e) {
                    r1 = "FAILED: " + e.getMessage();
                    rnsFailed = true;
                }
            }
            String r2 = "skipped (failed at a smaller size)";
            if (!rnsRmqFailed) {
                try {
                    RmqClient.Registration reg = RmqClient.registration(BenchContext.CLUSTER, broker + "-rmq",
                            "127.0.0.1:60001", broker + "-rmq-t", n, 4, 1, 1, 600_000L);
                    RmqClient.Result r = rmq.register(rns.awaitLeader(30_000).rmqAddr(), reg);
                    r2 = r.ok() ? "accepted" : "FAILED: code " + r.code() + " " + r.remark();
                } catch (Exception e) {
                    r2 = "FAILED: " + e.getClass().getSimpleName() + ": " + e.getMessage();
                }
                rnsRmqFailed = !r2.equals("accepted");
            }
            t.row(n, s, bytes, r1, r2);
            BenchContext.log("scale: single broker with " + n + " topics: stock " + s + " | rns native " + r1
                    + " | rns rmq " + r2);
        }
        out.note("The RNS native registration is protobuf (about a quarter of the JSON body's bytes); both servers "
                + "default to a 16 MiB frame limit.");
    }

    private static String randomTopic(SplittableRandom rnd, int brokers) {
        return "scale-b" + rnd.nextInt(brokers) + "-t" + rnd.nextInt(TOPICS_PER_BROKER);
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "?" : String.format("%.0f", bytes / 1048576.0);
    }

    private static double awaitApplied(BenchCluster rns, BenchCluster.Node node, BenchCluster.Node leader,
            long timeoutMs, long t0) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            Optional<GetNodeStatusResponse> l = rns.status(leader);
            Optional<GetNodeStatusResponse> n = rns.status(node);
            if (l.isPresent() && n.isPresent() && n.get().getAppliedIndex() >= l.get().getCommitIndex()) {
                return (System.nanoTime() - t0) / 1e9;
            }
            Procs.sleep(50);
        }
        return Double.NaN;
    }

    private static final Pattern SNAPSHOT_SAVED = Pattern
            .compile("snapshot saved at applied index (\\d+) .*checkpoint (\\d+) ms .* (\\d+) ms in the background");

    /** "checkpoint + background" ms of the newest "snapshot saved" line in a node's log, or "not logged". */
    static String lastSnapshotSave(Path rnsLog) {
        String found = "not logged";
        try (Stream<String> lines = Files.lines(rnsLog)) {
            for (String line : (Iterable<String>) lines::iterator) {
                Matcher m = SNAPSHOT_SAVED.matcher(line);
                if (m.find()) {
                    found = m.group(2) + " + " + m.group(3) + " (index " + m.group(1) + ")";
                }
            }
        } catch (IOException | UncheckedIOException e) {
            return "log unreadable: " + e.getMessage();
        }
        return found;
    }

    /** Bytes of the newest snapshot directory under a node's data dir (jraft: data/.../snapshot/snapshot_N). */
    private static long snapshotBytes(Path data) {
        try (Stream<Path> s = Files.walk(data)) {
            return s.filter(p -> p.getFileName().toString().startsWith("snapshot_") && Files.isDirectory(p))
                    .max(Comparator.comparing(p -> p.getFileName().toString().length() * 1_000_000_000L
                            + Long.parseLong(p.getFileName().toString().replaceAll("\\D", "").isEmpty() ? "0"
                                    : p.getFileName().toString().replaceAll("\\D", ""))))
                    .map(Procs::dirSize).orElse(-1L);
        } catch (Exception e) {
            return -1;
        }
    }
}
