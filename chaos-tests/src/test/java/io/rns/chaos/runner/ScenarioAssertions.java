package io.rns.chaos.runner;

import io.rns.chaos.checker.Verdict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The verdict every safe chaos scenario must reach: a VALID check and clean server-reported indexes. */
final class ScenarioAssertions {
    private ScenarioAssertions() {
    }

    /** Any anomaly or undecided check fails, and so do stale or non-monotonic reads by the servers' own indexes. */
    static void assertLinearizableAndClean(ChaosRun.Result r) {
        assertEquals(Verdict.VALID, r.verdict(),
                "any anomaly (or an undecided check) fails; see " + r.dir() + "\n" + r.check().summary());
        assertTrue(r.stale().clean(),
                "server-reported indexes show stale or non-monotonic reads: " + r.stale().summary());
    }
}
