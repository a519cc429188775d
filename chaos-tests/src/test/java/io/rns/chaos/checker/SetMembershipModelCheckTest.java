package io.rns.chaos.checker;

import org.junit.jupiter.api.Test;

import static io.rns.chaos.checker.HistoryBuilder.on;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SetMembershipModelCheckTest {

    private static CheckResult valid(HistoryBuilder h) {
        CheckResult r = h.checkSet();
        assertEquals(Verdict.VALID, r.verdict(), r.summary());
        return r;
    }

    private static void invalid(HistoryBuilder h) {
        CheckResult r = h.checkSet();
        assertEquals(Verdict.INVALID, r.verdict(), r.summary());
    }

    private static void validPruning(int pruned, HistoryBuilder h) {
        assertEquals(pruned, valid(h).keys().get("t").pruned());
    }

    @Test
    void sequentialValid() {
        valid(on("topicA").read(0, null, 0, 1).reg(0, "b1", 2, 3).reg(1, "b2", 4, 5).read(2, "b1,b2", 6, 7)
                .reg(1, "b2", 8, 9) // idempotent
                .unreg(0, "b1", 10, 11).read(2, "b2", 12, 13).unreg(0, "b2", 14, 15).unreg(0, "b2", 16, 17) // idempotent
                .read(1, "", 18, 19).read(1, null, 20, 21));
    }

    @Test
    void readOutputOrderDoesNotMatter() {
        valid(on("t").reg(0, "b2", 0, 1).reg(0, "b1", 2, 3).read(1, "b2,b1", 4, 5));
    }

    @Test
    void concurrentOverlappingValid() {
        valid(on("t").reg(0, "b1", 0, 10).reg(1, "b2", 0, 10).read(2, "b2", 1, 2).read(2, "b1,b2", 3, 4)
                .unreg(0, "b2", 11, 20).read(3, "b1,b2", 12, 13).read(1, "b1", 14, 15).read(2, "b1", 21, 22));
    }

    @Test
    void staleReadInvalid() {
        invalid(on("t").reg(0, "b1", 0, 1).unreg(0, "b1", 2, 3).read(1, "b1", 4, 5));
    }

    @Test
    void lostRegisterInvalid() {
        invalid(on("t").reg(0, "b1", 0, 1).reg(1, "b2", 0, 1).read(2, "b2", 2, 3));
    }

    @Test
    void readOfNeverRegisteredBrokerInvalid() {
        invalid(on("t").reg(0, "b1", 0, 10).read(1, "b1,bX", 1, 20));
    }

    @Test
    void nonMonotonicMembershipInvalid() {
        // two readers disagree on the order of two concurrent registrations after both completed
        invalid(on("t").reg(0, "b1", 0, 10).reg(1, "b2", 0, 10).read(2, "b1", 1, 2).read(3, "b2", 3, 4));
    }

    @Test
    void indeterminateRegisterThatTookEffectLaterIsValid() {
        validPruning(0,
                on("t").info(0, "register", "b1", 0).read(1, "", 10, 11).read(1, "b1", 20, 21).read(2, "b1", 30, 31));
    }

    @Test
    void indeterminateRegisterThatNeverTookEffectIsValid() {
        validPruning(1,
                on("t").reg(0, "b1", 0, 1).info(1, "register", "b2", 2).read(2, "b1", 5, 6).read(2, "b1", 50, 60));
    }

    @Test
    void readObservedIndeterminateRegisterThenOldSetInvalid() {
        invalid(on("t").reg(0, "b1", 0, 1).info(1, "register", "b2", 2).read(2, "b1,b2", 5, 6).read(2, "b1", 7, 8));
    }

    @Test
    void indeterminateUnregisterObservedByConcurrentReadIsNotPruned() {
        // The read is invoked (2) before the indeterminate unregister (3) but returns after it (5), without b1.
        // Only the unregister explains it. Pruning by "reads invoked after the unregister" would drop it (no such read
        // lacks b1) and wrongly report INVALID; pruning by "reads returning after its invocation" keeps it.
        validPruning(0, on("t").reg(0, "b1", 0, 1).read(1, "", 2, 5).info(2, "unregister", "b1", 3));
    }

    @Test
    void indeterminateUnregisterPrunedWhenEveryLaterReadContainsTheBroker() {
        // the first read returned before the unregister was invoked: irrelevant to pruning (and valid: at 0)
        validPruning(1, on("t").reg(0, "b1", 0, 1).read(1, "", 0, 0).info(2, "unregister", "b1", 3).read(1, "b1", 4, 5)
                .read(3, "b1", 10, 11));
    }

    @Test
    void indeterminateUnregisterTookEffectThenBrokerBackInvalid() {
        invalid(on("t").reg(0, "b1", 0, 1).info(2, "unregister", "b1", 3).read(1, "", 4, 5).read(1, "b1", 6, 7));
    }

    @Test
    void failedRegisterHasNoEffect() {
        invalid(on("t").fail(0, "register", "b1", 0, 1).read(1, "b1", 2, 3));
        valid(on("t").fail(0, "register", "b1", 0, 1).read(1, null, 2, 3));
    }
}
