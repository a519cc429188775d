package io.rns.rpc.transport;

import io.rns.rpc.testing.Closer;
import io.rns.rpc.v1.*;
import io.rns.rpc.v1.GetClusterInfoRequest;
import io.rns.rpc.v1.GetTopicRouteRequest;
import io.rns.rpc.v1.HeartbeatRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static io.rns.rpc.testing.Await.await;
import static org.junit.jupiter.api.Assertions.*;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class RpcTransportTest {
    private static final Duration T = Duration.ofSeconds(5);
    @RegisterExtension
    final Closer closeables = new Closer();

    private RpcServer server(RpcServerOptions.Builder o, RequestHandler h) {
        RpcServer s = RpcServer.start(o.build(), h);
        closeables.add(s);
        return s;
    }

    private RpcClient client() {
        RpcClient c = new RpcClient(RpcClientOptions.defaults());
        closeables.add(c);
        return c;
    }

    /** A handler blocking: waits up to 5 s for {@code release}, keeping the interrupt flag. */
    private static void hold(CountDownLatch release) {
        try {
            release.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String ep(RpcServer s) {
        return Endpoints.format(s.localAddress());
    }

    private static Throwable failure(CompletableFuture<?> f) throws InterruptedException {
        try {
            f.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            fail("future did not complete");
        }
        fail("expected failure, got " + f.join());
        return null;
    }

    static List<RequestEnvelope> oneOfEachRequest() {
        return List.of(
                RequestEnvelope.newBuilder()
                        .setRegisterBroker(RegisterBrokerRequest.newBuilder().setCluster("c").setBrokerName("b1")
                                .setBrokerId(3).setBrokerAddr("10.0.0.1:10911")
                                .addTopics(TopicConfig.newBuilder().setTopic("t").setReadQueueNums(4)
                                        .setWriteQueueNums(4).setPerm(6)))
                        .build(),
                RequestEnvelope.newBuilder()
                        .setUnregisterBroker(UnregisterBrokerRequest.newBuilder().setBrokerName("b1")).build(),
                RequestEnvelope.newBuilder().setGetTopicRoute(GetTopicRouteRequest.newBuilder().setTopic("TopicA"))
                        .setRead(ReadOptions.newBuilder().setConsistency(Consistency.SEQUENTIAL).setMinIndex(5))
                        .build(),
                RequestEnvelope.newBuilder().setGetClusterInfo(GetClusterInfoRequest.getDefaultInstance()).build(),
                RequestEnvelope.newBuilder().setListTopics(ListTopicsRequest.newBuilder().setCluster("c1")).build(),
                RequestEnvelope.newBuilder().setDeleteTopic(DeleteTopicRequest.newBuilder().setTopic("t")).build(),
                RequestEnvelope.newBuilder()
                        .setKvPut(KvPutRequest.newBuilder().setNamespace("ns").setKey("k").setValue("v")).build(),
                RequestEnvelope.newBuilder().setKvGet(KvGetRequest.newBuilder().setNamespace("ns").setKey("k")).build(),
                RequestEnvelope.newBuilder().setKvDelete(KvDeleteRequest.newBuilder().setNamespace("ns").setKey("k"))
                        .build(),
                RequestEnvelope.newBuilder().setKvList(KvListRequest.newBuilder().setNamespace("ns")).build(),
                RequestEnvelope.newBuilder().setGetNodeStatus(GetNodeStatusRequest.getDefaultInstance()).build(),
                RequestEnvelope.newBuilder()
                        .setHeartbeat(HeartbeatRequest.newBuilder().setCluster("c").setBrokerName("b1").setBrokerId(1)
                                .setBrokerAddr("10.0.0.1:10911").setBrokerEpoch(77).setBindConnection(true))
                        .build(),
                RequestEnvelope.newBuilder().setListBrokerLeases(ListBrokerLeasesRequest.getDefaultInstance()).build(),
                RequestEnvelope.newBuilder().setQueuedMs(250)
                        .setBrokerConnectionClosed(BrokerConnectionClosedRequest.newBuilder().setBrokerName("b1")
                                .setBrokerId(1).setBrokerEpoch(77).setReportingNode("n2"))
                        .build(),
                RequestEnvelope.newBuilder()
                        .setGetBroker(GetBrokerRequest.newBuilder().setBrokerName("b1").setBrokerId(0))
                        .setRead(ReadOptions.newBuilder().setConsistency(Consistency.LINEARIZABLE)).build(),
                RequestEnvelope.newBuilder()
                        .setChangeWritePerm(ChangeWritePermRequest.newBuilder().setBrokerName("b1")
                                .setChange(WritePermChange.WIPE_WRITE))
                        .build(),
                RequestEnvelope.newBuilder()
                        .setRegisterTopic(RegisterTopicRequest.newBuilder().setTopic("t")
                                .addQueueDatas(QueueData.newBuilder().setBrokerName("b1").setReadQueueNums(4)
                                        .setWriteQueueNums(4).setPerm(6)))
                        .build(),
                RequestEnvelope.newBuilder().setSessionId(41).setSessionSeq(1)
                        .setOpenSession(OpenSessionRequest.getDefaultInstance()).build(),
                RequestEnvelope.newBuilder()
                        .setSaveSnapshot(SaveSnapshotRequest.newBuilder().setTransferId(7).setOffset(1 << 20)).build(),
                RequestEnvelope.newBuilder().setListPeers(ListPeersRequest.getDefaultInstance()).build(),
                RequestEnvelope.newBuilder()
                        .setAddPeer(AddPeerRequest.newBuilder().setNodeId("n4").setHost("10.0.0.4").setRaftPort(9784)
                                .setClientPort(9774))
                        .build(),
                RequestEnvelope.newBuilder().setRemovePeer(RemovePeerRequest.newBuilder().setNodeId("n4")).build(),
                RequestEnvelope.newBuilder()
                        .setTransferLeadership(TransferLeadershipRequest.newBuilder().setNodeId("n2")).build(),
                RequestEnvelope.newBuilder()
                        .setBrokerConnections(BrokerConnectionsRequest.newBuilder().setBrokerName("b1").setBrokerId(2))
                        .build(),
                RequestEnvelope.newBuilder().setWatch(WatchRequest.newBuilder().addTopics("t1").setFromRevision(41))
                        .build());
    }

    @Test
    void everyBodyTypeRoundTrips() throws Exception {
        ConcurrentLinkedQueue<RequestEnvelope> seen = new ConcurrentLinkedQueue<>();
        RpcServer s = server(RpcServerOptions.builder(), (req, ctx) -> {
            seen.add(req);
            return CompletableFuture.completedFuture(EchoHandler.echo(req));
        });
        RpcClient c = client();
        List<RequestEnvelope> all = oneOfEachRequest();
        assertEquals(RequestEnvelope.BodyCase.values().length - 1, all.size(), "one request per body type");
        for (RequestEnvelope req : all) {
            ResponseEnvelope resp = c.call(ep(s), req.toBuilder().setRequestId(12345).build(), T).get(5,
                    TimeUnit.SECONDS);
            assertEquals(ErrorCode.OK, resp.getHeader().getCode());
            assertEquals(EchoHandler.echo(req).toBuilder().setRequestId(resp.getRequestId()).build(), resp);
            assertEquals(req.getBodyCase().getNumber(), resp.getBodyCase().getNumber(), "body field numbers line up");
            assertNotEquals(12345, resp.getRequestId(), "client assigns its own request ids");
        }
        assertEquals(all.size(), seen.size());
        List<RequestEnvelope> got = new ArrayList<>(seen);
        for (int i = 0; i < all.size(); i++) {
            RequestEnvelope g = got.get(i);
            assertEquals(all.get(i), g.toBuilder().clearRequestId().clearTimeoutMs().build(), "request arrives intact");
            assertEquals(5000, g.getTimeoutMs(), "timeout_ms set from the call's timeout");
        }
    }

    @Test
    void manyConcurrentCallsAnsweredOutOfOrderAreCorrelated() throws Exception {
        int n = 300;
        List<CompletableFuture<ResponseEnvelope>> held = Collections.synchronizedList(new ArrayList<>());
        List<RequestEnvelope> heldReqs = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch allArrived = new CountDownLatch(n);
        RpcServer s = server(RpcServerOptions.builder().workerThreads(4), (req, ctx) -> {
            CompletableFuture<ResponseEnvelope> f = new CompletableFuture<>();
            synchronized (held) {
                held.add(f);
                heldReqs.add(req);
            }
            allArrived.countDown();
            return f;
        });
        RpcClient c = new RpcClient(RpcClientOptions.builder().connectionsPerEndpoint(3).build());
        closeables.add(c);
        List<CompletableFuture<ResponseEnvelope>> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            calls.add(
                    c.call(ep(s),
                            RequestEnvelope.newBuilder()
                                    .setKvGet(KvGetRequest.newBuilder().setNamespace("ns").setKey("k" + i)).build(),
                            T));
        }
        assertTrue(allArrived.await(10, TimeUnit.SECONDS));
        long seed = System.nanoTime();
        System.out.println("out-of-order seed=" + seed);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++)
            order.add(i);
        Collections.shuffle(order, new Random(seed));
        for (int i : order) {
            RequestEnvelope req = heldReqs.get(i);
            held.get(i).complete(EchoHandler.echo(req)); // the echo value names the key; request_id is forced by the server
        }
        for (int i = 0; i < n; i++) {
            ResponseEnvelope r = calls.get(i).get(5, TimeUnit.SECONDS);
            assertEquals("ns/k" + i, r.getKvGet().getValue(), "seed=" + seed);
        }
        assertEquals(0, c.pendingCalls());
    }

    @Test
    void deadlinePassesGivesTimeoutAndForgetsTheCall() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        RpcServer s = server(RpcServerOptions.builder(), (req, ctx) -> CompletableFuture.supplyAsync(() -> {
            hold(release);
            return EchoHandler.echo(req);
        }));
        RpcClient c = client();
        CompletableFuture<ResponseEnvelope> f = c.call(ep(s), oneOfEachRequest().get(7), Duration.ofMillis(150));
        Throwable t = failure(f);
        RpcTimeoutException te = assertInstanceOf(RpcTimeoutException.class, t);
        assertEquals(ep(s), te.endpoint());
        assertTrue(te.requestSent());
        assertEquals(0, c.pendingCalls());
        release.countDown();
        // the late response is discarded and the connection keeps working
        assertEquals(ErrorCode.OK,
                c.call(ep(s), oneOfEachRequest().get(7), T).get(5, TimeUnit.SECONDS).getHeader().getCode());
    }

    @Test
    void handlerSeesDeadlineAndPeer() throws Exception {
        CompletableFuture<String> info = new CompletableFuture<>();
        RpcServer s = server(RpcServerOptions.builder().defaultRequestTimeout(Duration.ofSeconds(30)), (req, ctx) -> {
            long left = ctx.deadlineNanos() - System.nanoTime();
            info.complete(ctx.remoteAddress() + " " + ctx.connectionId() + " " + ctx.isConnectionOpen() + " "
                    + (left > 0 && left <= TimeUnit.SECONDS.toNanos(30)) + " " + Thread.currentThread().getName() + " "
                    + (ctx.deadlineNanos() - ctx.arrivalNanos() == TimeUnit.SECONDS.toNanos(30)) + " "
                    + (ctx.arrivalNanos() <= System.nanoTime()));
            return CompletableFuture.completedFuture(EchoHandler.echo(req));
        });
        try (RawSocket raw = new RawSocket(s.localAddress())) {
            raw.write(FrameCodec.frame(RequestEnvelope.newBuilder().setRequestId(77)
                    .setKvList(KvListRequest.getDefaultInstance()).build()));
            assertEquals(77, raw.readResponse().getRequestId());
            String[] parts = info.get(5, TimeUnit.SECONDS).split(" ");
            assertEquals("127.0.0.1:" + raw.socket.getLocalPort(), parts[0]);
            assertEquals("1", parts[1]);
            assertEquals("true", parts[2]);
            assertEquals("true", parts[3], "timeout_ms=0 uses the server default");
            assertTrue(parts[4].startsWith("rns-rpc-worker"), parts[4]);
            assertEquals("true", parts[5], "deadline = arrival + timeout");
            assertEquals("true", parts[6], "arrival is in the past");
        }
    }

    @Test
    void queuedPastDeadlineIsAnsweredWithoutCallingHandler() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        RpcServer s = server(RpcServerOptions.builder().workerThreads(1), (req, ctx) -> {
            calls.incrementAndGet();
            entered.countDown();
            hold(release);
            return CompletableFuture.completedFuture(EchoHandler.echo(req));
        });
        try (RawSocket raw = new RawSocket(s.localAddress())) {
            raw.write(FrameCodec.frame(
                    RequestEnvelope.newBuilder().setRequestId(1).setKvGet(KvGetRequest.getDefaultInstance()).build()));
            assertTrue(entered.await(5, TimeUnit.SECONDS));
            raw.write(FrameCodec.frame(RequestEnvelope.newBuilder().setRequestId(2).setTimeoutMs(30)
                    .setKvGet(KvGetRequest.getDefaultInstance()).build()));
            await(() -> s.stats().requests() == 2, "second request queued");
            Thread.sleep(60); // let the queued request's 30 ms deadline pass
            release.countDown();
            ResponseEnvelope first = raw.readResponse();
            ResponseEnvelope second = raw.readResponse();
            assertEquals(1, first.getRequestId());
            assertEquals(ErrorCode.OK, first.getHeader().getCode());
            assertEquals(2, second.getRequestId());
            assertEquals(ErrorCode.DEADLINE_EXCEEDED, second.getHeader().getCode());
            assertTrue(second.getHeader().getRetriable());
            assertEquals(1, calls.get());
        }
    }

    @Test
    void aPriorityRequestQueuedPastItsDeadlineStillReachesTheHandler() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        RequestHandler h = new RequestHandler() {
            @Override
            public CompletableFuture<ResponseEnvelope> handle(RequestEnvelope req, InboundContext ctx) {
                if (calls.incrementAndGet() == 1) {
                    entered.countDown();
                    hold(release);
                }
                return CompletableFuture.completedFuture(EchoHandler.echo(req));
            }

            @Override
            public boolean isPriority(RequestEnvelope req) {
                return req.getBodyCase() == RequestEnvelope.BodyCase.HEARTBEAT;
            }
        };
        RpcServer s = server(RpcServerOptions.builder().priorityThreads(1), h);
        try (RawSocket raw = new RawSocket(s.localAddress())) {
            raw.write(FrameCodec.frame(RequestEnvelope.newBuilder().setRequestId(1)
                    .setHeartbeat(HeartbeatRequest.getDefaultInstance()).build()));
            assertTrue(entered.await(5, TimeUnit.SECONDS));
            raw.write(FrameCodec.frame(RequestEnvelope.newBuilder().setRequestId(2).setTimeoutMs(30)
                    .setHeartbeat(HeartbeatRequest.getDefaultInstance()).build()));
            await(() -> s.stats().requests() == 2, "second heartbeat queued");
            Thread.sleep(60); // the queued heartbeat's 30 ms deadline passes
            release.countDown();
            raw.readResponse();
            ResponseEnvelope second = raw.readResponse();
            assertEquals(2, second.getRequestId());
            assertEquals(2, calls.get(), "a late liveness signal is still handled: its arrival counts as contact");
        }
    }

    @Test
    void anInlineRequestIsHandledOnTheEventLoopAndIsAnsweredWhileEveryWorkerIsBlocked() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ConcurrentLinkedQueue<String> inlineThreads = new ConcurrentLinkedQueue<>();
        RequestHandler h = new RequestHandler() {
            @Override
            public CompletableFuture<ResponseEnvelope> handle(RequestEnvelope req, InboundContext ctx) {
                if (req.hasGetTopicRoute()) {
                    inlineThreads.add(Thread.currentThread().getName());
                } else {
                    entered.countDown();
                    hold(release);
                }
                return CompletableFuture.completedFuture(EchoHandler.echo(req));
            }

            @Override
            public boolean isInline(RequestEnvelope req) {
                if (req.getBodyCase() == RequestEnvelope.BodyCase.GET_CLUSTER_INFO) {
                    throw new IllegalStateException("a failing pick counts as not inline");
                }
                return req.hasGetTopicRoute();
            }
        };
        RpcServer s = server(RpcServerOptions.builder().workerThreads(1).workerQueueCapacity(1), h);
        RpcClient c = client();
        RequestEnvelope blocking = heartbeat("b1"); // not priority here: an ordinary request for the one worker
        CompletableFuture<ResponseEnvelope> a = c.call(ep(s), blocking, T);
        assertTrue(entered.await(5, TimeUnit.SECONDS));
        RequestEnvelope route = RequestEnvelope.newBuilder()
                .setGetTopicRoute(GetTopicRouteRequest.newBuilder().setTopic("TopicA")).build();
        for (int i = 0; i < 3; i++) {
            ResponseEnvelope r = c.call(ep(s), route, T).get(5, TimeUnit.SECONDS);
            assertEquals(ErrorCode.OK, r.getHeader().getCode(), "answered although the only worker is blocked");
        }
        assertEquals(3, inlineThreads.size());
        for (String t : inlineThreads) {
            assertTrue(t.startsWith("rns-rpc-server-io"), "handled on a Netty event loop, not a worker: " + t);
        }
        CompletableFuture<ResponseEnvelope> queued = c.call(ep(s),
                RequestEnvelope.newBuilder().setGetClusterInfo(GetClusterInfoRequest.getDefaultInstance()).build(), T);
        Thread.sleep(50);
        assertFalse(queued.isDone(), "a request whose pick failed waits for the blocked worker like any other");
        release.countDown();
        assertEquals(ErrorCode.OK, a.get(5, TimeUnit.SECONDS).getHeader().getCode());
        assertEquals(ErrorCode.OK, queued.get(5, TimeUnit.SECONDS).getHeader().getCode());
        assertEquals(0, s.stats().overloaded());
    }

    @Test
    void fullWorkerQueueAnswersOverloaded() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RequestHandler h = new RequestHandler() {
            @Override
            public CompletableFuture<ResponseEnvelope> handle(RequestEnvelope req, InboundContext ctx) {
                entered.countDown();
                hold(release);
                return CompletableFuture.completedFuture(EchoHandler.echo(req));
            }

            @Override
            public ResponseHeader transportErrorHeader() {
                return ResponseHeader.newBuilder().setNodeId("n9").setRole(Role.FOLLOWER).setLeaderHint("127.0.0.1:1")
                        .build();
            }
        };
        RpcServer s = server(RpcServerOptions.builder().workerThreads(1).workerQueueCapacity(1), h);
        RpcClient c = client();
        RequestEnvelope req = oneOfEachRequest().get(7);
        CompletableFuture<ResponseEnvelope> a = c.call(ep(s), req, T);
        assertTrue(entered.await(5, TimeUnit.SECONDS));
        CompletableFuture<ResponseEnvelope> b = c.call(ep(s), req, T);
        ResponseEnvelope over = c.call(ep(s), req, T).get(5, TimeUnit.SECONDS);
        assertEquals(ErrorCode.OVERLOADED, over.getHeader().getCode());
        assertTrue(over.getHeader().getRetriable());
        assertEquals("n9", over.getHeader().getNodeId(), "transport errors carry the handler's base header");
        assertEquals("127.0.0.1:1", over.getHeader().getLeaderHint());
        assertFalse(a.isDone());
        release.countDown();
        assertEquals(ErrorCode.OK, a.get(5, TimeUnit.SECONDS).getHeader().getCode());
        assertEquals(ErrorCode.OK, b.get(5, TimeUnit.SECONDS).getHeader().getCode());
        assertEquals(1, s.stats().overloaded());
    }

    private static RequestEnvelope heartbeat(String broker) {
        return RequestEnvelope.newBuilder()
                .setHeartbeat(HeartbeatRequest.newBuilder().setBrokerName(broker).setBrokerEpoch(5)).build();
    }

    /** Heartbeats are priority; a heartbeat for broker "slow" blocks on {@code slow}, everything else on {@code normal}. */
    private static final class PriorityHandler implements RequestHandler {
        final CountDownLatch normalEntered = new CountDownLatch(1);
        final CountDownLatch normal = new CountDownLatch(1);
        final CountDownLatch slowEntered = new CountDownLatch(1);
        final CountDownLatch slow = new CountDownLatch(1);
        final ConcurrentLinkedQueue<long[]> heartbeats = new ConcurrentLinkedQueue<>(); // {arrivalNanos, handleNanos}
        final ConcurrentLinkedQueue<String> threads = new ConcurrentLinkedQueue<>();

        @Override
        public CompletableFuture<ResponseEnvelope> handle(RequestEnvelope req, InboundContext ctx) {
            long now = System.nanoTime();
            threads.add(Thread.currentThread().getName());
            if (req.hasHeartbeat()) {
                if (req.getHeartbeat().getBrokerName().equals("slow")) {
                    slowEntered.countDown();
                    awaitQuietly(slow);
                } else {
                    heartbeats.add(new long[]{ctx.arrivalNanos(), now});
                }
            } else {
                normalEntered.countDown();
                awaitQuietly(normal);
            }
            return CompletableFuture.completedFuture(EchoHandler.echo(req));
        }

        @Override
        public boolean isPriority(RequestEnvelope r) {
            return r.hasHeartbeat();
        }

        private static void awaitQuietly(CountDownLatch l) {
            try {
                l.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void priorityRequestsAreServedWhileWorkersAreBlockedAndQueueIsFull() throws Exception {
        PriorityHandler h = new PriorityHandler();
        RpcServer s = server(RpcServerOptions.builder().workerThreads(1).workerQueueCapacity(1), h);
        RpcClient c = client();
        RequestEnvelope read = oneOfEachRequest().get(7);
        CompletableFuture<ResponseEnvelope> a = c.call(ep(s), read, T);
        assertTrue(h.normalEntered.await(5, TimeUnit.SECONDS));
        CompletableFuture<ResponseEnvelope> b = c.call(ep(s), read, T);
        ResponseEnvelope over = c.call(ep(s), read, T).get(5, TimeUnit.SECONDS);
        assertEquals(ErrorCode.OVERLOADED, over.getHeader().getCode(), "the normal pool is blocked and its queue full");

        long before = System.nanoTime();
        ResponseEnvelope hb = c.call(ep(s), heartbeat("b1"), T).get(2, TimeUnit.SECONDS);
        assertEquals(ErrorCode.OK, hb.getHeader().getCode());
        assertEquals(10_000, hb.getHeartbeat().getLeaseTimeoutMs());
        assertFalse(a.isDone(), "the normal worker is still blocked");
        long[] t = h.heartbeats.poll();
        assertNotNull(t);
        assertTrue(t[0] >= before, "arrival is after the send");
        assertTrue(t[0] <= t[1], "arrival is before the handler call");
        assertTrue(h.threads.stream().anyMatch(n -> n.startsWith("rns-rpc-priority")), h.threads.toString());

        h.normal.countDown();
        assertEquals(ErrorCode.OK, a.get(5, TimeUnit.SECONDS).getHeader().getCode());
        assertEquals(ErrorCode.OK, b.get(5, TimeUnit.SECONDS).getHeader().getCode());
        RpcServer.Stats st = s.stats();
        assertEquals(1, st.overloaded());
        assertEquals(0, st.priorityOverloaded());
        assertEquals(1, st.priorityRequests());
    }

    @Test
    void arrivalTimeSurvivesQueueingAndPriorityQueueOverflowsOnItsOwn() throws Exception {
        PriorityHandler h = new PriorityHandler();
        RpcServer s = server(RpcServerOptions.builder().priorityThreads(1).priorityQueueCapacity(1), h);
        RpcClient c = client();
        CompletableFuture<ResponseEnvelope> slow = c.call(ep(s), heartbeat("slow"), T);
        assertTrue(h.slowEntered.await(5, TimeUnit.SECONDS));
        long sent = System.nanoTime();
        CompletableFuture<ResponseEnvelope> queued = c.call(ep(s), heartbeat("b1"), T);
        await(() -> s.stats().priorityRequests() == 2, "second heartbeat queued");
        ResponseEnvelope over = c.call(ep(s), heartbeat("b2"), T).get(5, TimeUnit.SECONDS);
        assertEquals(ErrorCode.OVERLOADED, over.getHeader().getCode());
        assertTrue(over.getHeader().getRetriable());
        assertTrue(over.getHeader().getMessage().contains("priority"), over.getHeader().getMessage());
        // ordinary requests do not wait for the priority executor
        h.normal.countDown();
        assertEquals(ErrorCode.OK,
                c.call(ep(s), oneOfEachRequest().get(7), T).get(2, TimeUnit.SECONDS).getHeader().getCode());
        Thread.sleep(100); // the queued heartbeat waits at least this long
        h.slow.countDown();
        assertEquals(ErrorCode.OK, queued.get(5, TimeUnit.SECONDS).getHeader().getCode());
        assertEquals(ErrorCode.OK, slow.get(5, TimeUnit.SECONDS).getHeader().getCode());
        long[] t = h.heartbeats.poll();
        assertNotNull(t);
        assertTrue(t[0] >= sent, "arrival is after the send");
        assertTrue(t[1] - t[0] >= TimeUnit.MILLISECONDS.toNanos(100),
                "arrivalNanos is the decode time, not the dequeue time: waited " + (t[1] - t[0]) / 1_000_000 + " ms");
        assertEquals(1, s.stats().priorityOverloaded());
        assertEquals(1, s.stats().overloaded());
    }

    @Test
    void handlerFailuresBecomeInternal() throws Exception {
        RpcServer s = server(RpcServerOptions.builder(), (req, ctx) -> {
            switch (req.getBodyCase()) {
                case KV_GET -> throw new IllegalStateException("boom thrown");
                case KV_PUT -> {
                    return CompletableFuture.failedFuture(new RuntimeException("boom failed"));
                }
                case KV_LIST -> {
                    return CompletableFuture.supplyAsync(() -> {
                        throw new IllegalArgumentException("boom async");
                    });
                }
                default -> {
                    return null;
                }
            }
        });
        RpcClient c = client();
        List<RequestEnvelope> reqs = oneOfEachRequest();
        ResponseEnvelope r1 = c.call(ep(s), reqs.get(7), T).get(5, TimeUnit.SECONDS);
        ResponseEnvelope r2 = c.call(ep(s), reqs.get(6), T).get(5, TimeUnit.SECONDS);
        ResponseEnvelope r3 = c.call(ep(s), reqs.get(9), T).get(5, TimeUnit.SECONDS);
        ResponseEnvelope r4 = c.call(ep(s), reqs.get(3), T).get(5, TimeUnit.SECONDS);
        for (ResponseEnvelope r : List.of(r1, r2, r3, r4)) {
            assertEquals(ErrorCode.INTERNAL, r.getHeader().getCode());
            assertFalse(r.getHeader().getRetriable());
        }
        assertEquals("boom thrown", r1.getHeader().getMessage());
        assertEquals("boom failed", r2.getHeader().getMessage());
        assertEquals("boom async", r3.getHeader().getMessage());
        assertTrue(r4.getHeader().getMessage().contains("null"), r4.getHeader().getMessage());
    }

    // ---- bad input closes only the offending connection ------------------------------------------------------

    private void assertStillServing(RpcClient good, RpcServer s) throws Exception {
        assertEquals(ErrorCode.OK,
                good.call(ep(s), oneOfEachRequest().get(7), T).get(5, TimeUnit.SECONDS).getHeader().getCode());
    }

    @Test
    void badFramesCloseOnlyThatConnection() throws Exception {
        RpcServer s = server(RpcServerOptions.builder().maxFrameBytes(1024), new EchoHandler());
        RpcClient good = client();
        assertStillServing(good, s);
        byte[] valid = FrameCodec.frame(oneOfEachRequest().get(0));

        // oversized: only the prefix is sent; the server must not wait for 2000 bytes of body
        try (RawSocket raw = new RawSocket(s.localAddress())) {
            raw.write(FrameCodec.lengthPrefix(2000));
            assertTrue(raw.closedByPeer(), "oversized frame closes the connection");
        }
        assertStillServing(good, s);
        // a huge length (2^32-1) must be refused on the prefix too
        try (RawSocket raw = new RawSocket(s.localAddress())) {
            raw.write(new byte[]{(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
            assertTrue(raw.closedByPeer());
        }
        // zero-length frame
        try (RawSocket raw = new RawSocket(s.localAddress())) {
            raw.write(valid);
            assertEquals(ErrorCode.OK, raw.readResponse().getHeader().getCode(),
                    "frames before the bad one are served");
            raw.write(FrameCodec.lengthPrefix(0));
            assertTrue(raw.closedByPeer(), "zero-length frame closes the connection");
        }
        // garbage protobuf: field 0 / wire type 7 is never valid
        try (RawSocket raw = new RawSocket(s.localAddress())) {
            raw.write(FrameCodec.lengthPrefix(3), new byte[]{(byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
            assertTrue(raw.closedByPeer(), "undecodable body closes the connection");
        }
        // a body that is a truncated protobuf (valid prefix length, message cut inside)
        try (RawSocket raw = new RawSocket(s.localAddress())) {
            byte[] cut = Arrays.copyOfRange(valid, 4, valid.length - 3);
            raw.write(FrameCodec.lengthPrefix(cut.length), cut);
            assertTrue(raw.closedByPeer());
        }
        long errorsBefore = s.stats().protocolErrors();
        // truncated: a prefix announcing 100 bytes, 10 bytes, then the client closes
        try (RawSocket raw = new RawSocket(s.localAddress())) {
            raw.write(FrameCodec.lengthPrefix(100), new byte[10]);
        }
        await(() -> s.stats().protocolErrors() == errorsBefore + 1, "truncated frame reported");
        // length prefix then close
        try (RawSocket raw = new RawSocket(s.localAddress())) {
            raw.write(FrameCodec.lengthPrefix(50));
        }
        await(() -> s.stats().protocolErrors() == errorsBefore + 2, "prefix-only frame reported");
        assertStillServing(good, s);
        assertEquals(7, s.stats().protocolErrors());
        await(() -> s.stats().connectionsOpen() == 1, "only the good connection stays open");
    }

    @Test
    void randomGarbageClosesOnlyThatConnection() throws Exception {
        long seed = Long.getLong("rns.test.seed", System.nanoTime());
        System.out.println("random garbage seed=" + seed);
        Random rnd = new Random(seed);
        RpcServer s = server(RpcServerOptions.builder().maxFrameBytes(4096), new EchoHandler());
        RpcClient good = client();
        for (int i = 0; i < 20; i++) {
            byte[] junk = new byte[5 + rnd.nextInt(300)];
            rnd.nextBytes(junk);
            if (i % 2 == 1) { // a plausible length prefix, so the body reaches the protobuf parser
                System.arraycopy(FrameCodec.lengthPrefix(junk.length - 4L + rnd.nextInt(3)), 0, junk, 0,
                        Math.min(4, junk.length));
            }
            try (RawSocket raw = new RawSocket(s.localAddress())) {
                raw.write(junk);
                raw.socket.shutdownOutput(); // whatever the bytes mean, the connection must end
                assertTrue(raw.closedByPeer(), "seed=" + seed + " round " + i);
            }
            assertStillServing(good, s);
        }
    }

    @Test
    void idleConnectionIsClosedByServer() throws Exception {
        RpcServer s = server(RpcServerOptions.builder().idleTimeout(Duration.ofMillis(300)), new EchoHandler());
        try (RawSocket raw = new RawSocket(s.localAddress())) {
            long t0 = System.nanoTime();
            assertTrue(raw.closedByPeer());
            assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(250));
        }
        // a client whose pooled connection was closed reconnects on the next call
        RpcClient c = client();
        assertStillServing(c, s);
        await(() -> s.stats().connectionsOpen() == 0, "idle client connection closed");
        assertStillServing(c, s);
        assertEquals(3, s.stats().connectionsAccepted());
    }

    @Test
    void clientIdleTimeoutClosesPooledConnection() throws Exception {
        RpcServer s = server(RpcServerOptions.builder(), new EchoHandler());
        RpcClient c = new RpcClient(RpcClientOptions.builder().idleTimeout(Duration.ofMillis(200)).build());
        closeables.add(c);
        assertStillServing(c, s);
        await(() -> s.stats().connectionsOpen() == 0, "client closed its idle connection");
        assertStillServing(c, s);
    }

    @Test
    void clientVanishingMidRequestDoesNotBreakServer() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Boolean> closeSeen = new CompletableFuture<>();
        CompletableFuture<Boolean> openAfter = new CompletableFuture<>();
        RpcServer s = server(RpcServerOptions.builder(), (req, ctx) -> {
            if (req.hasKvGet()) {
                return CompletableFuture.completedFuture(EchoHandler.echo(req));
            }
            ctx.onConnectionClose(() -> closeSeen.complete(true));
            entered.countDown();
            return CompletableFuture.supplyAsync(() -> {
                hold(release);
                openAfter.complete(ctx.isConnectionOpen());
                return EchoHandler.echo(req);
            });
        });
        RpcClient good = client();
        try (RawSocket raw = new RawSocket(s.localAddress())) {
            raw.write(FrameCodec.frame(
                    RequestEnvelope.newBuilder().setRequestId(5).setKvPut(KvPutRequest.getDefaultInstance()).build()));
            assertTrue(entered.await(5, TimeUnit.SECONDS));
        }
        assertTrue(closeSeen.get(5, TimeUnit.SECONDS), "close callback ran");
        release.countDown();
        assertFalse(openAfter.get(5, TimeUnit.SECONDS));
        await(() -> s.stats().responsesDropped() == 1 && s.stats().inFlight() == 0, "response dropped");
        assertStillServing(good, s);
    }

    // ---- client-side failures ----------------------------------------------------------------------------------

    @Test
    void connectFailureIsRpcConnectException() throws Exception {
        int port;
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = ss.getLocalPort();
        }
        RpcClient c = client();
        Throwable t = failure(c.call("127.0.0.1:" + port, oneOfEachRequest().get(7), T));
        RpcConnectException ce = assertInstanceOf(RpcConnectException.class, t);
        assertEquals("127.0.0.1:" + port, ce.endpoint());
        assertFalse(ce.requestSent());
        assertInstanceOf(RpcTransportException.class, ce);
        assertEquals(0, c.pendingCalls());
        assertInstanceOf(IllegalArgumentException.class, failure(c.call("nonsense", oneOfEachRequest().get(7), T)));
    }

    @Test
    void connectionClosedBeforeResponseIsRpcConnectionClosedException() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            RpcClient c = client();
            String ep = "127.0.0.1:" + ss.getLocalPort();
            CompletableFuture<ResponseEnvelope> f = c.call(ep, oneOfEachRequest().get(7), T);
            try (Socket accepted = ss.accept()) {
                accepted.getInputStream().read(new byte[8]); // the request arrived
            }
            RpcConnectionClosedException ce = assertInstanceOf(RpcConnectionClosedException.class, failure(f));
            assertTrue(ce.requestSent(), "the server may have processed it");
            assertEquals(0, c.pendingCalls());
        }
    }

    @Test
    void closingClientFailsPendingCalls() throws Exception {
        RpcServer s = server(RpcServerOptions.builder(), (req, ctx) -> {
            CompletableFuture<ResponseEnvelope> never = new CompletableFuture<>();
            ctx.onConnectionClose(() -> never.complete(EchoHandler.echo(req)));
            return never;
        });
        RpcClient c = new RpcClient(RpcClientOptions.defaults());
        CompletableFuture<ResponseEnvelope> f = c.call(ep(s), oneOfEachRequest().get(7), T);
        await(() -> s.stats().requests() == 1, "request arrived");
        c.close();
        assertInstanceOf(RpcConnectionClosedException.class, failure(f));
        assertInstanceOf(IllegalStateException.class, failure(c.call(ep(s), oneOfEachRequest().get(7), T)));
    }

    @Test
    void serverCloseLetsInFlightFinish() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        RpcServer s = RpcServer.start(RpcServerOptions.defaults(), (req, ctx) -> {
            entered.countDown();
            return CompletableFuture.supplyAsync(() -> EchoHandler.echo(req),
                    CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS));
        });
        RpcClient c = client();
        CompletableFuture<ResponseEnvelope> f = c.call(ep(s), oneOfEachRequest().get(7), T);
        assertTrue(entered.await(5, TimeUnit.SECONDS));
        s.close();
        assertEquals(ErrorCode.OK, f.get(5, TimeUnit.SECONDS).getHeader().getCode());
        // the client may not have seen the FIN of its pooled connection yet: that call fails either way, as a
        // transport error; once the stale connection is known closed, a new call must fail to connect
        assertInstanceOf(RpcTransportException.class, failure(c.call(ep(s), oneOfEachRequest().get(7), T)));
        assertInstanceOf(RpcConnectException.class, failure(c.call(ep(s), oneOfEachRequest().get(7), T)));
        s.close(); // idempotent
    }

    @Test
    void optionsValidate() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RpcServerOptions.builder().port(70000).build());
        assertTrue(e.getMessage().contains("port"));
        assertThrows(IllegalArgumentException.class, () -> RpcServerOptions.builder().workerThreads(0).build());
        assertThrows(IllegalArgumentException.class, () -> RpcServerOptions.builder().workerQueueCapacity(0).build());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> RpcServerOptions.builder().priorityThreads(0).build()).getMessage().contains("priorityThreads"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> RpcServerOptions.builder().priorityQueueCapacity(0).build()).getMessage()
                .contains("priorityQueueCapacity"));
        assertThrows(IllegalArgumentException.class,
                () -> RpcServerOptions.builder().idleTimeout(Duration.ZERO).build());
        assertThrows(IllegalArgumentException.class, () -> RpcServerOptions.builder().host(" ").build());
        assertThrows(IllegalArgumentException.class,
                () -> RpcClientOptions.builder().connectionsPerEndpoint(0).build());
        assertThrows(IllegalArgumentException.class,
                () -> RpcClientOptions.builder().connectTimeout(Duration.ofMillis(-1)).build());
        RpcServerOptions d = RpcServerOptions.defaults();
        assertEquals("127.0.0.1", d.host());
        assertEquals(16 * 1024 * 1024, d.maxFrameBytes());
        assertEquals(Duration.ofSeconds(120), d.idleTimeout());
        assertEquals(8, d.workerThreads());
        assertEquals(10_000, d.workerQueueCapacity());
        assertEquals(2, d.priorityThreads());
        assertEquals(10_000, d.priorityQueueCapacity());
        assertEquals(d.toString(), d.toBuilder().build().toString());
        assertEquals(Duration.ofSeconds(5), d.defaultRequestTimeout());
        assertEquals(Duration.ofSeconds(1), RpcClientOptions.defaults().connectTimeout());
        assertEquals(new InetSocketAddress("127.0.0.1", 1).getPort(), Endpoints.parse("127.0.0.1:1").getPort());
        assertFalse(Endpoints.isValid("a:b"));
        assertFalse(Endpoints.isValid("host"));
        assertFalse(Endpoints.isValid(":80"));
        assertTrue(Endpoints.isValid("[::1]:80"));
    }

    @Test
    void aTimedOutRequestResetsItsConnectionSoItCannotBeDeliveredLater() throws Exception {
        CountDownLatch closed = new CountDownLatch(1);
        RpcServer s = server(RpcServerOptions.builder(), (req, ctx) -> {
            ctx.onConnectionClose(closed::countDown);
            return new CompletableFuture<>(); // never answers: the call times out
        });
        RpcClient c = client();
        Throwable t = failure(c.call(ep(s),
                RequestEnvelope.newBuilder()
                        .setKvPut(KvPutRequest.newBuilder().setNamespace("ns").setKey("k").setValue("v")).build(),
                Duration.ofMillis(200)));
        assertTrue(t instanceof RpcTimeoutException, String.valueOf(t));
        assertTrue(closed.await(5, TimeUnit.SECONDS), "the client reset the connection of the timed-out request");
        // the client still works: the next call gets a fresh connection
        RpcServer echo = server(RpcServerOptions.builder(), new EchoHandler());
        assertEquals(
                ErrorCode.OK, c
                        .call(ep(echo),
                                RequestEnvelope.newBuilder()
                                        .setKvGet(KvGetRequest.newBuilder().setNamespace("ns").setKey("k")).build(),
                                T)
                        .get(5, TimeUnit.SECONDS).getHeader().getCode());
    }
}
