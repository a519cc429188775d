package io.rns.namesrv.cluster;

import io.rns.client.NamesrvClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What every in-JVM cluster test shares: a temp dir for the nodes' data (JUnit removes it), the {@link MiniCluster},
 * and the clients and other resources a test opens, all closed after the test (resources first, then the cluster).
 */
abstract class ClusterTestBase {
    @TempDir
    Path dir;

    MiniCluster cluster;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void closeClusterAndClients() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Closes {@code c} after the test, before the cluster. */
    <T extends AutoCloseable> T closeLater(T c) {
        opened.add(c);
        return c;
    }

    /** A client of {@code endpoints} with a seeded node choice, closed after the test. */
    NamesrvClient client(List<String> endpoints, Duration requestTimeout, Duration overallTimeout, long seed) {
        return closeLater(NamesrvClient.builder().endpoints(endpoints).requestTimeout(requestTimeout)
                .overallTimeout(overallTimeout).randomSeed(seed).build());
    }
}
