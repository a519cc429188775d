package io.rns.namesrv.consensus;

import io.rns.log.v1.LogRecord;
import io.rns.statemachine.ApplyResult;

import java.util.concurrent.CompletableFuture;

/** The write port of the replication engine: hands one record to the log (leader only). */
public interface Proposer {
    /**
     * Proposes one record on the leader, with the leader's current term as the expected term. Completes with the
     * record's {@link ApplyResult} once it is committed and applied on this node. Fails with
     * {@link ConsensusException.Kind#NOT_LEADER} (nothing proposed), {@link ConsensusException.Kind#BUSY} (nothing
     * proposed) or {@link ConsensusException.Kind#OUTCOME_UNKNOWN} (proposed; it may or may not commit).
     */
    CompletableFuture<ApplyResult> propose(LogRecord record, long timeoutMs);
}
