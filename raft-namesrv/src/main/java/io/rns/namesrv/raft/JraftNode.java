package io.rns.namesrv.raft;

import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.RaftGroupService;
import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.option.NodeOptions;
import com.alipay.sofa.jraft.option.RaftOptions;
import com.alipay.sofa.jraft.option.ReadOnlyOption;
import com.alipay.sofa.jraft.rpc.RpcServer;
import com.alipay.sofa.jraft.util.Endpoint;
import com.codahale.metrics.Gauge;
import io.rns.namesrv.base.AddressAllowList;
import io.rns.namesrv.config.Member;
import io.rns.namesrv.config.NamesrvConfig;
import io.rns.namesrv.consensus.ConsensusException;
import io.rns.namesrv.consensus.ConsensusException.Kind;
import io.rns.rpc.transport.DaemonThreads;
import io.rns.statemachine.RouteStateMachine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * What the jraft port implementations share: the running jraft {@link Node} and its state machine, the address book,
 * the timer for deadlines and the pool that completes futures. Starts and stops the group.
 */
final class JraftNode {
    private static final Logger log = LoggerFactory.getLogger(JraftNode.class);
    static final String GROUP_ID = "rns";
    /** The engine gauge counting connections the peer port refused ({@code rns_raft_engine_gauge{name=...}}). */
    static final String PEER_REFUSED_METRIC = "peer-connections-refused";

    final NamesrvConfig config;
    final RouteStateMachine sm;
    final RouteFsm fsm;
    final ScheduledExecutorService timer;
    /**
     * Where proposal and read-barrier futures are completed, so the callers' continuations (re-checks, route lookups,
     * building responses) never run on jraft's single FSM-caller or read-only-service thread, which would serialize
     * them with apply and with every other ReadIndex. A full queue, or a pool already shut down (an apply that lands
     * while the node closes), runs the completion on the calling thread: a completion is never dropped.
     */
    final ThreadPoolExecutor callbacks;
    /**
     * Address book, raft address -> member: the configured members plus members added through this node. jraft's
     * configuration holds raft addresses only; ids and client ports come from here.
     */
    final ConcurrentHashMap<String, Member> directory = new ConcurrentHashMap<>();

    private RaftGroupService group;
    private PeerLinks peerLinks;
    private volatile Node node;
    private volatile boolean closing;

    JraftNode(NamesrvConfig config, RouteStateMachine sm) {
        this.config = config;
        this.sm = sm;
        this.fsm = new RouteFsm(config.nodeId(), sm);
        ScheduledThreadPoolExecutor timerPool = new ScheduledThreadPoolExecutor(1,
                DaemonThreads.named("rns-consensus-timer-" + config.nodeId()));
        // every proposal schedules its deadline, which is almost always cancelled: drop cancelled ones from the queue
        // at once instead of keeping thousands of them until they would have fired (write.timeout-ms later)
        timerPool.setRemoveOnCancelPolicy(true);
        this.timer = timerPool;
        int cbThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
        this.callbacks = new ThreadPoolExecutor(cbThreads, cbThreads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(65_536), DaemonThreads.numbered("rns-consensus-cb-" + config.nodeId()),
                (task, pool) -> task.run()); // full or shut down: complete on the calling thread, never drop
        for (Member m : config.members()) {
            directory.put(m.raftAddress(), m);
        }
    }

