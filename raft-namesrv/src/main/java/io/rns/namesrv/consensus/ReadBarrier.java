package io.rns.namesrv.consensus;

import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/** The read port of the replication engine: barriers that make the local image current enough for a read level. */
public interface ReadBarrier {
    /**
     * A read barrier: completes when this node has applied everything committed before the call, confirmed either
     * by a quorum round ({@code lease == false}, ReadIndex ReadOnlySafe) or by the leader lease ({@code lease ==
     * true}). Completes with the read index.
     */
    CompletableFuture<Long> readBarrier(boolean lease, long timeoutMs);

    /** Completes when the applied index reaches {@code index}; fails with TIMEOUT after {@code timeoutMs}. */
    default CompletableFuture<Long> awaitApplied(long index, long timeoutMs) {
        return awaitApplied(index, timeoutMs, () -> true);
    }

    /**
     * As {@link #awaitApplied(long, long)}, for a requester that may go away: an engine that waits drops the wait once
     * {@code wanted} says false (e.g. the client's connection closed) instead of holding it until the timeout.
     */
    CompletableFuture<Long> awaitApplied(long index, long timeoutMs, BooleanSupplier wanted);

    /**
     * Why this engine can serve only local (STALE) reads, or null when every level is available. The leaderless
     * engine has no leader and no quorum, so barriers would prove nothing.
     */
    default String onlyLocalReadsReason() {
        return null;
    }
}
