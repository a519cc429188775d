package io.rns.namesrv.cluster;

import io.rns.client.CallOptions;
import io.rns.client.NamesrvClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17: each node's admin listener serves Prometheus text with the node's metrics, /live, /ready (200 on a
 * caught-up follower, 503 with the reason on a node cut off from the majority) and /status, and refuses anything else.
 */
@Tag("cluster")
class AdminListenerClusterTest extends ClusterTestBase {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET(), path);
    }

    private HttpResponse<String> send(HttpRequest.Builder b, String what) throws IOException, InterruptedException {
        return http.send(b.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void contains(String body, String line) {
        assertTrue(body.contains(line), "expected '" + line + "' in:\n" + body);
    }

    @Test
    void metricsAndProbesOnEveryNodeAndReadyFailsWhenCutOffFromTheMajority() throws Exception {
        int[] admin = MiniCluster.freePorts(3);
        cluster = new MiniCluster(3, dir, 1000, 0).customize((i, b) -> b.adminListenPort(admin[i])).startAll();
        int leader = cluster.awaitLeader(Duration.ofSeconds(30));
        int f = cluster.followers().get(0);
        String fid = cluster.config(f).nodeId();

        NamesrvClient c = client(List.of(cluster.clientAddress(f)), Duration.ofSeconds(3), Duration.ofSeconds(10), 17);
        // pinned to the follower, which forwards it to the leader
        c.kvPut("ns", "k", "v", CallOptions.DEFAULT.withNode(cluster.clientAddress(f))).value();
        assertEquals("v", c.kvGet("ns", "k").value()); // LINEARIZABLE (the default), served by the follower

        // Micrometer holds a gauge's source weakly unless told otherwise: after a GC an unreferenced source reads NaN
        System.gc();
        HttpResponse<String> m = get(admin[f], "/metrics");
        assertEquals(200, m.statusCode());
        assertTrue(m.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
                m.headers().toString());
        String body = m.body();
        List<String> nan = body.lines().filter(l -> l.startsWith("rns_") && l.endsWith(" NaN")).toList();
        assertEquals(List.of(), nan, "series that lost their source");
        // series that must be there (@ stands for this node's label); the engine's own measurements (log append with
        // its fsync, batch sizes), the LINEARIZABLE kv_get's read barrier timed by RNS, the store's RocksDB basics
        List<String> expected = List.of("rns_raft_role{@,role=\"follower\"} 1.0", "rns_raft_applied_index{@}",
                "rns_raft_apply_lag_entries{@}", "rns_raft_leader_changes_total{@}", "rns_ready{@} 1.0",
                "rns_forwards_total{kind=\"kv_put\",@} 1.0",
                "rns_requests_seconds_count{code=\"ok\",kind=\"kv_put\",@,served=\"none\"} 1",
                "rns_requests_seconds_bucket{code=\"ok\",kind=\"kv_get\",@,served=\"linearizable\",le=\"10.0\"} 1",
                "rns_rpc_connections_open{@,port=\"client\"}", "rns_liveness_leases{@} 0.0", "jvm_memory_used_bytes{",
                "rns_raft_engine_seconds{name=\"append-logs\",@,quantile=\"0.99\"}",
                "rns_raft_engine_values_count{name=\"append-logs-count\",@}",
                "rns_request_queue_seconds_count{kind=\"kv_get\",@} 1",
                "rns_raft_engine_seconds_count{name=\"rns-read-barrier-linearizable\",@} 1", "rns_store_keys{@}",
                "rns_store_sst_bytes{@}", "rns_watch_polls{@} 0.0", "rns_watch_history_floor{@}");
        for (String series : expected) {
            contains(body, series.replace("@", "node=\"" + fid + "\""));
        }

        HttpResponse<String> ready = get(admin[f], "/ready");
        assertEquals(200, ready.statusCode(), ready.body());
        contains(ready.body(), "\"ok\":true");
        assertEquals(200, get(admin[f], "/live").statusCode());
        HttpResponse<String> status = get(admin[f], "/status");
        assertEquals(200, status.statusCode());
        contains(status.body(), "\"nodeId\": \"" + fid + "\"");
        contains(status.body(), "\"role\": \"FOLLOWER\"");
        assertEquals(200, get(admin[leader], "/ready").statusCode());

        assertEquals(404, get(admin[f], "/nope").statusCode());
        HttpResponse<String> post = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin[f] + "/ready"))
                .POST(HttpRequest.BodyPublishers.ofString("x")), "POST");
        assertEquals(405, post.statusCode());
        String after = get(admin[f], "/metrics").body();
        contains(after, "rns_admin_refused_total{node=\"" + fid + "\",port=\"admin\"} 2.0");
        contains(post.body(), "GET or HEAD only");

        // cut the follower off from the majority: the two others stop
        for (int i = 0; i < 3; i++) {
            if (i != f) {
                cluster.stop(i);
            }
        }
        MiniCluster.await(Duration.ofSeconds(20), "the lone follower's /ready to fail", () -> {
            try {
                return get(admin[f], "/ready").statusCode() == 503;
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        HttpResponse<String> cut = get(admin[f], "/ready");
        contains(cut.body(), "\"ok\":false");
        assertTrue(cut.body().contains("no known leader") || cut.body().contains("no contact with leader"), cut.body());
        assertEquals(200, get(admin[f], "/live").statusCode(), "it is not ready, but it is alive");
        contains(get(admin[f], "/metrics").body(), "rns_ready{node=\"" + fid + "\"} 0.0");
        // and its status page still answers, from its own table, saying so
        HttpResponse<String> page = get(admin[f], "/");
        assertEquals(200, page.statusCode(), page.body());
        contains(page.body(), "served STALE by " + fid);
    }
}
