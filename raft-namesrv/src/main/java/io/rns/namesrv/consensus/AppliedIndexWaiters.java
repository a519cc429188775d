package io.rns.namesrv.consensus;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Futures waiting for the applied index to reach a value. {@link #onProgress()} is called after every published
 * image and on a short tick (the engine's applied index can also move without a new image, e.g. config entries).
 * Bounded: at most {@code maxWaiters} wait at once (more fail at once with BUSY), and once a second the waiters
 * nobody wants any more (their requester's connection closed) are dropped, so a client asking for an index that is
 * never reached and hanging up does not leave its waiter behind for the rest of its timeout.
 */
public final class AppliedIndexWaiters {
    /** The default bound on waiters at once. */
    public static final int MAX_WAITERS = 10_000;
    private static final long SWEEP_NANOS = TimeUnit.SECONDS.toNanos(1);

    private record Waiter(long index, CompletableFuture<Long> future, BooleanSupplier wanted) {
    }

    private final LongSupplier applied;
    private final ScheduledExecutorService timer;
    private final Executor completer;
    private final LongSupplier nanoClock;
    private final int maxWaiters;
    private final PriorityQueue<Waiter> queue = new PriorityQueue<>((a, b) -> Long.compare(a.index, b.index));
    private long lastSweep;

    /** {@code completer} completes reached waiters (so their continuations do not run on the apply thread). */
    public AppliedIndexWaiters(LongSupplier applied, ScheduledExecutorService timer, Executor completer) {
        this(applied, timer, completer, System::nanoTime, MAX_WAITERS);
    }

    public AppliedIndexWaiters(LongSupplier applied, ScheduledExecutorService timer, Executor completer,
            LongSupplier nanoClock, int maxWaiters) {
        this.applied = applied;
        this.timer = timer;
        this.completer = completer;
        this.nanoClock = nanoClock;
        this.maxWaiters = maxWaiters;
        this.lastSweep = nanoClock.getAsLong();
    }

    public CompletableFuture<Long> await(long index, long timeoutMs) {
        return await(index, timeoutMs, () -> true);
    }

    /** As {@link #await(long, long)}; the waiter is dropped once {@code wanted} says false (checked once a second). */
    public CompletableFuture<Long> await(long index, long timeoutMs, BooleanSupplier wanted) {
        long now = applied.getAsLong();
        if (now >= index) {
            return CompletableFuture.completedFuture(now);
        }
        CompletableFuture<Long> f = new CompletableFuture<>();
        Waiter w = new Waiter(index, f, wanted);
        synchronized (queue) {
            if (queue.size() >= maxWaiters) {
                return CompletableFuture.failedFuture(new ConsensusException(ConsensusException.Kind.BUSY,
                        maxWaiters + " reads are already waiting for this node's applied index to reach theirs"));
            }
            queue.add(w);
        }
        onProgress();
        if (!f.isDone()) {
            var t = timer.schedule(() -> {
                synchronized (queue) {
                    queue.remove(w); // a timed-out waiter must not stay queued (a bogus huge index would leak)
                }
                f.completeExceptionally(new ConsensusException(ConsensusException.Kind.TIMEOUT, "applied index "
                        + applied.getAsLong() + " did not reach " + index + " within " + timeoutMs + " ms"));
            }, timeoutMs, TimeUnit.MILLISECONDS);
            f.whenComplete((v, e) -> t.cancel(false));
        }
        return f;
    }

    /**
     * The periodic tick (never on the apply path): drops unwanted waiters at most once a second, then completes the
     * reached ones.
     */
    public void tick() {
        sweepUnwanted();
        onProgress();
    }

    public void onProgress() {
        long now = applied.getAsLong();
        while (true) {
            Waiter w;
            synchronized (queue) {
                w = queue.peek();
                if (w == null || w.index > now) {
                    // drop the heads that already timed out so the queue does not grow without bound
                    while (w != null && w.future.isDone()) {
                        queue.poll();
                        w = queue.peek();
                    }
                    if (w == null || w.index > now) {
                        return;
                    }
                }
                queue.poll();
            }
            CompletableFuture<Long> done = w.future;
            completer.execute(() -> done.complete(now));
        }
    }

    /** Once a second: drops the waiters already completed and fails those nobody wants any more. */
    private void sweepUnwanted() {
        long t = nanoClock.getAsLong();
        List<Waiter> unwanted = new ArrayList<>();
        synchronized (queue) {
            if (t - lastSweep < SWEEP_NANOS) {
                return;
            }
            lastSweep = t;
            queue.removeIf(w -> {
                if (w.future.isDone()) {
                    return true;
                }
                if (!w.wanted.getAsBoolean()) {
                    unwanted.add(w);
                    return true;
                }
                return false;
            });
        }
        for (Waiter w : unwanted) {
            w.future.completeExceptionally(new ConsensusException(ConsensusException.Kind.TIMEOUT,
                    "abandoned: nobody waits for applied index " + w.index + " any more (the connection closed)"));
        }
    }

    public void failAll(Throwable t) {
        synchronized (queue) {
            for (Waiter w : queue) {
                w.future.completeExceptionally(t);
            }
            queue.clear();
        }
    }

    public int size() {
        synchronized (queue) {
            return queue.size();
        }
    }
}
