package io.rns.namesrv.cluster;

import io.rns.client.BrokerRegistrar;
import io.rns.client.CallOptions;
import io.rns.client.NamesrvClient;
import io.rns.client.NamesrvException;
import io.rns.namesrv.config.LivenessConfig;
import io.rns.rpc.v1.BrokerLease;
import io.rns.rpc.v1.Consistency;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.ExpiredBroker;
import io.rns.rpc.v1.HeartbeatRequest;
import io.rns.rpc.v1.ListBrokerLeasesResponse;
import io.rns.rpc.v1.RegisterBrokerRequest;
import io.rns.rpc.v1.TopicConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Broker liveness on three real nodes: leases held by the real leader, expiries through the real log, reads through
 * the real client at LINEARIZABLE on every node. The detection bounds (lease + 1 s, suspect lease + 1 s) are the
 * product's promise, measured from the last contact the test made.
 */
@Tag("cluster")
class LivenessClusterTest extends ClusterTestBase {
    static final int LEASE_MS = 2_000;
    static final int SUSPECT_MS = 1_000;
    static final Duration ELECTION = Duration.ofSeconds(30);

    private void start() throws Exception {
        cluster = new MiniCluster(3, dir, 1000, 0)
                .liveness(new LivenessConfig(LEASE_MS, 1_000, 300_000, SUSPECT_MS, 100, 5.0, 10, 0.5)).startAll();
        cluster.awaitLeader(ELECTION);
    }

    private NamesrvClient client() {
        return client(cluster.clientAddresses(), Duration.ofSeconds(2), Duration.ofSeconds(20), 7);
    }

    static RegisterBrokerRequest broker(String name, int port, String topic) {
        return RegisterBrokerRequest.newBuilder().setCluster("DefaultCluster").setBrokerName(name).setBrokerId(0)
                .setBrokerAddr("127.0.0.1:" + port).setLeaseTimeoutMs(LEASE_MS)
                .addTopics(TopicConfig.newBuilder().setTopic(topic).setReadQueueNums(4).setWriteQueueNums(4).setPerm(6))
                .build();
    }

    static HeartbeatRequest heartbeat(RegisterBrokerRequest r, long epoch) {
        return HeartbeatRequest.newBuilder().setCluster(r.getCluster()).setBrokerName(r.getBrokerName())
                .setBrokerId(r.getBrokerId()).setBrokerAddr(r.getBrokerAddr()).setBrokerEpoch(epoch).build();
    }

