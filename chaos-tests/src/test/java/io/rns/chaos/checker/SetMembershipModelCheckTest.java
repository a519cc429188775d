package io.rns.chaos.checker;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SetMembershipModelCheckTest {

    private static void valid(CheckResult r) {
        assertEquals(Verdict.VALID, r.verdict(), r.summary());
    }

    private static void invalid(CheckResult r) {
        assertEquals(Verdict.INVALID, r.verdict(), r.summary());
    }

    private static HistoryBuilder reg(HistoryBuilder h, int p, String b, long call, long ret) {
        return h.ok(p, "register", b, call, ret);
    }

    private static HistoryBuilder unreg(HistoryBuilder h, int p, String b, long call, long ret) {
        return h.ok(p, "unregister", b, call, ret);
    }

    @Test
    void sequentialValid() {
        HistoryBuilder h = HistoryBuilder.on("topicA").read(0, null, 0, 1);
        reg(h, 0, "b1", 2, 3);
        reg(h, 1, "b2", 4, 5);
        h.read(2, "b1,b2", 6, 7);
        reg(h, 1, "b2", 8, 9); // idempotent
        unreg(h, 0, "b1", 10, 11);
        h.read(2, "b2", 12, 13);
        unreg(h, 0, "b2", 14, 15);
        unreg(h, 0, "b2", 16, 17); // idempotent
        h.read(1, "", 18, 19).read(1, null, 20, 21);
        valid(h.checkSet());
    }

    @Test
    void readOutputOrderDoesNotMatter() {
        HistoryBuilder h = HistoryBuilder.on("t");
        reg(h, 0, "b2", 0, 1);
        reg(h, 0, "b1", 2, 3);
        valid(h.read(1, "b2,b1", 4, 5).checkSet());
    }

    @Test
    void concurrentOverlappingValid() {
        HistoryBuilder h = HistoryBuilder.on("t");
        reg(h, 0, "b1", 0, 10);
        reg(h, 1, "b2", 0, 10);
        h.read(2, "b2", 1, 2).read(2, "b1,b2", 3, 4);
        unreg(h, 0, "b2", 11, 20);
        h.read(3, "b1,b2", 12, 13).read(1, "b1", 14, 15).read(2, "b1", 21, 22);
        valid(h.checkSet());
    }

    @Test
    void staleReadInvalid() {
        HistoryBuilder h = HistoryBuilder.on("t");
        reg(h, 0, "b1", 0, 1);
        unreg(h, 0, "b1", 2, 3);
        invalid(h.read(1, "b1", 4, 5).checkSet());
    }

    @Test
    void lostRegisterInvalid() {
        HistoryBuilder h = HistoryBuilder.on("t");
        reg(h, 0, "b1", 0, 1);
        reg(h, 1, "b2", 0, 1);
        invalid(h.read(2, "b2", 2, 3).checkSet());
    }

    @Test
    void readOfNeverRegisteredBrokerInvalid() {
        HistoryBuilder h = HistoryBuilder.on("t");
        reg(h, 0, "b1", 0, 10);
        invalid(h.read(1, "b1,bX", 1, 20).checkSet());
    }

    @Test
    void nonMonotonicMembershipInvalid() {
        // two readers disagree on the order of two concurrent registrations after both completed
        HistoryBuilder h = HistoryBuilder.on("t");
        reg(h, 0, "b1", 0, 10);
        reg(h, 1, "b2", 0, 10);
        h.read(2, "b1", 1, 2).read(3, "b2", 3, 4);
        invalid(h.checkSet());
    }

    @Test
    void indeterminateRegisterThatTookEffectLaterIsValid() {
        HistoryBuilder h = HistoryBuilder.on("t").info(0, "register", "b1", 0).read(1, "", 10, 11).read(1, "b1", 20, 21)
                .read(2, "b1", 30, 31);
        CheckResult r = h.checkSet();
        valid(r);
        assertEquals(0, r.keys().get("t").pruned());
    }

    @Test
    void indeterminateRegisterThatNeverTookEffectIsValid() {
        HistoryBuilder h = HistoryBuilder.on("t");
        reg(h, 0, "b1", 0, 1);
        h.info(1, "register", "b2", 2).read(2, "b1", 5, 6).read(2, "b1", 50, 60);
        CheckResult r = h.checkSet();
        valid(r);
        assertEquals(1, r.keys().get("t").pruned());
    }

    @Test
    void readObservedIndeterminateRegisterThenOldSetInvalid() {
        HistoryBuilder h = HistoryBuilder.on("t");
        reg(h, 0, "b1", 0, 1);
        h.info(1, "register", "b2", 2).read(2, "b1,b2", 5, 6).read(2, "b1", 7, 8);
        invalid(h.checkSet());
    }

    @Test
    void indeterminateUnregisterObservedByConcurrentReadIsNotPruned() {
        // The read is invoked (2) before the indeterminate unregister (3) but returns after it (5), without b1.
        // Only the unregister explains it. Pruning by "reads invoked after the unregister" would drop it (no such read
        // lacks b1) and wrongly report INVALID; pruning by "reads returning after its invocation" keeps it.
        HistoryBuilder h = HistoryBuilder.on("t");
        reg(h, 0, "b1", 0, 1);
        h.read(1, "", 2, 5).info(2, "unregister", "b1", 3);
        CheckResult r = h.checkSet();
        valid(r);
        assertEquals(0, r.keys().get("t").pruned());
    }

    @Test
    void indeterminateUnregisterPrunedWhenEveryLaterReadContainsTheBroker() {
        HistoryBuilder h = HistoryBuilder.on("t");
        reg(h, 0, "b1", 0, 1);
        h.read(1, "", 0, 0); // returned before the unregister was invoked: irrelevant to pruning (and valid: at 0)
        h.info(2, "unregister", "b1", 3).read(1, "b1", 4, 5).read(3, "b1", 10, 11);
        CheckResult r = h.checkSet();
        valid(r);
        assertEquals(1, r.keys().get("t").pruned());
    }

    @Test
    void indeterminateUnregisterTookEffectThenBrokerBackInvalid() {
        HistoryBuilder h = HistoryBuilder.on("t");
        reg(h, 0, "b1", 0, 1);
        h.info(2, "unregister", "b1", 3).read(1, "", 4, 5).read(1, "b1", 6, 7);
        invalid(h.checkSet());
    }

    @Test
    void failedRegisterHasNoEffect() {
        HistoryBuilder h = HistoryBuilder.on("t").fail(0, "register", "b1", 0, 1);
        invalid(h.read(1, "b1", 2, 3).checkSet());
        valid(HistoryBuilder.on("t").fail(0, "register", "b1", 0, 1).read(1, null, 2, 3).checkSet());
    }
}
