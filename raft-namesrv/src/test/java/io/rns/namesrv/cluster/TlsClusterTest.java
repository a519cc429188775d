package io.rns.namesrv.cluster;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.alipay.remoting.ExtendedNettyChannelHandler;
import com.alipay.remoting.config.BoltClientOption;
import com.alipay.sofa.jraft.option.RpcOptions;
import com.alipay.sofa.jraft.rpc.RpcRequests;
import com.alipay.sofa.jraft.rpc.impl.BoltRpcClient;
import com.alipay.sofa.jraft.util.Endpoint;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.rns.client.CallOptions;
import io.rns.client.NamesrvClient;
import io.rns.client.NamesrvException;
import io.rns.client.RetryPolicy;
import io.rns.namesrv.config.Member;
import io.rns.namesrv.consensus.EngineMetric;
import io.rns.rpc.transport.ClientTls;
import io.rns.rpc.transport.RpcClientOptions;
import io.rns.rpc.transport.TlsMode;
import io.rns.rpc.transport.TlsSettings;
import io.rns.rpc.v1.Consistency;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14, TLS: a 3-node cluster with tls.mode=enforcing, tls.client-auth=require and raft.tls=true (certificates
 * from scripts/dev-certs.sh). Writes sent to followers reach the leader over the nodes' own TLS connections, which
 * present the node certificates, and are replicated over mutual TLS on the Raft port; clients without TLS or without
 * a certificate are refused, and so is every Raft connection whose certificate is not a member's.
 */
@Tag("cluster")
class TlsClusterTest extends ClusterTestBase {