    /** Starts the raft server and node; returns once the node is initialised (not once a leader is elected). */
    void start() throws IOException {
        Member self = config.self();
        Files.createDirectories(raftDir(config));
        // refusals on the peer port (a stranger's address, a failed TLS handshake, a certificate naming no member)
        LongAdder peerRefused = new LongAdder();
        fsm.metrics().register(PEER_REFUSED_METRIC, (Gauge<Long>) peerRefused::sum);
        PeerTls tls = config.raftTls() ? PeerTls.of(config.nodeId(), config.tls(), this::memberHosts, peerRefused)
                : null;
        NodeOptions o = new PeerNodeOptions(tls);
        o.setElectionTimeoutMs(config.electionTimeoutMs());
        o.setSnapshotIntervalSecs(config.snapshotIntervalSecs());
        o.setSnapshotLogIndexMargin(config.snapshotLogIndexMargin());
        o.setEnableMetrics(true);
        o.setLogUri(logDir(config).toString());
        o.setRaftMetaUri(metaDir(config).toString());
        o.setSnapshotUri(snapshotDir(config).toString());
        Configuration conf = initialConf(config);
        o.setInitialConf(conf);
        o.setFsm(fsm);
        RaftOptions r = o.getRaftOptions();
        r.setSync(config.raftSync());
        r.setMaxElectionDelayMs(config.maxElectionDelayMs());
        r.setReadOnlyOptions(ReadOnlyOption.ReadOnlySafe);
        r.setMaxReadIndexLag(config.maxReadIndexLag());
        r.setMaxLogsInMemoryBytes(config.maxLogsInMemoryBytes());
        PeerId selfPeer = peerOf(self);
        RpcServer rpcServer = PeerServer.create(self,
                config.peersFromMembersOnly()
                        ? new PeerFilter(config.nodeId(), this::memberHosts, System::nanoTime, peerRefused)
                        : null,
                tls);
        group = new RaftGroupService(GROUP_ID, selfPeer, o, rpcServer);
        node = group.start();
        if (node == null) {
            throw new IOException(
                    "raft node " + selfPeer + " failed to start (see the log above: storage or snapshot load)");
        }
        peerLinks = new PeerLinks(this, this::voterAddresses);
        peerLinks.start();
        log.info(
                "node {}: raft started on {} (peer port bound to that address; replication requests only; {}) with conf {}",
                config.nodeId(), selfPeer, tls == null ? "plaintext" : "mutual TLS", conf);
    }

    /** The voters' raft addresses: the last committed configuration, else (before one) the configured members. */
    private List<String> voterAddresses() {
        List<String> voters = fsm.committedVoters();
        return voters != null ? voters : config.members().stream().map(Member::raftAddress).toList();
    }

    /** The hosts of every member this node knows of: the address book and the last committed configuration. */
    private Collection<String> memberHosts() {
        Set<String> hosts = new HashSet<>();
        directory.values().forEach(m -> hosts.add(m.host()));
        List<String> voters = fsm.committedVoters();
        if (voters != null) {
            voters.forEach(v -> hosts.add(AddressAllowList.hostOf(v)));
        }
        return hosts;
    }

    /** The Raft part of a node's data dir: {@code raft/log}, {@code raft/meta}, {@code raft/snapshot}. */
    static Path raftDir(NamesrvConfig config) {
        return config.dataDir().resolve("raft");
    }

    static Path logDir(NamesrvConfig config) {
        return raftDir(config).resolve("log");
    }

    static Path metaDir(NamesrvConfig config) {
        return raftDir(config).resolve("meta");
    }

    static Path snapshotDir(NamesrvConfig config) {
        return raftDir(config).resolve("snapshot");
    }

    /** The configured members as a Raft configuration (used only while the log is empty). */
    static Configuration initialConf(NamesrvConfig config) {
        Configuration conf = new Configuration();
        for (Member m : config.members()) {
            conf.addPeer(peerOf(m));
        }
        return conf;
    }

    static PeerId peerOf(Member m) {
        return new PeerId(new Endpoint(m.host(), m.raftPort()), 0);
    }

    /** The running node, or null before start and after close. */
    Node node() {
        return node;
    }

    boolean closing() {
        return closing;
    }

    /** The member id of a raft peer: from the address book, else its raft address (a member we were never told about). */
    String memberIdOf(PeerId p) {
        if (p == null || p.isEmpty()) {
            return null;
        }
        Member m = directory.get(p.getEndpoint().toString());
        return m == null ? p.getEndpoint().toString() : m.id();
    }

    /** Why nothing may be started on this node now (shutting down, halted), or null. */
    ConsensusException unavailable(Node n) {
        if (closing || n == null) {
            return new ConsensusException(Kind.SHUTTING_DOWN, "node is shutting down");
        }
        String halt = fsm.haltReason();
        if (halt != null) {
            return new ConsensusException(Kind.HALTED, "replica halted: " + halt);
        }
        return null;
    }

    <T> CompletableFuture<T> withTimeout(CompletableFuture<T> f, long timeoutMs,
            Supplier<ConsensusException> onTimeout) {
        if (f.isDone()) {
            return f;
        }
        var task = timer.schedule(() -> f.completeExceptionally(onTimeout.get()), timeoutMs, TimeUnit.MILLISECONDS);
        f.whenComplete((v, e) -> task.cancel(false));
        return f;
    }

    /** Marks the node as closing (new calls fail with SHUTTING_DOWN), stops the group and the pools. */
    void close() {
        closing = true;
        if (peerLinks != null) {
            peerLinks.close();
        }
        if (group != null) {
            group.shutdown();
            try {
                group.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        timer.shutdownNow();
        callbacks.shutdown();
        node = null;
    }

    void markClosing() {
        closing = true;
    }
}
