package io.rns.namesrv.raft;

import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.entity.Task;
import io.rns.log.v1.LogRecord;
import io.rns.namesrv.config.Member;
import io.rns.namesrv.config.NamesrvConfig;
import io.rns.namesrv.consensus.Consensus;
import io.rns.namesrv.consensus.ConsensusException;
import io.rns.namesrv.consensus.ConsensusException.Kind;
import io.rns.namesrv.consensus.EngineMetric;
import io.rns.namesrv.consensus.NodeState;
import io.rns.statemachine.ApplyResult;
import io.rns.statemachine.LogRecords;
import io.rns.statemachine.RouteImage;
import io.rns.statemachine.RouteStateMachine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * The sofa-jraft implementation of the consensus ports: one Raft group ("rns") whose members are the configured
 * voters, talking bolt on the internal raft port. Proposing lives here; the read barrier, the status and membership
 * are their own classes over one shared {@link JraftNode}. This package is the only importer of com.alipay.sofa.jraft.
 */
public final class JraftConsensus implements Consensus {
    public static final String GROUP_ID = JraftNode.GROUP_ID;

    private final JraftNode raft;
    private final JraftStatus status;
    private final JraftReadBarrier reads;
    private final JraftMembership membership;

    public JraftConsensus(NamesrvConfig config, RouteStateMachine sm) {
        this.raft = new JraftNode(config, sm);
        this.status = new JraftStatus(raft);
        this.reads = new JraftReadBarrier(raft, status::appliedIndex);
        this.membership = new JraftMembership(raft, status);
    }

    /** Starts the raft server and node; returns once the node is initialised (not once a leader is elected). */
    public void start() throws IOException {
        raft.start();
        reads.start();
    }

    @Override
    public CompletableFuture<ApplyResult> propose(LogRecord record, long timeoutMs) {
        Node n = raft.node();
        long term = raft.fsm.leaderTerm();
        ConsensusException unavailable = raft.unavailable(n);
        if (unavailable != null) {
            return CompletableFuture.failedFuture(unavailable);
        }
        if (term <= 0 || !n.isLeader()) {
            return CompletableFuture
                    .failedFuture(new ConsensusException(Kind.NOT_LEADER, "this node is not the leader"));
        }
        ProposalClosure done = new ProposalClosure(raft.callbacks);
        Task task = new Task(ByteBuffer.wrap(LogRecords.encode(record)), done, term);
        try {
            n.apply(task);
        } catch (RuntimeException e) {
            // after shutdown began jraft runs the closure with an error and then throws (IllegalStateException)
            done.future.completeExceptionally(
                    new ConsensusException(Kind.OUTCOME_UNKNOWN, "raft apply threw: " + e.getMessage(), e));
        }
        return raft.withTimeout(done.future, timeoutMs, () -> new ConsensusException(Kind.OUTCOME_UNKNOWN,
                "no commit within " + timeoutMs + " ms; the write may still be applied"));
    }

    @Override
    public CompletableFuture<Long> readBarrier(boolean lease, long timeoutMs) {
        return reads.readBarrier(lease, timeoutMs);
    }

    @Override
    public CompletableFuture<Long> awaitApplied(long index, long timeoutMs, BooleanSupplier wanted) {
        return reads.awaitApplied(index, timeoutMs, wanted);
    }

    @Override
    public RouteImage image() {
        return raft.sm.image();
    }

    /**
     * Our applied index is the larger of the state machine's (the last data entry applied) and jraft's (which also
     * counts configuration entries, but is published only after onApply returns). Either way, everything up to it
     * is in the image.
     */
    @Override
    public long appliedIndex() {
        return status.appliedIndex();
    }

    @Override
    public NodeState state() {
        return status.state();
    }

    @Override
    public List<NodeState.Peer> peers() {
        return status.peers();
    }

    @Override
    public CompletableFuture<List<NodeState.Peer>> addPeer(Member member, long timeoutMs) {
        return membership.addPeer(member, timeoutMs);
    }

    @Override
    public CompletableFuture<List<NodeState.Peer>> removePeer(String memberId, long timeoutMs) {
        return membership.removePeer(memberId, timeoutMs);
    }

    @Override
    public CompletableFuture<Void> transferLeadership(String memberId) {
        return membership.transferLeadership(memberId);
    }

    @Override
    public CompletableFuture<Void> snapshot() {
        return membership.snapshot();
    }

    @Override
    public void addLeadershipListener(LeadershipListener listener) {
        raft.fsm.addLeadershipListener(listener);
    }

    /** Number of snapshots this node has loaded (install from the leader or at startup). */
    public long snapshotsLoaded() {
        return raft.fsm.snapshotsLoaded();
    }

    @Override
    public String haltReason() {
        return raft.fsm.haltReason();
    }

    @Override
    public List<EngineMetric> engineMetrics() {
        return JraftMetrics.of(raft.node(), raft.fsm.metrics());
    }

    @Override
    public long leaderChanges() {
        return raft.fsm.leaderChanges();
    }

    /**
     * If this node leads, hands leadership to a caught-up follower and waits (bounded) until it follows the new
     * leader, so clients see NOT_LEADER with a hint instead of a dead connection.
     */
    public void transferLeadershipIfLeader(long timeoutMs) {
        membership.transferLeadershipIfLeader(timeoutMs);
    }

    /** The jraft node this port runs on (tests in this package). */
    JraftNode engine() {
        return raft;
    }

    @Override
    public void close() {
        raft.markClosing();
        reads.failAll();
        raft.close();
    }
}
