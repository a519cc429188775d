package io.rns.cli.shadow;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShadowComparisonTest {
    static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

    static NodeView legacy(String addr, Map<String, String> values) {
        return NodeView.read(addr, Side.LEGACY, values);
    }

    static NodeView rns(String addr, Map<String, String> values) {
        return NodeView.read(addr, Side.RNS, values);
    }

    static List<String> ids(List<Difference> ds) {
        return ds.stream().map(Difference::id).toList();
    }

    @Test
    void equalViewsHaveNoDifference() {
        Map<String, String> v = Map.of("broker/b", "cluster=c addrs={0=h:1}", "topic/T", "queues=[b r=4 w=4]");
        assertEquals(List.of(), Comparison.compare(List.of(legacy("l1", v), legacy("l2", v), rns("r1", v))));
    }

    @Test
    void sidesThatAgreeAmongThemselvesAreComparedKeyByKey() {
        Map<String, String> l = Map.of("kv/ns/only-legacy", "x", "topic/T", "perm=4", "broker/b", "same");
        Map<String, String> r = Map.of("kv/ns/only-rns", "y", "topic/T", "perm=6", "broker/b", "same");
        List<Difference> ds = Comparison.compare(List.of(legacy("l1", l), legacy("l2", l), rns("r1", r), rns("r2", r)));
        assertEquals(List.of("LEGACY_ONLY kv/ns/only-legacy", "RNS_ONLY kv/ns/only-rns", "DIFFERS topic/T"), ids(ds));
        Difference differs = ds.get(2);
        assertEquals(Map.of("l1", "perm=4", "l2", "perm=4", "r1", "perm=6", "r2", "perm=6"), differs.values());
        assertEquals(Difference.ABSENT, ds.get(0).values().get("r1"));
    }

    @Test
    void aSideThatDivergesIsReportedAsSuchAndNotComparedWithTheOther() {
        // l1 and RNS agree, l2 lacks the key: the legacy nodes diverge; nothing is said about RNS on that key
        List<Difference> ds = Comparison.compare(List.of(legacy("l1", Map.of("kv/ns/k", "v")), legacy("l2", Map.of()),
                rns("r1", Map.of("kv/ns/k", "v"))));
        assertEquals(List.of("LEGACY_DIVERGENCE kv/ns/k"), ids(ds));
        assertFalse(ds.get(0).kind().blocksMigration());

        ds = Comparison.compare(List.of(legacy("l1", Map.of("topic/T", "a")), rns("r1", Map.of("topic/T", "a")),
                rns("r2", Map.of("topic/T", "b"))));
        assertEquals(List.of("RNS_DIVERGENCE topic/T"), ids(ds));
        assertTrue(ds.get(0).kind().blocksMigration());
    }

    @Test
    void unreachableNodesAreLeftOutOfTheComparison() {
        List<NodeView> views = List.of(legacy("l1", Map.of("topic/T", "a")), NodeView.failed("l2", Side.LEGACY, "down"),
                rns("r1", Map.of("topic/T", "a")));
        assertEquals(List.of(), Comparison.compare(views));
        DifferenceLog log = new DifferenceLog(T0);
        DifferenceLog.Poll p = log.record(T0, views);
        assertFalse(p.clean(), "a poll that could not read every node is not clean");
        assertEquals(1, log.unreachable().get("l2").polls());
        assertEquals("down", log.unreachable().get("l2").lastFailure());
    }

    @Test
    void theLogTracksWhenEachDifferenceAppearedAndHowLongItLasted() {
        DifferenceLog log = new DifferenceLog(T0);
        Map<String, String> missing = Map.of();
        Map<String, String> has = Map.of("broker/b", "x");
        DifferenceLog.Poll p1 = log.record(T0, List.of(legacy("l1", has), rns("r1", missing)));
        assertEquals(List.of("LEGACY_ONLY broker/b"), ids(p1.appeared()));
        assertFalse(p1.clean());
        assertEquals(1, p1.keys());
        DifferenceLog.Poll p2 = log.record(T0.plusSeconds(10), List.of(legacy("l1", has), rns("r1", missing)));
        assertEquals(List.of(), p2.appeared(), "still open, not new");
        assertEquals(T0, log.open().get(0).firstSeen());
        DifferenceLog.Poll p3 = log.record(T0.plusSeconds(20), List.of(legacy("l1", has), rns("r1", has)));
        assertTrue(p3.clean());
        assertEquals(1, p3.resolved().size());
        assertEquals(20_000, p3.resolved().get(0).lasted(T0.plusSeconds(99)).toMillis());
        assertEquals(List.of(), log.open());
        assertEquals(1, log.cleanPolls());
        assertEquals(1, log.consecutiveClean());
        // a legacy node's own divergence does not make a poll unclean
        DifferenceLog.Poll p4 = log.record(T0.plusSeconds(30),
                List.of(legacy("l1", has), legacy("l2", missing), rns("r1", has)));
        assertTrue(p4.clean());
        assertEquals(List.of("LEGACY_DIVERGENCE broker/b"), ids(p4.appeared()));
        assertEquals(2, log.consecutiveClean());
    }

    @Test
    void theReportShowsEachPollAndTheSummary() {
        DifferenceLog log = new DifferenceLog(T0);
        log.record(T0, List.of(legacy("l1", Map.of("topic/T", "perm=4")), rns("r1", Map.of("topic/T", "perm=6"))));
        DifferenceLog.Poll p = log.record(T0.plusSeconds(5),
                List.of(legacy("l1", Map.of("topic/T", "perm=6")), NodeView.failed("r1", Side.RNS, "timeout")));
        List<String> lines = Report.pollLines(p, 2);
        assertEquals("poll 2 2026-12-04T10:00:05Z: 1/2 nodes read, 1 keys compared, no difference open, 0 new, "
                + "1 resolved: not clean", lines.get(0));
        assertEquals("- DIFFERS topic/T resolved after 5.0 s", lines.get(1));
        assertEquals("! r1 (RNS) unreachable: timeout", lines.get(2));
        assertEquals("l1: perm=4 | r1: perm=6", Report.values(log.resolved().get(0).values()));

        String json = Report.json(log, List.of("l1"), List.of("r1"), T0.plusSeconds(6));
        assertTrue(json.contains("\"polls\": 2"), json);
        assertTrue(json.contains("\"lastPollClean\": false"), json);
        assertTrue(json.contains("\"kind\": \"DIFFERS\""), json);
        assertTrue(json.contains("\"lastedMs\": 5000"), json);
        assertTrue(json.contains("\"lastFailure\": \"timeout\""), json);
        String md = Report.markdown(log, List.of("l1"), List.of("r1"), T0.plusSeconds(6));
        assertTrue(md.contains("verdict: **not clean**"), md);
        assertTrue(md.contains("| DIFFERS | topic/T | 2026-12-04T10:00:00Z | 5.0 s | l1: perm=4 \\| r1: perm=6 |"), md);
        assertTrue(md.contains("| r1 | 1 | 2026-12-04T10:00:05Z | timeout |"), md);
    }
}
