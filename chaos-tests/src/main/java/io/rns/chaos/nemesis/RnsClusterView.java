package io.rns.chaos.nemesis;

import io.rns.chaos.hosts.Host;
import io.rns.chaos.hosts.Hosts;
import io.rns.client.NamesrvClient;
import io.rns.client.RetryPolicy;
import io.rns.rpc.transport.DaemonThreads;
import io.rns.rpc.v1.GetNodeStatusResponse;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * {@link ClusterView} through the RNS client: asks every node's GetNodeStatus in parallel, one pinned attempt per
 * node with a short deadline (default 1 s), so a paused, dead or partitioned node only costs that deadline.
 * One client per node is kept (connections are re-made after a node restarts). Close it when done.
 */
public final class RnsClusterView implements ClusterView, AutoCloseable {
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final Hosts hosts;
    private final Duration timeout;
    private final Map<String, NamesrvClient> clients = new ConcurrentHashMap<>();
    private final ExecutorService pool;
    private volatile boolean closed;

    public RnsClusterView(Hosts hosts) {
        this(hosts, Duration.ofSeconds(1));
    }

    public RnsClusterView(Hosts hosts, Duration timeout) {
        this.hosts = hosts;
        this.timeout = timeout;
        this.pool = Executors.newCachedThreadPool(
                r -> DaemonThreads.named("rns-chaos-view-" + THREADS.incrementAndGet()).newThread(r));
    }

    @Override
    public Map<String, ObservedNode> statuses() {
        Map<String, Future<Optional<ObservedNode>>> fs = new LinkedHashMap<>();
        for (Host h : hosts.hosts()) {
            fs.put(h.id(), pool.submit(() -> status(h)));
        }
        Map<String, ObservedNode> out = new LinkedHashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos() + TimeUnit.SECONDS.toNanos(2);
        fs.forEach((id, f) -> {
            try {
                long left = Math.max(1, deadline - System.nanoTime());
                f.get(left, TimeUnit.NANOSECONDS).ifPresent(s -> out.put(id, s));
            } catch (Exception e) {
                f.cancel(true);
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        return out;
    }

    /** One node's status, or empty if it did not answer in time (never throws for an unreachable node). */
    public Optional<ObservedNode> status(Host h) {
        if (closed) {
            return Optional.empty();
        }
        try {
            GetNodeStatusResponse r = client(h).nodeStatus(h.clientAddress()).value();
            return Optional.of(new ObservedNode(h.id(), r.getNodeId(), r.getRole(), r.getTerm(), r.getLeaderId(),
                    r.getAppliedIndex(), r.getCommitIndex(), r.getMsSinceLeaderContact()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Polls until a leader whose host id passes {@code acceptable} is seen, or the timeout passes.
     *
     * @return that leader's host id, or empty on timeout
     */
    public Optional<String> awaitLeader(Duration within, Predicate<String> acceptable) {
        long deadline = System.nanoTime() + within.toNanos();
        do {
            Optional<String> l = leader();
            if (l.isPresent() && acceptable.test(l.get())) {
                return l;
            }
            if (!sleep(200)) {
                break;
            }
        } while (System.nanoTime() < deadline);
        return Optional.empty();
    }

    public Optional<String> awaitLeader(Duration within) {
        return awaitLeader(within, x -> true);
    }

    /**
     * Polls until every host in {@code ids} answers and all of them agree on one leader that is among them (the
     * leader reports LEADER, the others name it as their leader), or the timeout passes.
     *
     * @return the agreed leader's host id, or empty on timeout
     */
    public Optional<String> awaitAgreement(Duration within, Set<String> ids) {
        long deadline = System.nanoTime() + within.toNanos();
        do {
            Map<String, ObservedNode> s = statuses();
            Optional<String> leader = ClusterView.leaderAmong(s);
            if (leader.isPresent() && s.keySet().containsAll(ids) && ids.contains(leader.get())) {
                String leaderNodeId = s.get(leader.get()).nodeId();
                boolean all = ids.stream().allMatch(id -> id.equals(leader.get())
                        || leaderNodeId.equals(s.get(id).leaderId()) && !s.get(id).isLeader());
                if (all) {
                    return leader;
                }
            }
            if (!sleep(200)) {
                break;
            }
        } while (System.nanoTime() < deadline);
        return Optional.empty();
    }

    /**
     * One line per host of what it reports now, for a failure message: whether its process runs, its role, term,
     * the leader it follows, applied/commit index and ms since it last heard from a leader, or that it did not answer.
     */
    public String describe() {
        Map<String, ObservedNode> s = statuses();
        StringBuilder b = new StringBuilder();
        for (Host h : hosts.hosts()) {
            ObservedNode n = s.get(h.id());
            b.append(b.isEmpty() ? "" : "; ").append(h.id()).append(h.isRunning() ? "" : " (process not running)");
            if (n == null) {
                b.append(": no status answer");
            } else {
                b.append(": ").append(n.role()).append(" term ").append(n.term()).append(" leader '")
                        .append(n.leaderId()).append("' applied ").append(n.appliedIndex()).append(" commit ")
                        .append(n.commitIndex()).append(" last leader contact ").append(n.msSinceLeaderContact())
                        .append(" ms ago");
            }
        }
        return b.toString();
    }

    private NamesrvClient client(Host h) {
        return clients.computeIfAbsent(h.id(),
                id -> NamesrvClient.builder().endpoints(List.of(h.clientAddress())).requestTimeout(timeout)
                        .overallTimeout(timeout.plusMillis(250)).retryPolicy(RetryPolicy.NONE).clientId("chaos-view")
                        .build());
    }

    private static boolean sleep(long ms) {
        try {
            Thread.sleep(ms);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        closed = true;
        pool.shutdownNow();
        clients.values().forEach(c -> {
            try {
                c.close();
            } catch (RuntimeException e) {
                // closing anyway
            }
        });
        clients.clear();
    }
}
