package io.rns.namesrv.config;

import io.rns.rpc.v1.Consistency;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {
    static final String MEMBERS = "n1@127.0.0.1:9781:9771,n2@127.0.0.1:9782:9772,n3@127.0.0.1:9783:9773";

    @TempDir
    Path dir;

    private Path file(String body) throws IOException {
        Path f = dir.resolve("rns.properties");
        Files.writeString(f, body);
        return f;
    }

    @Test
    void loadsFileAndAppliesOverrides() throws IOException {
        Path f = file("node.id=n2\nmembers=" + MEMBERS + "\nraft.election-timeout-ms=1500\n");
        NamesrvConfig c = ConfigLoader.load(f,
                Map.of("raft.election-timeout-ms", "2500", "read.default-consistency", "lease"));
        assertEquals("n2", c.nodeId());
        assertEquals(3, c.members().size());
        assertEquals(new Member("n2", "127.0.0.1", 9782, 9772), c.self());
        assertEquals(2500, c.electionTimeoutMs());
        assertEquals(Consistency.LEASE, c.defaultConsistency());
        assertEquals(Path.of("data", "n2"), c.dataDir());
        assertEquals("2500", c.describe().get("raft.election-timeout-ms"));
        assertTrue(c.leaseConfirmsUnchanged(), "write.unchanged-barrier defaults to LEASE");
        assertEquals(1250, c.maxElectionDelayMs(), "raft.max-election-delay-ms -1 = half the election timeout");
        assertEquals(300, ConfigLoader.load(f, Map.of("raft.max-election-delay-ms", "300")).maxElectionDelayMs());
        assertFalse(ConfigLoader.load(f, Map.of("write.unchanged-barrier", "linearizable")).leaseConfirmsUnchanged());
    }

    @Test
    void unknownKeyFailsStartupNamingTheKey() throws IOException {
        Path f = file("node.id=n1\nmembers=" + MEMBERS + "\nraft.election-timeout=100\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConfigLoader.load(f, Map.of()));
        assertTrue(e.getMessage().contains("raft.election-timeout"), e.getMessage());
    }

    @Test
    void unknownOverrideFails() throws IOException {
        Path f = file("node.id=n1\nmembers=" + MEMBERS + "\n");
        assertThrows(IllegalArgumentException.class, () -> ConfigLoader.load(f, Map.of("data.dri", "/tmp/x")));
    }

    @Test
    void systemOverridesStripPrefixAndIgnoreLoggingKeys() {
        Properties p = new Properties();
        p.setProperty("rns.node.id", "n3");
        p.setProperty("rns.log.dir", "/tmp/logs");
        p.setProperty("java.version", "17");
        assertEquals(Map.of("node.id", "n3"), ConfigLoader.systemOverrides(p));
    }

    @Test
    void invalidValuesAreRefusedWithTheKeyName() throws IOException {
        Path f = file("node.id=n1\nmembers=" + MEMBERS + "\n");
        assertMessage(() -> ConfigLoader.load(f, Map.of("raft.election-timeout-ms", "abc")),
                "raft.election-timeout-ms");
        assertMessage(() -> ConfigLoader.load(f, Map.of("raft.election-timeout-ms", "5")), "raft.election-timeout-ms");
        assertMessage(() -> ConfigLoader.load(f, Map.of("raft.sync", "yes")), "raft.sync");
        assertMessage(() -> ConfigLoader.load(f, Map.of("read.default-consistency", "strong")),
                "read.default-consistency");
        assertMessage(() -> ConfigLoader.load(f, Map.of("write.unchanged-barrier", "STALE")),
                "write.unchanged-barrier");
        assertMessage(() -> ConfigLoader.load(f, Map.of("raft.max-election-delay-ms", "0")), "split the vote");
        assertMessage(() -> ConfigLoader.load(f, Map.of("node.id", "n9")), "node.id");
        assertMessage(() -> ConfigLoader.load(f, Map.of("members", "n1@127.0.0.1:1:2,n1@127.0.0.1:3:4")), "duplicate");
        assertMessage(() -> ConfigLoader.load(f, Map.of("members", "n1@127.0.0.1:9781")),
                "id@host:raftPort:clientPort");
        assertMessage(() -> ConfigLoader.load(null, Map.of("members", MEMBERS)), "node.id is required");
        assertMessage(() -> ConfigLoader.load(f, Map.of("raft.tls", "true")), "raft.tls=true needs tls.cert-file");
        Path pem = Files.writeString(dir.resolve("node.pem"), "not read by the config check");
        assertMessage(
                () -> ConfigLoader.load(f,
                        Map.of("raft.tls", "true", "tls.cert-file", pem.toString(), "tls.key-file", pem.toString())),
                "raft.tls=true needs tls.trust-file");
    }

    private static void assertMessage(Executable e, String part) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().contains(part), "expected '" + part + "' in: " + ex.getMessage());
    }

    @Test
    void memberParsing() {
        Member m = Member.parse(" n1@localhost:1:2 ");
        assertEquals("localhost:1", m.raftAddress());
        assertEquals("localhost:2", m.clientAddress());
        assertThrows(IllegalArgumentException.class, () -> Member.parse("n1@h:70000:2"));
        assertThrows(IllegalArgumentException.class, () -> Member.parse("n1@h:5:5"));
    }

    /**
     * conf/rns.properties documents every key of the table, once, with its real default: each key has exactly one line
     * {@code key=value} (a working value) or {@code # key=value} (then the value must be the default), and the comment
     * paragraph right above that line says {@code Default: <the table's default>} (every "Default:" in it naming that
     * value), or "Required." for a key without default. Every key set in the file is in the table, and the file loads.
     */
    @Test
    void confRnsPropertiesDocumentsEveryKeyWithItsDefaultAndLoads() throws IOException {
        Path conf = Path.of("..", "conf", "rns.properties");
        List<String> lines = Files.readAllLines(conf);
        Pattern assignment = Pattern.compile("^(# )?([a-z][a-z.-]*)=(.*)$");
        Pattern documented = Pattern.compile("Default: (\\S+?)[.,;]?(?=\\s|$)");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher a = assignment.matcher(lines.get(i));
            if (!a.matches()) {
                continue;
            }
            String name = a.group(2);
            ConfigKey<?> key = ConfigKeys.ALL.stream().filter(k -> k.name().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("conf/rns.properties sets unknown key " + name));
            assertTrue(seen.add(name), "conf/rns.properties has more than one line for " + name);
            if (a.group(1) != null) {
                assertEquals(key.defaultText(), a.group(3).trim(), "commented-out " + name + " shows its default");
            }
            StringBuilder paragraph = new StringBuilder();
            for (int j = i - 1; j >= 0 && lines.get(j).startsWith("#")
                    && !assignment.matcher(lines.get(j)).matches(); j--) {
                paragraph.insert(0, lines.get(j) + "\n");
            }
            List<String> defaults = documented.matcher(paragraph).results().map(r -> r.group(1)).toList();
            if (key.required()) {
                assertTrue(paragraph.toString().contains("Required."), name + " is documented as required");
                assertEquals(List.of(), defaults, name + " has no default");
            } else {
                assertFalse(defaults.isEmpty(), "conf/rns.properties gives the default of " + name + ":\n" + paragraph);
                for (String d : defaults) {
                    assertEquals(key.defaultText(), d, "documented default of " + name);
                }
            }
        }
        assertEquals(ConfigKeys.NAMES, seen, "conf/rns.properties documents every key");
        NamesrvConfig c = ConfigLoader.load(conf, Map.of());
        assertEquals(9871, c.rocketmq().listenPort());
        assertEquals(120_000, c.rocketmq().brokerLeaseMs());
    }

    @Test
    void rocketmqKeysAreValidated() throws IOException {
        Path f = file("node.id=n1\nmembers=" + MEMBERS + "\nrocketmq.broker-lease-ms=999999\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConfigLoader.load(f, Map.of()));
        assertTrue(e.getMessage().contains("rocketmq.broker-lease-ms"), e.getMessage());
        Path g = file("node.id=n1\nmembers=" + MEMBERS + "\nrocketmq.listen-port=9771\n");
        e = assertThrows(IllegalArgumentException.class, () -> ConfigLoader.load(g, Map.of()));
        assertTrue(e.getMessage().contains("rocketmq.listen-port"), e.getMessage());
        assertEquals(0,
                ConfigLoader.load(file("node.id=n1\nmembers=" + MEMBERS + "\n"), Map.of()).rocketmq().listenPort());
    }
}
