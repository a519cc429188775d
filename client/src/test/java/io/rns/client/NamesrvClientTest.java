package io.rns.client;

import io.rns.rpc.testing.Closer;
import io.rns.rpc.v1.*;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class NamesrvClientTest {
    private static final RetryPolicy FAST = FakeNode.FAST_RETRIES;
    @RegisterExtension
    final Closer closeables = new Closer();

    private FakeNode node(String id) {
        return closeables.add(new FakeNode(id));
    }

    private record FollowerAndLeader(FakeNode follower, FakeNode leader) {
    }

    /** A follower "n2" whose leader hint names the leader "n1" (created in that order). */
    private FollowerAndLeader followerAndLeader() {
        FakeNode follower = node("n2");
        FakeNode leader = node("n1");
        leader.role = Role.LEADER;
        follower.leaderHint = leader.endpoint;
        return new FollowerAndLeader(follower, leader);
    }

    private NamesrvClient client(NamesrvClient.Builder b) {
        NamesrvClient c = b.build();
        closeables.add(c);
        return c;
    }

    private static NamesrvClient.Builder builder(String... endpoints) {
        return NamesrvClient.builder().endpoints(endpoints).mode(ClusterMode.RAFT).retryPolicy(FAST).randomSeed(42)
                .exactlyOnce(false).requestTimeout(Duration.ofSeconds(2)).overallTimeout(Duration.ofSeconds(5));
    }

    private static NamesrvException fails(Runnable r) {
        return assertThrows(NamesrvException.class, r::run);
    }

    // ---- builder ---------------------------------------------------------------------------------------------

    @Test
    void builderValidatesEverySetting() {
        assertMessage("endpoints", () -> NamesrvClient.builder().build());
        assertMessage("endpoints", () -> NamesrvClient.builder().endpoints(List.of()).build());
        assertMessage("endpoints", () -> NamesrvClient.builder().endpoints("localhost").build());
        assertMessage("endpoints", () -> NamesrvClient.builder().endpoints("a:1", "b:x").build());
        assertMessage("duplicate", () -> NamesrvClient.builder().endpoints("a:1", "a:1").build());
        assertMessage("requestTimeout",
                () -> NamesrvClient.builder().endpoints("a:1").requestTimeout(Duration.ZERO).build());
        assertMessage("overallTimeout",
                () -> NamesrvClient.builder().endpoints("a:1").overallTimeout(Duration.ofMillis(-1)).build());
        assertMessage("retryPolicy", () -> NamesrvClient.builder().endpoints("a:1").retryPolicy(null).build());
        assertMessage("defaultConsistency", () -> NamesrvClient.builder().endpoints("a:1")
                .defaultConsistency(Consistency.CONSISTENCY_UNSPECIFIED).build());
        assertMessage("rpcOptions", () -> NamesrvClient.builder().endpoints("a:1").rpcOptions(null).build());
        assertMessage("maxAttempts", () -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO, 0));
        assertMessage("jitter", () -> RetryPolicy.DEFAULT.withJitter(2));
        assertMessage("node", () -> CallOptions.DEFAULT.withNode("nope"));
        assertMessage("minIndex", () -> CallOptions.DEFAULT.withMinIndex(-1));
        try (NamesrvClient c = NamesrvClient.builder().endpoints(List.of("127.0.0.1:1", " 127.0.0.1:2 ")).build()) {
            assertEquals(List.of("127.0.0.1:1", "127.0.0.1:2"), c.endpoints());
            assertEquals(Duration.ofSeconds(3), c.requestTimeout());
            assertEquals(Duration.ofSeconds(10), c.overallTimeout());
            assertEquals(20, c.retryPolicy().maxAttempts());
            assertEquals(Duration.ofMillis(50), c.retryPolicy().initialBackoff());
            assertEquals(Duration.ofSeconds(1), c.retryPolicy().maxBackoff());
            assertEquals(Consistency.LINEARIZABLE, c.defaultConsistency());
            assertEquals(0, c.highestSeenIndex());
        }
        assertEquals(Duration.ofMillis(400).toNanos(), RetryPolicy.DEFAULT.baseDelayNanos(4));
        assertEquals(Duration.ofSeconds(1).toNanos(), RetryPolicy.DEFAULT.baseDelayNanos(40));
    }

    private static void assertMessage(String word, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(word), "'" + e.getMessage() + "' should name " + word);
    }

    // ---- typed calls -------------------------------------------------------------------------------------------

    @Test
    void typedCallsAndMeta() {
        FakeNode a = node("n1");
        a.role = Role.LEADER;
        a.appliedIndex = 17;
        NamesrvClient c = client(builder(a.endpoint));
        Reply<TopicRoute> route = c.getTopicRoute("TopicA");
        assertEquals("TopicA", route.value().getTopic());
        assertEquals(new ResponseMeta("n1", Role.LEADER, 3, 17, Consistency.LINEARIZABLE, 0, "", a.endpoint),
                route.meta());
        assertEquals("served=LINEARIZABLE node=n1 role=LEADER term=3 applied=17 endpoint=" + a.endpoint,
                route.meta().toMetaLine());
        assertEquals(List.of("TopicA", "TopicB"), c.listTopics(null).value());
        assertEquals("c1", a.received.get(a.received.size() - 1).getListTopics().getCluster().isEmpty() ? "c1" : "x");
        c.listTopics("c9");
        assertEquals("c9", a.received.get(a.received.size() - 1).getListTopics().getCluster());
        assertEquals("v-k", c.kvGet("ns", "k").value());
        assertEquals(Map.of("a", "1", "b", "2"), c.kvList("ns").value());
        assertEquals(List.of("a", "b"), new ArrayList<>(c.kvList("ns").value().keySet()));
        assertNull(c.kvPut("ns", "k", "v").value());
        assertFalse(c.kvDelete("ns", "k").value());
        assertTrue(c.deleteTopic("TopicA", null).value().getExisted());
        assertEquals(17, c.registerBroker(RegisterBrokerRequest.newBuilder().setBrokerName("b").build()).value()
                .getBrokerEpoch());
        c.unregisterBroker(UnregisterBrokerRequest.newBuilder().setBrokerName("b").build());
        assertEquals(1, c.getClusterInfo().value().getClusterAddrTableCount());
        Reply<GetNodeStatusResponse> st = c.nodeStatus(null);
        assertEquals("n1", st.value().getNodeId());
        assertEquals("raft", st.value().getMode());
        assertEquals(17, c.highestSeenIndex());
        for (RequestEnvelope r : a.received) {
            assertEquals("rns-java-client", r.getClientId());
            boolean write = switch (r.getBodyCase()) {
                case REGISTER_BROKER, UNREGISTER_BROKER, DELETE_TOPIC, KV_PUT, KV_DELETE, GET_NODE_STATUS -> true;
                default -> false;
            };
            assertEquals(!write, r.hasRead(), r.getBodyCase() + " read options");
        }
        assertEquals(a.endpoint, c.knownLeader());
    }

    @Test
    void nonRetriableErrorFailsAtOnce() {
        FakeNode a = node("n1");
        FakeNode b = node("n2");
        a.script = b.script = r -> (r.hasGetTopicRoute() ? a : null) == null ? null
                : a.error(ErrorCode.TOPIC_NOT_FOUND, false, "no route for topic Nope");
        NamesrvClient c = client(builder(a.endpoint, b.endpoint));
        NamesrvException e = fails(() -> c.getTopicRoute("Nope"));
        assertEquals(NamesrvException.Kind.SERVER, e.kind());
        assertEquals(ErrorCode.TOPIC_NOT_FOUND, e.code());
        assertEquals("no route for topic Nope", e.detail());
        assertEquals(1, e.attempts());
        assertFalse(e.outcomeUnknown());
        assertNotNull(e.meta());
        assertEquals(1, a.received.size() + b.received.size());
    }

    @Test
    void unspecifiedCodeIsAProtocolError() {
        FakeNode a = node("n1");
        a.script = r -> a.ok(r).setHeader(a.header(ErrorCode.ERROR_CODE_UNSPECIFIED)).build();
        NamesrvClient c = client(builder(a.endpoint));
        NamesrvException e = fails(() -> c.kvGet("ns", "k"));
        assertEquals(NamesrvException.Kind.PROTOCOL_ERROR, e.kind());
        assertEquals(1, a.received.size());
        a.script = r -> a.ok(RequestEnvelope.newBuilder().setKvList(KvListRequest.getDefaultInstance()).build())
                .build();
        assertEquals(NamesrvException.Kind.PROTOCOL_ERROR, fails(() -> c.kvGet("ns", "k")).kind(), "body mismatch");
    }

    // ---- leader following and failover --------------------------------------------------------------------------

    @Test
    void notLeaderHintIsFollowedAndRemembered() {
        // the leader is not even in the endpoint list: any host:port is followed
        FollowerAndLeader nodes = followerAndLeader();
        FakeNode follower = nodes.follower(), leader = nodes.leader();
        follower.script = r -> r.hasKvPut() ? follower.error(ErrorCode.NOT_LEADER, true, "not the leader") : null;
        NamesrvClient c = client(builder(follower.endpoint));
        Reply<Void> r = c.kvPut("ns", "k", "v");
        assertEquals(leader.endpoint, r.meta().endpoint());
        assertEquals("n1", r.meta().nodeId());
        assertEquals(1, follower.count(RequestEnvelope.BodyCase.KV_PUT));
        assertEquals(1, leader.count(RequestEnvelope.BodyCase.KV_PUT));
        assertEquals(leader.endpoint, c.knownLeader());
        c.kvDelete("ns", "k");
        assertEquals(1, leader.count(RequestEnvelope.BodyCase.KV_DELETE), "the next write goes straight to the leader");
        assertEquals(0, follower.count(RequestEnvelope.BodyCase.KV_DELETE));
        // reads stay on the sticky endpoint
        c.kvGet("ns", "k");
        assertEquals(1, follower.count(RequestEnvelope.BodyCase.KV_GET));
    }

    @Test
    void heartbeatAndLeaseTableAreRoutedLikeWritesAndRetried() {
        FollowerAndLeader nodes = followerAndLeader();
        FakeNode follower = nodes.follower(), leader = nodes.leader();
        follower.script = r -> r.hasHeartbeat() || r.hasListBrokerLeases()
                ? follower.error(ErrorCode.NOT_LEADER, true, "not the leader")
                : null;
        NamesrvClient c = client(builder(follower.endpoint));
        HeartbeatRequest hb = HeartbeatRequest.newBuilder().setCluster("C").setBrokerName("b1").setBrokerId(0)
                .setBrokerAddr("h:1").setBrokerEpoch(12).setBindConnection(true).build();
        Reply<HeartbeatResponse> r = c.heartbeat(hb);
        assertEquals(10_000, r.value().getLeaseTimeoutMs());
        assertEquals(leader.endpoint, r.meta().endpoint());
        assertEquals(hb, leader.received.get(0).getHeartbeat());
        assertFalse(leader.received.get(0).hasRead(), "a heartbeat carries no read options");
        assertEquals(leader.endpoint, c.knownLeader());
        Reply<ListBrokerLeasesResponse> leases = c.listBrokerLeases();
        assertEquals(2, leases.value().getLeasesCount());
        assertEquals("n1", leases.value().getLeaderId());
        assertEquals(0, follower.count(RequestEnvelope.BodyCase.LIST_BROKER_LEASES), "straight to the known leader");
        assertFalse(leader.received.get(1).hasRead());

        // retriable failures are retried; a server-side DEADLINE_EXCEEDED is never "outcome unknown" for a heartbeat
        AtomicInteger n = new AtomicInteger();
        leader.script = q -> q.hasHeartbeat() && n.incrementAndGet() <= 2
                ? leader.error(n.get() == 1 ? ErrorCode.OVERLOADED : ErrorCode.DEADLINE_EXCEEDED, true, "busy")
                : null;
        assertEquals(10_000, c.heartbeat(hb, CallOptions.DEFAULT).value().getLeaseTimeoutMs());
        assertEquals(3, n.get());
        leader.script = q -> leader.error(ErrorCode.DEADLINE_EXCEEDED, true, "busy");
        NamesrvException e = fails(() -> c.heartbeat(hb));
        assertFalse(e.outcomeUnknown());
        assertEquals(FAST.maxAttempts(), e.attempts());
        // STALE_BROKER_EPOCH is not retriable
        leader.script = q -> leader.error(ErrorCode.STALE_BROKER_EPOCH, false, "epoch 12 is not current (13)");
        long before = leader.count(RequestEnvelope.BodyCase.HEARTBEAT);
        e = fails(() -> c.heartbeat(hb));
        assertEquals(ErrorCode.STALE_BROKER_EPOCH, e.code());
        assertEquals(before + 1, leader.count(RequestEnvelope.BodyCase.HEARTBEAT), "not retried");
    }

    @Test
    void leaderLearnedFromReadHeaders() {
        FollowerAndLeader nodes = followerAndLeader();
        FakeNode a = nodes.follower(), b = nodes.leader();
        NamesrvClient c = client(builder(a.endpoint));
        c.kvGet("ns", "k");
        assertEquals(b.endpoint, c.knownLeader());
        c.kvPut("ns", "k", "v");
        assertEquals(1, b.count(RequestEnvelope.BodyCase.KV_PUT));
        assertEquals(0, a.count(RequestEnvelope.BodyCase.KV_PUT));
    }

    @Test
    void failsOverWhenAnEndpointIsDown() {
        FakeNode live = node("n2");
        String dead = FakeNode.deadEndpoint();
        for (long seed = 0; seed < 4; seed++) { // both start positions
            NamesrvClient c = client(builder(dead, live.endpoint).randomSeed(seed));
            assertEquals(live.endpoint, c.kvGet("ns", "k").meta().endpoint());
            assertEquals(live.endpoint, c.kvPut("ns", "k", "v").meta().endpoint());
            assertEquals(live.endpoint, c.kvGet("ns", "k").meta().endpoint(), "sticky on the live node");
        }
    }

    @Test
    void leaderDownMovesWritesToAnotherNode() {
        FakeNode a = node("n1");
        FakeNode b = node("n2");
        a.role = Role.LEADER;
        NamesrvClient c = client(builder(a.endpoint, b.endpoint));
        c.kvPut("ns", "k", "v");
        c.kvGet("ns", "k", CallOptions.DEFAULT.withNode(a.endpoint));
        assertEquals(a.endpoint, c.knownLeader());
        a.close();
        b.role = Role.LEADER;
        assertEquals(b.endpoint, c.kvPut("ns", "k", "v2").meta().endpoint());
        assertEquals(b.endpoint, c.knownLeader());
    }

    @Test
    void retriesAreBoundedByMaxAttempts() {
        FakeNode a = node("n1");
        FakeNode b = node("n2");
        a.script = r -> a.error(ErrorCode.OVERLOADED, true, "busy");
        b.script = r -> b.error(ErrorCode.NO_QUORUM, true, "no quorum");
        NamesrvClient c = client(builder(a.endpoint, b.endpoint).retryPolicy(FAST.withMaxAttempts(3)));
        NamesrvException e = fails(() -> c.kvGet("ns", "k"));
        assertEquals(3, e.attempts());
        assertEquals(3, a.received.size() + b.received.size());
        assertTrue(a.received.size() >= 1 && b.received.size() >= 1, "round-robin over both");
        assertTrue(e.retriable());
        assertFalse(e.outcomeUnknown());
    }

    @Test
    void retriesAreBoundedByOverallTimeout() {
        FakeNode a = node("n1");
        a.blackhole = true;
        NamesrvClient c = client(builder(a.endpoint).retryPolicy(FAST.withMaxAttempts(100))
                .requestTimeout(Duration.ofMillis(100)).overallTimeout(Duration.ofMillis(350)));
        long t0 = System.nanoTime();
        NamesrvException e = fails(() -> c.kvGet("ns", "k"));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals(NamesrvException.Kind.TIMEOUT, e.kind());
        assertEquals(ErrorCode.DEADLINE_EXCEEDED, e.code());
        assertTrue(ms >= 300 && ms < 2000, "took " + ms + " ms");
        assertTrue(e.attempts() >= 3 && e.attempts() <= 5, "attempts " + e.attempts());
        assertFalse(e.outcomeUnknown(), "reads never have an unknown outcome");
        // every attempt carried its own deadline
        for (RequestEnvelope r : a.received)
            assertTrue(r.getTimeoutMs() <= 100, "timeout_ms=" + r.getTimeoutMs());
    }

    @Test
    void minIndexCarriesHighestSeenIndexAcrossNodeSwitch() {
        FakeNode a = node("n1");
        FakeNode b = node("n2");
        a.appliedIndex = 50;
        b.appliedIndex = 20;
        NamesrvClient c = client(builder(a.endpoint, b.endpoint).defaultConsistency(Consistency.SEQUENTIAL));
        c.kvGet("ns", "k", CallOptions.DEFAULT.withNode(a.endpoint));
        assertEquals(50, c.highestSeenIndex());
        Reply<String> r = c.kvGet("ns", "k", CallOptions.DEFAULT.withNode(b.endpoint));
        RequestEnvelope sent = b.received.get(0);
        assertEquals(50, sent.getRead().getMinIndex());
        assertEquals(Consistency.SEQUENTIAL, sent.getRead().getConsistency());
        assertEquals(50, c.highestSeenIndex(), "never decreases");
        assertEquals(20, r.meta().appliedIndex());
        // an explicit higher floor wins; explicit consistency overrides the default
        c.kvGet("ns", "k", CallOptions.DEFAULT.withNode(b.endpoint).withMinIndex(70).withConsistency(Consistency.STALE)
                .withMaxStalenessMs(900));
        ReadOptions ro = b.received.get(1).getRead();
        assertEquals(70, ro.getMinIndex());
        assertEquals(Consistency.STALE, ro.getConsistency());
        assertEquals(900, ro.getMaxStalenessMs());
        // failover (not pinned): the node that answers after a switch still gets the floor
        a.close();
        a.appliedIndex = 0;
        b.appliedIndex = 60;
        NamesrvClient c2 = client(builder(a.endpoint, b.endpoint).randomSeed(1));
        b.appliedIndex = 80;
        c2.kvPut("ns", "k", "v"); // a write's header raises the floor too
        assertEquals(80, c2.highestSeenIndex());
        c2.kvGet("ns", "k");
        assertEquals(80, b.received.get(b.received.size() - 1).getRead().getMinIndex());
    }

    @Test
    void pinnedNodeDoesNotFailOver() {
        FakeNode a = node("n1");
        FakeNode b = node("n2");
        a.script = r -> a.error(ErrorCode.NO_QUORUM, true, "no quorum");
        NamesrvClient c = client(builder(a.endpoint, b.endpoint));
        NamesrvException e = fails(() -> c.kvGet("ns", "k", CallOptions.DEFAULT.withNode(a.endpoint)));
        assertEquals(ErrorCode.NO_QUORUM, e.code());
        assertEquals(1, e.attempts());
        assertEquals(1, a.received.size());
        assertEquals(0, b.received.size());
        a.leaderHint = b.endpoint;
        a.script = r -> a.error(ErrorCode.NOT_LEADER, true, "not leader");
        NamesrvException nl = fails(() -> c.kvPut("ns", "k", "v", CallOptions.DEFAULT.withNode(a.endpoint)));
        assertEquals(ErrorCode.NOT_LEADER, nl.code());
        assertEquals(b.endpoint, nl.leaderHint());
        assertEquals(0, b.received.size(), "no redirect when pinned");
        String dead = FakeNode.deadEndpoint();
        NamesrvException d = fails(() -> c.nodeStatus(dead));
        assertEquals(NamesrvException.Kind.CONNECT_FAILED, d.kind());
        assertEquals(0, b.received.size());
    }

    // ---- outcome unknown ----------------------------------------------------------------------------------------

    /** Accepts connections, reads a little and closes them: the request was sent, its fate unknown. */
    private String dropper() throws Exception {
        ServerSocket ss = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        closeables.add(ss);
        Thread t = new Thread(() -> {
            while (!ss.isClosed()) {
                try (Socket s = ss.accept()) {
                    InputStream in = s.getInputStream();
                    in.read(new byte[4]);
                } catch (Exception e) {
                    return;
                }
            }
        }, "dropper");
        t.setDaemon(true);
        t.start();
        return "127.0.0.1:" + ss.getLocalPort();
    }

    @Test
    void writeWhoseConnectionDroppedHasUnknownOutcome() throws Exception {
        String drop = dropper();
        NamesrvClient one = client(builder(drop).retryPolicy(FAST.withMaxAttempts(1)));
        NamesrvException e = fails(() -> one.kvPut("ns", "k", "v"));
        assertEquals(NamesrvException.Kind.CONNECTION_CLOSED, e.kind());
        assertEquals(ErrorCode.ERROR_CODE_UNSPECIFIED, e.code());
        assertTrue(e.outcomeUnknown());
        assertFalse(fails(() -> one.kvGet("ns", "k")).outcomeUnknown(), "a read's outcome is never 'unknown'");

        // retried elsewhere; the last error is a clean refusal, but an earlier attempt may have applied the write
        FakeNode b = node("n2");
        b.script = r -> b.error(ErrorCode.NO_QUORUM, true, "no quorum");
        NamesrvClient two = client(builder(drop, b.endpoint).retryPolicy(FAST.withMaxAttempts(2)));
        NamesrvException e2 = fails(() -> two.kvPut("ns", "k", "v"));
        assertEquals(2, e2.attempts());
        assertTrue(e2.outcomeUnknown());
    }

    @Test
    void outcomeUnknownFromServerIsRetriedBecauseWritesAreIdempotent() {
        FakeNode a = node("n1");
        a.role = Role.LEADER;
        int[] calls = {0};
        a.script = r -> ++calls[0] == 1 ? a.error(ErrorCode.OUTCOME_UNKNOWN, false, "leader stepped down") : null;
        NamesrvClient c = client(builder(a.endpoint));
        assertEquals(a.endpoint, c.kvPut("ns", "k", "v").meta().endpoint());
        assertEquals(2, a.received.size());
        // and when it never resolves, the final error says so
        a.script = r -> a.error(ErrorCode.OUTCOME_UNKNOWN, false, "still unknown");
        NamesrvException e = fails(() -> c.kvPut("ns", "k", "v"));
        assertEquals(ErrorCode.OUTCOME_UNKNOWN, e.code());
        assertTrue(e.outcomeUnknown());
        assertEquals(5, e.attempts());
    }

    @Test
    void writeTimeoutAfterSendIsUnknown() {
        FakeNode a = node("n1");
        a.blackhole = true;
        NamesrvClient c = client(
                builder(a.endpoint).retryPolicy(FAST.withMaxAttempts(2)).requestTimeout(Duration.ofMillis(100)));
        NamesrvException e = fails(() -> c.kvDelete("ns", "k"));
        assertEquals(NamesrvException.Kind.TIMEOUT, e.kind());
        assertTrue(e.outcomeUnknown());
        assertEquals(2, e.attempts());
    }

    @Test
    void callAsyncCompletesWithTheResponse() throws Exception {
        FakeNode a = node("n1");
        NamesrvClient c = client(builder(a.endpoint));
        ResponseEnvelope r = c.callAsync(RequestEnvelope.newBuilder().setKvGet(KvGetRequest.newBuilder().setKey("z")),
                CallOptions.DEFAULT, true).get(5, TimeUnit.SECONDS);
        assertEquals("v-z", r.getKvGet().getValue());
        assertTrue(a.received.get(0).hasRead());
        c.close();
        assertThrows(IllegalStateException.class, () -> c.kvGet("ns", "k"));
    }
}
