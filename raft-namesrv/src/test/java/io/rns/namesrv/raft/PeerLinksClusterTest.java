package io.rns.namesrv.raft;

import com.alipay.sofa.jraft.JRaftUtils;
import com.alipay.sofa.jraft.core.NodeImpl;
import io.rns.namesrv.cluster.MiniCluster;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Followers open Raft connections to each other ({@link PeerLinks}): jraft itself opens a connection only when it
 * sends, and only a leader sends, so without this a follower standing for election first had to connect to every
 * voter. Three real nodes in one JVM; the data dirs live under a @TempDir.
 */
@Tag("cluster")
class PeerLinksClusterTest {
    @TempDir
    Path dir;

    @Test
    void eachFollowerHoldsAConnectionToTheOtherFollower() throws Exception {
        try (MiniCluster cluster = new MiniCluster(3, dir, 1000, 0).startAll()) {
            int leader = cluster.awaitLeader(Duration.ofSeconds(30));
            List<Integer> followers = cluster.followers();
            for (int f : followers) {
                int other = followers.stream().filter(o -> o != f).findFirst().orElseThrow();
                NodeImpl node = (NodeImpl) ((JraftConsensus) cluster.node(f).consensus()).engine().node();
                String otherRaft = cluster.config(other).self().raftAddress();
                // PeerLinks runs every 2 s; 20 s leaves room for a loaded machine
                MiniCluster.await(Duration.ofSeconds(20), "follower " + f + " connected to follower " + other,
                        () -> node.getRpcService().isConnected(JRaftUtils.getEndPoint(otherRaft)));
            }
            System.out.println("leader " + leader + ", followers " + followers + " connected to each other");
        }
    }
}
