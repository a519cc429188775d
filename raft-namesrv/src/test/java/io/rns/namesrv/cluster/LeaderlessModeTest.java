package io.rns.namesrv.cluster;

import io.rns.client.BrokerRegistrar;
import io.rns.client.CallOptions;
import io.rns.client.ClusterMode;
import io.rns.client.NamesrvClient;
import io.rns.client.NamesrvException;
import io.rns.client.Reply;
import io.rns.client.RetryPolicy;
import io.rns.rpc.v1.Consistency;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.GetNodeStatusResponse;
import io.rns.rpc.v1.HeartbeatRequest;
import io.rns.rpc.v1.RegisterBrokerRequest;
import io.rns.rpc.v1.Role;
import io.rns.rpc.v1.TopicConfig;
import io.rns.rpc.v1.TopicRoute;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The leaderless (stock RocketMQ) design on three real nodes: each node has its own table, its own clock for
 * expiry, removes a broker when its connection closes, and serves STALE only. The divergence it allows is shown
 * through two nodes' answers, as apache/rocketmq#4807 describes.
 */
@Tag("cluster")
class LeaderlessModeTest extends ClusterTestBase {
    private void start(int brokerTimeoutMs) throws Exception {
        cluster = new MiniCluster(3, dir, 1000, 0).leaderless(brokerTimeoutMs).startAll();
    }

    /** Starts the cluster with a broker timeout (120 s) no test waits out; a {@link #client()}. */
    private NamesrvClient startWithClient() throws Exception {
        start(120_000);
        return client();
    }

    /** A client pinned per call; one attempt per node, as a fan-out broker does. */
    private NamesrvClient client() {
        NamesrvClient c = NamesrvClient.builder().endpoints(cluster.clientAddresses()).retryPolicy(RetryPolicy.NONE)
                .requestTimeout(Duration.ofSeconds(2)).overallTimeout(Duration.ofSeconds(4))
                .defaultConsistency(Consistency.STALE).build();
        return closeLater(c);
    }

    private CallOptions on(int i) {
        return CallOptions.DEFAULT.withNode(cluster.clientAddress(i));
    }

    /** The broker most scenarios register: broker-a serving TopicA. */
    private static final RegisterBrokerRequest BROKER_A = broker("broker-a", 10911, "TopicA");

    static RegisterBrokerRequest broker(String name, int port, String topic) {
        return RegisterBrokerRequest.newBuilder().setCluster("DefaultCluster").setBrokerName(name).setBrokerId(0)
                .setBrokerAddr("127.0.0.1:" + port)
                .addTopics(TopicConfig.newBuilder().setTopic(topic).setReadQueueNums(4).setWriteQueueNums(4).setPerm(6))
                .build();
    }

    /** Registers with every running node, as a RocketMQ broker does; returns each node's (local) epoch. */
    private Map<Integer, Long> fanOut(NamesrvClient c, RegisterBrokerRequest r) {
        Map<Integer, Long> epochs = new HashMap<>();
        for (int i = 0; i < cluster.size(); i++) {
            if (cluster.node(i) != null) {
                epochs.put(i, c.registerBroker(r, on(i)).value().getBrokerEpoch());
            }
        }
        return epochs;
    }

    /** Whether every node serves {@code topic} (STALE) is {@code expected}. */
    private void assertEveryNode(NamesrvClient c, String topic, boolean expected, String what) {
        for (int i = 0; i < 3; i++) {
            assertEquals(expected, serves(c, i, topic), what + ", node " + i);
        }
    }

