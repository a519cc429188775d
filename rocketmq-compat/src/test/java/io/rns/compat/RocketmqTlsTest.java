package io.rns.compat;

import io.rns.namesrv.config.Member;
import io.rns.namesrv.config.NamesrvConfig;
import io.rns.rpc.transport.TlsMode;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * tls.mode on the RocketMQ port, over sockets as a stock client with tls.enable=true opens them (it does not check
 * the server's certificate by default; this test does, against the dev CA).
 */
class RocketmqTlsTest {
    @TempDir
    static Path tmp;
    static Path certs;

    RocketmqServer server;

    @BeforeAll
    static void makeCertificates() throws Exception {
        certs = tmp.resolve("tls");
        Process p = new ProcessBuilder("bash", Path.of("..", "scripts", "dev-certs.sh").toString(), certs.toString(),
                "n1").redirectErrorStream(true).redirectOutput(tmp.resolve("dev-certs.log").toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0,
                "scripts/dev-certs.sh failed: " + Files.readString(tmp.resolve("dev-certs.log")));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start(TlsMode mode) throws Exception {
        NamesrvConfig c = NamesrvConfig.builder().nodeId("n1").members(List.of(new Member("n1", "127.0.0.1", 1, 2)))
                .rocketmqListenPort(3).tlsMode(mode).tlsCertFile(certs.resolve("n1.pem"))
                .tlsKeyFile(certs.resolve("n1.key")).build();
        server = RocketmqServerFrameTest.start(c);
    }

    private Socket plaintext() throws Exception {
        Socket s = new Socket("127.0.0.1", server.localAddress().getPort());
        s.setSoTimeout(10_000);
        return s;
    }

    private Socket tls() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(certs.resolve("ca.pem"))) {
            trust.setCertificateEntry("rns-dev-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        SSLSocket s = (SSLSocket) ssl.getSocketFactory().createSocket("127.0.0.1", server.localAddress().getPort());
        s.setSoTimeout(10_000);
        s.startHandshake();
        return s;
    }

    @Test
    void enforcingAnswersTlsClientsAndClosesPlaintextOnes() throws Exception {
        start(TlsMode.ENFORCING);
        try (Socket s = tls()) {
            RemotingCommand r = RocketmqServerFrameTest.routeQuery(s);
            assertEquals(17, r.getCode(), "TOPIC_NOT_EXIST, over TLS");
            assertEquals(7, r.getOpaque());
        }
        try (Socket s = plaintext()) {
            s.getOutputStream().write(new byte[]{0, 0, 0, 8, 0, 0, 0, 4, '{', '}', ' ', ' '});
            assertTrue(RocketmqServerFrameTest.closedByPeer(s), "a plaintext frame on an enforcing port: closed");
        }
    }

    @Test
    void permissiveAnswersBoth() throws Exception {
        start(TlsMode.PERMISSIVE);
        try (Socket s = tls()) {
            assertEquals(17, RocketmqServerFrameTest.routeQuery(s).getCode());
        }
        try (Socket s = plaintext()) {
            assertEquals(17, RocketmqServerFrameTest.routeQuery(s).getCode());
        }
    }
}
