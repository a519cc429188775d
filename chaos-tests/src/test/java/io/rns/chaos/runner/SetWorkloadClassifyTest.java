package io.rns.chaos.runner;

import io.rns.chaos.runner.SetWorkloadRun.Attempt;
import io.rns.chaos.runner.SetWorkloadRun.Outcome;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The set workload's final classification, on hand-made attempts and final reads (no cluster). */
class SetWorkloadClassifyTest {

    private static void put(Map<String, Attempt> m, String topic, String addr, Outcome o) {
        m.put(addr, new Attempt(topic, addr, 0, o));
    }

    @Test
    void classifiesLostUnexpectedFailedPresentRecoveredAndDivergent() {
        Map<String, Attempt> a = new LinkedHashMap<>();
        put(a, "T0", "ok1", Outcome.ACKED); // everywhere: acked-present
        put(a, "T0", "ok2", Outcome.ACKED); // everywhere: acked-present
        put(a, "T0", "lost", Outcome.ACKED); // missing on n2: lost (and divergent)
        put(a, "T1", "gone", Outcome.ACKED); // missing everywhere: lost
        put(a, "T1", "info-in", Outcome.INFO); // everywhere: recovered
        put(a, "T1", "info-out", Outcome.INFO); // nowhere: fine
        put(a, "T1", "refused", Outcome.FAILED); // everywhere: failed-present
        put(a, "T0", "moved", Outcome.ACKED); // present, but on T1: unexpected there, lost on T0
        Map<String, Map<String, Set<String>>> fin = new LinkedHashMap<>();
        fin.put("n1", Map.of("T0", Set.of("ok1", "ok2", "lost"), "T1", Set.of("info-in", "refused", "ghost", "moved")));
        fin.put("n2", Map.of("T0", Set.of("ok1", "ok2"), "T1", Set.of("info-in", "refused", "moved")));
        SetWorkloadRun.Result r = SetWorkloadRun.classify(Path.of("x"), a, fin, 0, 0, List.of(), 0, 0, 0, 0, List.of(),
                List.of());
        assertEquals(8, r.attempted());
        assertEquals(5, r.acked());
        assertEquals(1, r.failed());
        assertEquals(2, r.indeterminate());
        assertEquals(2, r.ackedPresent());
        assertEquals(List.of("gone (T1, on 0/2 nodes)", "lost (T0, on 1/2 nodes)", "moved (T0, on 0/2 nodes)"),
                r.lost());
        assertEquals(List.of("ghost (never attempted) on n1/T1", "moved (attempted on T0) on n1/T1",
                "moved (attempted on T0) on n2/T1"), r.unexpected());
        assertEquals(List.of("refused (T1)"), r.failedPresent());
        assertEquals(List.of("info-in"), r.recovered());
        assertEquals(List.of("lost on 1/2 nodes"), r.divergent());
    }
}
