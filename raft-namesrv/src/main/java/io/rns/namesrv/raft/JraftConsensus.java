package io.rns.namesrv.raft;

import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.RaftGroupService;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.closure.ReadIndexClosure;
import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.core.NodeImpl;
import com.alipay.sofa.jraft.core.State;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.entity.Task;
import com.alipay.sofa.jraft.error.RaftError;
import com.alipay.sofa.jraft.option.NodeOptions;
import com.alipay.sofa.jraft.option.RaftOptions;
import com.alipay.sofa.jraft.option.ReadOnlyOption;
import com.alipay.sofa.jraft.rpc.RaftRpcServerFactory;
import com.alipay.sofa.jraft.rpc.RpcServer;
import com.alipay.sofa.jraft.util.Endpoint;
import com.alipay.sofa.jraft.util.Utils;
import io.rns.log.v1.LogRecord;
import io.rns.namesrv.base.DaemonThreads;
import io.rns.namesrv.config.Member;
import io.rns.namesrv.config.NamesrvConfig;
import io.rns.namesrv.consensus.AppliedIndexWaiters;
import io.rns.namesrv.consensus.Consensus;
import io.rns.namesrv.consensus.ConsensusException;
import io.rns.namesrv.consensus.ConsensusException.Kind;
import io.rns.namesrv.consensus.NodeState;
import io.rns.rpc.v1.Role;
import io.rns.statemachine.ApplyResult;
import io.rns.statemachine.LogRecords;
import io.rns.statemachine.RouteImage;
import io.rns.statemachine.RouteStateMachine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The sofa-jraft implementation of {@link Consensus}: one Raft group ("rns") whose members are the configured
 * voters, talking bolt on the internal raft port. This package is the only importer of com.alipay.sofa.jraft.
 */
