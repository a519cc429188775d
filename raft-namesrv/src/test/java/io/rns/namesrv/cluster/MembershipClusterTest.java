package io.rns.namesrv.cluster;

import io.rns.client.CallOptions;
import io.rns.client.NamesrvClient;
import io.rns.client.NamesrvException;
import io.rns.client.Reply;
import io.rns.namesrv.config.LivenessConfig;
import io.rns.namesrv.consensus.NodeState;
import io.rns.rpc.v1.Consistency;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.GetNodeStatusResponse;
import io.rns.rpc.v1.PeerStatus;
import io.rns.rpc.v1.RegisterBrokerRequest;
import io.rns.rpc.v1.RegisterBrokerResponse;
import io.rns.rpc.v1.RemovePeerResponse;
import io.rns.rpc.v1.Role;
import io.rns.rpc.v1.TopicRoute;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Membership changes on three real nodes: remove a follower (it keeps running), write without it, add it back and
 * watch it catch up; remove the leader through a follower (forwarded), which steps down; clear refusals.
 */
@Tag("cluster")
class MembershipClusterTest extends ClusterTestBase {
    static final Duration WAIT = Duration.ofSeconds(30);

    private NamesrvClient client(List<String> endpoints) {
        return client(endpoints, Duration.ofSeconds(5), Duration.ofSeconds(30), 7);
    }

    private String id(int i) {
        return cluster.config(i).nodeId();
    }

    private static List<String> ids(List<PeerStatus> peers) {
        return peers.stream().map(PeerStatus::getNodeId).sorted().toList();
    }

    private List<String> peerIdsSeenBy(int i) {
        return cluster.node(i).consensus().peers().stream().map(NodeState.Peer::id).sorted().toList();
    }

