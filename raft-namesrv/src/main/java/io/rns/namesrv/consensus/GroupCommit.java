package io.rns.namesrv.consensus;

import io.rns.log.v1.LogRecord;
import io.rns.statemachine.ApplyResult;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Group commit on the leader: a bounded, adaptive batch in front of a {@link Proposer}. While fewer than
 * {@code maxInFlight} batches are on their way through the log (handed to the engine, not yet committed and applied),
 * a proposal goes to the engine at once, alone — an idle node adds no wait. Otherwise it waits here, and when a batch
 * completes, everything that waited meanwhile (at most {@code maxBatch}) goes to the engine back to back as the next
 * batch, so the engine appends it with one fsync, replicates it in one round and applies it in one RocksDB write and
 * one image publication. Under load the batch grows with the load; the number of trips through the pipeline (thread
 * hand-offs, RPCs, fsyncs) per second stays about the same.
 *
 * <p>Every write keeps its own log entry, so its own index and {@link ApplyResult}: broker epochs, session ids and the
 * fences of apply are log indexes, and exactly-once deduplication stays per record. A proposal that waits here past
 * its deadline was never proposed and fails {@link ConsensusException.Kind#BUSY}; so does one that finds
 * {@link #MAX_WAITING} proposals waiting. Failures of the engine (NOT_LEADER, OUTCOME_UNKNOWN, ...) pass through.
 */
public final class GroupCommit implements Proposer {
    /** Proposals that may wait at once; beyond it a proposal is refused (the engine's own queue is 16,384). */
    public static final int MAX_WAITING = 16_384;

    private final Proposer engine;
    private final int maxInFlight;
    private final int maxBatch;
    private final LongSupplier nanoTime;
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private int inFlight;
    private final LongAdder batches = new LongAdder();
    private final LongAdder proposals = new LongAdder();
    private final LongAdder expired = new LongAdder();

    /**
     * @param maxInFlight batches in the engine at once, >= 1
     * @param maxBatch    proposals handed over as one batch at most, >= 1
     * @param nanoTime    a monotonic clock (System::nanoTime)
     */
    public GroupCommit(Proposer engine, int maxInFlight, int maxBatch, LongSupplier nanoTime) {
        if (maxInFlight < 1 || maxBatch < 1) {
            throw new IllegalArgumentException(
                    "group commit needs maxInFlight >= 1 and maxBatch >= 1, got " + maxInFlight + ", " + maxBatch);
        }
        this.engine = engine;
        this.maxInFlight = maxInFlight;
        this.maxBatch = maxBatch;
        this.nanoTime = nanoTime;
    }

    /** Proposes {@code record}: at once when a batch slot is free, else with the next batch. */
    @Override
    public CompletableFuture<ApplyResult> propose(LogRecord record, long timeoutMs) {
        Waiting w = new Waiting(record, nanoTime.getAsLong() + TimeUnit.MILLISECONDS.toNanos(timeoutMs));
        synchronized (this) {
            if (inFlight >= maxInFlight) {
                if (waiting.size() >= MAX_WAITING) {
                    return CompletableFuture.failedFuture(new ConsensusException(ConsensusException.Kind.BUSY,
                            MAX_WAITING + " writes are already waiting for the next group commit; not proposed"));
                }
                waiting.add(w);
                return w.future;
            }
            inFlight++;
        }
        send(List.of(w));
        return w.future;
    }

    /**
     * Hands one batch to the engine; when every proposal of it has completed, the next batch goes. A batch that
     * completes while it is being handed over (the engine refused every proposal at once: not the leader) is followed
     * by the next one in this loop, not by recursion.
     */
    private void send(List<Waiting> first) {
        List<Waiting> batch = first;
        while (batch != null) {
            batches.increment();
            proposals.add(batch.size());
            AtomicInteger open = new AtomicInteger(batch.size() + 1); // + 1: this loop's own hold, released below
            for (Waiting w : batch) {
                propose(w).whenComplete((r, e) -> {
                    // the next batch first: answering this write (encoding, the socket) can wait a few µs
                    if (open.decrementAndGet() == 0) {
                        List<Waiting> next = takeNext();
                        if (next != null) {
                            send(next);
                        }
                    }
                    if (e != null) {
                        w.future.completeExceptionally(e);
                    } else {
                        w.future.complete(r);
                    }
                });
            }
            batch = open.decrementAndGet() == 0 ? takeNext() : null;
        }
    }

    private CompletableFuture<ApplyResult> propose(Waiting w) {
        long leftNs = w.deadlineNs - nanoTime.getAsLong();
        if (leftNs <= 0) {
            expired.increment();
            return CompletableFuture.failedFuture(new ConsensusException(ConsensusException.Kind.BUSY,
                    "the write's deadline passed while it waited for the next group commit; not proposed"));
        }
        return engine.propose(w.record, Math.max(1, TimeUnit.NANOSECONDS.toMillis(leftNs)));
    }

    /** The next batch, or null after giving back the slot of the batch that completed when nothing waits. */
    private List<Waiting> takeNext() {
        synchronized (this) {
            if (waiting.isEmpty()) {
                inFlight--;
                return null;
            }
            List<Waiting> next = new ArrayList<>(Math.min(maxBatch, waiting.size()));
            while (next.size() < maxBatch && !waiting.isEmpty()) {
                next.add(waiting.poll());
            }
            return next;
        }
    }

    /** Batches handed to the engine since start. */
    public long batches() {
        return batches.sum();
    }

    /** Proposals handed to the engine (or expired at hand-over) since start; / {@link #batches()} = mean batch. */
    public long proposals() {
        return proposals.sum();
    }

    /** Proposals whose deadline passed while they waited (refused BUSY, never proposed). */
    public long expired() {
        return expired.sum();
    }

    /** Proposals waiting now. */
    public synchronized int waiting() {
        return waiting.size();
    }

    private static final class Waiting {
        final LogRecord record;
        final long deadlineNs;
        final CompletableFuture<ApplyResult> future = new CompletableFuture<>();

        Waiting(LogRecord record, long deadlineNs) {
            this.record = record;
            this.deadlineNs = deadlineNs;
        }
    }
}
