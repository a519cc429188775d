package io.rns.namesrv.leaderless;

import io.rns.namesrv.config.LivenessConfig;
import io.rns.namesrv.config.NamesrvConfig;
import io.rns.statemachine.RouteStateMachine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** What sets a leaderless node apart besides its consensus stand-in: its table's lifetime and its liveness tuning. */
public final class LeaderlessMode {
    private static final Logger log = LoggerFactory.getLogger(LeaderlessMode.class);

    private LeaderlessMode() {
    }

    /**
     * Opens this node's own table. The stock design keeps it in memory: without leaderless.persist a restart starts
     * empty.
     */
    public static RouteStateMachine openTable(NamesrvConfig config) throws IOException {
        Path state = config.dataDir().resolve("leaderless-state");
        if (!config.leaderlessPersist()) {
            deleteRecursively(state);
        }
        RouteStateMachine sm = RouteStateMachine.open(state);
        log.info(
                "node {} runs in LEADERLESS mode: no Raft group, local table ({}), local expiry after {} ms "
                        + "(scan every {} ms), STALE reads only",
                config.nodeId(), config.leaderlessPersist() ? "persisted" : "in memory",
                config.leaderlessBrokerTimeoutMs(), config.leaderlessScanIntervalMs());
        return sm;
    }

    /** Liveness as the stock NameServer does it: one timeout, own clock, no rate limit, no mass-expiry guard. */
    public static LivenessConfig liveness(NamesrvConfig c) {
        LivenessConfig l = c.liveness();
        int timeout = c.leaderlessBrokerTimeoutMs();
        int max = Math.max(l.maxLeaseMs(), timeout);
        return new LivenessConfig(timeout, Math.min(l.minLeaseMs(), timeout), max, Math.min(l.suspectLeaseMs(), max),
                c.leaderlessScanIntervalMs(), 100_000, 100_000, 1.0);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
