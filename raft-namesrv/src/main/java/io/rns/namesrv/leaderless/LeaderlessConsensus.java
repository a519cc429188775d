package io.rns.namesrv.leaderless;

import io.rns.log.v1.LogRecord;
import io.rns.namesrv.config.Member;
import io.rns.namesrv.config.NamesrvConfig;
import io.rns.namesrv.consensus.Consensus;
import io.rns.namesrv.consensus.ConsensusException;
import io.rns.namesrv.consensus.NodeState;
import io.rns.rpc.v1.Role;
import io.rns.statemachine.ApplyResult;
import io.rns.statemachine.LogEntry;
import io.rns.statemachine.RouteImage;
import io.rns.statemachine.RouteStateMachine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * The stock RocketMQ NameServer design (DESIGN §6), behind the same {@link Consensus} seam as Raft: no group, no
 * replication, no quorum. Every write is applied at once to this node's own state machine (the same deterministic
 * one Raft replicas use) under a local, node-specific index; nodes never talk to each other, so two nodes may
 * disagree. The node "leads" only its own table: liveness runs locally, on its own clock.
 *
 * <p>"Read barriers" are trivially local (used only by the write path's no-change check); the read service refuses
 * every level but STALE in this mode, with a clear error, never a silent downgrade.
 */
public final class LeaderlessConsensus implements Consensus {
    private final NamesrvConfig config;
    private final RouteStateMachine sm;
    private final List<LeadershipListener> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    public LeaderlessConsensus(NamesrvConfig config, RouteStateMachine sm) {
        this.config = config;
        this.sm = sm;
    }

    @Override
    public synchronized CompletableFuture<ApplyResult> propose(LogRecord record, long timeoutMs) {
        if (closed) {
            return CompletableFuture.failedFuture(
                    new ConsensusException(ConsensusException.Kind.SHUTTING_DOWN, "node is shutting down"));
        }
        try {
            long index = sm.appliedIndex() + 1;
            return CompletableFuture.completedFuture(sm.applyBatch(List.of(new LogEntry(index, record))).get(0));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(
                    new ConsensusException(ConsensusException.Kind.HALTED, "local apply failed: " + e.getMessage(), e));
        }
    }

    @Override
    public CompletableFuture<Long> readBarrier(boolean lease, long timeoutMs) {
        return CompletableFuture.completedFuture(sm.appliedIndex()); // this node's table is the only truth it has
    }

    /** Why a leaderless node serves STALE reads only (read/ puts it into its CONSISTENCY_NOT_SUPPORTED answers). */
    public static final String ONLY_LOCAL_READS = "this node runs in leaderless mode (the stock RocketMQ design: no "
            + "leader, no quorum, nodes never talk to each other)";

    @Override
    public String onlyLocalReadsReason() {
        return ONLY_LOCAL_READS;
    }

    /** Answers at once, waiting for nothing: a local index that has not reached {@code index} never will. */
    @Override
    public CompletableFuture<Long> awaitApplied(long index, long timeoutMs, BooleanSupplier wanted) {
        long a = sm.appliedIndex();
        if (a >= index) {
            return CompletableFuture.completedFuture(a);
        }
        return CompletableFuture
                .failedFuture(new ConsensusException(ConsensusException.Kind.TIMEOUT, "leaderless node's local index "
                        + a + " will not reach " + index + " by waiting: indexes are per node"));
    }

    @Override
    public RouteImage image() {
        return sm.image();
    }

    @Override
    public NodeState state() {
        return new NodeState(closed ? Role.INACTIVE : Role.LEADERLESS, 0, null, -1, sm.appliedIndex(),
                sm.appliedIndex(), 0);
    }

    /** Nodes never talk to each other: a node only knows that it is itself alive. */
    @Override
    public List<NodeState.Peer> peers() {
        List<NodeState.Peer> peers = new ArrayList<>();
        for (Member m : config.members()) {
            peers.add(new NodeState.Peer(m.id(), m.raftAddress(), m.clientAddress(), m.id().equals(config.nodeId())));
        }
        return peers;
    }

    private static <T> CompletableFuture<T> noMembership() {
        return CompletableFuture.failedFuture(new ConsensusException(ConsensusException.Kind.UNSUPPORTED,
                "membership changes need raft mode: leaderless nodes have no group (each node is configured alone)"));
    }

    @Override
    public CompletableFuture<List<NodeState.Peer>> addPeer(Member member, long timeoutMs) {
        return noMembership();
    }

    @Override
    public CompletableFuture<List<NodeState.Peer>> removePeer(String memberId, long timeoutMs) {
        return noMembership();
    }

    @Override
    public CompletableFuture<Void> transferLeadership(String memberId) {
        return noMembership();
    }

    @Override
    public CompletableFuture<Void> snapshot() {
        return CompletableFuture.completedFuture(null); // nothing to compact: there is no log
    }

    /** The node owns its table from the start: listeners learn at once that it "leads" it. */
    @Override
    public void addLeadershipListener(LeadershipListener listener) {
        listeners.add(listener);
        listener.onLeaderStart(0);
    }

    @Override
    public void close() {
        closed = true;
        listeners.forEach(LeadershipListener::onLeaderStop);
    }
}
