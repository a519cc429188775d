package io.rns.namesrv.consensus;

import io.rns.log.v1.LogRecord;
import io.rns.log.v1.PutKv;
import io.rns.statemachine.ApplyResult;
import io.rns.statemachine.RejectReason;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GroupCommitTest {

    /** An engine whose proposals complete when the test says so. */
    private static final class Engine implements Proposer {
        final List<LogRecord> proposed = new ArrayList<>();
        final List<Long> timeouts = new ArrayList<>();
        final List<CompletableFuture<ApplyResult>> pending = new ArrayList<>();

        @Override
        public synchronized CompletableFuture<ApplyResult> propose(LogRecord record, long timeoutMs) {
            proposed.add(record);
            timeouts.add(timeoutMs);
            CompletableFuture<ApplyResult> f = new CompletableFuture<>();
            pending.add(f);
            return f;
        }

        /** Commits proposals [from, to) at indexes 100 + position. */
        void commit(int from, int to) {
            for (int i = from; i < to; i++) {
                pending.get(i).complete(new ApplyResult.Applied(100 + i, 0, false));
            }
        }

        List<String> keys() {
            return proposed.stream().map(r -> r.getPutKv().getKey()).toList();
        }
    }

    private static LogRecord put(String key) {
        return LogRecord.newBuilder().setFormatVersion(1).setPutKv(PutKv.newBuilder().setNamespace("ns").setKey(key))
                .build();
    }

    private static ConsensusException causeOf(CompletableFuture<ApplyResult> f) {
        CompletionException e = assertThrows(CompletionException.class, f::join);
        return assertInstanceOf(ConsensusException.class, e.getCause());
    }

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Test
    void aWriteOnAnIdleLeaderIsProposedAtOnce() {
        Engine engine = new Engine();
        GroupCommit gc = new GroupCommit(engine, 1, 256, nanos::get);

        CompletableFuture<ApplyResult> a = gc.propose(put("a"), 5000);

        assertEquals(List.of("a"), engine.keys());
        assertEquals(List.of(5000L), engine.timeouts);
        engine.commit(0, 1);
        assertEquals(new ApplyResult.Applied(100, 0, false), a.join());
        // the slot is free again: the next write goes at once too
        gc.propose(put("b"), 5000);
        assertEquals(List.of("a", "b"), engine.keys());
        assertEquals(2, gc.batches());
    }

    @Test
    void writesArrivingWhileABatchIsInFlightGoTogetherWithTheirOwnResults() {
        Engine engine = new Engine();
        GroupCommit gc = new GroupCommit(engine, 1, 256, nanos::get);
        CompletableFuture<ApplyResult> a = gc.propose(put("a"), 5000);
        CompletableFuture<ApplyResult> b = gc.propose(put("b"), 5000);
        CompletableFuture<ApplyResult> c = gc.propose(put("c"), 5000);
        CompletableFuture<ApplyResult> d = gc.propose(put("d"), 5000);

        assertEquals(List.of("a"), engine.keys());
        assertEquals(3, gc.waiting());
        assertFalse(b.isDone());

        engine.commit(0, 1);

        assertEquals(100, a.join().index());
        assertEquals(List.of("a", "b", "c", "d"), engine.keys()); // in arrival order, as one batch
        assertEquals(0, gc.waiting());
        assertFalse(b.isDone());
        engine.pending.get(2).complete(new ApplyResult.Rejected(102, RejectReason.UNKNOWN_BROKER, "no such broker"));
        engine.commit(1, 2);
        engine.commit(3, 4);
        assertEquals(101, b.join().index());
        assertInstanceOf(ApplyResult.Rejected.class, c.join());
        assertEquals(103, d.join().index());
        assertEquals(2, gc.batches());
        assertEquals(4, gc.proposals());
    }

    @Test
    void theNextBatchWaitsForEveryWriteOfThePreviousOne() {
        Engine engine = new Engine();
        GroupCommit gc = new GroupCommit(engine, 1, 256, nanos::get);
        gc.propose(put("a"), 5000);
        gc.propose(put("b"), 5000);
        gc.propose(put("c"), 5000);
        engine.commit(0, 1); // b and c go
        gc.propose(put("d"), 5000);

        engine.commit(1, 2); // c still in flight
        assertEquals(List.of("a", "b", "c"), engine.keys());
        engine.commit(2, 3);
        assertEquals(List.of("a", "b", "c", "d"), engine.keys());
    }

    @Test
    void aBatchHoldsAtMostMaxBatchWrites() {
        Engine engine = new Engine();
        GroupCommit gc = new GroupCommit(engine, 1, 2, nanos::get);
        for (String k : List.of("a", "b", "c", "d", "e", "f")) {
            gc.propose(put(k), 5000);
        }
        engine.commit(0, 1);
        assertEquals(List.of("a", "b", "c"), engine.keys());
        engine.commit(1, 3);
        assertEquals(List.of("a", "b", "c", "d", "e"), engine.keys());
        engine.commit(3, 5);
        assertEquals(List.of("a", "b", "c", "d", "e", "f"), engine.keys());
        engine.commit(5, 6);
        assertEquals(4, gc.batches());
        assertEquals(0, gc.waiting());
    }

    @Test
    void severalBatchesMayBeInFlight() {
        Engine engine = new Engine();
        GroupCommit gc = new GroupCommit(engine, 2, 256, nanos::get);
        gc.propose(put("a"), 5000);
        gc.propose(put("b"), 5000);
        gc.propose(put("c"), 5000);
        gc.propose(put("d"), 5000);
        assertEquals(List.of("a", "b"), engine.keys());
        engine.commit(1, 2);
        assertEquals(List.of("a", "b", "c", "d"), engine.keys());
    }

    @Test
    void aWriteWhoseDeadlinePassedWhileWaitingIsRefusedUnproposed() {
        Engine engine = new Engine();
        GroupCommit gc = new GroupCommit(engine, 1, 256, nanos::get);
        gc.propose(put("a"), 5000);
        CompletableFuture<ApplyResult> late = gc.propose(put("late"), 100);
        CompletableFuture<ApplyResult> onTime = gc.propose(put("onTime"), 5000);

        nanos.addAndGet(150_000_000L); // 150 ms pass
        engine.commit(0, 1);

        ConsensusException refused = causeOf(late);
        assertEquals(ConsensusException.Kind.BUSY, refused.kind());
        assertTrue(refused.getMessage().contains("deadline passed") && refused.getMessage().contains("not proposed"),
                refused.getMessage());
        assertEquals(List.of("a", "onTime"), engine.keys());
        assertEquals(4850L, engine.timeouts.get(1)); // only what is left of its deadline
        assertEquals(1, gc.expired());
    }

    @Test
    void engineRefusalsPassThroughAndAnEngineThatRefusesEverythingAtOnceDrainsTheQueueWithoutRecursion() {
        List<LogRecord> seen = new ArrayList<>();
        CompletableFuture<ApplyResult> first = new CompletableFuture<>();
        Proposer notLeader = (record, timeoutMs) -> {
            seen.add(record);
            if (seen.size() == 1) {
                return first;
            }
            return CompletableFuture
                    .failedFuture(new ConsensusException(ConsensusException.Kind.NOT_LEADER, "not the leader"));
        };
        GroupCommit gc = new GroupCommit(notLeader, 1, 1, nanos::get);
        gc.propose(put("first"), 5000);
        List<CompletableFuture<ApplyResult>> queued = new ArrayList<>();
        for (int i = 0; i < GroupCommit.MAX_WAITING; i++) {
            queued.add(gc.propose(put("k" + i), 5000));
        }
        CompletableFuture<ApplyResult> overflow = gc.propose(put("overflow"), 5000);
        ConsensusException full = causeOf(overflow);
        assertEquals(ConsensusException.Kind.BUSY, full.kind());
        assertTrue(full.getMessage().contains("already waiting"), full.getMessage());

        // one batch of 1 at a time, each refused synchronously: 16,384 batches in a loop, not 16,384 stack frames
        first.completeExceptionally(new ConsensusException(ConsensusException.Kind.NOT_LEADER, "stepped down"));

        assertEquals(1 + GroupCommit.MAX_WAITING, seen.size());
        for (CompletableFuture<ApplyResult> f : queued) {
            assertEquals(ConsensusException.Kind.NOT_LEADER, causeOf(f).kind());
        }
        assertEquals(0, gc.waiting());
        // and the slot came back: a new write is proposed at once
        gc.propose(put("again"), 5000);
        assertEquals(2 + GroupCommit.MAX_WAITING, seen.size());
    }

    @Test
    void refusesNonsenseSizes() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new GroupCommit(new Engine(), 0, 1, nanos::get))
                .getMessage().contains("maxInFlight >= 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new GroupCommit(new Engine(), 1, 0, nanos::get))
                .getMessage().contains("maxBatch >= 1"));
    }
}
