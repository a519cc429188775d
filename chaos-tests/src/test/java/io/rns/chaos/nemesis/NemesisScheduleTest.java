package io.rns.chaos.nemesis;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pure planning: no hosts, no faults run. */
class NemesisScheduleTest {
    private static final List<String> FIVE = List.of("n1", "n2", "n3", "n4", "n5");

    private static NemesisSchedule schedule(long seed) {
        return NemesisSchedule.builder().seed(seed)
                .nemeses(List.of(new IsolateLeader(), new RandomHalves(), new MajoritiesRing(), new Bridge(),
                        new OneWayDrop(), new PacketLoss(0.3), PacketLoss.oneNode(0.5), new KillRestart(),
                        KillRestart.leader(), new PauseLeader()))
                .quiet(Duration.ofSeconds(5)).fault(Duration.ofSeconds(5)).jitter(0.3).duration(Duration.ofSeconds(300))
                .build();
    }

    @Test
    void sameSeedSameSequence() {
        List<PlannedFault> a = schedule(42).preview(FIVE);
        List<PlannedFault> b = schedule(42).preview(FIVE);
        assertTrue(a.size() >= 20, "300 s of ~10 s windows: " + a.size());
        assertEquals(a, b);
        // planning again with the same schedule object gives the same plan too (nemesis state is overwritten)
        NemesisSchedule s = schedule(7);
        assertEquals(s.preview(FIVE), s.preview(FIVE));
        Set<String> names = new HashSet<>();
        a.forEach(p -> names.add(p.nemesis()));
        assertTrue(names.size() >= 6, "a long schedule uses many nemeses: " + names);
        for (int i = 0; i < a.size(); i++) {
            PlannedFault p = a.get(i);
            assertTrue(p.startMs() >= (i == 0 ? 0 : a.get(i - 1).stopMs()), "windows do not overlap: " + p);
            assertTrue(p.stopMs() <= 300_000, "bounded: " + p);
        }
    }

    @Test
    void differentSeedDifferentSequence() {
        List<String> a = schedule(1).preview(FIVE).stream().map(p -> p.nemesis() + p.targets()).toList();
        List<String> b = schedule(2).preview(FIVE).stream().map(p -> p.nemesis() + p.targets()).toList();
        assertNotEquals(a, b);
    }

    @Test
    void majoritiesRingEachNodeSeesADifferentMajority() {
        for (long seed = 0; seed < 20; seed++) {
            MajoritiesRing ring = new MajoritiesRing();
            ring.plan(FIVE, new Random(seed));
            String order = ring.plan(FIVE, new Random(seed)).replace("ring ", "");
            List<String> ids = List.of(order.substring(1, order.length() - 1).split(", "));
            Map<String, Set<String>> seen = Topologies.visibility(FIVE, Topologies.majoritiesRing(ids));
            Set<Set<String>> distinct = new HashSet<>(seen.values());
            assertEquals(5, distinct.size(), "no two nodes see the same set: " + seen);
            seen.forEach((n, s) -> {
                assertEquals(3, s.size(), n + " sees a bare majority: " + seen);
                assertTrue(s.contains(n));
            });
        }
    }

    @Test
    void bridgeJoinsTwoHalvesThroughOneNode() {
        Map<String, Set<String>> seen = Topologies.visibility(FIVE, Topologies.bridge(FIVE));
        assertEquals(Set.of("n1", "n2", "n3"), seen.get("n1"));
        assertEquals(Set.of("n1", "n2", "n3"), seen.get("n2"));
        assertEquals(Set.copyOf(FIVE), seen.get("n3"));
        assertEquals(Set.of("n3", "n4", "n5"), seen.get("n4"));
        assertFalse(seen.get("n5").contains("n1"));
    }

    @Test
    void halvesAreMinorityAndMajority() {
        List<Set<String>> h = Topologies.halves(FIVE);
        assertEquals(2, h.get(0).size());
        assertEquals(3, h.get(1).size());
    }
}
