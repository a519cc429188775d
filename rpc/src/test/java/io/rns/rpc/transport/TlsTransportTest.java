package io.rns.rpc.transport;

import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.KvGetRequest;
import io.rns.rpc.v1.RequestEnvelope;
import io.rns.rpc.v1.ResponseEnvelope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS on the native port (tls.mode, tls.client-auth) and in the client: certificates from scripts/dev-certs.sh; a
 * second, unrelated CA stands for an attacker's.
 */
class TlsTransportTest {
    @TempDir
    static Path tmp;
    static Path certs;
    static Path otherCa;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeAll
    static void makeCertificates() throws Exception {
        certs = DevCerts.make(tmp.resolve("certs"), "n1");
        otherCa = DevCerts.make(tmp.resolve("other"), "n1");
    }

    @AfterEach
    void close() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private RpcServer server(String host, TlsMode mode, TlsSettings.ClientCerts clientAuth) {
        TlsSettings tls = new TlsSettings(mode, certs.resolve("n1.pem"), certs.resolve("n1.key"),
                certs.resolve("ca.pem"), clientAuth);
        RpcServer s = RpcServer.start(RpcServerOptions.builder().host(host).tls(tls).build(),
                (req, ctx) -> CompletableFuture.completedFuture(EchoHandler.echo(req)));
        closeables.add(s);
        return s;
    }

    private RpcClient client(ClientTls tls) {
        RpcClient c = new RpcClient(RpcClientOptions.builder().tls(tls).build());
        closeables.add(c);
        return c;
    }

    private static ClientTls trusting(Path dir) {
        return new ClientTls(dir.resolve("ca.pem"), null, null, true);
    }

    private static RequestEnvelope get() {
        return RequestEnvelope.newBuilder().setKvGet(KvGetRequest.newBuilder().setNamespace("n").setKey("k")).build();
    }

    private static ErrorCode call(RpcClient c, RpcServer s) {
        return c.call(Endpoints.format(s.localAddress()), get(), Duration.ofSeconds(5)).join().getHeader().getCode();
    }

    private static Throwable failure(RpcClient c, RpcServer s) {
        CompletionException e = assertThrows(CompletionException.class, () -> call(c, s));
        return e.getCause();
    }

    /** A plaintext request written on a raw socket: the answer, or null when the server closed the connection. */
    private static ResponseEnvelope plaintext(RpcServer s) throws IOException {
        try (Socket sock = new Socket(s.localAddress().getAddress(), s.localAddress().getPort())) {
            sock.setSoTimeout(5000);
            sock.getOutputStream().write(FrameCodec.frame(get().toBuilder().setRequestId(1).build()));
            DataInputStream in = new DataInputStream(sock.getInputStream());
            byte[] body = new byte[in.readInt()];
            in.readFully(body);
            return ResponseEnvelope.parseFrom(body);
        } catch (java.io.EOFException | java.net.SocketException closed) {
            return null;
        }
    }

    @Test
    void enforcingServesTlsClientsAndClosesPlaintextOnes() throws Exception {
        RpcServer s = server("127.0.0.1", TlsMode.ENFORCING, TlsSettings.ClientCerts.NONE);
        assertEquals(ErrorCode.OK, call(client(trusting(certs)), s));
        assertEquals(null, plaintext(s), "a plaintext request on an enforcing port gets no answer");
        long until = System.nanoTime() + 5_000_000_000L; // the server counts it after closing
        while (s.stats().protocolErrors() == 0 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertEquals(1, s.stats().protocolErrors(), "and counts as a protocol (TLS) error");
    }

    @Test
    void aServerWhoseCertificateChainsToAnotherCaIsRefused() {
        RpcServer s = server("127.0.0.1", TlsMode.ENFORCING, TlsSettings.ClientCerts.NONE);
        Throwable t = failure(client(trusting(otherCa)), s);
        assertInstanceOf(RpcConnectException.class, t);
        assertTrue(t.getMessage().contains("TLS handshake failed"), t.getMessage());
    }

    @Test
    void aCertificateThatDoesNotNameTheHostIsRefusedUnlessTheCheckIsOff() {
        // the dev certificate names localhost and 127.0.0.1, not 127.0.0.2
        RpcServer s = server("127.0.0.2", TlsMode.ENFORCING, TlsSettings.ClientCerts.NONE);
        Throwable t = failure(client(trusting(certs)), s);
        assertTrue(t.getMessage().contains("TLS handshake failed"), t.getMessage());
        assertEquals(ErrorCode.OK, call(client(new ClientTls(certs.resolve("ca.pem"), null, null, false)), s));
    }

    @Test
    void permissiveServesBoth() throws Exception {
        RpcServer s = server("127.0.0.1", TlsMode.PERMISSIVE, TlsSettings.ClientCerts.NONE);
        assertEquals(ErrorCode.OK, call(client(trusting(certs)), s));
        assertEquals(ErrorCode.OK, call(client(null), s));
        ResponseEnvelope r = plaintext(s);
        assertTrue(r != null && r.getHeader().getCode() == ErrorCode.OK, "plaintext answered: " + r);
    }

    @Test
    void requiredClientCertificates() {
        RpcServer s = server("127.0.0.1", TlsMode.ENFORCING, TlsSettings.ClientCerts.REQUIRE);
        assertInstanceOf(RpcTransportException.class, failure(client(trusting(certs)), s),
                "no client certificate: refused");
        ClientTls wrongCa = new ClientTls(certs.resolve("ca.pem"), otherCa.resolve("client.pem"),
                otherCa.resolve("client.key"), true);
        assertInstanceOf(RpcTransportException.class, failure(client(wrongCa), s),
                "a client certificate from another CA: refused");
        ClientTls ok = new ClientTls(certs.resolve("ca.pem"), certs.resolve("client.pem"), certs.resolve("client.key"),
                true);
        assertEquals(ErrorCode.OK, call(client(ok), s));
    }

    @Test
    void badSettingsNameTheFile() {
        IllegalArgumentException mode = assertThrows(IllegalArgumentException.class, () -> TlsMode.parse("on"));
        assertEquals("TLS mode must be one of disabled, permissive, enforcing, got 'on'", mode.getMessage());
        assertEquals(TlsSettings.ClientCerts.REQUIRE, TlsSettings.ClientCerts.parse(" Require "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TlsSettings(TlsMode.ENFORCING, certs.resolve("missing.pem"), certs.resolve("n1.key"), null,
                        TlsSettings.ClientCerts.NONE));
        assertTrue(e.getMessage().contains("missing.pem"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new TlsSettings(TlsMode.ENFORCING,
                certs.resolve("n1.pem"), certs.resolve("n1.key"), null, TlsSettings.ClientCerts.REQUIRE));
        assertTrue(e.getMessage().contains("trust file"), e.getMessage());
        // a certificate with another certificate's key
        e = assertThrows(IllegalArgumentException.class,
                () -> new TlsSettings(TlsMode.ENFORCING, certs.resolve("n1.pem"), certs.resolve("client.key"), null,
                        TlsSettings.ClientCerts.NONE).newServerContext());
        assertTrue(e.getMessage().contains("does not belong to certificate"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new ClientTls(null, certs.resolve("client.pem"), null, true));
        assertTrue(e.getMessage().contains("key"), e.getMessage());
    }
}
