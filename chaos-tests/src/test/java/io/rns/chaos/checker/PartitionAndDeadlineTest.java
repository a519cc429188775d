package io.rns.chaos.checker;

import io.rns.chaos.history.History;
import io.rns.chaos.history.Op;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PartitionAndDeadlineTest {

    /** 50 keys of a valid sequential workload, except key "k17" which has a stale read. */
    private static History manyKeys() {
        HistoryBuilder h = HistoryBuilder.history();
        long t = 0;
        for (int round = 0; round < 5; round++) {
            for (int k = 0; k < 50; k++) {
                h.key("k" + k);
                int p = k % 4;
                h.write(p, "v" + round + "-" + k, t, t + 3);
                h.read(p + 4, "v" + round + "-" + k, t + 4, t + 5);
                t += 2;
            }
        }
        h.key("k17").read(9, "v1-17", t + 10, t + 11);
        return h.build();
    }

    @Test
    void oneBadKeyAmongManyOnlyThatKeyInvalid() {
        CheckResult r = HistoryBuilder.register(manyKeys());
        assertEquals(Verdict.INVALID, r.verdict(), r.summary());
        assertEquals(50, r.keys().size());
        assertEquals(List.of("k17"), r.withVerdict(Verdict.INVALID).stream().map(KeyResult::key).toList());
        assertEquals(49, r.count(Verdict.VALID));
        KeyResult bad = r.keys().get("k17");
        assertNotNull(bad.witness());
        assertEquals("v1-17", bad.witness().failedOp().output());
        assertNull(r.keys().get("k16").witness());
    }

    @Test
    void sameResultSingleThreaded() {
        CheckResult r = LinearizabilityChecker.check(manyKeys(), new RegisterModel(),
                CheckOptions.defaults().parallelism(1));
        assertEquals(Verdict.INVALID, r.verdict());
        assertEquals(1, r.count(Verdict.INVALID));
    }

    /**
     * n writes of distinct values all concurrent with each other, then a read of a value nobody wrote: proving it
     * invalid takes the search through every subset of the writes (n * 2^(n-1) memoized states).
     */
    static History pathological(int n, boolean withReads) {
        HistoryBuilder h = HistoryBuilder.history();
        for (int i = 0; i < n; i++) {
            h.write(i, "w" + i, i, 1000 + i);
            if (withReads) {
                h.read(100 + i, "w" + (i / 2), 10 + i, 900); // overlapping reads of some of the values
            }
        }
        h.read(999, "never-written", 2000, 2001);
        return h.build();
    }

    @Test
    void deadlineGivesUnknownNeverValid() {
        long t0 = System.nanoTime();
        CheckResult r = LinearizabilityChecker.check(pathological(16, true), new RegisterModel(),
                CheckOptions.withDeadline(Duration.ofMillis(1)));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(Verdict.UNKNOWN, r.verdict(), r.summary());
        assertTrue(r.keys().get("k").reason().contains("deadline"), r.keys().get("k").reason());
        assertTrue(ms < 2000, "deadline must stop the search promptly, took " + ms + " ms");
    }

    @Test
    void sameShapeDecidedWithEnoughTime() {
        CheckResult r = LinearizabilityChecker.check(pathological(10, false), new RegisterModel(),
                CheckOptions.withDeadline(Duration.ofSeconds(20)));
        assertEquals(Verdict.INVALID, r.verdict(), r.summary());
        assertTrue(r.keys().get("k").cacheEntries() >= 10 * (1 << 9), "explored " + r.keys().get("k"));
    }

    @Test
    void cacheCapGivesUnknown() {
        CheckResult r = LinearizabilityChecker.check(pathological(12, false), new RegisterModel(),
                CheckOptions.defaults().maxCacheEntries(100));
        assertEquals(Verdict.UNKNOWN, r.verdict(), r.summary());
        assertTrue(r.keys().get("k").reason().contains("cache"), r.keys().get("k").reason());
    }

    @Test
    void invalidDominatesUnknownDominatesValid() {
        assertEquals(Verdict.INVALID, Verdict.combine(Verdict.UNKNOWN, Verdict.INVALID));
        assertEquals(Verdict.UNKNOWN, Verdict.combine(Verdict.VALID, Verdict.UNKNOWN));
        assertEquals(Verdict.VALID, Verdict.combine(Verdict.VALID, Verdict.VALID));
        // a history with one unknown (pathological) key and one valid key is UNKNOWN overall
        List<Op> ops = new ArrayList<>(pathological(16, true).ops());
        ops.addAll(HistoryBuilder.on("fine").write(500, "x", 0, 1).read(501, "x", 2, 3).build().ops());
        ops.sort((a, b) -> Long.compare(a.time(), b.time()));
        CheckResult r = LinearizabilityChecker.check(History.of(ops), new RegisterModel(),
                CheckOptions.withDeadline(Duration.ofMillis(1)).parallelism(1));
        assertEquals(Verdict.UNKNOWN, r.verdict(), r.summary());
        assertEquals(Verdict.UNKNOWN, r.keys().get("k").verdict());
    }
}
