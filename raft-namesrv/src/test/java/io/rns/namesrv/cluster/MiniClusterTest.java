package io.rns.namesrv.cluster;

import io.rns.client.CallOptions;
import io.rns.client.NamesrvClient;
import io.rns.client.NamesrvException;
import io.rns.client.Reply;
import io.rns.namesrv.config.LivenessConfig;
import io.rns.namesrv.consensus.NodeState;
import io.rns.namesrv.raft.JraftConsensus;
import io.rns.rpc.v1.Consistency;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.RegisterBrokerRequest;
import io.rns.rpc.v1.RegisterBrokerResponse;
import io.rns.rpc.v1.Role;
import io.rns.rpc.v1.TopicConfig;
import io.rns.rpc.v1.TopicRoute;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three real nodes in one JVM on loopback: real sofa-jraft, RocksDB and Netty, driven through the real client.
 * Data dirs live under a @TempDir; JUnit removes them after the test.
 */
@Tag("cluster")
class MiniClusterTest extends ClusterTestBase {
    static final Duration ELECTION = Duration.ofSeconds(30);

    private MiniCluster start(int snapshotIntervalSecs) throws Exception {
        // brokers here do not heartbeat: give them long leases so liveness never interferes with these tests
        cluster = new MiniCluster(3, dir, 1000, snapshotIntervalSecs)
                .liveness(new LivenessConfig(300_000, 1_000, 300_000, 3_000, 100, 5.0, 10, 0.5)).startAll();
        cluster.awaitLeader(ELECTION);
        return cluster;
    }

    private NamesrvClient client(List<String> endpoints) {
        return client(endpoints, Duration.ofSeconds(3), Duration.ofSeconds(20), 42);
    }

    static RegisterBrokerRequest broker(String name, int port, String... topics) {
        RegisterBrokerRequest.Builder b = RegisterBrokerRequest.newBuilder().setCluster("DefaultCluster")
                .setBrokerName(name).setBrokerId(0).setBrokerAddr("127.0.0.1:" + port);
        for (String t : topics) {
            b.addTopics(TopicConfig.newBuilder().setTopic(t).setReadQueueNums(8).setWriteQueueNums(8).setPerm(6));
        }
        return b.build();
    }

    private static CallOptions at(String node, Consistency c) {
        return CallOptions.DEFAULT.withNode(node).withConsistency(c);
    }

    @Test
    void registrationThroughAFollowerIsSeenByALinearizableReadOnTheOtherFollower() throws Exception {
        start(0);
        List<Integer> f = cluster.followers();
        String a = cluster.clientAddress(f.get(0));
        String b = cluster.clientAddress(f.get(1));
        NamesrvClient c = client(cluster.clientAddresses());

        Reply<RegisterBrokerResponse> reg = c.registerBroker(broker("broker-a", 10911, "TopicTest"), at(a, null));
        assertTrue(reg.value().getChanged());
        assertTrue(reg.value().getBrokerEpoch() > 0);
        assertEquals(Role.LEADER, reg.meta().role(), "a follower forwards the write; the leader answers");

        // a fresh client (no index floor) on the other follower must still see it: LINEARIZABLE, not just monotonic
        NamesrvClient other = client(List.of(b));
        Reply<TopicRoute> route = other.getTopicRoute("TopicTest", at(b, Consistency.LINEARIZABLE));
        assertEquals("127.0.0.1:10911", route.value().getBrokerDatas(0).getBrokerAddrsOrThrow(0L));
        assertEquals(Consistency.LINEARIZABLE, route.meta().served());
        assertEquals(cluster.node(f.get(1)).config().nodeId(), route.meta().nodeId());
        assertEquals(Role.FOLLOWER, route.meta().role());
        assertTrue(route.meta().appliedIndex() >= reg.value().getBrokerEpoch());

        // every level is served on a follower and labelled as what it was
        for (Consistency level : List.of(Consistency.LEASE, Consistency.SEQUENTIAL, Consistency.STALE)) {
            Reply<TopicRoute> r = c.getTopicRoute("TopicTest", at(b, level));
            assertEquals(level, r.meta().served());
        }
    }

    @Test
    void staleReadOnACutOffFollowerIsLabelledStaleAndStrongReadsFail() throws Exception {
        start(0);
        int leader = cluster.leader().orElseThrow();
        int lonely = cluster.followers().get(0);
        int other = cluster.followers().get(1);
        NamesrvClient c = client(cluster.clientAddresses());
        c.registerBroker(broker("broker-a", 10911, "TopicTest"));
        String addr = cluster.clientAddress(lonely);
        MiniCluster.await(Duration.ofSeconds(10), "the follower to apply the registration",
                () -> cluster.node(lonely).consensus().image().route("TopicTest").isPresent());

        cluster.stop(other);
        cluster.stop(leader);

        NamesrvClient pinned = NamesrvClient.builder().endpoints(List.of(addr)).requestTimeout(Duration.ofSeconds(2))
                .overallTimeout(Duration.ofSeconds(4)).build();
        closeLater(pinned);
        Reply<TopicRoute> stale = pinned.getTopicRoute("TopicTest", at(addr, Consistency.STALE));
        assertEquals(Consistency.STALE, stale.meta().served(), "never claims a stronger level than it served");
        assertEquals("127.0.0.1:10911", stale.value().getBrokerDatas(0).getBrokerAddrsOrThrow(0L));

        NamesrvException lin = assertThrows(NamesrvException.class,
                () -> pinned.getTopicRoute("TopicTest", at(addr, Consistency.LINEARIZABLE)));
        assertTrue(lin.retriable(), "no quorum is retriable elsewhere: " + lin);
        assertNotEquals(ErrorCode.OK, lin.code());
        NamesrvException write = assertThrows(NamesrvException.class,
                () -> pinned.registerBroker(broker("broker-b", 10921, "T2"), at(addr, null)));
        assertTrue(write.retriable(), write.toString());
        assertFalse(cluster.node(lonely).consensus().image().route("T2").isPresent(), "nothing applied without quorum");
    }

