package io.rns.server.admin;

import io.rns.client.CallOptions;
import io.rns.client.NamesrvClient;
import io.rns.client.SavedSnapshot;
import io.rns.namesrv.cluster.MiniCluster;
import io.rns.namesrv.config.NamesrvConfig;
import io.rns.rpc.v1.Consistency;
import io.rns.rpc.v1.GetClusterInfoResponse;
import io.rns.rpc.v1.RegisterBrokerRequest;
import io.rns.rpc.v1.TopicConfig;
import io.rns.rpc.v1.TopicRoute;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator's backup story end to end: {@code rns snapshot save} (the client call behind it) from a live 3-node
 * cluster, {@code rns-admin snapshot restore} into three fresh data dirs, a new 3-node cluster started on them, and
 * every route, the cluster info and every KV entry compared; then the restored cluster takes writes, and
 * {@code rns-admin inspect} and {@code verify} read a stopped member. Bad backups and non-empty targets are refused
 * with exit 2 and change nothing.
 */
class BackupRestoreClusterTest {
    private static final long SEED = Long.getLong("rns.test.seed", 20261204L);
    private static final CallOptions LIN = CallOptions.DEFAULT.withConsistency(Consistency.LINEARIZABLE);

    @TempDir
    Path tmp;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closing(T c) {
        closeables.add(c);
        return c;
    }

    private NamesrvClient client(MiniCluster c) {
        return closing(NamesrvClient.builder().endpoints(c.clientAddresses()).requestTimeout(Duration.ofSeconds(3))
                .overallTimeout(Duration.ofSeconds(20)).randomSeed(SEED).build());
    }

