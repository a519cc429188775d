package io.rns.chaos;

import io.rns.chaos.hosts.Backend;
import io.rns.chaos.hosts.BackendSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Maven entry for {@code scripts/chaos.sh run}: runs one scenario only when {@code -Dchaos.scenario} is set
 * ({@code raft|unsafe|leaderless}), with {@code -Dchaos.nodes}, {@code -Dchaos.seed}, {@code -Dchaos.duration.s},
 * {@code -Dchaos.out}, {@code -Drns.chaos.backend}. It reports; it does not assert a verdict (the CI scenarios do that).
 */
@Tag("cluster")
@EnabledIfSystemProperty(named = "chaos.scenario", matches = ".+")
class ChaosCliTest {
    @Test
    void runOneScenario() throws Exception {
        BackendSupport.require(Backend.fromSystemProperty()); // -Drns.chaos.backend=netns|docker (chaos.sh --backend)
        long seed = Long.getLong("chaos.seed", System.nanoTime() & 0xffffffffL);
        ChaosMain.run(System.getProperty("chaos.scenario"), Integer.getInteger("chaos.nodes", 3), seed,
                Duration.ofSeconds(Long.getLong("chaos.duration.s", 30)),
                Path.of(System.getProperty("chaos.out", "target/chaos")).toAbsolutePath());
    }
}
