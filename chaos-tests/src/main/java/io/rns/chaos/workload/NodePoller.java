package io.rns.chaos.workload;

import io.rns.chaos.history.HistoryRecorder;
import io.rns.chaos.history.ServerMeta;
import io.rns.chaos.history.SetValue;
import io.rns.client.CallOptions;
import io.rns.client.ClusterMode;
import io.rns.client.NamesrvClient;
import io.rns.client.NamesrvException;
import io.rns.client.Reply;
import io.rns.client.RetryPolicy;
import io.rns.rpc.transport.DaemonThreads;
import io.rns.rpc.v1.BrokerData;
import io.rns.rpc.v1.Consistency;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.TopicRoute;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Reads the same keys (topics) from EVERY node, all in parallel, once per period ("a round"), at the given levels,
 * and keeps every answer as a {@link Sample}. Used for the divergence-window metric (STALE answers of different nodes
 * that disagree) and by the liveness workload (when a dead broker disappears from each node). Each read goes to one
 * pinned node with no retry and a short timeout, so a dead or paused node costs a round at most that timeout.
 *
 * <p>With {@code recordInHistory} every read is also recorded in the run's history (one process per node and level);
 * never do that for a history the linearizability checker sees, because STALE reads are not meant to be linearizable.
 */
public final class NodePoller implements AutoCloseable {

    /** One read of one round. {@code addrs} is null unless ok; times are history times (ns since the run start). */
    public record Sample(long round, long roundStart, long call, long ret, String node, String key, String level,
            boolean ok, Set<String> addrs, long appliedIndex, long term, String error) {
    }

    private final List<String> endpoints;
    private final Supplier<List<String>> keys;
    private final List<Consistency> levels;
    private final Duration period;
    private final HistoryRecorder rec;
    private final boolean recordInHistory;
    private final NamesrvClient client;
    private final ExecutorService pool;
    private final Map<String, Integer> processes = new LinkedHashMap<>();
    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean closed;

    public NodePoller(List<String> endpoints, Supplier<List<String>> keys, List<Consistency> levels, Duration period,
            HistoryRecorder rec, boolean recordInHistory, boolean leaderless) {
        this.endpoints = List.copyOf(endpoints);
        this.keys = keys;
        this.levels = List.copyOf(levels);
        this.period = period;
        this.rec = rec;
        this.recordInHistory = recordInHistory;
        this.client = NamesrvClient.builder().endpoints(endpoints)
                .mode(leaderless ? ClusterMode.LEADERLESS : ClusterMode.RAFT).requestTimeout(Duration.ofMillis(700))
                .overallTimeout(Duration.ofMillis(900)).retryPolicy(RetryPolicy.DEFAULT.withMaxAttempts(1))
                .randomSeed(1).clientId("chaos-poller").build();
        this.pool = Executors.newFixedThreadPool(Math.min(16, endpoints.size() * levels.size() * 2),
                DaemonThreads.named("chaos-poller-read"));
        if (recordInHistory) {
            for (String ep : endpoints) {
                for (Consistency l : levels) {
                    processes.put(ep + "/" + l, rec.newProcess());
                }
            }
        }
        this.thread = new Thread(this::loop, "chaos-poller");
        this.thread.setDaemon(true);
    }

    public NodePoller start() {
        thread.start();
        return this;
    }

    private long now() {
        return System.nanoTime() - rec.startNanos();
    }

    private void loop() {
        long round = 0;
        long next = System.nanoTime();
        while (!closed) {
            long start = now();
            List<Future<Sample>> futures = new ArrayList<>();
            final long r = round;
            for (String key : keys.get()) {
                for (String ep : endpoints) {
                    for (Consistency l : levels) {
                        futures.add(pool.submit(() -> read(r, start, key, ep, l)));
                    }
                }
            }
            List<Sample> got = new ArrayList<>();
            for (Future<Sample> f : futures) {
                try {
                    got.add(f.get(10, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Exception e) {
                    // a read that does not come back within 10 s is simply missing from this round
                }
            }
            synchronized (samples) {
                samples.addAll(got);
            }
            round++;
            next += period.toNanos();
            long sleep = next - System.nanoTime();
            if (sleep < 0) {
                next = System.nanoTime(); // behind: no burst of catch-up rounds
            } else {
                try {
                    TimeUnit.NANOSECONDS.sleep(sleep);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private Sample read(long round, long roundStart, String key, String ep, Consistency level) {
        Integer p = processes.get(ep + "/" + level);
        long call = now();
        if (p != null) {
            call = rec.invoke(p, "read", key, null, ep).time();
        }
        try {
            Reply<TopicRoute> r = client.getTopicRoute(key, CallOptions.DEFAULT.withNode(ep).withConsistency(level));
            TreeSet<String> addrs = new TreeSet<>();
            for (BrokerData b : r.value().getBrokerDatasList()) {
                addrs.addAll(b.getBrokerAddrsMap().values());
            }
            return ok(round, roundStart, call, ep, key, level, addrs, ServerMeta.of(r.meta()), p);
        } catch (NamesrvException e) {
            if (e.code() == ErrorCode.TOPIC_NOT_FOUND) {
                return ok(round, roundStart, call, ep, key, level, new TreeSet<>(),
                        e.meta() == null ? null : ServerMeta.of(e.meta()), p);
            }
            String err = e.codeName() + ": " + e.getMessage();
            long ret = p != null ? rec.fail(p, "read", key, null, err).time() : now();
            return new Sample(round, roundStart, call, ret, ep, key, level.name(), false, null, -1, -1, err);
        } catch (RuntimeException e) {
            String err = e.toString();
            long ret = p != null ? rec.fail(p, "read", key, null, err).time() : now();
            return new Sample(round, roundStart, call, ret, ep, key, level.name(), false, null, -1, -1, err);
        }
    }

    private Sample ok(long round, long roundStart, long call, String ep, String key, Consistency level,
            TreeSet<String> addrs, ServerMeta meta, Integer p) {
        long ret = p != null ? rec.ok(p, "read", key, SetValue.encode(addrs), meta).time() : now();
        long applied = meta == null ? -1 : meta.appliedIndex();
        long term = meta == null ? -1 : meta.term();
        return new Sample(round, roundStart, call, ret, ep, key, level.name(), true, Set.copyOf(addrs), applied, term,
                null);
    }

    /** Every sample so far, in round order. */
    public List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.shutdownNow();
        client.close();
    }
}
