package io.rns.compat;

import io.rns.namesrv.auth.Authenticator;
import io.rns.namesrv.config.Member;
import io.rns.namesrv.config.NamesrvConfig;
import io.rns.namesrv.spi.IngressContext;
import io.rns.rpc.transport.RpcServer;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.ResponseEnvelope;
import io.rns.rpc.v1.ResponseHeader;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The listener over raw sockets: bad frames close only their own connection. */
class RocketmqServerFrameTest {
    RocketmqServer server;

    @BeforeEach
    void start() throws Exception {
        NamesrvConfig c = NamesrvConfig.builder().nodeId("n1").members(List.of(new Member("n1", "127.0.0.1", 1, 2)))
                .rocketmqListenPort(3).rocketmqMaxFrameBytes(4096).maxConnectionsPerHost(3).build();
        server = start(c);
    }

    /** The listener of config {@code c} on an ephemeral port, over a node that answers every route TOPIC_NOT_FOUND. */
    static RocketmqServer start(NamesrvConfig c) throws InterruptedException {
        AtomicLong ids = new AtomicLong(1L << 48);
        IngressContext ctx = new IngressContext(c,
                (req, in) -> CompletableFuture.completedFuture(ResponseEnvelope.newBuilder()
                        .setHeader(ResponseHeader.newBuilder().setCode(ErrorCode.TOPIC_NOT_FOUND).setMessage("none"))
                        .build()),
                ids::incrementAndGet, () -> 0, Authenticator.of(c.auth()));
        return RocketmqServer.start(ctx, "127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", server.localAddress().getPort());
        s.setSoTimeout(10_000);
        return s;
    }

    /** A JSON GET_ROUTEINFO frame as a stock client writes it; returns the decoded answer. */
    static RemotingCommand routeQuery(Socket s) throws Exception {
        RmqTestSupport.sendRouteQuery(s, 7);
        return RmqTestSupport.readAnswer(s);
    }

    static boolean closedByPeer(Socket s) throws IOException {
        try {
            return s.getInputStream().read() == -1;
        } catch (SocketException | EOFException e) {
            return true;
        }
    }

    @Test
    void aJsonFrameIsAnsweredWithTheOpaqueEchoedAndTheResponseFlag() throws Exception {
        try (Socket s = connect()) {
            RemotingCommand r = routeQuery(s);
            assertEquals(17, r.getCode());
            assertEquals(7, r.getOpaque());
            assertTrue(r.isResponseType());
        }
    }

    @Test
    void anOversizedFrameClosesThatConnectionOnly() throws Exception {
        try (Socket good = connect(); Socket bad = connect()) {
            assertEquals(17, routeQuery(good).getCode());
            DataOutputStream out = new DataOutputStream(bad.getOutputStream());
            out.writeInt(1 << 20); // 1 MiB announced, max is 4096
            out.write(new byte[8192]);
            out.flush();
            assertTrue(closedByPeer(bad), "oversized frame closes its connection");
            assertEquals(17, routeQuery(good).getCode(), "the other connection still works");
            RpcServer.Stats st = server.stats();
            assertEquals(2, st.connectionsAccepted());
            assertEquals(1, st.protocolErrors(), "the oversized frame is counted as a refusal");
            assertEquals(2, st.requests());
        }
    }

    @Test
    void garbageClosesThatConnectionOnly() throws Exception {
        try (Socket good = connect(); Socket bad = connect()) {
            DataOutputStream out = new DataOutputStream(bad.getOutputStream());
            byte[] junk = "this is not a remoting command at all".getBytes(StandardCharsets.UTF_8);
            out.writeInt(4 + junk.length);
            out.writeInt(0x00FFFFFF); // header length far beyond the frame
            out.write(junk);
            out.flush();
            assertTrue(closedByPeer(bad), "undecodable frame closes its connection");
            assertEquals(17, routeQuery(good).getCode(), "the other connection still works");
            assertEquals(1, server.stats().protocolErrors(), "the undecodable frame is counted as a refusal");
            long until = System.nanoTime() + 5_000_000_000L; // the server's close listener runs on its event loop
            while (server.stats().connectionsOpen() != 1 && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertEquals(1, server.stats().connectionsOpen(), "the refused connection is no longer open");
        }
        assertEquals(0, server.stats().inFlight());
    }

    @Test
    void connectionsOverThePerHostLimitAreClosedAtOnce() throws Exception {
        try (Socket a = connect(); Socket b = connect(); Socket c = connect(); Socket d = connect()) {
            assertEquals(17, routeQuery(a).getCode());
            assertEquals(17, routeQuery(b).getCode());
            assertEquals(17, routeQuery(c).getCode());
            assertTrue(closedByPeer(d),
                    "a fourth connection from one address is closed (limits.max-connections-per-host 3)");
            assertEquals(1, server.stats().connectionsRefused());
        }
    }
}
