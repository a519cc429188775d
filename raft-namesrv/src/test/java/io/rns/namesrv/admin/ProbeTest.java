package io.rns.namesrv.admin;

import io.rns.namesrv.config.NamesrvConfig;
import io.rns.namesrv.consensus.NodeState;
import io.rns.rpc.v1.Role;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The readiness verdict, state by state: each refusal names its reason. */
class ProbeTest {
    private static final NamesrvConfig.Mode RAFT = NamesrvConfig.Mode.RAFT;

    private static Probe ready(NodeState s, long applied, String halt) {
        return Probe.readiness(RAFT, s, applied, halt, 1000, 1000);
    }

    private static void refused(Probe p, String reasonPart) {
        assertFalse(p.ok(), p.reason());
        assertTrue(p.reason().contains(reasonPart), p.reason());
    }

    @Test
    void aCaughtUpFollowerInContactWithItsLeaderIsReady() {
        Probe p = ready(new NodeState(Role.FOLLOWER, 4, "n1", 40, 120, 120, 0), 120, null);
        assertTrue(p.ok(), p.reason());
        assertTrue(p.reason().contains("follower in term 4, leader n1"), p.reason());
        assertTrue(ready(new NodeState(Role.LEADER, 4, "n1", 0, 120, 120, 0), 119, null).ok());
    }

    @Test
    void everyOtherStateIsRefusedWithItsReason() {
        refused(ready(new NodeState(Role.LEADER, 4, "n1", 0, 120, 120, 0), 120, "apply of entries 7..9 failed"),
                "halted: apply of entries 7..9 failed");
        refused(ready(new NodeState(Role.INACTIVE, 4, null, -1, 0, 0, 0), 0, null), "not active");
        refused(ready(new NodeState(Role.CANDIDATE, 5, null, -1, 120, 120, 0), 120, null), "no known leader in term 5");
        refused(ready(new NodeState(Role.FOLLOWER, 5, null, -1, 120, 120, 0), 120, null), "no known leader");
        refused(ready(new NodeState(Role.FOLLOWER, 4, "n1", 1500, 120, 120, 0), 120, null),
                "no contact with leader n1 for 1500 ms");
        refused(ready(new NodeState(Role.FOLLOWER, 4, "n1", 10, 5000, 5000, 0), 3999, null),
                "1001 entries behind the commit index 5000");
        assertTrue(ready(new NodeState(Role.FOLLOWER, 4, "n1", 10, 5000, 5000, 0), 4000, null).ok(), "lag = limit");
    }

    @Test
    void aLeaderlessNodeIsReadyUnlessHalted() {
        NodeState s = new NodeState(Role.LEADERLESS, 0, null, -1, 0, 0, 0);
        assertTrue(Probe.readiness(NamesrvConfig.Mode.LEADERLESS, s, 0, null, 1000, 1000).ok());
        assertFalse(Probe.readiness(NamesrvConfig.Mode.LEADERLESS, s, 0, "store failed", 1000, 1000).ok());
    }
}