public final class JraftConsensus implements Consensus, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JraftConsensus.class);
    public static final String GROUP_ID = "rns";

    private final NamesrvConfig config;
    private final RouteStateMachine sm;
    private final RouteFsm fsm;
    private final AppliedIndexWaiters waiters;
    private final ScheduledExecutorService timer;
    /**
     * Where proposal and read-barrier futures are completed, so the callers' continuations (re-checks, route lookups,
     * building responses) never run on jraft's single FSM-caller or read-only-service thread, which would serialize
     * them with apply and with every other ReadIndex. A full queue, or a pool already shut down (an apply that lands
     * while the node closes), runs the completion on the calling thread: a completion is never dropped.
     */
    private final java.util.concurrent.ThreadPoolExecutor callbacks;

    private RaftGroupService group;
    private volatile Node node;
    private volatile boolean closing;
    private final Field lastLeaderTimestamp;
    /**
     * Address book, raft address -> member: the configured members plus members added through this node. jraft's
     * configuration holds raft addresses only; ids and client ports come from here.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, Member> directory =
            new java.util.concurrent.ConcurrentHashMap<>();

    public JraftConsensus(NamesrvConfig config, RouteStateMachine sm) {
        this.config = config;
        this.sm = sm;
        this.fsm = new RouteFsm(config.nodeId(), sm);
        java.util.concurrent.ScheduledThreadPoolExecutor timerPool =
                new java.util.concurrent.ScheduledThreadPoolExecutor(
                        1, DaemonThreads.named("rns-consensus-timer-" + config.nodeId()));
        // every proposal schedules its deadline, which is almost always cancelled: drop cancelled ones from the queue
        // at once instead of keeping thousands of them until they would have fired (write.timeout-ms later)
        timerPool.setRemoveOnCancelPolicy(true);
        this.timer = timerPool;
        int cbThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
        this.callbacks = new java.util.concurrent.ThreadPoolExecutor(
                cbThreads,
                cbThreads,
                60,
                TimeUnit.SECONDS,
                new java.util.concurrent.LinkedBlockingQueue<>(65_536),
                DaemonThreads.numbered("rns-consensus-cb-" + config.nodeId()),
                (task, pool) -> task.run()); // full or shut down: complete on the calling thread, never drop
        this.waiters = new AppliedIndexWaiters(this::appliedIndex, timer, callbacks);
        sm.addImageListener(img -> waiters.onProgress());
        this.lastLeaderTimestamp = findLastLeaderTimestampField();
        for (Member m : config.members()) {
            directory.put(m.raftAddress(), m);
        }
    }

    /** Starts the raft server and node; returns once the node is initialised (not once a leader is elected). */
    public void start() throws IOException {
        Member self = config.self();
        Path dir = config.dataDir().resolve("raft");
        Files.createDirectories(dir);
        NodeOptions o = new NodeOptions();
        o.setElectionTimeoutMs(config.electionTimeoutMs());
        o.setSnapshotIntervalSecs(config.snapshotIntervalSecs());
        o.setSnapshotLogIndexMargin(config.snapshotLogIndexMargin());
        o.setEnableMetrics(true);
        o.setLogUri(dir.resolve("log").toString());
        o.setRaftMetaUri(dir.resolve("meta").toString());
        o.setSnapshotUri(dir.resolve("snapshot").toString());
        Configuration conf = new Configuration();
        for (Member m : config.members()) {
            conf.addPeer(peerOf(m));
        }
        o.setInitialConf(conf);
        o.setFsm(fsm);
        RaftOptions r = o.getRaftOptions();
        r.setSync(config.raftSync());
        r.setMaxElectionDelayMs(config.maxElectionDelayMs());
        r.setReadOnlyOptions(ReadOnlyOption.ReadOnlySafe);
        r.setMaxReadIndexLag(config.maxReadIndexLag());
        r.setMaxLogsInMemoryBytes(config.maxLogsInMemoryBytes());
        PeerId selfPeer = peerOf(self);
        RpcServer rpcServer = RaftRpcServerFactory.createRaftRpcServer(selfPeer.getEndpoint());
        group = new RaftGroupService(GROUP_ID, selfPeer, o, rpcServer);
        node = group.start();
        if (node == null) {
            throw new IOException(
                    "raft node " + selfPeer + " failed to start (see the log above: storage or snapshot load)");
        }
        timer.scheduleWithFixedDelay(waiters::onProgress, 5, 5, TimeUnit.MILLISECONDS);
        log.info("node {}: raft started on {} with conf {}", config.nodeId(), selfPeer, conf);
    }

    static PeerId peerOf(Member m) {
        return new PeerId(new Endpoint(m.host(), m.raftPort()), 0);
    }

    /** The member id of a raft peer: from the address book, else its raft address (a member we were never told about). */
    private String memberIdOf(PeerId p) {
        if (p == null || p.isEmpty()) {
            return null;
        }
        Member m = directory.get(p.getEndpoint().toString());
        return m == null ? p.getEndpoint().toString() : m.id();
    }

    @Override
    public CompletableFuture<ApplyResult> propose(LogRecord record, long timeoutMs) {
        Node n = node;
        long term = fsm.leaderTerm.get();
        if (closing || n == null) {
            return CompletableFuture.failedFuture(new ConsensusException(Kind.SHUTTING_DOWN, "node is shutting down"));
        }
        if (fsm.haltReason != null) {
            return CompletableFuture.failedFuture(
                    new ConsensusException(Kind.HALTED, "replica halted: " + fsm.haltReason));
        }
        if (term <= 0 || !n.isLeader()) {
            return CompletableFuture.failedFuture(
                    new ConsensusException(Kind.NOT_LEADER, "this node is not the leader"));
        }
        ProposalClosure done = new ProposalClosure(callbacks);
        Task task = new Task(ByteBuffer.wrap(LogRecords.encode(record)), done, term);
        try {
            n.apply(task);
        } catch (RuntimeException e) {
            // after shutdown began jraft runs the closure with an error and then throws (IllegalStateException)
            done.future.completeExceptionally(
                    new ConsensusException(Kind.OUTCOME_UNKNOWN, "raft apply threw: " + e.getMessage(), e));
        }
        return withTimeout(
                done.future,
                timeoutMs,
                () -> new ConsensusException(
                        Kind.OUTCOME_UNKNOWN, "no commit within " + timeoutMs + " ms; the write may still be applied"));
    }

    @Override
    public CompletableFuture<Long> readBarrier(boolean lease, long timeoutMs) {
        Node n = node;
        if (closing || n == null) {
            return CompletableFuture.failedFuture(new ConsensusException(Kind.SHUTTING_DOWN, "node is shutting down"));
        }
        CompletableFuture<Long> f = new CompletableFuture<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        readIndexAttempt(n, lease ? ReadOnlyOption.ReadOnlyLeaseBased : ReadOnlyOption.ReadOnlySafe, deadline, f);
        return f;
    }

    private void readIndexAttempt(Node n, ReadOnlyOption opt, long deadline, CompletableFuture<Long> f) {
        long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (remainingMs <= 0) {
            f.completeExceptionally(
                    new ConsensusException(Kind.TIMEOUT, "read barrier did not complete before the deadline"));
            return;
        }
        try {
            n.readIndex(opt, null, new ReadIndexClosure(remainingMs) {
                @Override
                public void run(Status status, long index, byte[] reqCtx) {
                    if (status.isOk()) {
                        callbacks.execute(() -> f.complete(index));
                    } else if (status.getRaftError() == RaftError.EAGAIN && !closing) {
                        // a fresh leader has not committed in its term yet: transient, try again shortly
                        timer.schedule(() -> readIndexAttempt(n, opt, deadline, f), 20, TimeUnit.MILLISECONDS);
                    } else {
                        f.completeExceptionally(mapReadFailure(status));
                    }
                }
            });
        } catch (RuntimeException e) {
            f.completeExceptionally(
                    new ConsensusException(Kind.SHUTTING_DOWN, "read index refused: " + e.getMessage(), e));
        }
    }

    private ConsensusException mapReadFailure(Status st) {
        RaftError e = st.getRaftError();
        String msg = "read barrier failed (" + (e == null ? st.getCode() : e) + ": " + st.getErrorMsg() + ")";
        if (e == RaftError.ETIMEDOUT) {
            return new ConsensusException(Kind.TIMEOUT, msg);
        }
        if (e == RaftError.EBUSY) {
            return new ConsensusException(Kind.BUSY, msg);
        }
        if (e == RaftError.ENODESHUTDOWN || e == RaftError.ESTOP || e == RaftError.EHOSTDOWN) {
            return new ConsensusException(Kind.SHUTTING_DOWN, msg);
        }
        return new ConsensusException(Kind.NO_QUORUM, msg);
    }

    @Override
    public CompletableFuture<Long> awaitApplied(long index, long timeoutMs) {
        return waiters.await(index, timeoutMs);
    }

    @Override
    public RouteImage image() {
        return sm.image();
    }

    /**
     * Our applied index is the larger of the state machine's (the last data entry applied) and jraft's (which also
     * counts configuration entries, but is published only after onApply returns). Either way, everything up to it
     * is in the image.
     */
    @Override
    public long appliedIndex() {
        Node n = node;
        long a = sm.appliedIndex();
        return n == null ? a : Math.max(a, n.getLastAppliedLogIndex());
    }

    @Override
    public NodeState state() {
        Node n = node;
        if (n == null) {
            return new NodeState(Role.INACTIVE, fsm.knownTerm.get(), null, -1, 0, 0, fsm.lastSnapshotIndex.get());
        }
        State st = n.getNodeState();
        Role role = switch (st) {
            case STATE_LEADER, STATE_TRANSFERRING -> fsm.leaderTerm.get() > 0 ? Role.LEADER : Role.CANDIDATE;
            case STATE_FOLLOWER -> Role.FOLLOWER;
            case STATE_CANDIDATE -> Role.CANDIDATE;
            default -> Role.INACTIVE;
        };
        if (fsm.haltReason != null) {
            role = Role.INACTIVE;
        }
        PeerId leader = n.getLeaderId();
        String leaderId = memberIdOf(leader);
        long since = role == Role.LEADER ? 0 : msSinceLeaderContact(n, leaderId);
        return new NodeState(
                role,
                fsm.knownTerm.get(),
                leaderId,
                since,
                n.getLastCommittedIndex(),
                n.getLastLogIndex(),
                fsm.lastSnapshotIndex.get());
    }

    @Override
    public List<NodeState.Peer> peers() {
        Node n = node;
        Set<String> alive = new HashSet<>();
        List<String> voters = null;
        if (n != null && n.isLeader()) {
            try {
                voters = n.listPeers().stream()
                        .map(p -> p.getEndpoint().toString())
                        .toList();
                for (PeerId p : n.listAlivePeers()) {
                    alive.add(p.getEndpoint().toString());
                }
            } catch (IllegalStateException e) {
                // jraft stepped down between isLeader() and listPeers() ("Not leader"): nobody is known alive.
                // This call used to sit in state() on every response; the chaos harness (seed 1001) caught it turning
                // a committed write's OK into INTERNAL.
                alive.clear();
                voters = null;
            }
        }
        if (voters == null) {
            voters = fsm.committedVoters;
        }
        if (voters == null) {
            voters = config.members().stream().map(Member::raftAddress).toList();
        }
        List<NodeState.Peer> peers = new ArrayList<>();
        for (String raftAddr : voters) {
            Member m = directory.get(raftAddr);
            peers.add(new NodeState.Peer(
                    m == null ? raftAddr : m.id(),
                    raftAddr,
                    m == null ? "" : m.clientAddress(),
                    alive.contains(raftAddr)));
        }
        peers.sort(java.util.Comparator.comparing(NodeState.Peer::id));
        return peers;
    }

    // ---- membership (leader only; jraft's own Node calls with closures) -------------------------------------

    @Override
    public CompletableFuture<List<NodeState.Peer>> addPeer(Member member, long timeoutMs) {
        Node n = node;
        ConsensusException refused = refuseMembership(n);
        if (refused != null) {
            return CompletableFuture.failedFuture(refused);
        }
        List<NodeState.Peer> before = peers();
        for (NodeState.Peer p : before) {
            if (p.id().equals(member.id()) || p.raftAddr().equals(member.raftAddress())) {
                return CompletableFuture.failedFuture(new ConsensusException(
                        Kind.INVALID,
                        "peer " + member + " is already a member (as " + p.id() + "@" + p.raftAddr() + "); members are "
                                + ids(before)));
            }
        }
        Member known = directory.get(member.raftAddress());
        if (known != null && !known.equals(member)) {
            return CompletableFuture.failedFuture(new ConsensusException(
                    Kind.INVALID,
                    "raft address " + member.raftAddress() + " belongs to " + known
                            + " in this node's address book; add it as that"));
        }
        directory.put(member.raftAddress(), member);
        CompletableFuture<List<NodeState.Peer>> f = new CompletableFuture<>();
        try {
            n.addPeer(peerOf(member), st -> completeChange(f, st, "add " + member));
        } catch (RuntimeException e) {
            f.completeExceptionally(
                    new ConsensusException(Kind.INVALID, "add " + member + " refused: " + e.getMessage(), e));
        }
        log.info("node {}: adding peer {}", config.nodeId(), member);
        return withTimeout(
                f,
                timeoutMs,
                () -> new ConsensusException(
                        Kind.OUTCOME_UNKNOWN,
                        "adding " + member + " did not finish within " + timeoutMs
                                + " ms (the new peer catches up first); it may still commit"));
    }

    @Override
    public CompletableFuture<List<NodeState.Peer>> removePeer(String memberId, long timeoutMs) {
        Node n = node;
        ConsensusException refused = refuseMembership(n);
        if (refused != null) {
            return CompletableFuture.failedFuture(refused);
        }
        List<NodeState.Peer> before = peers();
        NodeState.Peer target =
                before.stream().filter(p -> p.id().equals(memberId)).findFirst().orElse(null);
        if (target == null) {
            return CompletableFuture.failedFuture(new ConsensusException(
                    Kind.INVALID, "peer " + memberId + " is not a member; members are " + ids(before)));
        }
        if (before.size() == 1) {
            return CompletableFuture.failedFuture(
                    new ConsensusException(Kind.INVALID, "cannot remove " + memberId + ": it is the last member"));
        }
        // the remaining voters must have a live majority (as the leader sees them), or the group stops after the change
        int remaining = before.size() - 1;
        long aliveRemaining = before.stream()
                .filter(p -> p != target)
                .filter(p -> p.alive() || p.id().equals(config.nodeId()))
                .count();
        if (aliveRemaining < remaining / 2 + 1) {
            return CompletableFuture.failedFuture(new ConsensusException(
                    Kind.INVALID,
                    "removing " + memberId
                            + " would leave " + aliveRemaining + " live voter(s) of " + remaining + ", not a majority; "
                            + "bring members back first (members " + ids(before) + ")"));
        }
        CompletableFuture<List<NodeState.Peer>> f = new CompletableFuture<>();
        try {
            n.removePeer(PeerId.parsePeer(target.raftAddr()), st -> completeChange(f, st, "remove " + memberId));
        } catch (RuntimeException e) {
            f.completeExceptionally(
                    new ConsensusException(Kind.INVALID, "remove " + memberId + " refused: " + e.getMessage(), e));
        }
        log.info("node {}: removing peer {} ({})", config.nodeId(), memberId, target.raftAddr());
        return withTimeout(
                f,
                timeoutMs,
                () -> new ConsensusException(
                        Kind.OUTCOME_UNKNOWN,
                        "removing " + memberId + " did not finish within " + timeoutMs + " ms; it may still commit"));
    }

    @Override
    public CompletableFuture<Void> transferLeadership(String memberId) {
        Node n = node;
        ConsensusException refused = refuseMembership(n);
        if (refused != null) {
            return CompletableFuture.failedFuture(refused);
        }
        List<NodeState.Peer> before = peers();
        NodeState.Peer target =
                before.stream().filter(p -> p.id().equals(memberId)).findFirst().orElse(null);
        if (target == null) {
            return CompletableFuture.failedFuture(new ConsensusException(
                    Kind.INVALID, "peer " + memberId + " is not a member; members are " + ids(before)));
        }
        if (memberId.equals(config.nodeId())) {
            return CompletableFuture.failedFuture(new ConsensusException(Kind.INVALID, memberId + " already leads"));
        }
        Status st = n.transferLeadershipTo(PeerId.parsePeer(target.raftAddr()));
        if (!st.isOk()) {
            return CompletableFuture.failedFuture(changeFailure(st, "transfer leadership to " + memberId));
        }
        log.info("node {}: transferring leadership to {}", config.nodeId(), memberId);
        return CompletableFuture.completedFuture(null);
    }

    private ConsensusException refuseMembership(Node n) {
        if (closing || n == null) {
            return new ConsensusException(Kind.SHUTTING_DOWN, "node is shutting down");
        }
        if (fsm.haltReason != null) {
            return new ConsensusException(Kind.HALTED, "replica halted: " + fsm.haltReason);
        }
        if (!n.isLeader()) {
            return new ConsensusException(Kind.NOT_LEADER, "this node is not the leader");
        }
        return null;
    }

    private void completeChange(CompletableFuture<List<NodeState.Peer>> f, Status st, String what) {
        if (st.isOk()) {
            log.info("node {}: {} committed", config.nodeId(), what);
            f.complete(peers());
        } else {
            log.warn("node {}: {} failed: {}", config.nodeId(), what, st);
            f.completeExceptionally(changeFailure(st, what));
        }
    }

    /** jraft statuses of a configuration change: which ones say nothing changed, and which leave the outcome open. */
    private static ConsensusException changeFailure(Status st, String what) {
        RaftError e = st.getRaftError();
        String msg = what + " failed (" + (e == null ? st.getCode() : e) + ": " + st.getErrorMsg() + ")";
        if (e == RaftError.EBUSY) {
            return new ConsensusException(
                    Kind.BUSY,
                    msg + "; another configuration change or a leadership transfer " + "is in progress, retry");
        }
        if (e == RaftError.EPERM && st.getErrorMsg() != null && st.getErrorMsg().startsWith("Not leader")) {
            return new ConsensusException(Kind.NOT_LEADER, msg);
        }
        if (e == RaftError.ECATCHUP) {
            // the configuration was not changed: the new peer did not catch up with the log in time
            return new ConsensusException(
                    Kind.NO_QUORUM,
                    msg + "; the new peer could not catch up (is it running and "
                            + "reachable on its raft port?); nothing changed");
        }
        if (e == RaftError.EINVAL) {
            return new ConsensusException(Kind.INVALID, msg);
        }
        if (e == RaftError.ENODESHUTDOWN || e == RaftError.ESTOP || e == RaftError.EHOSTDOWN) {
            return new ConsensusException(Kind.SHUTTING_DOWN, msg + "; it may still commit");
        }
        // leader stepped down / removed during the change: the new configuration may or may not commit
        return new ConsensusException(Kind.OUTCOME_UNKNOWN, msg + "; the change may still commit, check peers list");
    }

    private static List<String> ids(List<NodeState.Peer> peers) {
        return peers.stream().map(NodeState.Peer::id).toList();
    }

    /** jraft does not expose a follower's last leader contact; read its monotonic timestamp, or -1 if we cannot. */
    private long msSinceLeaderContact(Node n, String leaderId) {
        if (leaderId == null || lastLeaderTimestamp == null || !(n instanceof NodeImpl)) {
            return -1;
        }
        try {
            long ts = lastLeaderTimestamp.getLong(n);
            return Math.max(0, Utils.monotonicMs() - ts);
        } catch (IllegalAccessException e) {
            return -1;
        }
    }

    private static Field findLastLeaderTimestampField() {
        try {
            Field f = NodeImpl.class.getDeclaredField("lastLeaderTimestamp");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn(
                    "cannot read jraft's last leader contact time; ms_since_leader_contact will be -1 ({})",
                    e.toString());
            return null;
        }
    }

    @Override
    public CompletableFuture<Void> snapshot() {
        Node n = node;
        CompletableFuture<Void> f = new CompletableFuture<>();
        if (n == null) {
            f.completeExceptionally(new ConsensusException(Kind.SHUTTING_DOWN, "node not running"));
            return f;
        }
        n.snapshot(st -> {
            if (st.isOk()) {
                f.complete(null);
            } else {
                f.completeExceptionally(new ConsensusException(Kind.BUSY, "snapshot failed: " + st));
            }
        });
        return f;
    }

    @Override
    public void addLeadershipListener(LeadershipListener listener) {
        fsm.leadershipListeners.add(listener);
    }

    /** Number of snapshots this node has loaded (install from the leader or at startup). */
    public long snapshotsLoaded() {
        return fsm.snapshotsLoaded.get();
    }

    public String haltReason() {
        return fsm.haltReason;
    }

    /**
     * If this node leads, hands leadership to a caught-up follower and waits (bounded) until it has stepped down,
     * so clients see NOT_LEADER with a hint instead of a dead connection.
     */
    public void transferLeadershipIfLeader(long timeoutMs) {
        Node n = node;
        if (n == null || !n.isLeader() || config.members().size() < 2) {
            return;
        }
        Status st = n.transferLeadershipTo(PeerId.ANY_PEER);
        if (!st.isOk()) {
            log.warn("node {}: leadership transfer refused: {}", config.nodeId(), st);
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (n.isLeader() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        log.info("node {}: leadership transfer {}", config.nodeId(), n.isLeader() ? "timed out" : "done");
    }

    @Override
    public void close() {
        closing = true;
        waiters.failAll(new ConsensusException(Kind.SHUTTING_DOWN, "node is shutting down"));
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

    private <T> CompletableFuture<T> withTimeout(
            CompletableFuture<T> f, long timeoutMs, java.util.function.Supplier<ConsensusException> onTimeout) {
        if (f.isDone()) {
            return f;
        }
        var task = timer.schedule(() -> f.completeExceptionally(onTimeout.get()), timeoutMs, TimeUnit.MILLISECONDS);
        f.whenComplete((v, e) -> task.cancel(false));
        return f;
    }
}