    @Test
    void backupOfALiveClusterRestoresIntoAFreshClusterWithEveryRoute() throws Exception {
        System.out.println("BackupRestoreClusterTest seed " + SEED + " (-Drns.test.seed=" + SEED + " to repeat)");
        Random rnd = new Random(SEED);
        MiniCluster source = closing(new MiniCluster(3, tmp.resolve("source"), 1000, 3600));
        source.startAll();
        source.awaitLeader(Duration.ofSeconds(20));
        NamesrvClient a = client(source);

        // a varied table: 12 broker groups (masters and slaves) in 3 clusters, ~60 topics, KV in 2 namespaces
        List<String> topics = new ArrayList<>();
        for (int g = 0; g < 12; g++) {
            String cluster = "c" + (g % 3);
            for (int id = 0; id < 1 + g % 2; id++) {
                RegisterBrokerRequest.Builder b = RegisterBrokerRequest.newBuilder().setCluster(cluster)
                        .setBrokerName("broker-" + g).setBrokerId(id).setBrokerAddr("10.0." + g + "." + id + ":10911")
                        .setLeaseTimeoutMs(300_000);
                int n = 1 + rnd.nextInt(8);
                TreeSet<String> chosen = new TreeSet<>();
                while (chosen.size() < n) {
                    chosen.add("Topic-" + rnd.nextInt(60));
                }
                for (String topic : chosen) {
                    b.addTopics(TopicConfig.newBuilder().setTopic(topic).setReadQueueNums(1 + rnd.nextInt(16))
                            .setWriteQueueNums(1 + rnd.nextInt(16)).setPerm(rnd.nextBoolean() ? 6 : 4));
                }
                a.registerBroker(b.build(), LIN);
            }
        }
        for (int k = 0; k < 20; k++) {
            a.kvPut(k % 2 == 0 ? "ORDER_TOPIC_CONFIG" : "ops", "key-" + k, "value-" + rnd.nextInt(1000));
        }
        a.deleteTopic(a.listTopics(null, LIN).value().get(0), null);
        topics.addAll(a.listTopics(null, LIN).value());
        assertTrue(topics.size() > 20, "the table has topics: " + topics);

        // what the source serves, linearizably, right before the backup (nothing writes after it)
        Map<String, TopicRoute> routes = routes(a, topics);
        GetClusterInfoResponse clusterInfo = a.getClusterInfo(LIN).value();
        Map<String, Map<String, String>> kv = kv(a);

        Path backup = tmp.resolve("cluster.rnsbak");
        SavedSnapshot saved = a.saveSnapshot(backup, LIN);
        assertEquals(Files.size(backup), saved.bytes());
        assertEquals(Consistency.LINEARIZABLE, saved.meta().served());
        UncheckedIOException exists = assertThrows(UncheckedIOException.class, () -> a.saveSnapshot(backup, LIN));
        assertTrue(exists.getMessage().contains("exists already"), exists.getMessage());
        long backupIndex = saved.appliedIndex();
        assertTrue(backupIndex > 30, "applied index " + backupIndex);
        source.close();

        // rns-admin snapshot status: the file describes itself
        Captured status = admin("snapshot", "status", backup.toString());
        assertEquals(AdminMain.EXIT_OK, status.code, status.err);
        assertTrue(status.out.contains("\"applied_index\": " + backupIndex), status.out);
        assertTrue(status.out.contains("\"sha256\": \"" + saved.sha256() + "\""), status.out);

        // bad backups: named, exit 2, nothing created
        MiniCluster restored = closing(new MiniCluster(3, tmp.resolve("restored"), 1000, 3600));
        Path truncated = tmp.resolve("truncated.rnsbak");
        byte[] bytes = Files.readAllBytes(backup);
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 100));
        Path conf0 = writeConfig(restored.config(0), tmp.resolve("n1.properties"));
        Captured bad = admin("snapshot", "restore", truncated.toString(), "--config", conf0.toString());
        assertEquals(AdminMain.EXIT_FAILED, bad.code, bad.out + bad.err);
        assertTrue(bad.err.contains("truncated"), bad.err);
        assertFalse(Files.exists(restored.dataDir(0)), "a refused restore creates nothing");

        // restore into three fresh members, each from its own configuration file
        for (int i = 0; i < 3; i++) {
            Path conf = writeConfig(restored.config(i), tmp.resolve("n" + (i + 1) + ".properties"));
            Captured r = admin("snapshot", "restore", backup.toString(), "--config", conf.toString());
            assertEquals(AdminMain.EXIT_OK, r.code, r.out + r.err);
            assertTrue(r.out.contains("\"restored_into\""), r.out);
        }
        Captured again = admin("snapshot", "restore", backup.toString(), "--config", conf0.toString());
        assertEquals(AdminMain.EXIT_FAILED, again.code, again.out + again.err);
        assertTrue(again.err.contains("not empty"), again.err);

        restored.startAll();
        restored.awaitLeader(Duration.ofSeconds(20));
        // each member installed the seeded snapshot at start-up, measured (rns_raft_engine_seconds/values)
        for (int i = 0; i < 3; i++) {
            List<String> measured = restored.node(i).consensus().engineMetrics().stream()
                    .filter(m -> m.name().startsWith("rns-snapshot-install") && m.count() == 1)
                    .map(m -> m.name() + "/" + m.kind()).sorted().toList();
            assertEquals(List.of("rns-snapshot-install-bytes/HISTOGRAM", "rns-snapshot-install/TIMER"), measured);
        }
        NamesrvClient b = client(restored);
        assertEquals(new TreeSet<>(topics), new TreeSet<>(b.listTopics(null, LIN).value()), "same topic list");
        Map<String, TopicRoute> restoredRoutes = routes(b, topics);
        for (String t : topics) {
            assertEquals(routes.get(t), restoredRoutes.get(t), "route of " + t);
        }
        assertEquals(clusterInfo, b.getClusterInfo(LIN).value());
        assertEquals(kv, kv(b));
        // every member holds the same state, read locally
        for (String ep : restored.clientAddresses()) {
            CallOptions local = CallOptions.DEFAULT.withNode(ep).withConsistency(Consistency.LINEARIZABLE);
            assertEquals(routes.get(topics.get(0)), b.getTopicRoute(topics.get(0), local).value(), ep);
        }
        // the restored cluster is live: it continues after the backup's index and takes writes
        b.registerBroker(RegisterBrokerRequest.newBuilder().setCluster("c9").setBrokerName("after-restore")
                .setBrokerId(0).setBrokerAddr("10.9.9.9:10911").addTopics(TopicConfig.newBuilder().setTopic("NewTopic")
                        .setReadQueueNums(4).setWriteQueueNums(4).setPerm(6))
                .build(), LIN);
        TopicRoute fresh = b.getTopicRoute("NewTopic", LIN).value();
        assertEquals("after-restore", fresh.getBrokerDatas(0).getBrokerName());
        assertTrue(b.getTopicRoute("NewTopic", LIN).meta().appliedIndex() > backupIndex + 1);

        // offline tools on a stopped member
        int stopped = restored.followers().get(0);
        restored.stop(stopped);
        String dataDir = restored.dataDir(stopped).toString();
        Captured inspect = admin("inspect", dataDir, "--log", "1:" + (backupIndex + 10));
        assertEquals(AdminMain.EXIT_OK, inspect.code, inspect.err);
        assertTrue(inspect.out.contains("\"topics\""), inspect.out);
        assertTrue(inspect.out.contains("\"broker_name\": \"after-restore\""), inspect.out);
        assertTrue(inspect.out.contains("\"last_included_index\": " + backupIndex), inspect.out);
        assertTrue(inspect.out.contains("\"type\": \"CONFIGURATION\""), inspect.out);
        assertTrue(inspect.out.contains("\"register_broker\""), inspect.out);
        Captured verify = admin("verify", dataDir);
        assertEquals(AdminMain.EXIT_OK, verify.code, verify.out + verify.err);
        assertTrue(verify.out.contains("verify: all checks passed"), verify.out);

        // a damaged snapshot file is found by verify, and named
        Path snapDir;
        try (var s = Files.list(restored.dataDir(stopped).resolve("raft/snapshot"))) {
            snapDir = s.filter(p -> p.getFileName().toString().startsWith("snapshot_")).findFirst().orElseThrow();
        }
        Path sst;
        try (var s = Files.walk(snapDir.resolve("sm"))) {
            sst = s.filter(p -> p.toString().endsWith(".sst")).findFirst().orElseThrow();
        }
        byte[] sstBytes = Files.readAllBytes(sst);
        sstBytes[sstBytes.length / 2] ^= 0x40;
        Files.write(sst, sstBytes);
        Captured damaged = admin("verify", dataDir);
        assertEquals(AdminMain.EXIT_FAILED, damaged.code, damaged.out + damaged.err);
        assertTrue(damaged.err.contains("CRC32C") && damaged.err.contains(sst.getFileName().toString()), damaged.err);
    }

    private static Map<String, TopicRoute> routes(NamesrvClient c, List<String> topics) {
        Map<String, TopicRoute> out = new LinkedHashMap<>();
        for (String t : topics) {
            out.put(t, c.getTopicRoute(t, LIN).value());
        }
        return out;
    }

    private static Map<String, Map<String, String>> kv(NamesrvClient c) {
        Map<String, Map<String, String>> out = new TreeMap<>();
        for (String ns : List.of("ORDER_TOPIC_CONFIG", "ops")) {
            out.put(ns, new TreeMap<>(c.kvList(ns, LIN).value()));
        }
        return out;
    }

    /** A node configuration file with every effective value of {@code config}, as an operator would keep it. */
    private static Path writeConfig(NamesrvConfig config, Path file) throws IOException {
        StringBuilder sb = new StringBuilder();
        config.describe().forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        Files.writeString(file, sb);
        return file;
    }

    private record Captured(int code, String out, String err) {
    }

    private static synchronized Captured admin(String... args) throws IOException {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(out, true, "UTF-8"); PrintStream e = new PrintStream(err, true, "UTF-8")) {
            System.setOut(o);
            System.setErr(e);
            int code = AdminMain.run(args);
            o.flush();
            e.flush();
            Captured c = new Captured(code, out.toString("UTF-8"), err.toString("UTF-8"));
            oldOut.println("rns-admin " + String.join(" ", args) + " -> exit " + code + "\n" + c.out + c.err);
            return c;
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }
}