    /** A leader among {@code candidates} that the other candidates follow (a removed node may know no leader). */
    private int awaitLeaderAmong(List<Integer> candidates) {
        int[] found = {-1};
        MiniCluster.await(WAIT, "a leader among " + candidates, () -> {
            for (int i : candidates) {
                if (cluster.node(i).consensus().state().role() == Role.LEADER) {
                    for (int j : candidates) {
                        if (!id(i).equals(cluster.node(j).consensus().state().leaderId())) {
                            return false;
                        }
                    }
                    found[0] = i;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    static RegisterBrokerRequest broker(String name, int port, String topic) {
        return MiniClusterTest.broker(name, port, topic);
    }

    @Test
    void removeAFollowerWriteWithoutItAddItBackAndItCatchesUp() throws Exception {
        cluster = new MiniCluster(3, dir, 1000, 0)
                .liveness(new LivenessConfig(300_000, 1_000, 300_000, 3_000, 100, 5.0, 10, 0.5)).startAll();
        int leader = cluster.awaitLeader(WAIT);
        int removed = cluster.followers().get(0);
        int other = cluster.followers().get(1);
        NamesrvClient c = client(cluster.clientAddresses());
        c.registerBroker(broker("broker-a", 10911, "T1"));

        // refusals name the problem and change nothing
        NamesrvException unknown = assertThrows(NamesrvException.class, () -> c.removePeer("nX", CallOptions.DEFAULT));
        assertEquals(ErrorCode.INVALID_ARGUMENT, unknown.code());
        assertTrue(unknown.detail().contains("nX is not a member"), unknown.detail());
        NamesrvException dup = assertThrows(NamesrvException.class,
                () -> c.addPeer(cluster.config(other).self().toString(), CallOptions.DEFAULT));
        assertEquals(ErrorCode.INVALID_ARGUMENT, dup.code());
        assertTrue(dup.detail().contains("already a member"), dup.detail());
        NamesrvException self = assertThrows(NamesrvException.class,
                () -> c.transferLeadership(id(leader), CallOptions.DEFAULT));
        assertTrue(self.detail().contains("already leads"), self.detail());

        // remove a follower; the answer is the new configuration, and node status reflects it
        Reply<RemovePeerResponse> rm = c.removePeer(id(removed), CallOptions.DEFAULT);
        assertEquals(List.of(id(leader), id(other)).stream().sorted().toList(), ids(rm.value().getPeersList()));
        Reply<GetNodeStatusResponse> st = c.nodeStatus(cluster.clientAddress(leader));
        assertEquals(ids(rm.value().getPeersList()), ids(st.value().getPeersList()));
        MiniCluster.await(WAIT, "the other follower to commit the new configuration",
                () -> peerIdsSeenBy(other).equals(ids(rm.value().getPeersList())));

        // write without it
        NamesrvClient twoNodes = client(List.of(cluster.clientAddress(leader), cluster.clientAddress(other)));
        Reply<RegisterBrokerResponse> w = twoNodes.registerBroker(broker("broker-b", 10921, "T2"));
        long writeIndex = w.value().getBrokerEpoch();
        assertTrue(cluster.node(removed).consensus().image().route("T2").isEmpty(),
                "a removed node gets no new entries");

        // add it back: it catches up (the leader lets it catch up before the configuration changes)
        var add = c.addPeer(cluster.config(removed).self().toString(), CallOptions.DEFAULT);
        assertEquals(List.of(id(0), id(1), id(2)), ids(add.value().getPeersList()));
        MiniCluster.await(WAIT, "the re-added node to apply the write made without it",
                () -> cluster.node(removed).consensus().appliedIndex() >= writeIndex
                        && cluster.node(removed).consensus().image().route("T2").isPresent());
        NamesrvClient atRemoved = client(List.of(cluster.clientAddress(removed)));
        Reply<TopicRoute> route = atRemoved.getTopicRoute("T2",
                CallOptions.DEFAULT.withNode(cluster.clientAddress(removed)).withConsistency(Consistency.LINEARIZABLE));
        assertEquals("127.0.0.1:10921", route.value().getBrokerDatas(0).getBrokerAddrsOrThrow(0L));
        assertEquals(id(removed), route.meta().nodeId());
        assertEquals(leader, cluster.awaitLeader(WAIT), "a follower's removal and return changed no leadership");
    }

    @Test
    void removingTheLeaderThroughAFollowerMakesItStepDownAndTheOthersElectANewOne() throws Exception {
        cluster = new MiniCluster(3, dir, 1000, 0)
                .liveness(new LivenessConfig(300_000, 1_000, 300_000, 3_000, 100, 5.0, 10, 0.5)).startAll();
        int leader = cluster.awaitLeader(WAIT);
        List<Integer> rest = cluster.followers();
        String viaFollower = cluster.clientAddress(rest.get(0));
        NamesrvClient c = client(List.of(viaFollower));
        Reply<RemovePeerResponse> rm = c.removePeer(id(leader), CallOptions.DEFAULT.withNode(viaFollower));
        assertFalse(ids(rm.value().getPeersList()).contains(id(leader)));

        int newLeader = awaitLeaderAmong(rest);
        assertNotEquals(leader, newLeader);
        assertNotEquals(Role.LEADER, cluster.node(leader).consensus().state().role(),
                "the removed leader stepped down");
        NamesrvClient twoNodes = client(rest.stream().map(cluster::clientAddress).toList());
        long idx = twoNodes.registerBroker(broker("broker-c", 10931, "T3")).value().getBrokerEpoch();

        // transfer leadership inside the two-node group, then add the old leader back
        int target = rest.get(0) == newLeader ? rest.get(1) : rest.get(0);
        twoNodes.transferLeadership(id(target), CallOptions.DEFAULT);
        assertEquals(target, awaitLeaderAmong(rest));
        twoNodes.addPeer(cluster.config(leader).self().toString(), CallOptions.DEFAULT);
        MiniCluster.await(WAIT, "the old leader to catch up after it was added back",
                () -> cluster.node(leader).consensus().appliedIndex() >= idx
                        && cluster.node(leader).consensus().image().route("T3").isPresent());
        assertEquals(target, cluster.awaitLeader(WAIT));
        assertEquals(List.of(id(0), id(1), id(2)), peerIdsSeenBy(leader));
    }
}
