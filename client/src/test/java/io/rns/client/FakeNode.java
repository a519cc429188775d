package io.rns.client;

import io.rns.rpc.transport.Endpoints;
import io.rns.rpc.transport.RpcServer;
import io.rns.rpc.transport.RpcServerOptions;
import io.rns.rpc.v1.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A scripted stand-in for an RNS node: a real RpcServer on an ephemeral loopback port. */
public final class FakeNode implements AutoCloseable {
    /** Retries for tests against fake nodes: 5 attempts, 1-5 ms apart. */
    static final RetryPolicy FAST_RETRIES = new RetryPolicy(5, Duration.ofMillis(1), Duration.ofMillis(5), 0.5);

    public final String nodeId;
    public final RpcServer server;
    public final String endpoint;
    /** Every request received except OpenSession (counted in {@link #sessionsOpened}). */
    public final List<RequestEnvelope> received = new CopyOnWriteArrayList<>();
    public final java.util.concurrent.atomic.AtomicInteger sessionsOpened = new java.util.concurrent.atomic.AtomicInteger();
    public volatile Role role = Role.FOLLOWER;
    public volatile long appliedIndex = 10;
    public volatile String leaderHint = "";
    /** The mode GetNodeStatus reports ("raft" or "leaderless"). */
    public volatile String mode = "raft";
    /** Returns the full response for a request, or null for the default OK echo. */
    public volatile Function<RequestEnvelope, ResponseEnvelope> script = r -> null;
    /** When set, requests are never answered (the future completes only when the connection closes). */
    public volatile boolean blackhole;
    /** lease_timeout_ms / heartbeat_interval_ms in default register and heartbeat answers. */
    public volatile int leaseMs = 10_000;

    public volatile int heartbeatIntervalMs = 0;
    /** The id the next OpenSession gets. */
    public volatile long nextSessionId = 1000;

    public FakeNode(String nodeId) {
        this.nodeId = nodeId;
        this.server = RpcServer.start(RpcServerOptions.builder().workerThreads(2).build(), (req, ctx) -> {
            if (req.getBodyCase() == RequestEnvelope.BodyCase.OPEN_SESSION) {
                sessionsOpened.incrementAndGet();
            } else {
                received.add(req);
            }
            if (blackhole) {
                CompletableFuture<ResponseEnvelope> f = new CompletableFuture<>();
                ctx.onConnectionClose(() -> f.complete(ok(req).build()));
                return f;
            }
            ResponseEnvelope scripted = script.apply(req);
            return CompletableFuture.completedFuture(scripted != null ? scripted : ok(req).build());
        });
        this.endpoint = Endpoints.format(server.localAddress());
    }

    public ResponseHeader.Builder header(ErrorCode code) {
        ResponseHeader.Builder h = ResponseHeader.newBuilder().setCode(code).setNodeId(nodeId).setRole(role).setTerm(3)
                .setAppliedIndex(appliedIndex).setLeaderHint(leaderHint)
                .setMsSinceLeaderContact(role == Role.LEADER ? 0 : 12);
        return h;
    }

    public ResponseEnvelope error(ErrorCode code, boolean retriable, String message) {
        return ResponseEnvelope.newBuilder().setHeader(header(code).setRetriable(retriable).setMessage(message))
                .build();
    }

