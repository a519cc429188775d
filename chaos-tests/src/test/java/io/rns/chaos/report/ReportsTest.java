package io.rns.chaos.report;

import io.rns.chaos.ChaosMain;
import io.rns.chaos.checker.CheckOptions;
import io.rns.chaos.checker.CheckResult;
import io.rns.chaos.checker.LinearizabilityChecker;
import io.rns.chaos.checker.SetMembershipModel;
import io.rns.chaos.checker.StaleReadDetector;
import io.rns.chaos.checker.Verdict;
import io.rns.chaos.history.History;
import io.rns.chaos.history.Op;
import io.rns.chaos.runner.ChaosRun;
import io.rns.chaos.runner.Reports;
import io.rns.rpc.v1.Consistency;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportsTest {
    static final long MS = 1_000_000L;

    static Op nem(String f, String v, long t) {
        return new Op(Op.NEMESIS, Op.Type.INFO, f, null, v, null, t, null, null);
    }

    /** t1: a register acked at 10 ms, then a read during a fault window that misses it (INVALID); final reads diverge. */
    static History sample() {
        List<Op> ops = new ArrayList<>();
        ops.add(Op.invoke(0, "register", "t1", "cb-0-0.chaos:10911", 0));
        ops.add(nem("isolate-leader:start", "n1", 5 * MS));
        ops.add(Op.ok(0, "register", "t1", "cb-0-0.chaos:10911", 10 * MS));
        ops.add(Op.invoke(1, "read", "t1", null, 20 * MS));
        ops.add(Op.ok(1, "read", "t1", "", 25 * MS));
        ops.add(Op.invoke(0, "register", "t1", "cb-0-1.chaos:10911", 26 * MS));
        ops.add(Op.fail(0, "register", "t1", "cb-0-1.chaos:10911", 28 * MS));
        ops.add(nem("isolate-leader:stop", "n1", 30 * MS));
        ops.add(Op.invoke(1, "read", "t1", null, 1100 * MS));
        ops.add(Op.ok(1, "read", "t1", "cb-0-0.chaos:10911", 1110 * MS));
        ops.add(Op.invoke(3, "register", "t2", "cb-3-0.chaos:10911", 1200 * MS));
        ops.add(Op.info(3, "register", "t2", "cb-3-0.chaos:10911", 1300 * MS));
        ops.add(nem("final-heal:start", "", 2000 * MS));
        ops.add(nem("final-heal:stop", "", 2001 * MS));
        ops.add(nem("final-heal:start", "healed", 2002 * MS));
        ops.add(Op.invoke(4, "read", "t1", null, 2100 * MS).withNode("n1"));
        ops.add(Op.ok(4, "read", "t1", "cb-0-0.chaos:10911", 2101 * MS));
        ops.add(Op.invoke(5, "read", "t1", null, 2102 * MS).withNode("n2"));
        ops.add(Op.ok(5, "read", "t1", "", 2103 * MS));
        return History.of(ops);
    }

    static CheckResult check(History h) {
        return LinearizabilityChecker.check(h, new SetMembershipModel(),
                CheckOptions.defaults().deadline(Duration.ofSeconds(10)));
    }

    @Test
    void metricsCountFaultWindowsAvailabilityMissedWritesAndDivergence() {
        History h = sample();
        CheckResult c = check(h);
        assertEquals(Verdict.INVALID, c.verdict());
        RunMetrics m = RunMetrics.compute(h, c, new StaleReadDetector().check(h));
        // writesQuiet 2: the register at 0 ms (before the fault) and the INFO one; missedAckedReads 2: the read at
        // 20 ms and the final read on n2
        assertEquals(List.of(1, 1, 1, 1, 1, 0, 2, 1, 4, 2, 1, 1, 1),
                List.of(m.faultWindows(), m.readsInFault(), m.readsOkInFault(), m.readsQuiet(), m.writesInFault(),
                        m.writesOkInFault(), m.writesQuiet(), m.writesOkQuiet(), m.okReads(), m.missedAckedReads(),
                        m.finalKeys(), m.divergentKeys(), m.indeterminate()),
                "faultWindows, readsInFault, readsOkInFault, readsQuiet, writesInFault, writesOkInFault, writesQuiet, "
                        + "writesOkQuiet, okReads, missedAckedReads, finalKeys, divergentKeys, indeterminate");
    }

    @Test
    void htmlIsSelfContainedAndShowsTheWitness() {
        History h = sample();
        CheckResult c = check(h);
        RunMetrics m = RunMetrics.compute(h, c, new StaleReadDetector().check(h));
        String html = HtmlReport.render("t", Map.of("scenario", "x<y"), h, c, m);
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertTrue(html.contains("<svg"));
        assertTrue(html.contains("cannot linearize"));
        assertTrue(html.contains("x&lt;y"));
        assertTrue(html.contains("{0-0}") || html.contains("cb-0-0"));
        assertFalse(html.contains("<script"));
        assertFalse(html.contains("http://") && html.replace("http://www.w3.org/2000/svg", "").contains("http://"));
        assertFalse(html.contains("https://"));
    }

    @Test
    void htmlCapsKeysAndOps() {
        List<Op> ops = new ArrayList<>();
        int p = 0;
        for (int k = 0; k < 30; k++) {
            for (int i = 0; i < 500; i++) {
                long t = (k * 500L + i) * MS;
                ops.add(Op.invoke(p, "read", "k" + k, null, t));
                ops.add(Op.ok(p, "read", "k" + k, "", t + MS / 2));
            }
            p++;
        }
        History h = History.of(ops);
        RunMetrics m = RunMetrics.compute(h, null, null);
        String html = HtmlReport.render("t", Map.of(), h, null, m);
        int rects = html.split("<rect ", -1).length - 1;
        assertTrue(rects <= HtmlReport.MAX_KEYS * HtmlReport.MAX_OPS_PER_KEY + 100, "rects: " + rects);
        assertTrue(html.length() < 3_000_000, "size " + html.length());
    }

    @Test
    void reportsAndComparisonAreWrittenForAResult(@TempDir Path tmp) throws Exception {
        History h = sample();
        CheckResult c = check(h);
        Path dir = tmp.resolve("scn").resolve("42");
        Files.createDirectories(dir);
        ChaosRun.Config cfg = new ChaosRun.Config("scn", "raft", 3, 42, Duration.ofSeconds(2),
                List.of(Consistency.LINEARIZABLE), false, List.of(), 1, 150, tmp, Duration.ofSeconds(1),
                Duration.ofSeconds(1));
        ChaosRun.Result r = new ChaosRun.Result(dir, c, new StaleReadDetector().check(h), 6, 1, List.of(), cfg, h);
        Path html = Reports.write(r);
        assertTrue(Files.size(html) > 1000);
        String md = Files.readString(tmp.resolve("scn").resolve("comparison.md"));
        assertTrue(md.contains("| scn | raft | 3 | 42 | 2 | INVALID | 1 / 2 |"), md);
        assertTrue(Files.readString(tmp.resolve("comparison.md")).contains("| scn |"));
        Comparison.Row row = Comparison.fromJson(Files.readString(dir.resolve("summary.json")));
        assertEquals(Reports.row(r), row);
        assertEquals(md.lines().filter(l -> l.startsWith("| scn")).count(), 1);
    }

    @Test
    void staleColumnIsNaWhenWritesCarryNoIndexAndScenariosAreDefined() {
        RunMetrics m = RunMetrics.compute(sample(), null, null);
        assertTrue(m.staleIndexRate().startsWith("n/a"), m.staleIndexRate());
        Comparison.Row row = new Comparison.Row("s", "leaderless", 3, 1, 2, "[STALE]", false, m);
        assertTrue(Comparison.markdown(List.of(row)).contains("n/a (no index)"));
        assertEquals(Comparison.fromJson(Comparison.toJson(row)), row);
        for (String s : List.of("raft", "unsafe", "leaderless")) {
            ChaosRun.Config c = ChaosMain.config(s, 5, 9, Duration.ofSeconds(10), Path.of("x"));
            assertEquals(5, c.nodes());
            assertEquals(9, c.seed());
            assertEquals(s.equals("unsafe"), c.unsafeReads());
        }
        Assertions.assertThrows(IllegalArgumentException.class,
                () -> ChaosMain.config("nope", 3, 1, Duration.ofSeconds(1), Path.of("x")));
    }
}
