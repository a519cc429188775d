package io.rns.namesrv.cluster;

import io.rns.client.NamesrvClient;
import io.rns.namesrv.NamesrvNode;
import io.rns.namesrv.admin.Probe;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17, health: a replica whose store fails under it halts on the next applied entry; its halt listener (which
 * the process launcher turns into exit code 3) runs once with the reason, and it is no longer ready. The others go on.
 */
@Tag("cluster")
class HaltClusterTest extends ClusterTestBase {

    @Test
    void aReplicaWhoseStoreFailsHaltsReportsItOnceAndIsNotReady() throws Exception {
        cluster = new MiniCluster(3, dir, 1000, 0).startAll();
        cluster.awaitLeader(Duration.ofSeconds(30));
        int f = cluster.followers().get(0);
        NamesrvNode follower = cluster.node(f);
        CompletableFuture<String> halted = new CompletableFuture<>();
        follower.onHalt(reason -> {
            if (!halted.complete(reason)) {
                throw new AssertionError("the halt listener ran twice");
            }
        });
        assertTrue(follower.readiness().ok(), follower.readiness().reason());

        follower.stateMachine().close(); // the store goes away under the replica (a disk failure, say)
        NamesrvClient c = client(cluster.clientAddresses(), Duration.ofSeconds(3), Duration.ofSeconds(10), 3);
        c.kvPut("ns", "k", "v").value(); // committed by the other two; the broken follower cannot apply it

        String reason = halted.get(20, TimeUnit.SECONDS);
        assertTrue(reason.contains("apply"), reason);
        Probe ready = follower.readiness();
        assertFalse(ready.ok());
        assertTrue(ready.reason().startsWith("halted: "), ready.reason());
        assertTrue(follower.live().ok(), "halted is not dead: the process decides (node.exit-on-halt)");
        c.kvPut("ns", "k2", "v2").value(); // the majority goes on
    }
}