    private boolean serves(NamesrvClient c, int i, String topic) {
        try {
            Reply<TopicRoute> r = c.getTopicRoute(topic, on(i).withConsistency(Consistency.STALE));
            assertEquals(Consistency.STALE, r.meta().served(), "leaderless answers are STALE, and say so");
            return true;
        } catch (NamesrvException e) {
            if (e.code() == ErrorCode.TOPIC_NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    /** The client library as a leaderless deployment uses it (mode learned from the nodes). */
    private NamesrvClient autoClient() {
        return client(cluster.clientAddresses(), Duration.ofSeconds(2), Duration.ofSeconds(6), 11);
    }

    @Test
    void afterAFanOutRegistrationEveryNodeServesTheRoute() throws Exception {
        NamesrvClient c = startWithClient();
        NamesrvClient lib = autoClient();
        assertEquals(ClusterMode.LEADERLESS, lib.mode(), "learned from the nodes' status");
        Reply<?> reg = lib.registerBroker(broker("broker-a", 10911, "TopicA"));
        assertEquals(3, reg.perEndpoint().size(), "the library fans the registration out to every node");
        assertTrue(reg.failedEndpoints().isEmpty(), reg.failedEndpoints().toString());
        assertEquals(Consistency.STALE, lib.getTopicRoute("TopicA").meta().served(), "its reads default to STALE");
        for (int i = 0; i < 3; i++) {
            assertTrue(serves(c, i, "TopicA"), "node " + i);
            GetNodeStatusResponse s = c.nodeStatus(cluster.clientAddress(i)).value();
            assertEquals("leaderless", s.getMode());
            assertEquals(Role.LEADERLESS, s.getRole());
        }
        // a write to one node stays on that node: nodes never talk to each other
        c.registerBroker(broker("broker-b", 10921, "TopicB"), on(0));
        assertTrue(serves(c, 0, "TopicB"));
        assertFalse(serves(c, 1, "TopicB"));
    }

    @Test
    void aNodeStoppedDuringARegistrationDisagreesUntilTheNextReRegistration() throws Exception {
        NamesrvClient c = startWithClient();
        cluster.stop(2);
        Map<Integer, Long> epochs = fanOut(c, BROKER_A); // n3 misses it
        cluster.start(2); // the stock NameServer keeps its table in memory: n3 comes back empty
        assertTrue(serves(c, 0, "TopicA"));
        assertFalse(serves(c, 2, "TopicA"), "divergence: n1 has the route, n3 does not");
        // the broker's next heartbeat to n3 is refused as unknown; its re-registration heals n3
        NamesrvException unknown = assertThrows(NamesrvException.class,
                () -> c.heartbeat(HeartbeatRequest.newBuilder().setCluster(BROKER_A.getCluster())
                        .setBrokerName(BROKER_A.getBrokerName()).setBrokerId(0).setBrokerEpoch(epochs.get(0)).build(),
                        on(2)));
        assertEquals(ErrorCode.UNKNOWN_BROKER, unknown.code());
        c.registerBroker(BROKER_A, on(2));
        assertEveryNode(c, "TopicA", true, "healed");
    }

    @Test
    void theBrokerRegistrarHealsANodeThatRestartedEmpty() throws Exception {
        NamesrvClient c = startWithClient();
        NamesrvClient brokerSide = autoClient();
        try (BrokerRegistrar registrar = BrokerRegistrar.builder(brokerSide, broker("broker-r", 10951, "TopicR"))
                .heartbeatInterval(Duration.ofMillis(200)).build()) {
            registrar.start();
            assertEquals(3, registrar.epochs().size(), "one epoch per node: indexes are node-local");
            cluster.stop(1);
            cluster.start(1); // empty again: the nodes now disagree
            MiniCluster.await(Duration.ofSeconds(15), "the registrar's next round to re-register with n2",
                    () -> serves(c, 1, "TopicR"));
            // the registrar counts a re-registration after the node answered it, so the route can be seen on n2 a
            // moment before the count moves (seen once in a full run): wait for the count, bounded
            MiniCluster.await(Duration.ofSeconds(5), "the registrar to count its re-registration with n2",
                    () -> registrar.stats().reRegistrations() >= 1);
        }
        // close() unregisters from every node
        assertEveryNode(c, "TopicR", false, "unregistered everywhere");
    }

    @Test
    void localExpiryOnOneNodeDoesNotTouchTheOthers() throws Exception {
        start(1_500);
        NamesrvClient c = client();
        Map<Integer, Long> epochs = fanOut(c, BROKER_A);
        // heartbeats reach n1 and n2 only (e.g. a partition between the broker and n3)
        long until = System.nanoTime() + Duration.ofMillis(4_000).toNanos();
        while (System.nanoTime() < until) {
            for (int i = 0; i < 2; i++) {
                c.heartbeat(HeartbeatRequest.newBuilder().setCluster(BROKER_A.getCluster())
                        .setBrokerName(BROKER_A.getBrokerName()).setBrokerId(0).setBrokerEpoch(epochs.get(i)).build(),
                        on(i));
            }
            Thread.sleep(300);
        }
        assertFalse(serves(c, 2, "TopicA"), "n3 expired it by its own clock");
        assertTrue(serves(c, 0, "TopicA"), "n1 still has it: the nodes disagree");
        assertTrue(serves(c, 1, "TopicA"));
    }

    @Test
    void aClosedConnectionRemovesTheBrokerFromThatNodeOnly() throws Exception {
        NamesrvClient c = startWithClient();
        fanOut(c, BROKER_A);
        // the broker's own connection to n1 (bound), then it closes
        NamesrvClient brokerConn = NamesrvClient.builder().endpoints(List.of(cluster.clientAddress(0)))
                .retryPolicy(RetryPolicy.NONE).build();
        brokerConn.registerBroker(BROKER_A.toBuilder().setBindConnection(true).build(), on(0));
        brokerConn.close();
        MiniCluster.await(Duration.ofSeconds(10), "n1 to drop the broker whose connection closed",
                () -> !serves(c, 0, "TopicA"));
        assertTrue(serves(c, 1, "TopicA"), "the other nodes never heard of that connection");
        assertTrue(serves(c, 2, "TopicA"));
    }

    @Test
    void strongerLevelsAreRefusedWithAClearCodeNeverDowngraded() throws Exception {
        NamesrvClient c = startWithClient();
        fanOut(c, broker("broker-a", 10911, "TopicA"));
        for (Consistency level : List.of(Consistency.LINEARIZABLE, Consistency.LEASE, Consistency.SEQUENTIAL)) {
            NamesrvException e = assertThrows(NamesrvException.class,
                    () -> c.getTopicRoute("TopicA", on(1).withConsistency(level)));
            assertEquals(ErrorCode.CONSISTENCY_NOT_SUPPORTED, e.code(), level.name());
            assertTrue(e.getMessage().contains("leaderless"), e.getMessage());
        }
        assertEquals(Consistency.STALE, c.getTopicRoute("TopicA", on(1)).meta().served());
    }
}
