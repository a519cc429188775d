package io.rns.chaos.runner;

import io.rns.chaos.hosts.Backend;
import io.rns.chaos.hosts.BackendSupport;
import io.rns.chaos.nemesis.IsolateLeader;
import io.rns.chaos.nemesis.KillRestart;
import io.rns.chaos.nemesis.Nemesis;
import io.rns.chaos.nemesis.NemesisSchedule;
import io.rns.chaos.nemesis.PlannedFault;
import io.rns.rpc.v1.Consistency;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Testcontainers smoke scenario: the unchanged ChaosRun (workload, seeded nemesis schedule, final heal, checker,
 * reports) on {@link Backend#DOCKER}: 3 node containers, an isolate-leader partition and a kill -9 + restart, checked
 * linearizable. Needs a local docker engine (CI: .ci/run starts one); under CI=true its absence fails the test.
 * Output under target/chaos/docker-raft-3-smoke/&lt;seed&gt;/.
 */
@Tag("cluster")
class DockerSmokeScenarioTest {
    @Test
    void raftOnDockerStaysLinearizableUnderAPartitionAndAKill() throws Exception {
        BackendSupport.require(Backend.DOCKER);
        Duration duration = Duration.ofSeconds(30);
        Duration fault = Duration.ofSeconds(5);
        Duration quiet = Duration.ofSeconds(3);
        long seed = seedWithBothFaults(duration, fault, quiet);
        ChaosRun.Result r = ChaosRun.run(new ChaosRun.Config("docker-raft-3-smoke", "raft", 3, seed, duration,
                List.of(Consistency.LINEARIZABLE), false, nemeses(), 6, 150, ChaosScenariosTest.OUT, fault, quiet),
                Backend.DOCKER);
        assertTrue(r.ops() > 100, "the workload must actually run: " + r.ops() + " ops");
        List<String> kinds = nemeses().stream().map(Nemesis::name).toList();
        long started = r.faults().stream().filter(f -> f.phase().equals("start") && kinds.contains(f.name()))
                .map(f -> f.name()).distinct().count();
        assertEquals(2, started, "both the partition and the kill must actually happen: " + r.faults());
        ScenarioAssertions.assertLinearizableAndClean(r);
    }

    private static List<Nemesis> nemeses() {
        return List.of(new IsolateLeader(), new KillRestart());
    }

    /**
     * The schedule picks a nemesis per window at random, so a 30 s run of 3-4 windows may draw only one kind. Without
     * -Dchaos.seed the first seed from a random start whose plan has both a partition and a kill is used (printed;
     * -Dchaos.seed reproduces exactly that run). A given -Dchaos.seed is used as is.
     */
    private static long seedWithBothFaults(Duration duration, Duration fault, Duration quiet) {
        if (System.getProperty("chaos.seed") != null) {
            return ChaosScenariosTest.seed();
        }
        long start = System.nanoTime() & 0xffffffffL;
        for (long s = start; s < start + 1000; s++) {
            var plan = NemesisSchedule.builder().seed(s).nemeses(nemeses()).quiet(quiet).fault(fault).duration(duration)
                    .build().preview(List.of("n1", "n2", "n3"));
            if (plan.stream().map(PlannedFault::nemesis).distinct().count() == 2) {
                System.out.println("chaos seed = " + s + " (first seed from " + start
                        + " whose plan has a partition and" + " a kill; reproduce with -Dchaos.seed=" + s + ")");
                return s;
            }
        }
        throw new IllegalStateException("no seed in [" + start + ", +1000) plans both faults");
    }
}
