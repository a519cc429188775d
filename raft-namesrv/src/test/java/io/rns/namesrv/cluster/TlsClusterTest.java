package io.rns.namesrv.cluster;

import io.rns.client.CallOptions;
import io.rns.client.NamesrvClient;
import io.rns.client.NamesrvException;
import io.rns.client.RetryPolicy;
import io.rns.rpc.transport.ClientTls;
import io.rns.rpc.transport.RpcClientOptions;
import io.rns.rpc.transport.TlsMode;
import io.rns.rpc.transport.TlsSettings;
import io.rns.rpc.v1.Consistency;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

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
 * Issue 14, TLS: a 3-node cluster with tls.mode=enforcing and tls.client-auth=require (certificates from
 * scripts/dev-certs.sh). Writes sent to followers reach the leader over the nodes' own TLS connections, which present
 * the node certificates; clients without TLS or without a certificate are refused.
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
                .tlsClientAuth(TlsSettings.ClientCerts.REQUIRE));
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
    }
}