    @Test
    void killingTheLeaderElectsANewOneAndTheSameClientKeepsWriting() throws Exception {
        start(0);
        NamesrvClient c = client(cluster.clientAddresses());
        c.registerBroker(broker("broker-a", 10911, "T1"));
        int oldLeader = cluster.leader().orElseThrow();
        cluster.stop(oldLeader);
        int newLeader = cluster.awaitLeader(ELECTION);
        assertNotEquals(oldLeader, newLeader);

        Reply<RegisterBrokerResponse> r = c.registerBroker(broker("broker-b", 10921, "T2"));
        assertTrue(r.value().getChanged());
        for (String t : List.of("T1", "T2")) {
            Reply<TopicRoute> route = c.getTopicRoute(t, CallOptions.DEFAULT.withConsistency(Consistency.LINEARIZABLE));
            assertEquals(1, route.value().getBrokerDatasCount(), t);
        }
        // the old leader comes back as a follower and catches up
        cluster.start(oldLeader);
        MiniCluster.await(ELECTION, "the old leader to catch up",
                () -> cluster.node(oldLeader).consensus().image().route("T2").isPresent());
    }

    @Test
    void aGracefulHandOverReturnsOnlyOnceTheOldLeaderFollowsTheNewOne() throws Exception {
        start(0);
        int oldLeader = cluster.leader().orElseThrow();
        String oldId = cluster.config(oldLeader).nodeId();

        // what close() does first: jraft leaves the leader state as soon as a transfer starts, so waiting for that
        // alone let the node close its ports while the target's election still needed them
        ((JraftConsensus) cluster.node(oldLeader).consensus()).transferLeadershipIfLeader(10_000);

        NodeState after = cluster.node(oldLeader).consensus().state();
        assertEquals(Role.FOLLOWER, after.role(), "state right after the hand-over: " + after);
        assertTrue(after.leaderId() != null && !after.leaderId().equals(oldId),
                "the old leader must already follow another node: " + after);
    }

    @Test
    void aRestartedNodeCatchesUpBySnapshotInstallWhenTheLogWasCompacted() throws Exception {
        start(0);
        NamesrvClient c = client(cluster.clientAddresses());
        int lagging = cluster.followers().get(0);
        cluster.stop(lagging);
        int leader = cluster.leader().orElseThrow();

        // two snapshots with writes in between: jraft truncates the log only up to the previous snapshot
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 20; i++) {
                c.registerBroker(
                        broker("broker-" + round + "-" + i, 11000 + round * 100 + i, "Topic-" + round + "-" + i));
            }
            cluster.node(leader).consensus().snapshot().get();
        }
        cluster.start(lagging);
        MiniCluster.await(ELECTION, "the restarted node to catch up",
                () -> cluster.node(lagging).consensus().image().sameContent(cluster.node(leader).consensus().image()));
        assertTrue(cluster.node(lagging).raft().snapshotsLoaded() >= 1,
                "the restarted node must have installed a snapshot (log was compacted)");
        assertEquals(60, cluster.node(lagging).consensus().image().topicCount());
        Reply<TopicRoute> r = c.getTopicRoute("Topic-0-0",
                at(cluster.clientAddress(lagging), Consistency.LINEARIZABLE));
        assertEquals(1, r.value().getQueueDatasCount());
    }

    @Test
    void stoppingAndRestartingAllNodesKeepsEveryAcknowledgedRegistration() throws Exception {
        start(0);
        NamesrvClient c = client(cluster.clientAddresses());
        Map<String, Long> acked = new TreeMap<>();
        for (int i = 0; i < 30; i++) {
            Reply<RegisterBrokerResponse> r = c.registerBroker(broker("broker-" + i, 12000 + i, "Topic-" + i));
            acked.put("Topic-" + i, r.value().getBrokerEpoch());
        }
        c.kvPut("ns", "k", "v");
        for (int i = 0; i < cluster.size(); i++) {
            cluster.stop(i);
        }
        for (int i = 0; i < cluster.size(); i++) {
            cluster.start(i);
        }
        cluster.awaitLeader(ELECTION);
        for (Map.Entry<String, Long> e : acked.entrySet()) {
            Reply<TopicRoute> r = c.getTopicRoute(e.getKey(),
                    CallOptions.DEFAULT.withConsistency(Consistency.LINEARIZABLE));
            assertEquals(1, r.value().getBrokerDatasCount(), e.getKey());
        }
        assertEquals("v", c.kvGet("ns", "k").value());
        MiniCluster.await(ELECTION, "all replicas to hold identical images",
                () -> cluster.node(0).consensus().image().sameContent(cluster.node(1).consensus().image())
                        && cluster.node(1).consensus().image().sameContent(cluster.node(2).consensus().image()));
    }
}
