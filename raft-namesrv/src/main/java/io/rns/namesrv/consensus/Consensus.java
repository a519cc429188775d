package io.rns.namesrv.consensus;

import io.rns.log.v1.LogRecord;
import io.rns.namesrv.config.Member;
import io.rns.statemachine.ApplyResult;
import io.rns.statemachine.RouteImage;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the node needs from a replication engine. The production implementation is {@code raft.JraftConsensus}
 * (the only place that touches sofa-jraft); tests use an in-memory stand-in. Futures complete exceptionally with
 * {@link ConsensusException} only.
 */
public interface Consensus {

    /**
     * Proposes one record on the leader, with the leader's current term as the expected term. Completes with the
     * record's {@link ApplyResult} once it is committed and applied on this node. Fails with
     * {@link ConsensusException.Kind#NOT_LEADER} (nothing proposed), {@link ConsensusException.Kind#BUSY} (nothing
     * proposed) or {@link ConsensusException.Kind#OUTCOME_UNKNOWN} (proposed; it may or may not commit).
     */
    CompletableFuture<ApplyResult> propose(LogRecord record, long timeoutMs);

    /**
     * A read barrier: completes when this node has applied everything committed before the call, confirmed either
     * by a quorum round ({@code lease == false}, ReadIndex ReadOnlySafe) or by the leader lease ({@code lease ==
     * true}). Completes with the read index.
     */
    CompletableFuture<Long> readBarrier(boolean lease, long timeoutMs);

    /** Completes when {@link #appliedIndex()} reaches {@code index}; fails with TIMEOUT after {@code timeoutMs}. */
    CompletableFuture<Long> awaitApplied(long index, long timeoutMs);

    /** The latest published route image. Never blocks. */
    RouteImage image();

    /**
     * This node's applied index: everything up to it is reflected in {@link #image()}. Monotonic. Comparable across
     * nodes (it is a log index).
     */
    long appliedIndex();

    /**
     * Role, term, leader and progress of this node, as of now. Called for every response header: cheap, lock-free
     * on our side, never throws.
     */
    NodeState state();

    /**
     * Every voting member, with whether the leader considers it alive (all false unless this node leads): on the
     * leader its current configuration (a change in flight included), elsewhere the last committed configuration.
     * Asks the replication engine (on the leader, under its lock): for node status, not for every request.
     */
    List<NodeState.Peer> peers();

    /**
     * Adds a voter (leader only). Completes with the configuration after the change once it is committed. Fails with
     * NOT_LEADER, INVALID (already a member), BUSY (another change in progress), OUTCOME_UNKNOWN (the change was
     * started; it may still commit) or UNSUPPORTED (no membership in this mode).
     */
    CompletableFuture<List<NodeState.Peer>> addPeer(Member member, long timeoutMs);

    /** Removes a voter (leader only; the leader may remove itself and steps down). Failures as {@link #addPeer}. */
    CompletableFuture<List<NodeState.Peer>> removePeer(String memberId, long timeoutMs);

    /** Starts handing leadership to {@code memberId} (leader only); completes once the transfer was started. */
    CompletableFuture<Void> transferLeadership(String memberId);

    /** Asks the replication engine for a snapshot now; completes when it is written. */
    CompletableFuture<Void> snapshot();

    /**
     * Registers a listener for leadership changes. onLeaderStart runs once this node leads and has applied every
     * entry committed before its term; onLeaderStop when it steps down. Both run on the apply thread: keep them short.
     */
    void addLeadershipListener(LeadershipListener listener);

    /** Leadership changes of this node. */
    interface LeadershipListener {
        void onLeaderStart(long term);

        void onLeaderStop();
    }
}
