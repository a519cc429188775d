package io.rns.cli;

import io.rns.client.FakeNode;
import io.rns.rpc.v1.KvPutRequest;
import io.rns.rpc.v1.RequestEnvelope;
import io.rns.rpc.v1.Role;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code rns shadow} and {@code rns import-kv} against scripted stock NameServers ({@link FakeStockNamesrv}) and, for
 * the writes, a scripted RNS node ({@link FakeNode}: its KV list is always {@code a=1, b=2}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MigrationCommandsTest {
    @AutoClose
    final FakeStockNamesrv stock1 = new FakeStockNamesrv();
    @AutoClose
    final FakeStockNamesrv stock2 = new FakeStockNamesrv();
    @AutoClose
    final FakeNode node = leader();
    String out;
    String err;

    static FakeNode leader() {
        FakeNode n = new FakeNode("n1");
        n.role = Role.LEADER;
        return n;
    }

    int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = RnsCli.execute(args, new PrintWriter(o), new PrintWriter(e), Map.of("RNS_MODE", "raft"));
        out = o.toString();
        err = e.toString();
        return code;
    }

    String legacy() {
        return stock1.addr() + ";" + stock2.addr();
    }

    List<KvPutRequest> puts() {
        return node.received.stream().filter(RequestEnvelope::hasKvPut).map(RequestEnvelope::getKvPut).toList();
    }

    @Test
    void importKvWritesTheUnionOfTheLegacyNodesOnlyWhereRnsDiffers() {
        stock1.kv.put("ns", Map.of("a", "1", "c", "3"));
        stock2.kv.put("ns", Map.of("c", "3", "d", "4"));
        assertEquals(0, run("--endpoints", node.endpoint, "import-kv", "--legacy", legacy(), "--namespace", "ns"), err);
        assertEquals(List.of("put ns c=3", "put ns d=4", "import-kv: 2 written, 1 already equal, namespaces ns"),
                out.lines().toList());
        assertEquals(List.of("c", "d"), puts().stream().map(KvPutRequest::getKey).toList());
    }

    @Test
    void importKvWritesNothingWhenValuesConflict() {
        // the legacy nodes disagree
        stock1.kv.put("ns", Map.of("c", "3"));
        stock2.kv.put("ns", Map.of("c", "9", "d", "4"));
        assertEquals(ImportKvCommand.EXIT_CONFLICT,
                run("--endpoints", node.endpoint, "import-kv", "--legacy", legacy(), "--namespace", "ns"));
        assertTrue(err.contains("conflicting values, nothing imported"), err);
        assertTrue(err.contains("ns c: '3' at " + stock1.addr() + ", '9' at " + stock2.addr()), err);
        assertEquals(List.of(), puts());

        // RNS holds the key with another value: only --overwrite replaces it; --dry-run writes nothing
        stock2.kv.put("ns", Map.of("a", "9"));
        stock1.kv.clear();
        assertEquals(ImportKvCommand.EXIT_CONFLICT,
                run("--endpoints", node.endpoint, "import-kv", "--legacy", legacy(), "--namespace", "ns"));
        assertTrue(err.contains("ns a: legacy '9', RNS '1' (--overwrite replaces it)"), err);
        assertEquals(List.of(), puts());
        assertEquals(0, run("--endpoints", node.endpoint, "import-kv", "--legacy", legacy(), "--namespace", "ns",
                "--overwrite", "--dry-run"), err);
        assertTrue(out.startsWith("would put ns a=9\n"), out);
        assertEquals(List.of(), puts());
        assertEquals(0, run("--endpoints", node.endpoint, "import-kv", "--legacy", legacy(), "--namespace", "ns",
                "--overwrite"), err);
        assertEquals(List.of("9"), puts().stream().map(KvPutRequest::getValue).toList());
    }

    @Test
    void importKvNeedsEveryLegacyNode() throws Exception {
        stock1.kv.put("ns", Map.of("c", "3"));
        assertEquals(RnsCli.EXIT_UNREACHABLE, run("--endpoints", node.endpoint, "import-kv", "--legacy",
                stock1.addr() + ";" + closedPort(), "--namespace", "ns", "--timeout-ms", "2000"));
        assertTrue(err.contains("cannot read legacy NameServer 127.0.0.1:"), err);
        assertTrue(err.contains("nothing imported"), err);
        assertEquals(List.of(), puts());
    }

    static String closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "127.0.0.1:" + s.getLocalPort();
        }
    }

    @Test
    void shadowReportsEveryKindOfDifferenceAndExitsFourUntilClean(@TempDir Path dir) throws Exception {
        // "legacy": two stock nodes that diverge on topic D; "RNS": a third node (any RocketMQ NameServer will do)
        try (FakeStockNamesrv rns = new FakeStockNamesrv()) {
            for (FakeStockNamesrv s : List.of(stock1, stock2, rns))
                s.topics.put("Same", List.of("b1"));
            stock1.topics.put("D", List.of("b1"));
            stock1.topics.put("LegacyOnly", List.of("b1"));
            stock2.topics.put("LegacyOnly", List.of("b1"));
            rns.topics.put("RnsOnly", List.of("b1"));
            stock1.topics.put("Moved", List.of("b1"));
            stock2.topics.put("Moved", List.of("b1"));
            rns.topics.put("Moved", List.of("b2"));
            Path json = dir.resolve("s.json");
            Path md = dir.resolve("s.md");
            assertEquals(ShadowCommand.EXIT_NOT_CLEAN, run("shadow", "--legacy", legacy(), "--rns", rns.addr(),
                    "--once", "--json-out", json.toString(), "--markdown-out", md.toString()), err);
            List<String> lines = out.lines().toList();
            assertTrue(lines.get(0).startsWith("poll 1 "), out);
            assertTrue(lines.get(0).endsWith(": 3/3 nodes read, 8 keys compared, 6 open (1 LEGACY_ONLY, 2 RNS_ONLY, "
                    + "2 DIFFERS, 1 LEGACY_DIVERGENCE), 6 new, 0 resolved: not clean"), out);
            assertTrue(lines.contains("+ LEGACY_ONLY topic/LegacyOnly: " + legacy().replace(';', ',')
                    + ": queues=[b1 r=4 w=4 perm=6 flag=0] brokers=[b1@c1 {0=10.0.0.1:10911}] | " + rns.addr()
                    + ": (absent)"), out);
            assertTrue(
                    lines.contains("+ RNS_ONLY topic/RnsOnly: " + legacy().replace(';', ',') + ": (absent) | "
                            + rns.addr() + ": queues=[b1 r=4 w=4 perm=6 flag=0] brokers=[b1@c1 {0=10.0.0.1:10911}]"),
                    out);
            assertTrue(out.contains("+ DIFFERS topic/Moved: "), out);
            // RNS's side also has broker b2 (serving Moved), so its cluster lists b1,b2
            assertTrue(out.contains("+ RNS_ONLY broker/b2: "), out);
            assertTrue(
                    out.contains(
                            "+ DIFFERS cluster/c1: " + legacy().replace(';', ',') + ": b1 | " + rns.addr() + ": b1,b2"),
                    out);
            assertTrue(out.contains("+ LEGACY_DIVERGENCE topic/D: "), out);
            assertTrue(
                    lines.get(lines.size() - 1).startsWith(
                            "shadow: 1 polls, 0 clean; last poll NOT clean: " + "5 differences block the migration"),
                    out);
            String summary = Files.readString(json, StandardCharsets.UTF_8);
            assertTrue(summary.contains("\"lastPollClean\": false"), summary);
            assertTrue(Files.readString(md, StandardCharsets.UTF_8).contains("## Open differences (6)"));

            // align RNS with the legacy agreement: clean despite the legacy nodes' own divergence on D
            rns.topics.remove("RnsOnly");
            rns.topics.put("Moved", List.of("b1"));
            rns.topics.put("LegacyOnly", List.of("b1"));
            assertEquals(0, run("shadow", "--legacy", legacy(), "--rns", rns.addr(), "--interval", "100ms",
                    "--duration", "20s", "--until-clean", "2", "--json-out", json.toString()), err);
            assertTrue(out.contains("shadow: 2 polls, 2 clean; last poll clean"), out);
            summary = Files.readString(json, StandardCharsets.UTF_8);
            assertTrue(summary.contains("\"lastPollClean\": true"), summary);
            assertTrue(summary.contains("\"kind\": \"LEGACY_DIVERGENCE\""), summary);
        }
    }

    @Test
    void shadowRefusesBadOptionsBeforeReadingAnything() {
        assertEquals(RnsCli.EXIT_USAGE, run("shadow", "--legacy", "nohost", "--rns", stock2.addr()));
        assertTrue(err.contains("--legacy: 'nohost' is not HOST:PORT"), err);
        assertEquals(RnsCli.EXIT_USAGE, run("shadow", "--legacy", stock1.addr(), "--rns", stock1.addr()));
        assertTrue(err.contains("is in both --legacy and --rns"), err);
        assertEquals(RnsCli.EXIT_USAGE,
                run("shadow", "--legacy", stock1.addr(), "--rns", stock2.addr(), "--interval", "10"));
        assertTrue(err.contains("'10' is not a duration such as 500ms, 10s, 5m or 1h"), err);
        assertEquals(RnsCli.EXIT_USAGE,
                run("shadow", "--legacy", stock1.addr(), "--rns", stock2.addr(), "--rns-consistency", "strong"));
        assertTrue(err.contains("--rns-consistency must be"), err);
        assertEquals(0, stock1.requests.get() + stock2.requests.get());
    }

    @Test
    void shadowReportsAnUnreachableNodeAndIsNotClean() throws Exception {
        assertEquals(ShadowCommand.EXIT_NOT_CLEAN,
                run("shadow", "--legacy", stock1.addr(), "--rns", closedPort(), "--once", "--timeout-ms", "1000"));
        assertTrue(out.contains(": 1/2 nodes read, "), out);
        assertTrue(out.contains(" (RNS) unreachable: 127.0.0.1:"), out);
        assertTrue(out.contains("0 differences block the migration, 1 nodes unreachable"), out);
    }
}
