package io.rns.namesrv.admin;

import io.rns.namesrv.auth.Authenticator;
import io.rns.namesrv.config.NamesrvConfig;
import io.rns.rpc.transport.TlsMode;
import io.rns.rpc.transport.TlsSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14 on the admin listener: with TLS on it speaks HTTPS only (the node's certificate), and with auth on the
 * status page, /metrics and /status answer only accounts allowed to read, while /live and /ready stay open to
 * probes.
 */
class AdminServerSecurityTest {
    @TempDir
    Path dir;
    private AdminServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void httpsOnlyAndOnlyReadersSeeMetricsWhileProbesStayOpen() throws Exception {
        Path tls = dir.resolve("tls");
        Process p = new ProcessBuilder("bash", Path.of("..", "scripts", "dev-certs.sh").toString(), tls.toString(),
                "n1").redirectErrorStream(true).redirectOutput(dir.resolve("dev-certs.log").toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0,
                "scripts/dev-certs.sh failed: " + Files.readString(dir.resolve("dev-certs.log")));
        Path accounts = Files.writeString(dir.resolve("accounts.properties"), """
                account.rns-node.secret=node-secret-0123456789
                account.rns-node.permissions=node
                account.app.secret=app-secret-0123456789
                account.app.permissions=read
                account.broker.secret=broker-secret-0123456789
                account.broker.permissions=broker
                """);
        Authenticator auth = Authenticator.of(new NamesrvConfig.Auth(true, accounts, "rns-node"));
        TlsSettings settings = new TlsSettings(TlsMode.ENFORCING, tls.resolve("n1.pem"), tls.resolve("n1.key"),
                tls.resolve("ca.pem"), TlsSettings.ClientCerts.NONE);
        server = AdminServer.start("n1", "127.0.0.1", 0, new AdminServer.Sources(() -> "rns_up 1\n",
                () -> new Probe(true, "ok"), () -> new Probe(true, "ok"), () -> "{}\n", topic -> "<html></html>"),
                settings, auth);
        int port = server.localAddress().getPort();
        HttpClient https = HttpClient.newBuilder().sslContext(trusting(tls.resolve("ca.pem")))
                .connectTimeout(Duration.ofSeconds(5)).build();
        String base = "https://127.0.0.1:" + port;

        // plaintext HTTP gets no answer
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThrows(IOException.class,
                () -> plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()),
                "plaintext HTTP was answered");

        HttpResponse<String> none = get(https, base + "/metrics", null);
        assertEquals(401, none.statusCode(), none.body());
        assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"), "challenge");
        assertEquals(401, get(https, base + "/status", basic("app", "wrong-secret-0123456789")).statusCode());
        assertEquals(401, get(https, base + "/", "Digest x").statusCode(), "an unknown scheme");
        HttpResponse<String> bare = get(https, base + "/", "Bearer app-secret-0123456789");
        assertEquals(401, bare.statusCode(), "a bare secret");
        assertTrue(!bare.body().contains("app-secret") && bare.body().contains("not of the form account:secret"),
                "a bare secret is not echoed: " + bare.body());
        HttpResponse<String> broker = get(https, base + "/metrics", basic("broker", "broker-secret-0123456789"));
        assertEquals(403, broker.statusCode(), broker.body());
        assertTrue(broker.body().contains("needs permission read"), broker.body());
        assertEquals(5, server.stats().refused(), "every refusal counted");

        HttpResponse<String> reader = get(https, base + "/metrics", basic("app", "app-secret-0123456789"));
        assertEquals(200, reader.statusCode());
        assertEquals("rns_up 1\n", reader.body());
        assertEquals(200, get(https, base + "/status", "Bearer app:app-secret-0123456789").statusCode());
        assertEquals(200, get(https, base + "/live", null).statusCode(), "/live needs no account");
        assertEquals(200, get(https, base + "/ready", null).statusCode(), "/ready needs no account");
    }

    private static String basic(String name, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((name + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> get(HttpClient c, String url, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return c.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static SSLContext trusting(Path caPem) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
