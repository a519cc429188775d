package io.rns.rpc.transport;

import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.KvGetRequest;
import io.rns.rpc.v1.RequestEnvelope;
import io.rns.rpc.v1.ResponseEnvelope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** limits.*: connections over the port's or the source address's limit are closed at once; in-flight is capped. */
class ConnectionLimitsTest {
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private Socket connect(RpcServer s) throws IOException {
        Socket sock = new Socket(s.localAddress().getAddress(), s.localAddress().getPort());
        sock.setSoTimeout(5000);
        closeables.add(sock);
        return sock;
    }

    private static RequestEnvelope get(long id) {
        return RequestEnvelope.newBuilder().setRequestId(id)
                .setKvGet(KvGetRequest.newBuilder().setNamespace("n").setKey("k")).build();
    }

    private static ResponseEnvelope call(Socket s, long id) throws IOException {
        s.getOutputStream().write(FrameCodec.frame(get(id)));
        return read(s);
    }

    private static ResponseEnvelope read(Socket s) throws IOException {
        DataInputStream in = new DataInputStream(s.getInputStream());
        byte[] body = new byte[in.readInt()];
        in.readFully(body);
        return ResponseEnvelope.parseFrom(body);
    }

    private static boolean closedByServer(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private RpcServer echoServer(ConnectionLimits limits) {
        RpcServer s = RpcServer.start(RpcServerOptions.builder().limits(limits).build(),
                (req, ctx) -> CompletableFuture.completedFuture(EchoHandler.echo(req)));
        closeables.add(s);
        return s;
    }

    @Test
    void connectionsOverThePerHostLimitAreClosedAtOnceAndASlotFreesOnClose() throws Exception {
        RpcServer s = echoServer(new ConnectionLimits(100, 2, 100));
        Socket a = connect(s);
        Socket b = connect(s);
        assertEquals(ErrorCode.OK, call(a, 1).getHeader().getCode());
        assertEquals(ErrorCode.OK, call(b, 2).getHeader().getCode());
        Socket c = connect(s); // the third from 127.0.0.1
        assertTrue(closedByServer(c), "a third connection from one address is closed");
        assertEquals(1, s.stats().connectionsRefused());
        assertEquals(2, s.stats().connectionsOpen());
        a.close();
        long until = System.nanoTime() + 5_000_000_000L; // the close reaches the server's event loop
        while (s.stats().connectionsOpen() > 1 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        Socket d = connect(s);
        assertEquals(ErrorCode.OK, call(d, 3).getHeader().getCode(), "the freed slot is usable again");
    }

    @Test
    void theWholePortHasALimitToo() throws Exception {
        RpcServer s = echoServer(new ConnectionLimits(1, 10, 100));
        Socket a = connect(s);
        assertEquals(ErrorCode.OK, call(a, 1).getHeader().getCode());
        assertTrue(closedByServer(connect(s)));
        assertEquals(1, s.stats().connectionsRefused());
    }

    @Test
    void requestsBeyondTheInFlightCapOfAConnectionAreAnsweredOverloaded() throws Exception {
        ConcurrentLinkedQueue<CompletableFuture<ResponseEnvelope>> held = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<RequestEnvelope> seen = new ConcurrentLinkedQueue<>();
        RpcServer s = RpcServer.start(RpcServerOptions.builder().limits(new ConnectionLimits(100, 100, 2)).build(),
                (req, ctx) -> {
                    seen.add(req);
                    CompletableFuture<ResponseEnvelope> f = new CompletableFuture<>();
                    held.add(f);
                    return f; // answered only when the test completes it
                });
        closeables.add(s);
        Socket a = connect(s);
        for (long id = 1; id <= 3; id++) {
            a.getOutputStream().write(FrameCodec.frame(get(id)));
        }
        ResponseEnvelope third = read(a); // the only answer while 1 and 2 are held
        assertEquals(3, third.getRequestId());
        assertEquals(ErrorCode.OVERLOADED, third.getHeader().getCode());
        assertTrue(third.getHeader().getRetriable());
        assertTrue(third.getHeader().getMessage().contains("limits.max-in-flight-per-connection"),
                third.getHeader().getMessage());
        assertEquals(1, s.stats().overloaded());
        // the cap is per connection: another one is served
        Socket other = connect(s);
        other.getOutputStream().write(FrameCodec.frame(get(4)));
        long until = System.nanoTime() + 5_000_000_000L;
        while (seen.size() < 3 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertEquals(List.of(1L, 2L, 4L), seen.stream().map(RequestEnvelope::getRequestId).sorted().toList());
        // once answered, the connection has room again
        List<RequestEnvelope> first = new ArrayList<>(seen);
        int i = 0;
        for (CompletableFuture<ResponseEnvelope> f : held) {
            f.complete(EchoHandler.echo(first.get(i++)));
        }
        read(a);
        read(a);
        a.getOutputStream().write(FrameCodec.frame(get(5)));
        until = System.nanoTime() + 5_000_000_000L;
        while (seen.size() < 4 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertEquals(4, seen.size(), "request 5 reached the handler");
    }
}
