package io.rns.chaos.runner;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The server-side evidence printed for late brokers: only their liveness lines and leadership, in time order. */
class LivenessEvidenceTest {
    @Test
    void collectsTheLateBrokersLivenessLinesAndLeadershipAcrossNodesInTimeOrder(@TempDir Path nodes) throws Exception {
        Path n1 = Files.createDirectories(nodes.resolve("rnsx/n1/logs"));
        Path n2 = Files.createDirectories(nodes.resolve("rnsx/n2/logs"));
        Files.write(n1.resolve("rns.log"), List.of(
                "03:43:14.643 INFO  [rns-liveness-n1] LivenessService - liveness: lease of broker dying-5/0 (cluster C, a) epoch 15 ran out; proposing its expiry",
                "03:43:14.650 INFO  [rns-liveness-n1] LivenessService - liveness: lease of broker dying-50/0 (cluster C, b) epoch 16 ran out; proposing its expiry",
                "03:43:14.669 WARN  [rns-liveness-n1] LivenessService - liveness: expiry of dying-5/0 epoch 15 not confirmed (this node is not the leader); will retry if still leader",
                "03:43:14.700 INFO  [x] Other - unrelated dying-5/0"));
        Files.write(n2.resolve("rns.log"), List.of(
                "03:43:13.000 INFO  [FSM] RouteFsm - node n2: became leader at term 4",
                "03:43:17.313 INFO  [FSM] LivenessService - liveness: broker dying-5/0 epoch 15 expired at log index 21"));
        List<String> got = LivenessRun.serverEvidence(nodes, Set.of("dying-5"));
        assertEquals(4, got.size(), String.join("\n", got));
        assertEquals("03:43:13.000 n2  INFO  [FSM] RouteFsm - node n2: became leader at term 4", got.get(0));
        assertEquals(true, got.get(1).contains(" n1 ") && got.get(1).contains("dying-5/0 (cluster C, a)"), got.get(1));
        assertEquals(true, got.get(2).contains("not confirmed"), got.get(2));
        assertEquals(true, got.get(3).contains(" n2 ") && got.get(3).contains("expired at log index 21"), got.get(3));
    }
}
