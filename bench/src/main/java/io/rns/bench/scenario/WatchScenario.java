package io.rns.bench.scenario;

import io.rns.bench.context.BenchContext;
import io.rns.bench.infra.BenchCluster;
import io.rns.bench.infra.Quantiles;
import io.rns.bench.report.Results;
import io.rns.client.NamesrvClient;
import io.rns.client.RouteWatcher;
import io.rns.rpc.v1.DataVersion;
import io.rns.rpc.v1.RegisterBrokerRequest;
import io.rns.rpc.v1.TopicConfig;
import io.rns.rpc.v1.TopicRoute;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Route-change propagation to watchers: W {@link RouteWatcher}s spread evenly over the three nodes (followers
 * included), each watching one of T topics; one writer changes the topics' routes in turn at a steady rate (a
 * broker re-registering one topic with a new queue count). Per change: the time from the registration's
 * acknowledgement to the moment the last watcher of that topic was told (0 when every watcher was told before the
 * acknowledgement reached the writer). Stock has no push: a RocketMQ client re-reads routes every 30 s
 * (pollNameServerInterval), so it sees a change after a uniformly distributed 0-30 s; that is its row (a model, not
 * a measurement).
 */
public final class WatchScenario implements Scenario {
    private static final String BROKER = "bench-watch-broker";
    private static final String TOPIC = "bench-watch-topic-";
    /** Watchers one native client (one connection per node) carries. */
    private static final int WATCHERS_PER_CLIENT = 100;
    private static final double STOCK_POLL_MS = 30_000;

    @Override
    public String name() {
        return "watch";
    }

    @Override
    public String description() {
        return "route-change propagation: 1,000 watchers over the 3 nodes, route changes at a steady rate -> time from "
                + "a registration's acknowledgement to its last watcher's notification (stock: its 30 s poll)";
    }

    /** One route change and its arrivals at the watchers of its topic. */
    private static final class Change {
        final AtomicInteger missing;
        final AtomicLong lastArrival = new AtomicLong(Long.MIN_VALUE);
        /** The last arrival at a watcher on the leader / on a follower. */
        final AtomicLong lastOnLeader = new AtomicLong(Long.MIN_VALUE);
        final AtomicLong lastOnFollower = new AtomicLong(Long.MIN_VALUE);
        volatile long ackNanos;

        Change(int watchers) {
            this.missing = new AtomicInteger(watchers);
        }

        void arrived(long nanos, boolean onLeader) {
            lastArrival.accumulateAndGet(nanos, Math::max);
            (onLeader ? lastOnLeader : lastOnFollower).accumulateAndGet(nanos, Math::max);
            missing.decrementAndGet();
        }

        double ms(AtomicLong last) {
            return Math.max(0, last.get() - ackNanos) / 1e6;
        }
    }

    private static RegisterBrokerRequest registration(int topic, int value, long counter) {
        return RegisterBrokerRequest.newBuilder().setCluster(BenchContext.CLUSTER).setBrokerName(BROKER).setBrokerId(0)
                .setBrokerAddr("127.0.0.1:40900").setHaServerAddr("127.0.0.1:40900")
                .setDataVersion(DataVersion.newBuilder().setTimestamp(1).setCounter(counter)).setLeaseTimeoutMs(300_000)
                .addTopics(TopicConfig.newBuilder().setTopic(TOPIC + topic).setReadQueueNums(value)
                        .setWriteQueueNums(value).setPerm(6))
                .build();
    }

