package io.rns.namesrv.cluster;

import io.rns.client.CallOptions;
import io.rns.client.NamesrvClient;
import io.rns.namesrv.config.LivenessConfig;
import io.rns.rpc.v1.Consistency;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.KvPutRequest;
import io.rns.rpc.v1.OpenSessionRequest;
import io.rns.rpc.v1.RequestEnvelope;
import io.rns.rpc.v1.ResponseEnvelope;
import io.rns.rpc.v1.UnregisterBrokerRequest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exactly-once writes on three real nodes: the late copy of track record #2/#3 (a registration delivered through a
 * follower after the broker's unregistration) is refused, a retry gets the first answer, and a client survives the
 * expiry of its session.
 */
@Tag("cluster")
class ExactlyOnceClusterTest extends ClusterTestBase {
    private static final Duration ELECTION = Duration.ofSeconds(30);

    private void start(int sessionTimeoutMs) throws Exception {
        cluster = new MiniCluster(3, dir, 1000, 0)
                .liveness(new LivenessConfig(300_000, 1_000, 300_000, 3_000, 100, 5.0, 10, 0.5))
                .customize((i, b) -> b.sessionTimeoutMs(sessionTimeoutMs)).startAll();
        cluster.awaitLeader(ELECTION);
    }

    /** A client that sends envelopes exactly as given (no session of its own): it plays the network here. */
    private NamesrvClient raw() {
        return closeLater(NamesrvClient.builder().endpoints(cluster.clientAddresses()).exactlyOnce(false)
                .requestTimeout(Duration.ofSeconds(3)).overallTimeout(Duration.ofSeconds(10)).randomSeed(7).build());
    }

    private static ResponseEnvelope send(NamesrvClient c, RequestEnvelope.Builder req, String node) throws Exception {
        try {
            return c.callAsync(req, CallOptions.DEFAULT.withNode(node), false).get(15, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof io.rns.client.NamesrvException ne && ne.meta() != null) {
                return ResponseEnvelope.newBuilder().setHeader(
                        io.rns.rpc.v1.ResponseHeader.newBuilder().setCode(ne.code()).setMessage(ne.getMessage()))
                        .build();
            }
            throw e;
        }
    }

    private boolean routed(NamesrvClient c, String topic) {
        try {
            return c.getTopicRoute(topic, CallOptions.DEFAULT.withConsistency(Consistency.LINEARIZABLE)).value()
                    .getBrokerDatasCount() > 0;
        } catch (io.rns.client.NamesrvException e) {
            if (e.code() == ErrorCode.TOPIC_NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    @Test
    void aLateCopyDeliveredThroughAFollowerCannotResurrectAnUnregisteredBroker() throws Exception {
        start(600_000);
        String follower = cluster.clientAddress(cluster.followers().get(0));
        String leader = cluster.clientAddress(cluster.leader().orElseThrow());
        NamesrvClient net = raw();
        long session = send(net, RequestEnvelope.newBuilder().setOpenSession(OpenSessionRequest.getDefaultInstance()),
                leader).getOpenSession().getSessionId();
        assertTrue(session > 0);

        RequestEnvelope.Builder register = RequestEnvelope.newBuilder().setSessionId(session).setSessionSeq(1)
                .setRegisterBroker(MiniClusterTest.broker("broker-late", 10911, "LateTopic"));
        RequestEnvelope.Builder unregister = RequestEnvelope.newBuilder().setSessionId(session).setSessionSeq(2)
                .setUnregisterBroker(UnregisterBrokerRequest.newBuilder().setCluster("DefaultCluster")
                        .setBrokerName("broker-late").setBrokerId(0).setBrokerAddr("127.0.0.1:10911"));

        ResponseEnvelope first = send(net, register, leader);
        assertEquals(ErrorCode.OK, first.getHeader().getCode(), first.getHeader().getMessage());
        long epoch = first.getRegisterBroker().getBrokerEpoch();
        assertEquals(ErrorCode.OK, send(net, unregister, leader).getHeader().getCode());
        assertFalse(routed(net, "LateTopic"));

        // the first attempt, stuck in a follower's socket buffer, arrives now and is forwarded to the leader
        ResponseEnvelope late = send(net, register, follower);
        assertEquals(ErrorCode.STALE_SEQUENCE, late.getHeader().getCode(), late.getHeader().getMessage());
        assertTrue(late.getHeader().getMessage().contains("already applied sequence 2"), late.getHeader().getMessage());
        assertFalse(routed(net, "LateTopic"), "the unregistered broker stays unregistered");

        // a retry of the unregistration gets its first answer (OK), not UNKNOWN_BROKER
        assertEquals(ErrorCode.OK, send(net, unregister, follower).getHeader().getCode());

        // control: the same late registration without a session is applied (at-least-once): the hazard is real
        ResponseEnvelope bare = send(net, register.clone().clearSessionId().clearSessionSeq(), follower);
        assertEquals(ErrorCode.OK, bare.getHeader().getCode());
        assertTrue(bare.getRegisterBroker().getBrokerEpoch() > epoch);
        assertTrue(routed(net, "LateTopic"));
    }

    @Test
    void sessionFieldsMustComeInPairs() throws Exception {
        start(600_000);
        NamesrvClient net = raw();
        ResponseEnvelope r = send(net,
                RequestEnvelope.newBuilder().setSessionId(5)
                        .setKvPut(KvPutRequest.newBuilder().setNamespace("ns").setKey("k").setValue("v")),
                cluster.clientAddress(0));
        assertEquals(ErrorCode.INVALID_ARGUMENT, r.getHeader().getCode());
        assertTrue(r.getHeader().getMessage().contains("session_id and session_seq must both be set"));
    }

    @Test
    void aClientWritesInOneSessionAndSurvivesItsExpiry() throws Exception {
        start(1_000);
        NamesrvClient c = client(cluster.clientAddresses(), Duration.ofSeconds(3), Duration.ofSeconds(20), 11);
        for (int i = 0; i < 5; i++) {
            c.kvPut("ns", "k" + i, "v" + i);
        }
        assertEquals(1, c.sessionsOpened(), "sequential writes share one session");
        int leader = cluster.leader().orElseThrow();
        assertEquals(1, cluster.node(leader).stateMachine().sessionCount());

        // idle past the 1 s timeout: the state machine's clock moves with the next record's leader time
        Thread.sleep(1_500);
        c.kvPut("ns", "after-expiry", "v");
        assertEquals(2, c.sessionsOpened(), "the expired session was replaced, the write went through");
        assertEquals("v", c.kvGet("ns", "after-expiry").value());
        // leaderless nodes and older servers would have answered UNSUPPORTED_REQUEST to OpenSession: not here
        assertTrue(List.of(1, 2).contains(cluster.node(leader).stateMachine().sessionCount()));
    }
}
