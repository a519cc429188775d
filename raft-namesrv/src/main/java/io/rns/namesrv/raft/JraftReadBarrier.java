package io.rns.namesrv.raft;

import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.closure.ReadIndexClosure;
import com.alipay.sofa.jraft.error.RaftError;
import com.alipay.sofa.jraft.option.ReadOnlyOption;
import com.codahale.metrics.Timer;
import io.rns.namesrv.consensus.AppliedIndexWaiters;
import io.rns.namesrv.consensus.ConsensusException;
import io.rns.namesrv.consensus.ConsensusException.Kind;
import io.rns.namesrv.consensus.ReadBarrier;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/** The read port on jraft: ReadIndex (ReadOnlySafe or ReadOnlyLeaseBased) and waits for the applied index. */
final class JraftReadBarrier implements ReadBarrier {
    static final String LINEARIZABLE_TIMER = "rns-read-barrier-linearizable";
    static final String LEASE_TIMER = "rns-read-barrier-lease";
    private final JraftNode raft;
    private final AppliedIndexWaiters waiters;
    /** The barrier's wait by level, retries included, successful or not (rns_raft_engine_seconds). */
    private final Timer linearizableTimer;
    private final Timer leaseTimer;

    JraftReadBarrier(JraftNode raft, LongSupplier appliedIndex) {
        this.raft = raft;
        this.waiters = new AppliedIndexWaiters(appliedIndex, raft.timer, raft.callbacks);
        raft.sm.addImageListener(img -> waiters.onProgress());
        this.linearizableTimer = raft.fsm.metrics().timer(LINEARIZABLE_TIMER);
        this.leaseTimer = raft.fsm.metrics().timer(LEASE_TIMER);
    }

    /**
     * Polls the waiters on a short tick: the engine's applied index also moves without a new image (config entries),
     * and the tick (not the apply path) drops waiters nobody wants any more.
     */
    void start() {
        raft.timer.scheduleWithFixedDelay(waiters::tick, 5, 5, TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletableFuture<Long> readBarrier(boolean lease, long timeoutMs) {
        Node n = raft.node();
        if (raft.closing() || n == null) {
            return CompletableFuture.failedFuture(new ConsensusException(Kind.SHUTTING_DOWN, "node is shutting down"));
        }
        CompletableFuture<Long> f = new CompletableFuture<>();
        long started = System.nanoTime();
        long deadline = started + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        attempt(n, lease ? ReadOnlyOption.ReadOnlyLeaseBased : ReadOnlyOption.ReadOnlySafe, deadline, f);
        Timer timer = lease ? leaseTimer : linearizableTimer;
        f.whenComplete((i, t) -> timer.update(System.nanoTime() - started, TimeUnit.NANOSECONDS));
        return f;
    }

    private void attempt(Node n, ReadOnlyOption opt, long deadline, CompletableFuture<Long> f) {
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
                        raft.callbacks.execute(() -> f.complete(index));
                    } else if (status.getRaftError() == RaftError.EAGAIN && !raft.closing()) {
                        // a fresh leader has not committed in its term yet: transient, try again shortly
                        raft.timer.schedule(() -> attempt(n, opt, deadline, f), 20, TimeUnit.MILLISECONDS);
                    } else {
                        f.completeExceptionally(failure(status));
                    }
                }
            });
        } catch (RuntimeException e) {
            f.completeExceptionally(
                    new ConsensusException(Kind.SHUTTING_DOWN, "read index refused: " + e.getMessage(), e));
        }
    }

    private static ConsensusException failure(Status st) {
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
    public CompletableFuture<Long> awaitApplied(long index, long timeoutMs, BooleanSupplier wanted) {
        return waiters.await(index, timeoutMs, wanted);
    }

    void failAll() {
        waiters.failAll(new ConsensusException(Kind.SHUTTING_DOWN, "node is shutting down"));
    }
}
