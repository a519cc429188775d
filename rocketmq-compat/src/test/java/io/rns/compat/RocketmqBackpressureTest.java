package io.rns.compat;

import io.rns.namesrv.auth.Authenticator;
import io.rns.namesrv.config.Member;
import io.rns.namesrv.config.NamesrvConfig;
import io.rns.namesrv.spi.IngressContext;
import io.rns.rpc.transport.RequestHandler;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.ResponseEnvelope;
import io.rns.rpc.v1.ResponseHeader;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.apache.rocketmq.remoting.protocol.ResponseCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.rns.compat.RmqTestSupport.readAnswer;
import static io.rns.compat.RmqTestSupport.sendRouteQuery;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14, bounded resources on the RocketMQ port: a connection with limits.max-in-flight-per-connection requests
 * in progress gets SYSTEM_BUSY for the next one, and a full query queue (rocketmq.queue-capacity) answers SYSTEM_BUSY
 * at once instead of growing; both are answered, not dropped, and the requests already taken are served.
 */
class RocketmqBackpressureTest {
    private RocketmqServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private RocketmqServer start(NamesrvConfig.Builder b, RequestHandler node) throws InterruptedException {
        NamesrvConfig c = b.nodeId("n1").members(List.of(new Member("n1", "127.0.0.1", 1, 2))).rocketmqListenPort(3)
                .build();
        AtomicLong ids = new AtomicLong(1L << 48);
        server = RocketmqServer.start(
                new IngressContext(c, node, ids::incrementAndGet, () -> 0, Authenticator.of(c.auth())), "127.0.0.1", 0);
        return server;
    }

    private static ResponseEnvelope notFound() {
        return ResponseEnvelope.newBuilder()
                .setHeader(ResponseHeader.newBuilder().setCode(ErrorCode.TOPIC_NOT_FOUND).setMessage("none")).build();
    }

    private Socket connect() throws Exception {
        Socket s = new Socket("127.0.0.1", server.localAddress().getPort());
        s.setSoTimeout(10_000);
        return s;
    }

    @Test
    void aConnectionBeyondItsInFlightCapIsAnsweredSystemBusy() throws Exception {
        List<CompletableFuture<ResponseEnvelope>> held = new CopyOnWriteArrayList<>();
        Semaphore arrived = new Semaphore(0);
        start(NamesrvConfig.builder().maxInFlightPerConnection(2), (req, in) -> {
            CompletableFuture<ResponseEnvelope> f = new CompletableFuture<>();
            held.add(f); // answered only when the test says so
            arrived.release();
            return f;
        });
        try (Socket s = connect()) {
            sendRouteQuery(s, 1);
            sendRouteQuery(s, 2);
            assertTrue(arrived.tryAcquire(2, 10, TimeUnit.SECONDS), "two queries reached the node");
            sendRouteQuery(s, 3);
            RemotingCommand busy = readAnswer(s);
            assertEquals(3, busy.getOpaque(), "the third request is answered first, at once");
            assertEquals(ResponseCode.SYSTEM_BUSY, busy.getCode(), busy.getRemark());
            assertTrue(busy.getRemark().contains("limits.max-in-flight-per-connection"), busy.getRemark());
            assertEquals(2, held.size(), "the refused request never reached the node");
            held.forEach(f -> f.complete(notFound()));
            assertEquals(ResponseCode.TOPIC_NOT_EXIST, readAnswer(s).getCode());
            assertEquals(ResponseCode.TOPIC_NOT_EXIST, readAnswer(s).getCode());
            sendRouteQuery(s, 4); // room again
            assertTrue(arrived.tryAcquire(1, 10, TimeUnit.SECONDS), "the next query reached the node");
            held.get(2).complete(notFound());
            assertEquals(4, readAnswer(s).getOpaque());
        }
    }

    @Test
    void aFullQueryQueueAnswersSystemBusyInsteadOfGrowing() throws Exception {
        Semaphore entered = new Semaphore(0);
        CountDownLatch release = new CountDownLatch(1);
        start(NamesrvConfig.builder().rocketmqQueryThreads(1).rocketmqQueueCapacity(1), (req, in) -> {
            entered.release();
            try { // holds the one query thread
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return CompletableFuture.completedFuture(notFound());
        });
        try (Socket a = connect(); Socket b = connect(); Socket c = connect()) {
            sendRouteQuery(a, 1);
            assertTrue(entered.tryAcquire(10, TimeUnit.SECONDS), "the first query holds the thread");
            sendRouteQuery(b, 2); // waits in the queue (capacity 1)
            Thread.sleep(200); // b's query is queued before c's arrives (its connection's event loop took it)
            sendRouteQuery(c, 3);
            RemotingCommand busy = readAnswer(c);
            assertEquals(ResponseCode.SYSTEM_BUSY, busy.getCode(), busy.getRemark());
            assertTrue(busy.getRemark().contains("rocketmq.queue-capacity 1"), busy.getRemark());
            release.countDown();
            assertEquals(ResponseCode.TOPIC_NOT_EXIST, readAnswer(a).getCode());
            assertEquals(ResponseCode.TOPIC_NOT_EXIST, readAnswer(b).getCode(), "the queued query is served");
        }
    }
}