    private static Path certs(Path dir) throws Exception {
        Path out = dir.resolve("tls");
        Process p = new ProcessBuilder("bash", Path.of("..", "scripts", "dev-certs.sh").toString(), out.toString(),
                "n1", "n2", "n3").redirectErrorStream(true).redirectOutput(dir.resolve("dev-certs.log").toFile())
                .start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0,
                "scripts/dev-certs.sh failed: " + Files.readString(dir.resolve("dev-certs.log")));
        return out;
    }

    private NamesrvClient client(ClientTls tls) {
        return closeLater(
                NamesrvClient.builder().endpoints(cluster.clientAddresses()).requestTimeout(Duration.ofSeconds(3))
                        .overallTimeout(Duration.ofSeconds(6)).retryPolicy(RetryPolicy.DEFAULT.withMaxAttempts(3))
                        .randomSeed(14).rpcOptions(RpcClientOptions.builder().tls(tls).build()).build());
    }

    @Test
    void followersForwardOverTlsAndClientsWithoutACertificateAreRefused() throws Exception {
        Path tls = certs(dir);
        cluster = new MiniCluster(3, dir, 1000, 0);
        cluster.customize((i, b) -> b.tlsMode(TlsMode.ENFORCING).tlsCertFile(tls.resolve("n" + (i + 1) + ".pem"))
                .tlsKeyFile(tls.resolve("n" + (i + 1) + ".key")).tlsTrustFile(tls.resolve("ca.pem"))
                .tlsClientAuth(TlsSettings.ClientCerts.REQUIRE).raftTls(true));
        cluster.startAll();
        cluster.awaitLeader(Duration.ofSeconds(30));

        NamesrvClient c = client(
                new ClientTls(tls.resolve("ca.pem"), tls.resolve("client.pem"), tls.resolve("client.key"), true));
        int n = 0;
        for (int f : cluster.followers()) {
            // sent to a follower, forwarded to the leader over a TLS connection with the follower's certificate
            c.kvPut("tls", "k" + n, "v" + n, CallOptions.DEFAULT.withNode(cluster.clientAddress(f)));
            n++;
        }
        assertTrue(n >= 2, "two followers took a write");
        for (String node : cluster.clientAddresses()) {
            Map<String, String> kv = c
                    .kvList("tls", CallOptions.DEFAULT.withNode(node).withConsistency(Consistency.LINEARIZABLE))
                    .value();
            assertEquals(Map.of("k0", "v0", "k1", "v1"), kv, "linearizable read on " + node);
        }

        // refused before any request is served: a plaintext client, and a TLS client without a certificate (with
        // TLS 1.3 the client learns it only when the server's alert closes the connection)
        List<NamesrvException.Kind> refused = List.of(NamesrvException.Kind.CONNECTION_CLOSED,
                NamesrvException.Kind.CONNECT_FAILED);
        NamesrvException plaintext = assertThrows(NamesrvException.class, () -> client(null).kvList("tls"));
        assertTrue(refused.contains(plaintext.kind()), "plaintext: " + plaintext);
        NamesrvException noCert = assertThrows(NamesrvException.class,
                () -> client(new ClientTls(tls.resolve("ca.pem"), null, null, true)).kvList("tls"));
        assertTrue(refused.contains(noCert.kind()), "no client certificate: " + noCert);
        assertEquals(Map.of("k0", "v0", "k1", "v1"), c.kvList("tls").value(), "the refusals changed nothing");

        // the Raft port: a jraft Ping with a member's certificate is answered (the writes above were replicated over
        // it too); without TLS, with a client certificate of the same CA (it names no member's host) or with a member
        // name certified by another CA, the connection is closed unanswered and the refusal logged
        Path rogue = certs(Files.createDirectories(dir.resolve("rogue")));
        Logger gateLog = (Logger) LoggerFactory.getLogger("io.rns.namesrv.raft.PeerCertGate");
        ListAppender<ILoggingEvent> refusals = new ListAppender<>();
        refusals.start();
        gateLog.addAppender(refusals);
        try {
            for (int i = 0; i < 3; i++) {
                Member m = cluster.config(i).self();
                assertEquals(0, ping(m, peerTls(tls, "n" + (3 - i))).getErrorCode(), "member certificate: " + m);
                assertPingRefused(m, null, "plaintext");
                assertPingRefused(m, peerTls(tls, "client"), "a client certificate");
                assertPingRefused(m, peerTls(tls, rogue, "n1"), "another CA's certificate");
            }
        } finally {
            gateLog.detachAppender(refusals);
        }
        List<String> lines = refusals.list.stream().filter(e -> e.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).toList();
        System.out.println("raft port refusals logged: " + lines);
        for (String why : List.of("TLS handshake failed", "names [], no member's host")) {
            assertEquals(3 * (why.startsWith("TLS") ? 2 : 1),
                    lines.stream().filter(l -> l.contains("refused a raft connection from") && l.contains(why)).count(),
                    "refusals logged for: " + why);
        }
        for (int i = 0; i < 3; i++) { // and counted, for the metrics (rns_raft_engine_gauge)
            double counted = cluster.node(i).consensus().engineMetrics().stream()
                    .filter(m -> m.name().equals("peer-connections-refused")).mapToDouble(EngineMetric::p50).sum();
            assertEquals(3.0, counted, "refusals counted on node " + i);
        }
        assertEquals(Map.of("k0", "v0", "k1", "v1"),
                c.kvList("tls", CallOptions.DEFAULT.withConsistency(Consistency.LINEARIZABLE)).value(),
                "the refused peers changed nothing");
    }

    private static SslContext peerTls(Path tls, String name) throws Exception {
        return peerTls(tls, tls, name);
    }

    /** A TLS client context trusting {@code tls}'s CA and presenting {@code certs/name.pem}. */
    private static SslContext peerTls(Path tls, Path certs, String name) throws Exception {
        return SslContextBuilder.forClient().trustManager(tls.resolve("ca.pem").toFile())
                .keyManager(certs.resolve(name + ".pem").toFile(), certs.resolve(name + ".key").toFile()).build();
    }

    /** A jraft Ping to {@code m}'s Raft port over a bolt client with {@code tls} (null: plaintext) in front. */
    private static RpcRequests.ErrorResponse ping(Member m, SslContext tls) throws Exception {
        com.alipay.remoting.rpc.RpcClient bolt = new com.alipay.remoting.rpc.RpcClient();
        if (tls != null) {
            bolt.option(BoltClientOption.EXTENDED_NETTY_CHANNEL_HANDLER, new ExtendedNettyChannelHandler() {
                @Override
                public List<ChannelHandler> frontChannelHandlers() {
                    return List.of(tls.newHandler(ByteBufAllocator.DEFAULT));
                }

                @Override
                public List<ChannelHandler> backChannelHandlers() {
                    return List.of();
                }
            });
        }
        BoltRpcClient client = new BoltRpcClient(bolt);
        client.init(new RpcOptions()); // starts it
        try {
            return (RpcRequests.ErrorResponse) client.invokeSync(new Endpoint(m.host(), m.raftPort()),
                    RpcRequests.PingRequest.newBuilder().setSendTimestamp(System.currentTimeMillis()).build(), 5000);
        } finally {
            client.shutdown();
        }
    }

    private static void assertPingRefused(Member m, SslContext tls, String what) {
        Exception e = assertThrows(Exception.class, () -> ping(m, tls),
                what + " was answered on the raft port of " + m.id());
        System.out.println("raft port of " + m.id() + ", " + what + ": refused (" + e + ")");
    }
}
