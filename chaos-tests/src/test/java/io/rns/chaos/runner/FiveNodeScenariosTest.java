package io.rns.chaos.runner;

import io.rns.chaos.hosts.NetnsSupport;
import io.rns.chaos.nemesis.Bridge;
import io.rns.chaos.nemesis.IsolateLeader;
import io.rns.chaos.nemesis.MajoritiesRing;
import io.rns.chaos.nemesis.MembershipChange;
import io.rns.chaos.nemesis.OneWayDrop;
import io.rns.chaos.nemesis.PacketLoss;
import io.rns.rpc.v1.Consistency;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 5-node Raft under the topologies only 5 nodes make interesting (majorities ring, bridge), one-way drops, 20 %
 * packet loss, leader isolation and membership changes (remove a voter through the admin API, add it back):
 * LINEARIZABLE and LEASE reads must stay linearizable and the server-reported indexes clean. Seed random per run and printed (-Dchaos.seed=N); artifacts under target/chaos/raft-5-.../seed/.
 */
@Tag("cluster")
class FiveNodeScenariosTest {
    static final Path OUT = Path.of(System.getProperty("chaos.out", "target/chaos"));

    @BeforeEach
    void requireNetns() {
        NetnsSupport.require();
    }

    @Test
    void fiveNodeRaftStaysLinearizableUnderRingBridgeOneWayLossAndIsolation() throws Exception {
        ChaosRun.Result r = ChaosRun.run(new ChaosRun.Config("raft-5-linearizable-lease", "raft", 5,
                ChaosScenariosTest.seed(), Duration.ofSeconds(35), List.of(Consistency.LINEARIZABLE, Consistency.LEASE),
                false, List.of(new MajoritiesRing(), new Bridge(), new OneWayDrop(), new PacketLoss(0.2),
                        new IsolateLeader(), new MembershipChange()),
                6, 150, OUT, Duration.ofSeconds(5), Duration.ofSeconds(2)));
        assertTrue(r.ops() > 200, "the workload must actually run: " + r.ops() + " ops");
        assertTrue(r.faults().size() >= 2, "faults must actually happen: " + r.faults());
        ScenarioAssertions.assertLinearizableAndClean(r);
    }

    @Test
    void fiveNodeRaftStaysLinearizableWhileVotersAreRemovedAndAddedBack() throws Exception {
        // every window removes a voter (the leader or a non-leader, by the window's seed) and adds it back; its JVM
        // keeps running meanwhile and serves (forwarded) requests of the workers pinned to it
        ChaosRun.Result r = ChaosRun.run(new ChaosRun.Config("raft-5-membership", "raft", 5, ChaosScenariosTest.seed(),
                Duration.ofSeconds(28), List.of(Consistency.LINEARIZABLE, Consistency.LEASE), false,
                List.of(new MembershipChange()), 6, 150, OUT, Duration.ofSeconds(5), Duration.ofSeconds(2)));
        assertTrue(r.ops() > 200, "the workload must actually run: " + r.ops() + " ops");
        long removals = r.faults().stream().filter(f -> f.name().equals("membership") && f.phase().equals("start"))
                .count();
        long readds = r.faults().stream().filter(f -> f.name().equals("membership") && f.phase().equals("stop"))
                .count();
        assertTrue(removals >= 2 && readds == removals,
                "voters must actually be removed and added back: " + r.faults());
        ScenarioAssertions.assertLinearizableAndClean(r);
    }
}
