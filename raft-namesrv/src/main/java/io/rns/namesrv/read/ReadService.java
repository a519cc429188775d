package io.rns.namesrv.read;

import io.rns.namesrv.base.RnsException;
import io.rns.namesrv.consensus.Consensus;
import io.rns.namesrv.consensus.ConsensusException;
import io.rns.namesrv.consensus.NodeState;
import io.rns.rpc.v1.Consistency;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.ReadOptions;
import io.rns.statemachine.RouteImage;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

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
    private final Consensus consensus;
    private final Consistency defaultLevel;
    private final boolean leaderless;
    private final boolean unsafeLocalLinearizable;

    public ReadService(Consensus consensus, Consistency defaultLevel) {
        this(consensus, defaultLevel, false, false);
    }

    public ReadService(Consensus consensus, Consistency defaultLevel, boolean leaderless) {
        this(consensus, defaultLevel, leaderless, false);
    }

    /**
     * @param leaderless the node runs the leaderless design: only STALE exists; a request that asks for more gets
     *                   CONSISTENCY_NOT_SUPPORTED, and one that asks for nothing is served STALE
     */
    /**
     * @param unsafeLocalLinearizable TEST ONLY (testing.unsafe-local-linearizable-reads): LINEARIZABLE and LEASE
     *                                reads skip the barrier and are answered from the local image while still being
     *                                labelled as the level asked for. A deliberate bug that the chaos checker must
     *                                catch; never enable it anywhere else.
     */
    public ReadService(
            Consensus consensus, Consistency defaultLevel, boolean leaderless, boolean unsafeLocalLinearizable) {
        this.consensus = consensus;
        this.defaultLevel = leaderless ? Consistency.STALE : defaultLevel;
        this.leaderless = leaderless;
        this.unsafeLocalLinearizable = unsafeLocalLinearizable;
    }

    /** The result of a barrier: the image to read and the level served. */
    public record ReadView(RouteImage image, Consistency served) {}

    public Consistency resolve(ReadOptions opts) {
        Consistency c = opts.getConsistency();
        if (c == Consistency.UNRECOGNIZED) {
            throw RnsException.invalid("read.consistency: unknown value " + opts.getConsistencyValue());
        }
        return c == Consistency.CONSISTENCY_UNSPECIFIED ? defaultLevel : c;
    }

    public CompletableFuture<ReadView> read(ReadOptions opts, long timeoutMs) {
        Consistency level;
        try {
            level = resolve(opts);
        } catch (RnsException e) {
            return CompletableFuture.failedFuture(e);
        }
        long minIndex = opts.getMinIndex();
        if (leaderless && level != Consistency.STALE) {
            return CompletableFuture.failedFuture(
                    new RnsException(
                            ErrorCode.CONSISTENCY_NOT_SUPPORTED,
                            level
                                    + " reads are not available: this node runs in leaderless mode (the stock RocketMQ design: no "
                                    + "leader, no quorum, nodes never talk to each other), so only STALE reads exist; ask for STALE"));
        }
        if (leaderless && opts.getMaxStalenessMs() > 0) {
            return CompletableFuture.failedFuture(
                    new RnsException(
                            ErrorCode.CONSISTENCY_NOT_SUPPORTED,
                            "read.max_staleness_ms cannot be checked in leaderless mode: there is no leader to be stale against"));
        }
        if (unsafeLocalLinearizable && (level == Consistency.LINEARIZABLE || level == Consistency.LEASE)) {
            return CompletableFuture.completedFuture(new ReadView(consensus.image(), level)); // the deliberate lie
        }
        return switch (level) {
            case LINEARIZABLE, LEASE ->
                consensus
                        .readBarrier(level == Consistency.LEASE, timeoutMs)
                        .thenCompose(idx -> minIndex > 0
                                ? waitMinIndex(minIndex, timeoutMs)
                                : CompletableFuture.completedFuture(idx))
                        .thenApply(idx -> new ReadView(consensus.image(), level));
            case SEQUENTIAL ->
                waitMinIndex(minIndex, timeoutMs)
                        .thenApply(idx -> new ReadView(consensus.image(), Consistency.SEQUENTIAL));
            case STALE -> {
                int bound = opts.getMaxStalenessMs();
                if (bound > 0) {
                    NodeState s = consensus.state();
                    long since = s.msSinceLeaderContact();
                    if (!s.isLeader() && (since < 0 || since > bound)) {
                        yield CompletableFuture.failedFuture(new RnsException(
                                ErrorCode.STALENESS_EXCEEDED,
                                "this node last heard from a leader "
                                        + (since < 0 ? "never/unknown" : since + " ms ago")
                                        + ", more than read.max_staleness_ms=" + bound));
                    }
                }
                yield CompletableFuture.completedFuture(new ReadView(consensus.image(), Consistency.STALE));
            }
            default -> CompletableFuture.failedFuture(RnsException.invalid("read.consistency: unsupported " + level));
        };
    }

    private CompletableFuture<Long> waitMinIndex(long minIndex, long timeoutMs) {
        if (minIndex <= 0) {
            return CompletableFuture.completedFuture(consensus.appliedIndex());
        }
        return consensus.awaitApplied(minIndex, timeoutMs).exceptionally(t -> {
            Throwable e = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
            if (e instanceof ConsensusException ce && ce.kind() == ConsensusException.Kind.TIMEOUT) {
                throw new RnsException(
                        ErrorCode.MIN_INDEX_NOT_REACHED,
                        "this node applied " + consensus.appliedIndex() + " but read.min_index is " + minIndex
                                + "; try another node or later");
            }
            throw e instanceof RuntimeException re ? re : new CompletionException(e);
        });
    }
}
