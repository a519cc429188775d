package io.rns.namesrv.consensus;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14: a read waiting for an applied index that is never reached is bounded in number, and dropped once its
 * requester has gone (before, it stayed queued for its whole timeout — up to 49 days before timeouts were capped).
 */
class AppliedIndexWaitersTest {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AtomicLong applied = new AtomicLong(5);
    private final AtomicLong nanos = new AtomicLong();

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    private AppliedIndexWaiters waiters(int max) {
        return new AppliedIndexWaiters(applied::get, timer, Runnable::run, nanos::get, max);
    }

    /** The failure of a future that must have failed already (not one that might wait out its 600 s timeout). */
    private static ConsensusException failure(CompletableFuture<Long> f) {
        assertTrue(f.isCompletedExceptionally(), "failed at once, not still waiting");
        CompletionException e = assertThrows(CompletionException.class, f::join);
        return (ConsensusException) e.getCause();
    }

    @Test
    void aWaiterWhoseRequesterWentAwayIsDroppedAtTheNextSweep() {
        AppliedIndexWaiters w = waiters(100);
        AtomicBoolean open = new AtomicBoolean(true);
        CompletableFuture<Long> gone = w.await(1_000_000, 600_000, open::get);
        CompletableFuture<Long> staying = w.await(1_000_000, 600_000, () -> true);
        assertEquals(2, w.size());

        open.set(false); // the connection closed
        w.tick();
        assertFalse(gone.isDone(), "swept at most once a second");
        nanos.addAndGet(1_000_000_000L);
        w.onProgress();
        assertFalse(gone.isDone(), "the apply path's progress calls never sweep");
        w.tick();
        assertTrue(failure(gone).getMessage().contains("abandoned"), "failed, not left hanging");
        assertFalse(staying.isDone());
        assertEquals(1, w.size(), "only the wanted waiter is left");

        applied.set(1_000_000);
        w.onProgress();
        assertEquals(1_000_000L, staying.join());
        assertEquals(0, w.size());
    }

    @Test
    void atMostMaxWaitersWaitAndTheNextIsRefusedAsBusy() {
        AppliedIndexWaiters w = waiters(2);
        w.await(100, 600_000);
        w.await(101, 600_000);
        ConsensusException e = failure(w.await(102, 600_000));
        assertEquals(ConsensusException.Kind.BUSY, e.kind());
        assertEquals(2, w.size());
        assertEquals(5L, w.await(5, 600_000).join(), "an index already reached never waits");
    }
}
