package io.rns.namesrv.read;

import io.rns.namesrv.base.RnsException;
import io.rns.namesrv.consensus.ConsensusException;
import io.rns.namesrv.consensus.NodeState;
import io.rns.namesrv.consensus.NodeStatus;
import io.rns.namesrv.consensus.ReadBarrier;
import io.rns.rpc.v1.Consistency;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.ReadOptions;
import io.rns.statemachine.RouteImage;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;

/**
 * Waits on the read barrier for the requested level, then hands out the current image (no locks: images are
 * immutable and published through one volatile reference).
 *
 * <ul>
 *   <li>LINEARIZABLE: ReadIndex with ReadOnlySafe (a quorum heartbeat round on the leader; followers ask the leader),
 *       then wait until this node applied the read index (jraft does that before it runs the closure).</li>
 *   <li>LEASE: the same with ReadOnlyLeaseBased: the leader skips the quorum round while its lease is valid.
 *       Correct only while clock rates drift by less than ~10% and pauses stay shorter than the lease.</li>
 *   <li>SEQUENTIAL: wait until the applied index reaches the client's min_index, then read locally.</li>
 *   <li>STALE: read locally at once; refused only when max_staleness_ms is set and exceeded.</li>
 * </ul>
 * The served level in the response is the level that was actually done, never a stronger one.
 */
public final class ReadService {
    private final ReadBarrier barrier;
    private final NodeStatus status;
    private final Consistency defaultLevel;
    /** Why only STALE reads exist on this node (the engine has no leader and no quorum), or null. */
    private final String onlyLocalReadsReason;

    private final boolean unsafeLocalLinearizable;

    public ReadService(ReadBarrier barrier, NodeStatus status, Consistency defaultLevel) {
        this(barrier, status, defaultLevel, false);
    }

    /**
     * When the engine serves only local reads ({@link ReadBarrier#onlyLocalReadsReason()}, leaderless mode), only
     * STALE exists: a request that asks for more gets CONSISTENCY_NOT_SUPPORTED, and one that asks for nothing is
     * served STALE.
     *
     * @param unsafeLocalLinearizable TEST ONLY (testing.unsafe-local-linearizable-reads): LINEARIZABLE and LEASE
     *                                reads skip the barrier and are answered from the local image while still being
     *                                labelled as the level asked for. A deliberate bug that the chaos checker must
     *                                catch; never enable it anywhere else.
     */
    public ReadService(ReadBarrier barrier, NodeStatus status, Consistency defaultLevel,
            boolean unsafeLocalLinearizable) {
        this.barrier = barrier;
        this.status = status;
        this.onlyLocalReadsReason = barrier.onlyLocalReadsReason();
        this.defaultLevel = onlyLocalReadsReason != null ? Consistency.STALE : defaultLevel;
        this.unsafeLocalLinearizable = unsafeLocalLinearizable;
    }

    /** The result of a barrier: the image to read and the level served. */
    public record ReadView(RouteImage image, Consistency served) {
    }

    public Consistency resolve(ReadOptions opts) {
        Consistency c = opts.getConsistency();
        if (c == Consistency.UNRECOGNIZED) {
            throw RnsException.invalid("read.consistency: unknown value " + opts.getConsistencyValue());
        }
        return c == Consistency.CONSISTENCY_UNSPECIFIED ? defaultLevel : c;
    }

    /**
     * Whether a read with these options is answered at once from the local image, with no barrier and no wait: it
     * resolves to STALE (asked for, or this node's default). An invalid level is not: its refusal takes the normal
     * path.
     */
    public boolean answersAtOnce(ReadOptions opts) {
        Consistency c = opts.getConsistency();
        return c != Consistency.UNRECOGNIZED && resolve(opts) == Consistency.STALE;
    }

    public CompletableFuture<ReadView> read(ReadOptions opts, long timeoutMs) {
        return read(opts, timeoutMs, () -> true);
    }

    /**
     * A read for a requester that may go away: a wait for {@code read.min_index} is dropped once {@code wanted} says
     * false (the requester's connection closed) instead of being held until its deadline.
     */
    public CompletableFuture<ReadView> read(ReadOptions opts, long timeoutMs, BooleanSupplier wanted) {
        Consistency level;
        try {
            level = resolve(opts);
        } catch (RnsException e) {
            return CompletableFuture.failedFuture(e);
        }
        long minIndex = opts.getMinIndex();
        if (onlyLocalReadsReason != null && level != Consistency.STALE) {
            return CompletableFuture.failedFuture(
                    new RnsException(ErrorCode.CONSISTENCY_NOT_SUPPORTED, level + " reads are not available: "
                            + onlyLocalReadsReason + ", so only STALE reads exist; ask for STALE"));
        }
        if (onlyLocalReadsReason != null && opts.getMaxStalenessMs() > 0) {
            return CompletableFuture.failedFuture(
                    new RnsException(ErrorCode.CONSISTENCY_NOT_SUPPORTED, "read.max_staleness_ms cannot be checked: "
                            + onlyLocalReadsReason + "; there is no leader to be stale against"));
        }
        if (unsafeLocalLinearizable && (level == Consistency.LINEARIZABLE || level == Consistency.LEASE)) {
            return CompletableFuture.completedFuture(new ReadView(status.image(), level)); // the deliberate lie
        }
        return switch (level) {
            case LINEARIZABLE,
                    LEASE ->
                barrier.readBarrier(level == Consistency.LEASE, timeoutMs)
                        .thenCompose(idx -> minIndex > 0 ? waitMinIndex(minIndex, timeoutMs, wanted)
                                : CompletableFuture.completedFuture(idx))
                        .thenApply(idx -> new ReadView(status.image(), level));
            case SEQUENTIAL -> waitMinIndex(minIndex, timeoutMs, wanted)
                    .thenApply(idx -> new ReadView(status.image(), Consistency.SEQUENTIAL));
            case STALE -> {
                int bound = opts.getMaxStalenessMs();
                if (bound > 0) {
                    NodeState s = status.state();
                    long since = s.msSinceLeaderContact();
                    if (!s.isLeader() && (since < 0 || since > bound)) {
                        yield CompletableFuture.failedFuture(new RnsException(ErrorCode.STALENESS_EXCEEDED,
                                "this node last heard from a leader "
                                        + (since < 0 ? "never/unknown" : since + " ms ago")
                                        + ", more than read.max_staleness_ms=" + bound));
                    }
                }
                yield CompletableFuture.completedFuture(new ReadView(status.image(), Consistency.STALE));
            }
            default -> CompletableFuture.failedFuture(RnsException.invalid("read.consistency: unsupported " + level));
        };
    }

    private CompletableFuture<Long> waitMinIndex(long minIndex, long timeoutMs, BooleanSupplier wanted) {
        if (minIndex <= 0) {
            return CompletableFuture.completedFuture(status.appliedIndex());
        }
        return barrier.awaitApplied(minIndex, timeoutMs, wanted).exceptionally(t -> {
            Throwable e = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
            if (e instanceof ConsensusException ce && ce.kind() == ConsensusException.Kind.TIMEOUT) {
                throw new RnsException(ErrorCode.MIN_INDEX_NOT_REACHED, "this node applied " + status.appliedIndex()
                        + " but read.min_index is " + minIndex + "; try another node or later");
            }
            throw e instanceof RuntimeException re ? re : new CompletionException(e);
        });
    }
}
