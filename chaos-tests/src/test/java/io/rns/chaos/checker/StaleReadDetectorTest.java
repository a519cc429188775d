package io.rns.chaos.checker;

import io.rns.chaos.history.History;
import io.rns.chaos.history.Op;
import io.rns.chaos.history.ServerMeta;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StaleReadDetectorTest {

    private final List<Op> ops = new ArrayList<>();

    private void write(int p, String key, long call, long ret, long applied) {
        ops.add(Op.invoke(p, "register", key, "b", call));
        ops.add(Op.ok(p, "register", key, "b", ret).withMeta(new ServerMeta(null, "n1", 1, applied)));
    }

    private void read(int p, String key, long call, long ret, String served, long applied) {
        ops.add(Op.invoke(p, "read", key, null, call));
        Op done = Op.ok(p, "read", key, "b", ret);
        ops.add(served == null ? done : done.withMeta(new ServerMeta(served, "n2", 1, applied)));
    }

    private StaleReadDetector.Report check() {
        List<Op> sorted = new ArrayList<>(ops);
        sorted.sort((a, b) -> Long.compare(a.time(), b.time()));
        return new StaleReadDetector().check(History.of(sorted));
    }

    @Test
    void cleanHistory() {
        write(0, "t1", 0, 1, 10);
        read(1, "t1", 2, 3, "LINEARIZABLE", 10);
        read(1, "t2", 4, 5, "LEASE", 12);
        read(2, "t1", 2, 3, "SEQUENTIAL", 11);
        StaleReadDetector.Report r = check();
        assertTrue(r.clean(), r.summary());
        assertEquals(2, r.linearizableReadsChecked());
        assertEquals(3, r.monotonicReadsChecked());
        assertEquals(1, r.writesWithIndex());
    }

    @Test
    void linearizableReadBelowCompletedWriteIndexIsStaleAcrossKeys() {
        write(0, "t1", 0, 1, 10);
        write(0, "t2", 2, 3, 20);
        read(1, "t1", 4, 5, "LINEARIZABLE", 15); // the Raft log is global: the t2 write at 20 was committed first
        read(2, "t1", 4, 5, "LEASE", 9);
        read(3, "t1", 4, 5, "SEQUENTIAL", 5); // sequential promises no recency
        read(4, "t1", 4, 5, "STALE", 5);
        read(5, "t1", 3, 5, "LINEARIZABLE", 12); // invoked exactly when the write returned: concurrent, not stale
        read(6, "t1", 1, 2, "LINEARIZABLE", 10); // concurrent with the t2 write
        StaleReadDetector.Report r = check();
        assertEquals(2, r.staleReads(), r.summary());
        assertEquals(4, r.linearizableReadsChecked());
        StaleReadDetector.StaleRead s = r.staleExamples().get(0);
        assertEquals(20, s.requiredIndex());
        assertEquals("t2", s.write().key());
        assertTrue(r.summary().contains("stale read (applied 15 < 20)"), r.summary());
    }

    @Test
    void nonMonotonicReadsPerProcess() {
        read(1, "t1", 0, 1, "SEQUENTIAL", 10);
        read(1, "t2", 2, 3, "SEQUENTIAL", 7); // went back: flagged
        read(1, "t1", 4, 5, "LINEARIZABLE", 8); // still below 10: flagged
        read(1, "t1", 6, 7, "STALE", 1); // STALE promises nothing
        read(1, "t1", 8, 9, "SEQUENTIAL", 11);
        read(2, "t1", 8, 9, "SEQUENTIAL", 3); // another process: fine
        StaleReadDetector.Report r = check();
        assertEquals(2, r.nonMonotonicReads(), r.summary());
        assertEquals(10, r.nonMonotonicExamples().get(0).earlierIndex());
        assertEquals(0, r.staleReads());
    }

    @Test
    void readsWithoutMetaAreCountedNotChecked() {
        write(0, "t1", 0, 1, 10);
        read(1, "t1", 2, 3, null, 0);
        ops.add(Op.invoke(2, "read", "t1", null, 4));
        ops.add(Op.info(2, "read", "t1", null, 5));
        StaleReadDetector.Report r = check();
        assertEquals(1, r.readsWithoutIndex());
        assertTrue(r.clean());
    }

    @Test
    void examplesAreCapped() {
        write(0, "t", 0, 1, 100);
        for (int i = 0; i < 30; i++) {
            read(10 + i, "t", 2 + i, 3 + i, "LINEARIZABLE", 50);
        }
        StaleReadDetector.Report r = check();
        assertEquals(30, r.staleReads());
        assertEquals(20, r.staleExamples().size());
    }
}