    @Override
    public void run(BenchContext ctx, Results.Scenario out) throws Exception {
        BenchCluster rns = ctx.rns();
        BenchCluster.Node leader = rns.awaitLeader(30_000);
        boolean smoke = ctx.opts.smoke();
        int watchers = smoke ? 30 : 1000;
        int topics = 10;
        double ratePerSec = 20;
        int changes = smoke ? 20 : (int) Math.max(topics, ctx.opts.measureS() * ratePerSec);
        int perTopicChanges = (changes + topics - 1) / topics;
        int watchersPerTopic = watchers / topics;
        NamesrvClient writer = ctx.track(rns.client(rns.endpoints()).requestTimeout(Duration.ofSeconds(5))
                .overallTimeout(Duration.ofSeconds(20)).build());
        long counter = 1;
        for (int t = 0; t < topics; t++) {
            writer.registerBroker(registration(t, 1, counter++)).value();
        }
        // changes[t][v]: the change that set topic t's queue count to v (v >= 2; 1 is the starting route)
        Change[][] table = new Change[topics][perTopicChanges + 2];
        for (Change[] row : table) {
            for (int v = 2; v < row.length; v++) {
                row[v] = new Change(watchersPerTopic);
            }
        }
        List<BenchCluster.Node> nodes = rns.nodes();
        List<NamesrvClient> clients = new ArrayList<>();
        List<RouteWatcher> all = new ArrayList<>();
        AtomicInteger resets = new AtomicInteger();
        AtomicInteger problems = new AtomicInteger();
        try {
            for (int i = 0; i < watchers; i++) {
                int clientIndex = i / WATCHERS_PER_CLIENT * nodes.size() + i % nodes.size();
                while (clients.size() <= clientIndex) {
                    BenchCluster.Node n = nodes.get(clients.size() % nodes.size());
                    clients.add(rns.client(List.of(n.endpoint())).requestTimeout(Duration.ofSeconds(5))
                            .overallTimeout(Duration.ofSeconds(20)).build());
                }
                int topic = i % topics;
                Change[] mine = table[topic];
                boolean onLeader = nodes.get(clientIndex % nodes.size()).equals(leader);
                int[] seen = {1};
                all.add(clients.get(clientIndex).watch(RouteWatcher.Scope.topics(TOPIC + topic),
                        new RouteWatcher.Listener() {
                            @Override
                            public void onReset(Map<String, TopicRoute> routes, long revision) {
                                resets.incrementAndGet();
                                TopicRoute r = routes.get(TOPIC + topic);
                                if (r != null) {
                                    advance(r.getQueueDatas(0).getReadQueueNums(), System.nanoTime());
                                }
                            }

                            @Override
                            public void onChange(String t, TopicRoute route, long revision) {
                                if (route != null) {
                                    advance(route.getQueueDatas(0).getReadQueueNums(), System.nanoTime());
                                }
                            }

                            @Override
                            public void onProblem(io.rns.client.NamesrvException e, boolean fatal) {
                                problems.incrementAndGet();
                            }

                            /** Every change up to {@code value} reached this watcher now (coalesced ones too). */
                            private void advance(int value, long now) {
                                for (int v = seen[0] + 1; v <= Math.min(value, mine.length - 1); v++) {
                                    mine[v].arrived(now, onLeader);
                                }
                                seen[0] = Math.max(seen[0], value);
                            }
                        }, null, Duration.ofSeconds(20)));
            }
            long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (resets.get() < watchers && System.nanoTime() < waitUntil) {
                Thread.sleep(20);
            }
            if (resets.get() < watchers) {
                throw new IllegalStateException(resets.get() + " of " + watchers + " watchers started in 60 s");
            }
            BenchContext.log("watch: " + watchers + " watchers on " + clients.size() + " clients started; " + changes
                    + " changes at " + ratePerSec + "/s");
            long intervalNanos = (long) (1e9 / ratePerSec);
            long next = System.nanoTime();
            List<Change> made = new ArrayList<>();
            for (int c = 0; c < changes; c++) {
                int topic = c % topics;
                int value = c / topics + 2;
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    TimeUnit.NANOSECONDS.sleep(sleep);
                }
                next += intervalNanos;
                writer.registerBroker(registration(topic, value, counter++)).value();
                Change ch = table[topic][value];
                ch.ackNanos = System.nanoTime();
                made.add(ch);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (made.stream().anyMatch(ch -> ch.missing.get() > 0) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            long undelivered = made.stream().mapToLong(ch -> Math.max(0, ch.missing.get())).sum();
            List<Change> delivered = made.stream().filter(ch -> ch.missing.get() <= 0).toList();
            double[] ms = delivered.stream().mapToDouble(ch -> ch.ms(ch.lastArrival)).sorted().toArray();
            double[] onLeaderMs = delivered.stream().mapToDouble(ch -> ch.ms(ch.lastOnLeader)).sorted().toArray();
            double[] onFollowerMs = delivered.stream().mapToDouble(ch -> ch.ms(ch.lastOnFollower)).sorted().toArray();
            Results.Table tab = out.table(
                    "Route-change propagation to " + watchers + " watchers (" + watchersPerTopic + " per topic, "
                            + topics + " topics, spread over " + nodes.size() + " nodes), " + changes + " changes at "
                            + ratePerSec + "/s: acknowledgement -> last watcher told",
                    "server", "changes", "p50 ms", "p99 ms", "max ms", "undelivered notifications",
                    "ratio p99 to stock");
            double p99 = Quantiles.percentile(ms, 0.99);
            tab.row("rns (watch), all watchers", made.size(), Quantiles.percentile(ms, 0.5), p99,
                    Quantiles.percentile(ms, 1.0), undelivered, Results.ratio(p99, STOCK_POLL_MS * 0.99));
            tab.row("  of which: watchers on the leader", made.size(), Quantiles.percentile(onLeaderMs, 0.5),
                    Quantiles.percentile(onLeaderMs, 0.99), Quantiles.percentile(onLeaderMs, 1.0), "",
                    Results.ratio(Quantiles.percentile(onLeaderMs, 0.99), STOCK_POLL_MS * 0.99));
            tab.row("  of which: watchers on the followers", made.size(), Quantiles.percentile(onFollowerMs, 0.5),
                    Quantiles.percentile(onFollowerMs, 0.99), Quantiles.percentile(onFollowerMs, 1.0), "",
                    Results.ratio(Quantiles.percentile(onFollowerMs, 0.99), STOCK_POLL_MS * 0.99));
            tab.row("stock (model: 30 s poll)", "-", STOCK_POLL_MS * 0.5, STOCK_POLL_MS * 0.99, STOCK_POLL_MS, 0, 1.0);
            out.addOk(made.size());
            out.note("Each watcher is a RouteWatcher (client library) on a client pinned to one node, "
                    + WATCHERS_PER_CLIENT + " watchers per client connection; the writer is a native client "
                    + "(registerBroker, one topic per registration). Latency is measured in the bench JVM, which also "
                    + "runs every watcher: at 1,000 watchers the listeners' own scheduling is part of the figure.");
            out.note(
                    "Stock row: a RocketMQ client reads a topic's route every 30 s (pollNameServerInterval), so a change "
                            + "reaches it after a uniform 0-30 s (p50 15 s, p99 29.7 s); not measured here.");
            out.note(problems.get() + " watch poll failures (a watcher then retries on the next node it knows).");
            if (undelivered > 0) {
                throw new IllegalStateException(undelivered + " notifications never arrived within 30 s");
            }
            BenchContext.log(String.format("watch: p50 %.1f ms p99 %.1f ms max %.1f ms over %d changes",
                    Quantiles.percentile(ms, 0.5), p99, Quantiles.percentile(ms, 1.0), made.size()));
        } finally {
            all.forEach(RouteWatcher::close);
            clients.forEach(NamesrvClient::close);
        }
    }
}