    /** Whether the topic's route is visible in a LINEARIZABLE read on node i. */
    private boolean routeOn(NamesrvClient c, int i, String topic) {
        try {
            c.getTopicRoute(topic,
                    CallOptions.DEFAULT.withNode(cluster.clientAddress(i)).withConsistency(Consistency.LINEARIZABLE));
            return true;
        } catch (NamesrvException e) {
            if (e.code() == ErrorCode.TOPIC_NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    private List<Integer> running() {
        List<Integer> r = new ArrayList<>();
        for (int i = 0; i < cluster.size(); i++) {
            if (cluster.node(i) != null) {
                r.add(i);
            }
        }
        return r;
    }

    /** Waits until no running node serves the topic; returns when that was first seen (System.nanoTime). */
    private long awaitGoneEverywhere(NamesrvClient c, String topic, Duration timeout) {
        MiniCluster.await(timeout, topic + " gone from every node's LINEARIZABLE routes",
                () -> running().stream().noneMatch(i -> routeOn(c, i, topic)));
        return System.nanoTime();
    }

    @Test
    void aBrokerThatStopsHeartbeatingDisappearsEverywhereWithinItsLeasePlusOneSecond() throws Exception {
        start();
        NamesrvClient c = client();
        RegisterBrokerRequest b = broker("broker-dead", 10911, "DeadTopic");
        long epoch = c.registerBroker(b).value().getBrokerEpoch();
        long lastContact = 0;
        for (int i = 0; i < 6; i++) { // alive for 3 lease periods' worth of heartbeats
            lastContact = System.nanoTime();
            assertEquals(LEASE_MS, c.heartbeat(heartbeat(b, epoch)).value().getLeaseTimeoutMs());
            Thread.sleep(LEASE_MS / 4);
        }
        for (int i : running()) {
            assertTrue(routeOn(c, i, "DeadTopic"), "alive while heartbeating, on node " + i);
        }
        // the broker "dies": no more heartbeats
        long gone = awaitGoneEverywhere(c, "DeadTopic", Duration.ofSeconds(15));
        long ms = TimeUnit.NANOSECONDS.toMillis(gone - lastContact);
        System.out.println(
                "dead broker gone from every node " + ms + " ms after its last heartbeat (lease " + LEASE_MS + ")");
        assertTrue(ms <= LEASE_MS + 1_000,
                "detected after " + ms + " ms; promised lease + 1 s = " + (LEASE_MS + 1_000));
        assertTrue(ms >= LEASE_MS - 250, "expired after only " + ms + " ms, before its lease of " + LEASE_MS);
        // the leader lists it among its recent expiries (status page "Recent expiries")
        ListBrokerLeasesResponse leases = c.listBrokerLeases().value();
        assertEquals(1, leases.getRecentExpiriesCount(), leases.toString());
        ExpiredBroker x = leases.getRecentExpiries(0);
        assertEquals("broker-dead", x.getBrokerName());
        assertEquals(epoch, x.getBrokerEpoch());
        assertTrue(x.getLogIndex() > epoch && x.getAgeMs() >= 0, x.toString());
    }

    @Test
    void aBrokerWhoseHeartbeatsReachOnlyAFollowerStaysAlive() throws Exception {
        start();
        NamesrvClient c = client();
        int follower = cluster.followers().get(0);
        CallOptions viaFollower = CallOptions.DEFAULT.withNode(cluster.clientAddress(follower));
        RegisterBrokerRequest b = broker("broker-via-follower", 10921, "FollowerTopic");
        long epoch = c.registerBroker(b, viaFollower).value().getBrokerEpoch();
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(3L * LEASE_MS);
        while (System.nanoTime() < until) {
            c.heartbeat(heartbeat(b, epoch), viaFollower);
            Thread.sleep(LEASE_MS / 5);
        }
        for (int i : running()) {
            assertTrue(routeOn(c, i, "FollowerTopic"), "forwarded heartbeats keep it alive, node " + i);
        }
        BrokerLease lease = c.listBrokerLeases().value().getLeasesList().stream()
                .filter(l -> l.getBrokerName().equals("broker-via-follower")).findFirst().orElseThrow();
        assertEquals(epoch, lease.getBrokerEpoch());
        assertTrue(lease.getLastContactAgeMs() < LEASE_MS, "recent contact counted by the leader: " + lease);
    }

    @Test
    void aBrokerDeadWhenTheLeaderIsKilledIsStillExpiredAfterTheGraceAndNeverComesBack() throws Exception {
        start();
        NamesrvClient c = client();
        RegisterBrokerRequest b = broker("broker-orphan", 10931, "OrphanTopic");
        c.registerBroker(b);
        int oldLeader = cluster.leader().orElseThrow();
        cluster.stop(oldLeader); // the broker is dead too: nobody heartbeats it
        int newLeader = cluster.awaitLeader(ELECTION);
        assertNotEquals(oldLeader, newLeader);
        awaitGoneEverywhere(c, "OrphanTopic", Duration.ofSeconds(20));
        assertTrue(cluster.node(newLeader).liveness().expiriesApplied() >= 1,
                "the new leader expired it after its grace");
        cluster.start(oldLeader);
        MiniCluster.await(ELECTION, "the old leader to catch up", () -> cluster.node(oldLeader).consensus()
                .appliedIndex() >= cluster.node(newLeader).consensus().appliedIndex());
        Thread.sleep(2L * LEASE_MS); // give a resurrection every chance to happen: it must not
        for (int i : running()) {
            assertTrue(!routeOn(c, i, "OrphanTopic"), "the expired broker never comes back, node " + i);
        }
    }

    @Test
    void aBrokerWhoseConnectionsAllCloseDisappearsWithinTheSuspectLeasePlusOneSecond() throws Exception {
        start();
        NamesrvClient brokerSide = NamesrvClient.builder().endpoints(cluster.clientAddresses())
                .requestTimeout(Duration.ofSeconds(2)).overallTimeout(Duration.ofSeconds(10)).build();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        // a long lease: only the closed connection can explain a fast expiry
        RegisterBrokerRequest b = broker("broker-gone", 10941, "GoneTopic").toBuilder().setLeaseTimeoutMs(60_000)
                .build();
        BrokerRegistrar registrar = BrokerRegistrar.builder(brokerSide, b).heartbeatInterval(Duration.ofMillis(300))
                .scheduler(scheduler).build();
        registrar.start();
        NamesrvClient reader = client();
        MiniCluster.await(Duration.ofSeconds(10), "a few heartbeats", () -> registrar.stats().heartbeatsSent() >= 3);
        for (int i : running()) {
            assertTrue(routeOn(reader, i, "GoneTopic"));
        }
        // the broker process vanishes: heartbeats stop and its connections close, without an unregister
        scheduler.shutdownNow();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
        long closedAt = System.nanoTime();
        brokerSide.close();
        long gone = awaitGoneEverywhere(reader, "GoneTopic", Duration.ofSeconds(15));
        long ms = TimeUnit.NANOSECONDS.toMillis(gone - closedAt);
        System.out.println("broker with closed connections gone from every node " + ms
                + " ms after the close (suspect lease " + SUSPECT_MS + ", lease 60000)");
        assertTrue(ms <= SUSPECT_MS + 1_000, "detected after " + ms + " ms; promised suspect lease + 1 s");
    }

    /**
     * The broker's own connections: one client per node, each registering the same broker on that node with
     * bind_connection and registers_with_every_node (as a RocketMQ broker registers with every NameServer address it
     * is given; the RocketMQ ingress sets both).
     */
    private List<NamesrvClient> bindThrough(RegisterBrokerRequest b, List<Integer> nodes) {
        List<NamesrvClient> conns = new ArrayList<>();
        for (int i : nodes) {
            NamesrvClient c = NamesrvClient.builder().endpoints(List.of(cluster.clientAddress(i)))
                    .requestTimeout(Duration.ofSeconds(2)).overallTimeout(Duration.ofSeconds(10)).build();
            c.registerBroker(b.toBuilder().setBindConnection(true).setRegistersWithEveryNode(true).build(),
                    CallOptions.DEFAULT.withNode(cluster.clientAddress(i)));
            conns.add(c);
        }
        return conns;
    }

    /** Issue 16 item 6: when no member holds a connection of the broker any more, it goes without the suspect lease. */
    @Test
    void aBrokerWhoseConnectionsToEveryNodeCloseGoesAtOnceWhileOneOpenConnectionKeepsTheSuspectLease()
            throws Exception {
        // lease and suspect lease of a minute: only the all-closed rule can explain an expiry within seconds
        cluster = new MiniCluster(3, dir, 1000, 0)
                .liveness(new LivenessConfig(LEASE_MS, 1_000, 300_000, 60_000, 100, 5.0, 10, 0.5)).startAll();
        int leader = cluster.awaitLeader(ELECTION);
        int follower = (leader + 1) % 3;
        NamesrvClient reader = client();
        RegisterBrokerRequest b = broker("broker-conns", 10951, "ConnsTopic").toBuilder().setLeaseTimeoutMs(60_000)
                .build();
        List<NamesrvClient> conns = bindThrough(b, List.of(leader, follower));
        for (int i : running()) {
            assertTrue(routeOn(reader, i, "ConnsTopic"));
        }

        // the follower's connection closes; the leader's is still open: a suspect for a minute, not gone
        conns.get(1).close();
        Thread.sleep(3_000);
        for (int i : running()) {
            assertTrue(routeOn(reader, i, "ConnsTopic"),
                    "still served on node " + i + " while the leader holds a " + "connection of the broker");
        }

        // the last one closes: nobody hears from the broker any more
        long closedAt = System.nanoTime();
        conns.get(0).close();
        long gone = awaitGoneEverywhere(reader, "ConnsTopic", Duration.ofSeconds(30));
        System.out.println("broker whose every connection closed gone from every node "
                + TimeUnit.NANOSECONDS.toMillis(gone - closedAt) + " ms after the last close (lease and suspect "
                + "lease 60000 ms)");
    }
}
