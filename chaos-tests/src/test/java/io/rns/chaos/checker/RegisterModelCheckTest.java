package io.rns.chaos.checker;

import io.rns.chaos.history.Op;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegisterModelCheckTest {

    private static void valid(CheckResult r) {
        assertEquals(Verdict.VALID, r.verdict(), r.summary());
    }

    private static void invalid(CheckResult r) {
        assertEquals(Verdict.INVALID, r.verdict(), r.summary());
    }

    @Test
    void emptyHistoryIsValid() {
        valid(HistoryBuilder.history().checkRegister());
    }

    @Test
    void sequentialValid() {
        valid(HistoryBuilder.history().read(0, null, 0, 1).write(0, "a", 2, 3).read(1, "a", 4, 5).write(1, "b", 6, 7)
                .read(0, "b", 8, 9).write(0, null, 10, 11).read(1, null, 12, 13).checkRegister());
    }

    @Test
    void concurrentOverlappingValid() {
        // w(a) [0,10] overlaps both reads; the first read may see nil, the second a; w(b) overlaps the last read
        valid(HistoryBuilder.history().write(0, "a", 0, 10).read(1, null, 1, 3).read(2, "a", 4, 6).read(1, "a", 5, 12)
                .write(2, "b", 11, 20).read(3, "a", 12, 14).read(1, "b", 13, 15).checkRegister());
    }

    @Test
    void concurrentReadsMaySeeValuesInEitherOrderOnlyIfConsistent() {
        // two concurrent writes; readers must agree on one order: a then b then nothing else
        valid(HistoryBuilder.history().write(0, "a", 0, 10).write(1, "b", 0, 10).read(2, "a", 1, 2).read(2, "b", 3, 4)
                .read(3, "b", 11, 12).checkRegister());
        // a reader sees b then a, another sees a then b, all after both writes completed: impossible
        invalid(HistoryBuilder.history().write(0, "a", 0, 10).write(1, "b", 0, 10).read(2, "b", 11, 12)
                .read(3, "a", 13, 14).checkRegister());
    }

    @Test
    void staleReadInvalid() {
        CheckResult r = HistoryBuilder.history().write(0, "a", 0, 1).write(0, "b", 2, 3).read(1, "a", 4, 5)
                .checkRegister();
        invalid(r);
        KeyResult k = r.keys().get("k");
        Witness w = k.witness();
        assertNotNull(w);
        assertEquals("read", w.failedOp().f());
        assertEquals("a", w.failedOp().output());
        assertEquals(2, w.linearizedPrefix().size(), w.describe());
        assertEquals("\"b\"", w.stateAfterPrefix());
        assertTrue(r.summary().contains("cannot linearize"), r.summary());
        assertTrue(r.toJson().contains("\"failedOp\""), r.toJson());
    }

    @Test
    void lostWriteInvalid() {
        invalid(HistoryBuilder.history().write(0, "a", 0, 1).read(1, null, 2, 3).checkRegister());
        invalid(HistoryBuilder.history().write(0, "a", 0, 1).write(1, "b", 2, 5).read(2, "b", 3, 4).read(2, "a", 6, 7)
                .checkRegister());
    }

    @Test
    void readOfNeverWrittenValueInvalid() {
        invalid(HistoryBuilder.history().write(0, "a", 0, 10).read(1, "x", 1, 20).checkRegister());
    }

    @Test
    void readBeforeWriteInvokedCannotSeeIt() {
        invalid(HistoryBuilder.history().read(1, "a", 0, 1).write(0, "a", 2, 3).checkRegister());
    }

    @Test
    void indeterminateWriteThatTookEffectLaterIsValid() {
        // w(a) timed out at 1, but took effect between 10 and 20 — long after its client gave up
        CheckResult r = HistoryBuilder.history().info(0, "write", "a", 0).read(1, null, 10, 11).read(1, "a", 20, 21)
                .read(2, "a", 30, 31).checkRegister();
        valid(r);
        assertEquals(0, r.keys().get("k").pruned());
        assertEquals(1, r.keys().get("k").indeterminate());
    }

    @Test
    void indeterminateWriteThatNeverTookEffectIsValid() {
        CheckResult r = HistoryBuilder.history().write(0, "a", 0, 1).info(1, "write", "b", 2).read(2, "a", 5, 6)
                .read(2, "a", 50, 60).checkRegister();
        valid(r);
        assertEquals(1, r.keys().get("k").pruned(), "the unobserved indeterminate write is pruned");
    }

    @Test
    void readOfIndeterminateWriteThenOldValueInvalid() {
        invalid(HistoryBuilder.history().write(0, "a", 0, 1).info(1, "write", "b", 2).read(2, "b", 5, 6)
                .read(2, "a", 7, 8).checkRegister());
    }

    @Test
    void pendingOpsAreIndeterminate() {
        valid(HistoryBuilder.history().write(0, "a", 0, 1).pending(1, "write", "b", 2).read(2, "b", 5, 6)
                .read(3, "b", 7, 8).checkRegister());
        invalid(HistoryBuilder.history().write(0, "a", 0, 1).pending(1, "write", "b", 2).read(2, "b", 5, 6)
                .read(3, "a", 7, 8).checkRegister());
    }

    @Test
    void failedWritesHaveNoEffect() {
        valid(HistoryBuilder.history().write(0, "a", 0, 1).fail(1, "write", "b", 2, 3).read(2, "a", 5, 6)
                .checkRegister());
        invalid(HistoryBuilder.history().write(0, "a", 0, 1).fail(1, "write", "b", 2, 3).read(2, "b", 5, 6)
                .checkRegister());
    }

    @Test
    void indeterminateReadsAreIgnored() {
        CheckResult r = HistoryBuilder.history().write(0, "a", 0, 1).info(1, "read", null, 2).read(2, "a", 5, 6)
                .checkRegister();
        valid(r);
        assertEquals(2, r.keys().get("k").ops());
    }

    @Test
    void pruningOnlyConsidersReadsThatCouldFollowTheWrite() {
        // a read of "a" that returned before the indeterminate w(a) was invoked cannot have observed it
        CheckResult r = HistoryBuilder.history().write(0, "a", 0, 1).read(1, "a", 2, 3).write(0, "b", 4, 5)
                .info(2, "write", "a", 6).read(1, "b", 7, 8).checkRegister();
        valid(r);
        assertEquals(1, r.keys().get("k").pruned());
        // ...but a read concurrent with it (returning after its invocation) might have
        CheckResult r2 = HistoryBuilder.history().write(0, "a", 0, 1).write(0, "b", 4, 5).read(1, "a", 6, 7)
                .info(2, "write", "a", 6).read(1, "b", 8, 9).checkRegister();
        assertEquals(0, r2.keys().get("k").pruned());
        // the read of "a" at [6,7] is explained by the indeterminate w(a) at 6, and the later read of "b" is not
        // (b was overwritten by a) -> invalid; without the indeterminate write also invalid
        invalid(r2);
        valid(HistoryBuilder.history().write(0, "a", 0, 1).write(0, "b", 4, 5).read(1, "a", 6, 7)
                .info(2, "write", "a", 6).read(1, "a", 8, 9).checkRegister());
    }

    @Test
    void equalTimesCountAsConcurrent() {
        // the read is invoked exactly when the write returns: either order is allowed
        valid(HistoryBuilder.history().write(0, "a", 0, 5).read(1, null, 5, 6).checkRegister());
        valid(HistoryBuilder.history().write(0, "a", 0, 5).read(1, "a", 5, 6).checkRegister());
    }

    @Test
    void processReusedAfterInfoIsToleratedAndReported() {
        CheckResult r = HistoryBuilder.history().write(0, "a", 0, 1).info(1, "write", "b", 2).read(1, "b", 5, 6)
                .read(1, "b", 7, 8).checkRegister();
        valid(r);
        assertFalse(r.warnings().isEmpty());
        assertTrue(r.warnings().get(0).contains("reused after an indeterminate"), r.warnings().toString());
    }

    @Test
    void unsupportedFunctionRejected() {
        assertThrows(IllegalArgumentException.class, () -> HistoryBuilder.history()
                .add(Op.invoke(0, "cas", "k", "a", 0)).add(Op.ok(0, "cas", "k", "a", 1)).checkRegister());
    }

    @Test
    void nemesisEventsIgnored() {
        valid(HistoryBuilder.history().add(Op.info(Op.NEMESIS, "start-partition", null, "n1|n2,n3", 0))
                .write(0, "a", 1, 2).read(1, "a", 3, 4).checkRegister());
    }
}
