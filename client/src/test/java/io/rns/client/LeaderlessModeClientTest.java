package io.rns.client;

import io.rns.rpc.testing.Closer;
import io.rns.rpc.v1.*;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.rns.rpc.testing.Await.await;
import static org.junit.jupiter.api.Assertions.*;

/** The client and the registrar against fake leaderless nodes (and AUTO mode learning). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LeaderlessModeClientTest {
    private static final RetryPolicy FAST = new RetryPolicy(5, Duration.ofMillis(1), Duration.ofMillis(5), 0);
    private static final RegisterBrokerRequest REG = RegisterBrokerRequest.newBuilder().setCluster("C")
            .setBrokerName("b1").setBrokerId(0).setBrokerAddr("10.0.0.1:10911")
            .addTopics(TopicConfig.newBuilder().setTopic("T1").setReadQueueNums(4).setWriteQueueNums(4).setPerm(6))
            .build();

    @RegisterExtension
    final Closer closeables = new Closer();

    /** A fake leaderless node: role LEADERLESS, own index (= the broker epoch it assigns), refuses non-STALE reads. */
    private FakeNode node(String id, long index) {
        FakeNode n = new FakeNode(id);
        n.mode = "leaderless";
        n.role = Role.LEADERLESS;
        n.appliedIndex = index;
        n.script = leaderless(n);
        closeables.add(n);
        return n;
    }

    private static Function<RequestEnvelope, ResponseEnvelope> leaderless(FakeNode n) {
        return q -> q.hasRead() && q.getRead().getConsistency() != Consistency.STALE
                && q.getRead().getConsistency() != Consistency.CONSISTENCY_UNSPECIFIED
                        ? n.error(ErrorCode.CONSISTENCY_NOT_SUPPORTED, false, "leaderless mode serves STALE reads only")
                        : null;
    }

    private NamesrvClient client(NamesrvClient.Builder b) {
        NamesrvClient c = b.build();
        closeables.add(c);
        return c;
    }

    private static NamesrvClient.Builder builder(String... endpoints) {
        return NamesrvClient.builder().endpoints(endpoints).retryPolicy(FAST).randomSeed(42)
                .requestTimeout(Duration.ofSeconds(1)).overallTimeout(Duration.ofSeconds(3));
    }

    private static long count(FakeNode n, RequestEnvelope.BodyCase body) {
        return n.count(body);
    }

    // ---- mode ----------------------------------------------------------------------------------------------------

    @Test
    void autoLearnsLeaderlessFromTheFirstNodeStatusAnswerOnceAndCachesIt() {
        FakeNode a = node("n1", 10);
        FakeNode b = node("n2", 20);
        String dead = FakeNode.deadEndpoint();
        NamesrvClient c = client(builder(dead, a.endpoint, b.endpoint));
        assertEquals(ClusterMode.AUTO, c.configuredMode());
        assertEquals(Consistency.LINEARIZABLE, c.defaultConsistency(), "the builder's level, as configured");
        assertEquals(Consistency.STALE, c.effectiveDefaultConsistency());
        assertEquals(ClusterMode.LEADERLESS, c.mode());
        long statuses = count(a, RequestEnvelope.BodyCase.GET_NODE_STATUS)
                + count(b, RequestEnvelope.BodyCase.GET_NODE_STATUS);
        assertEquals(1, statuses, "one answer is enough (a dead endpoint is skipped)");
        c.getTopicRoute("T");
        c.getTopicRoute("T");
        assertEquals(ClusterMode.LEADERLESS, c.mode());
        assertEquals(statuses,
                count(a, RequestEnvelope.BodyCase.GET_NODE_STATUS) + count(b, RequestEnvelope.BodyCase.GET_NODE_STATUS),
                "cached");
    }

    @Test
    void autoLearnsLazilyOnTheFirstCallAndRaftStaysRaft() {
        FakeNode r = new FakeNode("r1");
        closeables.add(r);
        r.role = Role.LEADER;
        NamesrvClient c = client(builder(r.endpoint));
        assertEquals(0, r.received.size(), "nothing is sent before the first use");
        c.getTopicRoute("T");
        assertEquals(List.of(RequestEnvelope.BodyCase.GET_NODE_STATUS, RequestEnvelope.BodyCase.GET_TOPIC_ROUTE),
                r.received.stream().map(RequestEnvelope::getBodyCase).collect(Collectors.toList()));
        assertEquals(Consistency.LINEARIZABLE, r.received.get(1).getRead().getConsistency());
        assertEquals(ClusterMode.RAFT, c.mode());
    }

    @Test
    void autoWithNoAnswerFailsAndAsksAgainNextTime() {
        String d1 = FakeNode.deadEndpoint();
        String d2 = FakeNode.deadEndpoint();
        NamesrvClient c = client(builder(d1, d2));
        NamesrvException e = assertThrows(NamesrvException.class, c::mode);
        assertEquals(NamesrvException.Kind.CONNECT_FAILED, e.kind());
        assertTrue(e.getMessage().contains(d1) && e.getMessage().contains(d2), e.getMessage());
        assertThrows(NamesrvException.class, () -> c.getTopicRoute("T"));
    }

    @Test
    void nodeStatusTeachesAutoTheMode() {
        FakeNode a = node("n1", 10);
        NamesrvClient c = client(builder(a.endpoint));
        assertEquals("leaderless", c.nodeStatus(a.endpoint).value().getMode());
        assertEquals(ClusterMode.LEADERLESS, c.mode());
        assertEquals(1, count(a, RequestEnvelope.BodyCase.GET_NODE_STATUS));
    }

    // ---- reads ---------------------------------------------------------------------------------------------------

    @Test
    void defaultIsStaleWithoutAnIndexFloorAndAnExplicitLevelIsSentAsIs() {
        FakeNode a = node("n1", 50);
        NamesrvClient c = client(builder(a.endpoint).mode(ClusterMode.LEADERLESS));
        assertEquals(0, a.received.size(), "an explicit mode asks nothing");
        Reply<TopicRoute> r = c.getTopicRoute("T");
        assertEquals(Consistency.STALE, r.meta().served());
        assertEquals(Role.LEADERLESS, r.meta().role());
        c.getTopicRoute("T");
        ReadOptions ro = a.received.get(1).getRead();
        assertEquals(Consistency.STALE, ro.getConsistency());
        assertEquals(0, ro.getMinIndex(), "no floor: indexes are per node");
        assertEquals(0, c.highestSeenIndex());
        c.kvGet("ns", "k", CallOptions.DEFAULT.withMinIndex(7));
        assertEquals(7, a.received.get(2).getRead().getMinIndex(), "an explicit min_index is sent as given");

        // a per-call level is sent as-is and refused, not downgraded
        NamesrvException e = assertThrows(NamesrvException.class,
                () -> c.getTopicRoute("T", CallOptions.DEFAULT.withConsistency(Consistency.LEASE)));
        assertEquals(ErrorCode.CONSISTENCY_NOT_SUPPORTED, e.code());
        assertEquals(Consistency.LEASE, a.received.get(a.received.size() - 1).getRead().getConsistency());

        // an explicit builder default too
        FakeNode b = node("n2", 60);
        NamesrvClient strict = client(
                builder(b.endpoint).mode(ClusterMode.LEADERLESS).defaultConsistency(Consistency.LINEARIZABLE));
        assertEquals(Consistency.LINEARIZABLE, strict.effectiveDefaultConsistency());
        NamesrvException s = assertThrows(NamesrvException.class, () -> strict.listTopics(null));
        assertEquals(ErrorCode.CONSISTENCY_NOT_SUPPORTED, s.code());
        assertEquals(1, b.received.size(), "not retried, not downgraded");
        assertEquals(Consistency.LINEARIZABLE, b.received.get(0).getRead().getConsistency());
        // and an explicit STALE default works
        NamesrvClient stale = client(
                builder(b.endpoint).mode(ClusterMode.LEADERLESS).defaultConsistency(Consistency.STALE));
        assertEquals(Consistency.STALE, stale.getTopicRoute("T").meta().served());
    }

    @Test
    void readsStickToARandomNodeAndMoveRoundRobinOnFailure() throws Exception {
        List<FakeNode> nodes = List.of(node("n1", 1), node("n2", 2), node("n3", 3));
        String[] eps = nodes.stream().map(n -> n.endpoint).toArray(String[]::new);
        int start = new Random(42).nextInt(3); // the client's seeded random picks the first node
        NamesrvClient c = client(builder(eps).mode(ClusterMode.LEADERLESS));
        for (int i = 0; i < 5; i++)
            assertEquals(eps[start], c.getTopicRoute("T").meta().endpoint());
        assertEquals(5, nodes.get(start).received.size(), "sticky");

        // a retriable error moves to the next node, round-robin, and the reads stay there
        FakeNode first = nodes.get(start);
        first.script = q -> first.error(ErrorCode.OVERLOADED, true, "busy");
        int second = (start + 1) % 3;
        for (int i = 0; i < 3; i++)
            assertEquals(eps[second], c.getTopicRoute("T").meta().endpoint());
        assertEquals(6, first.received.size(), "the failed node was asked once, then left");

        // a transport failure moves on again
        nodes.get(second).close();
        int third = (start + 2) % 3;
        for (int i = 0; i < 3; i++)
            assertEquals(eps[third], c.getTopicRoute("T").meta().endpoint());
        assertEquals(3, nodes.get(third).received.size());

        // a non-retriable error does not move
        FakeNode t = nodes.get(third);
        t.script = q -> t.error(ErrorCode.TOPIC_NOT_FOUND, false, "no route");
        assertEquals(ErrorCode.TOPIC_NOT_FOUND,
                assertThrows(NamesrvException.class, () -> c.getTopicRoute("X")).code());
        t.script = leaderless(t);
        assertEquals(eps[third], c.getTopicRoute("T").meta().endpoint());
    }

    // ---- fan-out writes ------------------------------------------------------------------------------------------

    @Test
    void writesFanOutToEveryNodeWithPerEndpointOutcomes() {
        FakeNode a = node("n1", 100);
        FakeNode b = node("n2", 200);
        FakeNode d = node("n3", 300);
        NamesrvClient c = client(builder(a.endpoint, b.endpoint, d.endpoint).mode(ClusterMode.LEADERLESS));
        Reply<RegisterBrokerResponse> r = c.registerBroker(REG);
        assertTrue(r.fannedOut());
        assertEquals(List.of(a.endpoint, b.endpoint, d.endpoint), new ArrayList<>(r.perEndpoint().keySet()));
        Map<String, Long> epochs = new LinkedHashMap<>();
        r.perEndpoint().forEach((ep, o) -> epochs.put(ep, o.value().getBrokerEpoch()));
        assertEquals(Map.of(a.endpoint, 100L, b.endpoint, 200L, d.endpoint, 300L), epochs, "each node's own epoch");
        assertEquals("n2", r.perEndpoint().get(b.endpoint).reply().meta().nodeId());
        assertEquals(100, r.value().getBrokerEpoch(), "the value is the first endpoint's");
        assertEquals(a.endpoint, r.meta().endpoint());
        assertEquals(List.of(), r.failedEndpoints());
        for (FakeNode n : List.of(a, b, d)) {
            assertEquals(REG, n.received.get(0).getRegisterBroker());
        }

        c.unregisterBroker(UnregisterBrokerRequest.newBuilder().setBrokerName("b1").build());
        assertTrue(c.deleteTopic("T1", null).fannedOut());
        assertEquals(3, c.kvPut("ns", "k", "v").perEndpoint().size());
        assertFalse(c.kvDelete("ns", "k").value());
        for (FakeNode n : List.of(a, b, d)) {
            assertEquals(
                    List.of(RequestEnvelope.BodyCase.REGISTER_BROKER, RequestEnvelope.BodyCase.UNREGISTER_BROKER,
                            RequestEnvelope.BodyCase.DELETE_TOPIC, RequestEnvelope.BodyCase.KV_PUT,
                            RequestEnvelope.BodyCase.KV_DELETE),
                    n.received.stream().map(RequestEnvelope::getBodyCase).collect(Collectors.toList()), n.nodeId);
            assertFalse(n.received.get(0).hasRead());
        }

        // pinned: that node only
        Reply<Void> pinned = c.kvPut("ns", "k2", "v", CallOptions.DEFAULT.withNode(b.endpoint));
        assertFalse(pinned.fannedOut());
        assertEquals(5, a.received.size());
        assertEquals(6, b.received.size());
    }

    @Test
    void aFanOutWriteSucceedsWhenOneNodeIsDownAndReportsIt() {
        String dead = FakeNode.deadEndpoint();
        FakeNode b = node("n2", 200);
        FakeNode d = node("n3", 300);
        d.script = q -> q.hasKvPut() ? d.error(ErrorCode.INVALID_ARGUMENT, false, "value too long") : null;
        NamesrvClient c = client(builder(dead, b.endpoint, d.endpoint).mode(ClusterMode.LEADERLESS));
        Reply<RegisterBrokerResponse> r = c.registerBroker(REG);
        assertEquals(200, r.value().getBrokerEpoch(), "the first endpoint that succeeded");
        assertEquals(List.of(dead), r.failedEndpoints());
        Reply.Outcome<RegisterBrokerResponse> down = r.perEndpoint().get(dead);
        assertFalse(down.ok());
        assertEquals(NamesrvException.Kind.CONNECT_FAILED, down.error().kind());
        assertEquals(1, down.error().attempts(), "one attempt per node, no retry");
        assertThrows(NamesrvException.class, down::value);

        Reply<Void> put = c.kvPut("ns", "k", "v");
        assertEquals(List.of(dead, d.endpoint), put.failedEndpoints());
        assertEquals(ErrorCode.INVALID_ARGUMENT, put.perEndpoint().get(d.endpoint).error().code());
        assertEquals(b.endpoint, put.meta().endpoint());
    }

    @Test
    void aFanOutWriteThrowsTheFirstErrorListingAllWhenEveryNodeFails() {
        String d1 = FakeNode.deadEndpoint();
        FakeNode b = node("n2", 200);
        b.script = q -> b.error(ErrorCode.INVALID_ARGUMENT, false, "bad broker");
        String d3 = FakeNode.deadEndpoint();
        NamesrvClient c = client(builder(d1, b.endpoint, d3).mode(ClusterMode.LEADERLESS));
        NamesrvException e = assertThrows(NamesrvException.class, () -> c.registerBroker(REG));
        assertEquals(NamesrvException.Kind.CONNECT_FAILED, e.kind(), "the first endpoint's failure");
        assertEquals(d1, e.endpoint());
        for (String s : List.of(d1, b.endpoint, d3, "INVALID_ARGUMENT: bad broker", "CONNECT_FAILED")) {
            assertTrue(e.getMessage().contains(s), "'" + e.getMessage() + "' should name " + s);
        }
        assertEquals(1, b.count(RequestEnvelope.BodyCase.REGISTER_BROKER));

        // all down
        NamesrvClient down = client(builder(d1, d3).mode(ClusterMode.LEADERLESS));
        NamesrvException all = assertThrows(NamesrvException.class, () -> down.kvDelete("ns", "k"));
        assertTrue(all.getMessage().contains(d1) && all.getMessage().contains(d3), all.getMessage());
        assertFalse(all.outcomeUnknown(), "refused connections: nothing was applied");
    }

    @Test
    void callAsyncWritesFanOutToo() throws Exception {
        FakeNode a = node("n1", 1);
        FakeNode b = node("n2", 2);
        NamesrvClient c = client(builder(a.endpoint, b.endpoint).mode(ClusterMode.LEADERLESS));
        ResponseEnvelope r = c
                .callAsync(RequestEnvelope.newBuilder()
                        .setKvPut(KvPutRequest.newBuilder().setNamespace("n").setKey("k").setValue("v")), null, false)
                .get(5, TimeUnit.SECONDS);
        assertEquals("n1", r.getHeader().getNodeId());
        assertEquals(1, a.count(RequestEnvelope.BodyCase.KV_PUT));
        assertEquals(1, b.count(RequestEnvelope.BodyCase.KV_PUT));
    }

    // ---- registrar -----------------------------------------------------------------------------------------------

    /** Records listener callbacks as strings. */
    static final class Events extends RecordingListener {
        @Override
        public void reRegistered(String endpoint, long epoch, String reason) {
            all.add("reRegistered " + endpoint + " " + epoch + " " + reason);
        }
    }

    private static List<HeartbeatRequest> heartbeats(FakeNode n) {
        return n.received.stream().filter(RequestEnvelope::hasHeartbeat).map(RequestEnvelope::getHeartbeat)
                .collect(Collectors.toList());
    }

    @Test
    void registrarRegistersEverywhereHeartbeatsEachNodeWithItsOwnEpochAndHealsOnlyTheNodeThatForgot() throws Exception {
        FakeNode a = node("n1", 100);
        FakeNode b = node("n2", 200);
        FakeNode d = node("n3", 300);
        // n2 "restarted empty" once: its next heartbeat answers UNKNOWN_BROKER until the broker registers again
        AtomicBoolean forgot = new AtomicBoolean(false);
        b.script = q -> {
            if (q.hasRegisterBroker())
                forgot.set(false);
            return q.hasHeartbeat() && forgot.get() ? b.error(ErrorCode.UNKNOWN_BROKER, false, "not registered") : null;
        };
        NamesrvClient c = client(builder(a.endpoint, b.endpoint, d.endpoint)); // AUTO: learns leaderless
        Events events = new Events();
        BrokerRegistrar r = BrokerRegistrar.builder(c, REG).heartbeatInterval(Duration.ofMillis(50)).listener(events)
                .build();
        closeables.add(r);
        assertEquals(Map.of(), r.epochs());
        r.start();
        assertEquals(ClusterMode.LEADERLESS, c.mode());
        assertEquals(List.of(a.endpoint, b.endpoint, d.endpoint), new ArrayList<>(r.epochs().keySet()));
        assertEquals(Map.of(a.endpoint, 100L, b.endpoint, 200L, d.endpoint, 300L), r.epochs());
        assertEquals(100, r.epoch(), "the first endpoint's");
        for (FakeNode n : List.of(a, b, d)) {
            assertEquals(1, n.count(RequestEnvelope.BodyCase.REGISTER_BROKER), n.nodeId);
            assertTrue(n.received.stream().filter(RequestEnvelope::hasRegisterBroker).findFirst().orElseThrow()
                    .getRegisterBroker().getBindConnection(), "bind_connection");
        }
        await(() -> heartbeats(a).size() >= 3 && heartbeats(b).size() >= 3 && heartbeats(d).size() >= 3, "heartbeats");
        for (FakeNode n : List.of(a, b, d)) {
            for (HeartbeatRequest hb : heartbeats(n)) {
                assertEquals(n.appliedIndex, hb.getBrokerEpoch(), n.nodeId + " is heartbeaten with its own epoch");
                assertTrue(hb.getBindConnection());
            }
        }
        assertEquals(List.of("registered 100"), events.all);

        b.appliedIndex = 250; // the epoch n2 assigns at the re-registration
        forgot.set(true);
        await(() -> r.stats().reRegistrations() == 1, "n2 re-registered");
        assertEquals(Map.of(a.endpoint, 100L, b.endpoint, 250L, d.endpoint, 300L), r.epochs());
        assertEquals(1, a.count(RequestEnvelope.BodyCase.REGISTER_BROKER), "n1 untouched");
        assertEquals(2, b.count(RequestEnvelope.BodyCase.REGISTER_BROKER));
        assertEquals(1, d.count(RequestEnvelope.BodyCase.REGISTER_BROKER), "n3 untouched");
        int seen = heartbeats(b).size();
        await(() -> heartbeats(b).size() >= seen + 2, "more heartbeats to n2");
        List<HeartbeatRequest> hbs = heartbeats(b);
        assertEquals(250, hbs.get(hbs.size() - 1).getBrokerEpoch());
        assertEquals(0, r.stats().heartbeatFailures());
        assertEquals(List.of("registered 100", "reRegistered " + b.endpoint + " 250 UNKNOWN_BROKER"), events.all);

        r.close();
        for (FakeNode n : List.of(a, b, d)) {
            List<UnregisterBrokerRequest> u = n.received.stream().filter(RequestEnvelope::hasUnregisterBroker)
                    .map(RequestEnvelope::getUnregisterBroker).collect(Collectors.toList());
            assertEquals(1, u.size(), n.nodeId);
            assertEquals(n.appliedIndex, u.get(0).getBrokerEpoch(), "each node's own epoch");
            assertEquals("b1", u.get(0).getBrokerName());
        }
        assertEquals("closed", events.all.get(events.all.size() - 1));
    }

    @Test
    void registrarStartsWhenOneNodeRefusesAndRegistersWithItAtTheNextRound() throws Exception {
        FakeNode a = node("n1", 100);
        FakeNode b = node("n2", 200);
        AtomicBoolean refuse = new AtomicBoolean(true);
        b.script = q -> q.hasRegisterBroker() && refuse.get() ? b.error(ErrorCode.OVERLOADED, true, "starting") : null;
        NamesrvClient c = client(builder(a.endpoint, b.endpoint).mode(ClusterMode.LEADERLESS));
        Events events = new Events();
        BrokerRegistrar r = BrokerRegistrar.builder(c, REG).heartbeatInterval(Duration.ofMillis(50)).listener(events)
                .build();
        closeables.add(r);
        r.start();
        assertEquals(Map.of(a.endpoint, 100L, b.endpoint, 0L), r.epochs());
        await(() -> r.stats().heartbeatFailures() >= 1, "a failed registration round with n2");
        assertEquals(0, heartbeats(b).size(), "no heartbeat to a node the broker is not registered with");
        refuse.set(false);
        await(() -> r.epochs().get(b.endpoint) == 200L, "n2 registered");
        await(() -> heartbeats(b).size() >= 2, "n2 heartbeats");
        assertTrue(events.all.contains("reRegistered " + b.endpoint + " 200 NOT_REGISTERED"), events.all.toString());
        assertEquals(1, a.count(RequestEnvelope.BodyCase.REGISTER_BROKER));

        // every node refusing a start fails it
        FakeNode x = node("n9", 9);
        x.script = q -> x.error(ErrorCode.OVERLOADED, true, "no");
        NamesrvClient cx = client(builder(x.endpoint).mode(ClusterMode.LEADERLESS));
        BrokerRegistrar rx = BrokerRegistrar.builder(cx, REG).build();
        closeables.add(rx);
        assertEquals(ErrorCode.OVERLOADED, assertThrows(NamesrvException.class, rx::start).code());
    }
}
