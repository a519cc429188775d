package io.rns.namesrv.consensus;

import io.rns.namesrv.config.Member;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The membership port of the replication engine: voter changes, leadership transfer and snapshots (leader only). */
public interface Membership {
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
}
