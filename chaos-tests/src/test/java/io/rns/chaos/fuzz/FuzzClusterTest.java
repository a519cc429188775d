package io.rns.chaos.fuzz;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CI's short seeded fuzz: a real 3-node cluster (scripts/cluster.sh, the node's own launcher), 20,000 frames to each
 * of the native, RocketMQ and peer ports with idle connections held open, then {@link ClusterCheck}: every node
 * alive and answering with one leader, acknowledged writes read back everywhere, the same state at one applied index;
 * and no OutOfMemoryError, halt or uncaught exception in any node log. The long run is scripts/fuzz.sh.
 */
class FuzzClusterTest {
    private static final long SEED = Long.getLong("rns.fuzz.seed", System.nanoTime());
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void aShortSeededFuzzLeavesTheClusterAliveConsistentAndAnswering() throws Exception {
        System.out.println(
                "FuzzClusterTest: seed " + SEED + " (-Drns.fuzz.seed=" + SEED + " to repeat; cluster dir " + dir + ")");
        Path cluster = dir.resolve("cluster");
        Path log = dir.resolve("cluster.log");
        try {
            assertEquals(0, run(log, "bash", ROOT.resolve("scripts/cluster.sh").toString(), "start", "--dir",
                    cluster.toString(), "--port-offset", "auto"), "cluster.sh start failed; see " + log);
            int k = portOffset(cluster.resolve("cluster.env"));
            System.out.println("FuzzClusterTest: --port-offset " + k + " (cluster.sh picked the lowest free one)");
            List<InetSocketAddress> nat = new ArrayList<>();
            List<InetSocketAddress> rmq = new ArrayList<>();
            List<InetSocketAddress> peer = new ArrayList<>();
            List<String> eps = new ArrayList<>();
            List<String> admin = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                nat.add(new InetSocketAddress("127.0.0.1", 9770 + i + k));
                peer.add(new InetSocketAddress("127.0.0.1", 9780 + i + k));
                rmq.add(new InetSocketAddress("127.0.0.1", 9870 + i + k));
                eps.add("127.0.0.1:" + (9770 + i + k));
                admin.add("127.0.0.1:" + (9790 + i + k));
            }
            Fuzzer.Result r = Fuzzer.run(new Fuzzer.Config(nat, rmq, peer, 20_000, 2, 50, SEED, 240));
            r.ports().forEach(p -> System.out.println("  " + p));
            assertTrue(r.finished(), "every port got its 20,000 frames within 240 s: " + r);
            assertTrue(r.frames() >= 60_000, "frames written: " + r.frames());
            ClusterCheck.Verdict v = ClusterCheck.check(eps, admin, SEED);
            v.lines().forEach(System.out::println);
            assertTrue(v.ok(), String.join("\n", v.lines()));
            for (int i = 1; i <= 3; i++) {
                long pid = Long.parseLong(Files.readString(cluster.resolve("n" + i + "/pid")).trim());
                assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "n" + i + " is running");
            }
            try (Stream<Path> logs = Files.walk(cluster)) {
                for (Path p : logs.filter(p -> p.toString().endsWith(".log") && p.getParent().endsWith("logs"))
                        .toList()) {
                    byte[] raw = Files.readAllBytes(p);
                    String text = new String(raw, StandardCharsets.ISO_8859_1);
                    try {
                        StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(raw));
                    } catch (CharacterCodingException e) {
                        String line = text.lines()
                                .filter(l -> !l.equals(
                                        new String(l.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8)))
                                .findFirst().orElse("?");
                        throw new AssertionError(p + " is not valid UTF-8 (client bytes written raw?): " + line);
                    }
                    if (p.getFileName().toString().equals("rns.log")) { // RNS's own lines: client text escaped
                        String forged = text.lines().filter(l -> l.chars().anyMatch(ch -> ch < 0x20 && ch != '\t'))
                                .findFirst().orElse(null);
                        assertTrue(forged == null, p + " has a line with a control character: " + forged);
                    }
                    for (String bad : List.of("OutOfMemoryError", "HALTED", "Exception in thread")) {
                        assertTrue(!text.contains(bad), p + " contains '" + bad + "'");
                    }
                }
            }
        } finally {
            run(log, "bash", ROOT.resolve("scripts/cluster.sh").toString(), "stop", "--dir", cluster.toString());
        }
    }

    private static int run(Path log, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " did not finish in 3 minutes; see " + log);
        }
        return p.exitValue();
    }

    /** The offset {@code cluster.sh start --port-offset auto} chose, from the cluster.env it wrote. */
    private static int portOffset(Path clusterEnv) throws IOException {
        Properties env = new Properties();
        try (Reader r = Files.newBufferedReader(clusterEnv)) {
            env.load(r);
        }
        return Integer.parseInt(env.getProperty("RNS_PORT_OFFSET", "missing in " + clusterEnv));
    }
}