    public ResponseEnvelope.Builder ok(RequestEnvelope req) {
        ResponseHeader.Builder h = header(ErrorCode.OK);
        if (req.hasRead()) {
            h.setServed(req.getRead().getConsistency());
        }
        ResponseEnvelope.Builder b = ResponseEnvelope.newBuilder().setHeader(h);
        switch (req.getBodyCase()) {
            case REGISTER_BROKER -> b.setRegisterBroker(RegisterBrokerResponse.newBuilder().setBrokerEpoch(appliedIndex)
                    .setChanged(true).setLeaseTimeoutMs(leaseMs).setHeartbeatIntervalMs(heartbeatIntervalMs));
            case HEARTBEAT -> b.setHeartbeat(HeartbeatResponse.newBuilder().setLeaseTimeoutMs(leaseMs)
                    .setHeartbeatIntervalMs(heartbeatIntervalMs));
            case LIST_BROKER_LEASES -> b.setListBrokerLeases(ListBrokerLeasesResponse.newBuilder().setLeaderId(nodeId)
                    .addLeases(BrokerLease.newBuilder().setCluster("DefaultCluster").setBrokerName("broker-a")
                            .setBrokerId(0).setBrokerAddr("10.0.0.1:10911").setBrokerEpoch(7).setLastContactAgeMs(120)
                            .setLeaseRemainingMs(9880).setLeaseTimeoutMs(10_000))
                    .addLeases(BrokerLease.newBuilder().setCluster("DefaultCluster").setBrokerName("broker-b")
                            .setBrokerId(1).setBrokerAddr("10.0.0.2:10911").setBrokerEpoch(9).setLastContactAgeMs(4000)
                            .setLeaseRemainingMs(-20).setLeaseTimeoutMs(3000).setSuspect(true).setExpiring(true)));
            case UNREGISTER_BROKER -> b.setUnregisterBroker(UnregisterBrokerResponse.getDefaultInstance());
            case GET_TOPIC_ROUTE -> b.setGetTopicRoute(GetTopicRouteResponse.newBuilder()
                    .setRoute(TopicRoute.newBuilder().setTopic(req.getGetTopicRoute().getTopic())
                            .addQueueDatas(QueueData.newBuilder().setBrokerName("broker-a").setReadQueueNums(4)
                                    .setWriteQueueNums(4).setPerm(6))
                            .addBrokerDatas(BrokerData.newBuilder().setCluster("DefaultCluster")
                                    .setBrokerName("broker-a").putBrokerAddrs(0, "10.0.0.1:10911"))));
            case GET_CLUSTER_INFO -> b.setGetClusterInfo(GetClusterInfoResponse.newBuilder()
                    .putBrokerAddrTable("broker-a",
                            BrokerData.newBuilder().setCluster("DefaultCluster").setBrokerName("broker-a")
                                    .putBrokerAddrs(0, "10.0.0.1:10911").build())
                    .putClusterAddrTable("DefaultCluster",
                            ClusterBrokerNames.newBuilder().addBrokerNames("broker-a").build()));
            case LIST_TOPICS ->
                b.setListTopics(ListTopicsResponse.newBuilder().addTopics("TopicA").addTopics("TopicB"));
            case DELETE_TOPIC -> b.setDeleteTopic(DeleteTopicResponse.newBuilder().setExisted(true));
            case KV_PUT -> b.setKvPut(KvPutResponse.getDefaultInstance());
            case OPEN_SESSION ->
                b.setOpenSession(OpenSessionResponse.newBuilder().setSessionId(nextSessionId++).setTimeoutMs(600_000));
            case KV_GET -> b.setKvGet(KvGetResponse.newBuilder().setValue("v-" + req.getKvGet().getKey()));
            case KV_DELETE -> b.setKvDelete(KvDeleteResponse.newBuilder().setExisted(false));
            case KV_LIST -> b.setKvList(KvListResponse.newBuilder().putEntries("b", "2").putEntries("a", "1"));
            case GET_NODE_STATUS -> b.setGetNodeStatus(GetNodeStatusResponse.newBuilder().setNodeId(nodeId)
                    .setMode(mode).setRole(role).setTerm(3).setLeaderId("n1").setLeaderClientAddr("127.0.0.1:9771")
                    .setAppliedIndex(appliedIndex).setCommitIndex(appliedIndex)
                    .setLeasesTracked(role == Role.LEADER ? 2 : 0).setSuspects(role == Role.LEADER ? 1 : 0)
                    .setExpiriesProposed(5).setExpiriesApplied(4).setMassExpiryWarnings(1)
                    .addPeers(PeerStatus.newBuilder().setNodeId("n1").setClientAddr("127.0.0.1:9771").setLeader(true)));
            case BODY_NOT_SET -> b.setHeader(header(ErrorCode.UNSUPPORTED_REQUEST));
        }
        return b;
    }

    public long count(RequestEnvelope.BodyCase body) {
        return received.stream().filter(r -> r.getBodyCase() == body).count();
    }

    @Override
    public void close() {
        server.close();
    }

    /** A host:port where nothing listens. */
    public static String deadEndpoint() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "127.0.0.1:" + s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
