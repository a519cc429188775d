package io.rns.chaos.workload;

import io.rns.chaos.history.HistoryRecorder;
import io.rns.chaos.history.ServerMeta;
import io.rns.client.CallOptions;
import io.rns.client.ClusterMode;
import io.rns.client.NamesrvClient;
import io.rns.client.NamesrvException;
import io.rns.client.RetryPolicy;
import io.rns.rpc.transport.DaemonThreads;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.HeartbeatRequest;
import io.rns.rpc.v1.RegisterBrokerRequest;
import io.rns.rpc.v1.TopicConfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A simulated broker for the liveness workload: its own {@link NamesrvClient} (its own connections, as a broker
 * process has), registered with {@code bind_connection} and a lease, heartbeating at a fixed rate through the
 * client's heartbeat API, re-registering at once on UNKNOWN_BROKER / STALE_BROKER_EPOCH — the semantics of the
 * client's {@code BrokerRegistrar}, but with every call recorded (in the history and as a {@link Call}) because the
 * false-expiry classification needs the time of every acknowledged heartbeat, which the registrar does not expose.
 *
 * <p>Raft mode: one registration (one epoch), heartbeats routed to the leader (followers forward). Leaderless mode
 * (the stock design): one registration and one heartbeat stream per node, pinned to that node, each node with its
 * own epoch; the rounds go to every node in parallel.
 *
 * <p>It dies in one of two ways ({@link #die}): {@link Death#KILLED} — heartbeats stop and its client closes, so
 * every connection it registered on closes (the process died); {@link Death#HUNG} — heartbeats stop but the
 * connections stay open (a paused or wedged process). It never unregisters.
 */
public final class SimBroker implements AutoCloseable {
    public static final String CLUSTER = "LiveCluster";
    /** The lane of Raft mode (one registration for the whole cluster). */
    public static final String CLUSTER_LANE = "*";

    public enum Death {
        KILLED, HUNG
    }

    /** UNKNOWN_BROKER = the server no longer has this epoch (expired, or a node that restarted empty). */
    public enum Outcome {
        OK, UNKNOWN_BROKER, STALE_EPOCH, FAIL, INFO
    }

    /** One register or heartbeat call on one lane (a node in leaderless mode, {@link #CLUSTER_LANE} in Raft mode). */
    public record Call(String lane, String f, long call, long ret, Outcome outcome, long epoch, String error) {
    }

    private final String name;
    private final String addr;
    private final String topic;
    private final int leaseMs;
    private final Duration interval;
    private final boolean leaderless;
    private final List<String> lanes;
    private final HistoryRecorder rec;
    private final NamesrvClient client;
    private final ExecutorService pool;
    private final Map<String, Long> epochs = new LinkedHashMap<>();
    private final Map<String, Integer> processes = new LinkedHashMap<>();
    private final List<Call> calls = new ArrayList<>();
    /** Numbers every heartbeat, as the client's registrar does (the leader counts each number once). */
    private final AtomicLong heartbeatSequence = new AtomicLong();
    private final Thread thread;
    private volatile boolean stopped;
    private volatile long deathTime = -1;
    private volatile Death death;

    public SimBroker(String name, String topic, int leaseMs, boolean leaderless, List<String> endpoints,
            HistoryRecorder rec, long seed) {
        this.name = name;
        this.addr = name + ".live:10911";
        this.topic = topic;
        this.leaseMs = leaseMs;
        this.interval = Duration.ofMillis(Math.max(1, leaseMs / 5)); // what the server suggests: a fifth of the lease
        this.leaderless = leaderless;
        this.lanes = leaderless ? List.copyOf(endpoints) : List.of(CLUSTER_LANE);
        this.rec = rec;
        // overall timeout well below the lease (as BrokerRegistrar's docs ask), so one failing call cannot eat it
        this.client = NamesrvClient.builder().endpoints(endpoints)
                .mode(leaderless ? ClusterMode.LEADERLESS : ClusterMode.RAFT)
                .requestTimeout(Duration.ofMillis(Math.min(1000, leaseMs / 4)))
                .overallTimeout(Duration.ofMillis(Math.min(2000, leaseMs / 2)))
                .retryPolicy(RetryPolicy.DEFAULT.withMaxAttempts(4)).randomSeed(seed).clientId("broker-" + name)
                .build();
        this.pool = Executors.newFixedThreadPool(lanes.size(), DaemonThreads.named("chaos-broker-" + name));
        for (String l : lanes) {
            epochs.put(l, 0L);
            processes.put(l, rec.newProcess());
        }
        this.thread = new Thread(this::loop, "chaos-broker-" + name);
        this.thread.setDaemon(true);
    }

    public String name() {
        return name;
    }

    public String addr() {
        return addr;
    }

    public String key() {
        return "broker:" + name;
    }

    public int leaseMs() {
        return leaseMs;
    }

    public List<String> lanes() {
        return lanes;
    }
    /** History time (ns) when it died (after its last call returned), or -1. */
    public long deathTime() {
        return deathTime;
    }

    public Death death() {
        return death;
    }

    public SimBroker start() {
        thread.start();
        return this;
    }

    public List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /** Lanes with an acknowledged registration so far. */
    public List<String> registeredLanes() {
        List<String> out = new ArrayList<>();
        for (Call c : calls()) {
            if (c.f().equals("register") && c.outcome() == Outcome.OK && !out.contains(c.lane())) {
                out.add(c.lane());
            }
        }
        return out;
    }

    /** The highest epoch any lane was acknowledged with (raft: the current registration's log index). */
    public long maxEpoch() {
        return calls().stream().filter(c -> c.outcome() == Outcome.OK).mapToLong(Call::epoch).max().orElse(0);
    }

    private void loop() {
        long next = System.nanoTime();
        while (!stopped) {
            List<Future<?>> fs = new ArrayList<>();
            for (String l : lanes) {
                fs.add(pool.submit(() -> beat(l)));
            }
            for (Future<?> f : fs) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Exception e) {
                    // recorded by beat()
                }
            }
            next += interval.toNanos();
            long sleep = next - System.nanoTime();
            if (sleep < 0) {
                next = System.nanoTime();
                continue;
            }
            try {
                TimeUnit.NANOSECONDS.sleep(sleep);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private long epoch(String lane) {
        synchronized (epochs) {
            return epochs.get(lane);
        }
    }

    private void setEpoch(String lane, long e) {
        synchronized (epochs) {
            epochs.put(lane, e);
        }
    }

    private CallOptions options(String lane) {
        return lane.equals(CLUSTER_LANE) ? CallOptions.DEFAULT : CallOptions.DEFAULT.withNode(lane);
    }

    private String node(String lane) {
        return lane.equals(CLUSTER_LANE) ? null : lane;
    }

    private void beat(String lane) {
        if (stopped) {
            return;
        }
        if (epoch(lane) == 0) {
            register(lane);
            return;
        }
        Outcome o = heartbeat(lane);
        if (o == Outcome.UNKNOWN_BROKER || o == Outcome.STALE_EPOCH) {
            setEpoch(lane, 0);
            if (!stopped) {
                register(lane); // at once, as BrokerRegistrar does
            }
        }
    }

    private void register(String lane) {
        int p = processes.get(lane);
        long call = rec.invoke(p, "register", key(), addr, node(lane)).time();
        RegisterBrokerRequest req = RegisterBrokerRequest.newBuilder().setCluster(CLUSTER).setBrokerName(name)
                .setBrokerId(0).setBrokerAddr(addr).setLeaseTimeoutMs(leaseMs).setBindConnection(true)
                .addTopics(TopicConfig.newBuilder().setTopic(topic).setReadQueueNums(4).setWriteQueueNums(4).setPerm(6))
                .build();
        try {
            var reply = client.registerBroker(req, options(lane));
            long e = reply.value().getBrokerEpoch();
            long ret = rec.ok(p, "register", key(), addr, ServerMeta.of(reply.meta())).time();
            setEpoch(lane, e);
            add(new Call(lane, "register", call, ret, Outcome.OK, e, null));
        } catch (NamesrvException ex) {
            String err = ex.codeName() + ": " + ex.getMessage();
            boolean unknown = ex.outcomeUnknown() || ex.kind() != NamesrvException.Kind.SERVER
                    || ex.code() == ErrorCode.OUTCOME_UNKNOWN || ex.code() == ErrorCode.DEADLINE_EXCEEDED;
            long ret;
            if (unknown) {
                ret = rec.info(p, "register", key(), addr, err).time();
                processes.put(lane, rec.newProcess());
            } else {
                ret = rec.fail(p, "register", key(), addr, err).time();
            }
            add(new Call(lane, "register", call, ret, unknown ? Outcome.INFO : Outcome.FAIL, 0, err));
        } catch (RuntimeException ex) { // client closed under us (killed)
            long ret = rec.info(p, "register", key(), addr, ex.toString()).time();
            processes.put(lane, rec.newProcess());
            add(new Call(lane, "register", call, ret, Outcome.INFO, 0, ex.toString()));
        }
    }

    private Outcome heartbeat(String lane) {
        int p = processes.get(lane);
        long e = epoch(lane);
        String v = Long.toString(e);
        long call = rec.invoke(p, "heartbeat", key(), v, node(lane)).time();
        HeartbeatRequest hb = HeartbeatRequest.newBuilder().setCluster(CLUSTER).setBrokerName(name).setBrokerId(0)
                .setBrokerAddr(addr).setBrokerEpoch(e).setBindConnection(true)
                .setSequence(heartbeatSequence.incrementAndGet()).build();
        Outcome o;
        String err = null;
        long ret;
        try {
            var reply = client.heartbeat(hb, options(lane));
            ret = rec.ok(p, "heartbeat", key(), v, ServerMeta.of(reply.meta())).time();
            o = Outcome.OK;
        } catch (NamesrvException ex) {
            err = ex.codeName() + ": " + ex.getMessage();
            o = ex.kind() == NamesrvException.Kind.SERVER && ex.code() == ErrorCode.UNKNOWN_BROKER
                    ? Outcome.UNKNOWN_BROKER
                    : ex.kind() == NamesrvException.Kind.SERVER && ex.code() == ErrorCode.STALE_BROKER_EPOCH
                            ? Outcome.STALE_EPOCH
                            : Outcome.FAIL;
            ret = rec.fail(p, "heartbeat", key(), v, err).time(); // a heartbeat is never outcome-unknown
        } catch (RuntimeException ex) {
            err = ex.toString();
            o = Outcome.FAIL;
            ret = rec.fail(p, "heartbeat", key(), v, err).time();
        }
        add(new Call(lane, "heartbeat", call, ret, o, e, err));
        return o;
    }

    private void add(Call c) {
        synchronized (calls) {
            calls.add(c);
        }
    }

    /**
     * Stops heartbeating (waits for the call in flight, so nothing reaches a node after the returned time) and,
     * for {@link Death#KILLED}, closes the client. Returns the death time (history ns).
     */
    public long die(Death how) {
        stopHeartbeating();
        pool.shutdown();
        death = how;
        deathTime = rec.nemesis("broker-" + how.name().toLowerCase(), name + " " + addr).time();
        if (how == Death.KILLED) {
            client.close();
        }
        return deathTime;
    }

    /** Stops without counting as a death (end of the run) and closes the client. */
    @Override
    public void close() {
        stopHeartbeating();
        pool.shutdownNow();
        client.close();
    }

    /** Stops the heartbeat loop and waits (bounded) for the call in flight. */
    private void stopHeartbeating() {
        stopped = true;
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
