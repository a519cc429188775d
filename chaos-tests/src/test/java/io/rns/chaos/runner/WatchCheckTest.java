package io.rns.chaos.runner;

import io.rns.chaos.runner.WatchRun.Told;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The watch chaos check finds each violation it is meant to find, and passes a clean story. */
class WatchCheckTest {
    private static final Map<String, Set<Integer>> WRITTEN = Map.of("a", Set.of(1, 2, 3, 4), "b", Set.of(1, 2));
    private static final Map<String, Integer> TRUTH = Map.of("a", 4, "b", 2);
    private static final Map<String, Integer> FINAL = Map.of("a", 4, "b", 2);

    private static Told reset(int w, String t, int v, long rev) {
        return new Told(w, true, t, v, rev, 0);
    }

    private static Told change(int w, String t, int v, long rev) {
        return new Told(w, false, t, v, rev, 0);
    }

    private static List<Told> clean() {
        List<Told> s = new ArrayList<>(List.of(reset(0, "a", 1, 5), reset(0, "b", 1, 5), change(0, "a", 3, 7),
                change(0, "b", 2, 7), change(0, "a", 4, 9)));
        return s;
    }

    private static List<String> check(List<Told> story, Map<String, Integer> finalView) {
        return WatchRun.check(1, story, WRITTEN, TRUTH, List.of(finalView));
    }

    @Test
    void aCleanStoryPasses() {
        assertEquals(List.of(), check(clean(), FINAL));
    }

    @Test
    void eachViolationIsFound() {
        List<Told> dup = clean();
        dup.add(change(0, "a", 4, 9));
        assertTrue(check(dup, FINAL).toString().contains("told twice at revision 9"), check(dup, FINAL).toString());

        List<Told> back = clean();
        back.add(change(0, "a", 3, 10));
        assertTrue(check(back, FINAL).toString().contains("went from 4 to 3"));

        List<Told> revBack = clean();
        revBack.add(change(0, "b", 2, 8));
        assertTrue(check(revBack, FINAL).toString().contains("revision went back from 9 to 8"));

        List<Told> phantom = clean();
        phantom.add(change(0, "a", 99, 11));
        assertTrue(check(phantom, FINAL).toString().contains("a=99 was never written"));

        List<Told> noReset = clean().subList(2, 5);
        assertTrue(check(noReset, FINAL).toString().contains("the first answer is not a reset"));

        assertTrue(check(clean(), Map.of("a", 3, "b", 2)).toString().contains("final view has a=3"));

        List<Told> twoWatchers = new ArrayList<>(clean());
        twoWatchers.add(reset(1, "a", 3, 8));
        twoWatchers.add(change(1, "a", 2, 9)); // disagrees with watcher 0 at revision 9, and steps back
        List<String> p = WatchRun.check(2, twoWatchers, WRITTEN, TRUTH, List.of(FINAL, FINAL));
        assertTrue(p.toString().contains("another watcher was told 4"), p.toString());
    }
}
