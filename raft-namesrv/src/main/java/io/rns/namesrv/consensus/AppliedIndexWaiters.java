package io.rns.namesrv.consensus;

import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Futures waiting for the applied index to reach a value. {@link #onProgress()} is called after every published
 * image and on a short tick (the engine's applied index can also move without a new image, e.g. config entries).
 */
public final class AppliedIndexWaiters {
    private record Waiter(long index, CompletableFuture<Long> future) {
    }

    private final LongSupplier applied;
    private final ScheduledExecutorService timer;
    private final Executor completer;
    private final PriorityQueue<Waiter> queue = new PriorityQueue<>((a, b) -> Long.compare(a.index, b.index));

    /** {@code completer} completes reached waiters (so their continuations do not run on the apply thread). */
    public AppliedIndexWaiters(LongSupplier applied, ScheduledExecutorService timer, Executor completer) {
        this.applied = applied;
        this.timer = timer;
        this.completer = completer;
    }

    public CompletableFuture<Long> await(long index, long timeoutMs) {
        long now = applied.getAsLong();
        if (now >= index) {
            return CompletableFuture.completedFuture(now);
        }
        CompletableFuture<Long> f = new CompletableFuture<>();
        Waiter w = new Waiter(index, f);
        synchronized (queue) {
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
