package io.rns.compat.it;

import com.alibaba.fastjson.JSON;
import com.alibaba.fastjson.JSONArray;
import com.alibaba.fastjson.JSONObject;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15, the migration playbook on real software: two stock NameServers (the estate; two, so their own divergence
 * can show), an RNS cluster, and a stock broker of this generation whose namesrvAddr lists all five (step 1). Then
 * {@code rns import-kv} copies the estate's KV config, {@code rns shadow} runs until RNS answers what the stock nodes
 * agree on (step 2: zero differences), and differences planted on the stock side only are reported by kind: a KV entry
 * on both stock nodes (LEGACY_ONLY), one on a single stock node (LEGACY_DIVERGENCE), a write permission wiped on both
 * stock nodes (DIFFERS, in the route of a topic of that broker).
 */
@Tag("rocketmq")
@Tag("cluster")
class ShadowMigrationTest extends ScenarioTest {
    private static final String NS = "SHADOW_IT";

    private StockNamesrvs legacy;
    private RnsNameServers rns;
    private Broker broker;
    private Rmq clients;

    @BeforeAll
    void setUp() throws Exception {
        begin("shadow");
        legacy = opened.add(StockNamesrvs.start(it, 2));
        rns = opened.add(RnsNameServers.start(it));
        // a FQDN-like broker name, as RocketMQ's default (the host name) often is
        broker = Broker.start(it, "broker.shadow.example", legacy.addrList() + ";" + rns.addrList());
        opened.add(broker::kill);
        clients = opened.add(new Rmq(run));
    }

    /** Runs {@code scripts/rns ARGS}; returns the exit code, the output in {@code out}. */
    private int rnsCli(Path out, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", it.root.resolve("scripts/rns").toString()));
        cmd.addAll(List.of(args));
        int rc = ScenarioEnv.run(cmd, out, Duration.ofSeconds(300), Map.of("RNS_CLUSTER_DIR", rns.dir().toString()));
        ScenarioEnv.log("rns %s -> exit %d:\n%s", String.join(" ", args), rc, ScenarioEnv.tail(out, 25));
        return rc;
    }

    private static JSONObject open(JSONObject summary, String kind, String key) {
        for (Object o : summary.getJSONArray("open")) {
            JSONObject d = (JSONObject) o;
            if (d.getString("kind").equals(kind) && d.getString("key").equals(key)) {
                return d;
            }
        }
        return null;
    }

    @Test
    void shadowShowsNoDifferenceAfterConvergenceAndReportsDifferencesPlantedOnTheStockSide() throws Exception {
        List<String> all = new ArrayList<>(legacy.addrs());
        all.addAll(rns.addrs());
        clients.awaitRegistered(broker, all, "shadow");

        // the estate's own state, written as operators write it: through the stock NameServers
        DefaultMQAdminExt estate = clients.admin("shadow-estate", legacy.addrList());
        String topic = "it-shadow-" + run;
        estate.createAndUpdateTopicConfig(broker.addr(), new TopicConfig(topic, 4, 4, 6));
        estate.createAndUpdateKvConfig(NS, "orders", "broker.shadow.example:4");

        Path importOut = it.workDir.resolve("import-kv.out");
        assertEquals(0, rnsCli(importOut, "import-kv", "--legacy", legacy.addrList(), "--namespace", NS));
        assertTrue(Files.readString(importOut, StandardCharsets.UTF_8).contains("import-kv: 1 written"),
                ScenarioEnv.tail(importOut, 10));

        // step 2: shadow until two clean polls in a row
        Path cleanJson = it.workDir.resolve("shadow-clean.json");
        int rc = rnsCli(it.workDir.resolve("shadow-clean.out"), "shadow", "--legacy", legacy.addrList(), "--rns",
                rns.addrList(), "--kv-namespace", NS, "--interval", "2s", "--duration", "150s", "--until-clean", "2",
                "--json-out", cleanJson.toString(), "--markdown-out", it.workDir.resolve("shadow-clean.md").toString());
        JSONObject clean = JSON.parseObject(Files.readString(cleanJson, StandardCharsets.UTF_8));
        assertEquals(0, rc, "shadow did not converge: " + clean.getJSONArray("open"));
        assertTrue(clean.getBooleanValue("lastPollClean"));
        // not vacuous: the broker, its cluster, the KV entry, the test topic and the topics a broker registers itself
        assertTrue(clean.getIntValue("lastPollKeys") >= 7, "keys compared: " + clean.getIntValue("lastPollKeys"));
        for (Object o : clean.getJSONArray("open")) {
            assertEquals("LEGACY_DIVERGENCE", ((JSONObject) o).getString("kind"), "open at the end: " + o);
        }

        // plant differences on the stock side only
        estate.createAndUpdateKvConfig(NS, "planted-both", "x");
        DefaultMQAdminExt first = clients.admin("shadow-legacy1", legacy.addrs().get(0));
        first.createAndUpdateKvConfig(NS, "planted-one", "y");
        for (String addr : legacy.addrs()) {
            estate.wipeWritePermOfBroker(addr, broker.name);
        }

        Path plantedJson = it.workDir.resolve("shadow-planted.json");
        rc = rnsCli(it.workDir.resolve("shadow-planted.out"), "shadow", "--legacy", legacy.addrList(), "--rns",
                rns.addrList(), "--kv-namespace", NS, "--once", "--json-out", plantedJson.toString());
        JSONObject planted = JSON.parseObject(Files.readString(plantedJson, StandardCharsets.UTF_8));
        assertEquals(4, rc, "a shadow run with planted differences exits 4 (not clean)");
        JSONObject both = open(planted, "LEGACY_ONLY", "kv/" + NS + "/planted-both");
        assertTrue(both != null, "LEGACY_ONLY planted-both not reported: " + planted.getJSONArray("open"));
        JSONObject one = open(planted, "LEGACY_DIVERGENCE", "kv/" + NS + "/planted-one");
        assertTrue(one != null, "LEGACY_DIVERGENCE planted-one not reported: " + planted.getJSONArray("open"));
        assertEquals("y", one.getJSONObject("values").getString(legacy.addrs().get(0)));
        JSONObject perm = open(planted, "DIFFERS", "topic/" + topic);
        assertTrue(perm != null, "DIFFERS on the wiped route not reported: " + planted.getJSONArray("open"));
        JSONObject values = perm.getJSONObject("values");
        for (String addr : legacy.addrs()) {
            assertTrue(values.getString(addr).contains(broker.name + " r=4 w=4 perm=4"), addr + ": " + values);
        }
        for (String addr : rns.addrs()) {
            assertTrue(values.getString(addr).contains(broker.name + " r=4 w=4 perm=6"), addr + ": " + values);
        }
        JSONArray open = planted.getJSONArray("open");
        for (Object o : open) {
            String key = ((JSONObject) o).getString("key");
            assertTrue(key.startsWith("kv/" + NS + "/planted-") || key.startsWith("topic/"),
                    "a difference nobody planted: " + o);
        }
    }
}
