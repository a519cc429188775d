package io.rns.chaos.runner;

import io.rns.chaos.hosts.NetnsSupport;
import io.rns.chaos.nemesis.IsolateLeader;
import io.rns.chaos.nemesis.KillRestart;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Workload (b) "set" with the (d) session checks on 3 Raft nodes under kill -9/restart and leader isolation: no
 * acknowledged registration may be missing from any node's final LINEARIZABLE read, nothing may appear that was
 * never attempted (or was definitely refused), every node ends with the same set, every worker reads its own writes
 * at SEQUENTIAL on any node, and its read indexes never go backwards. Seed random per run and printed
 * (-Dchaos.seed=N); artifacts under target/chaos/raft-3-set/&lt;seed&gt;/.
 */
@Tag("cluster")
class SetWorkloadTest {
    static final Path OUT = Path.of(System.getProperty("chaos.out", "target/chaos"));

    @BeforeEach
    void requireNetns() {
        NetnsSupport.require();
    }

    @Test
    void raftLosesNoAcknowledgedRegistrationAndKeepsSessionGuarantees() throws Exception {
        SetWorkloadRun.Result r = SetWorkloadRun.run(new SetWorkloadRun.Config("raft-3-set", 3,
                ChaosScenariosTest.seed(), Duration.ofSeconds(30), List.of(new KillRestart(), new IsolateLeader()), 6,
                4, OUT, Duration.ofSeconds(5), Duration.ofSeconds(3)));
        System.out.println("recovered (indeterminate, present) = " + r.recovered().size() + " " + r.recovered());
        String see = "; see " + r.dir() + "\n" + r.summary();
        assertTrue(r.acked() > 100, "the workload must actually run" + see);
        assertTrue(r.faults().size() >= 2, "faults must actually happen: " + r.faults());
        assertEquals(0, r.finalReadFailures(), "every node must answer the final reads" + see);
        assertEquals(List.of(), r.lost(), "acknowledged registrations lost" + see);
        assertEquals(List.of(), r.unexpected(), "registrations present that were never attempted" + see);
        assertEquals(List.of(), r.failedPresent(), "registrations present that the server refused" + see);
        assertEquals(List.of(), r.divergent(), "nodes disagree in their final LINEARIZABLE reads" + see);
        assertTrue(r.rywChecks() > 50, "read-your-writes must actually be checked" + see);
        assertEquals(List.of(), r.rywViolations(), "read-your-writes violated" + see);
        assertTrue(r.monotonicChecks() > 50, "monotonic reads must actually be checked" + see);
        assertEquals(List.of(), r.monotonicViolations(), "non-monotonic reads within a worker" + see);
    }
}
