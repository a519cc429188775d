package io.rns.server;

import io.rns.namesrv.cluster.MiniCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node as operators run it, a process started by scripts/rns-node: killed with SIGKILL again and again, it leaves
 * nothing in its temp dir (RocksDB's 13 MB JNI library goes to {@code <data dir>/native} under a fixed name; before,
 * every start left a new copy in /tmp), and it serves its admin port's probes.
 */
class NodeProcessTest {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static Path repoRoot() {
        for (Path d = Path.of(System.getProperty("user.dir")).toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("scripts/rns-node"))) {
                return d;
            }
        }
        throw new IllegalStateException("no scripts/rns-node above " + System.getProperty("user.dir"));
    }

    private Process start(Path config, Path logs, Path tmp) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("bash", repoRoot().resolve("scripts/rns-node").toString(), "--config",
                config.toString(), "--log-dir", logs.toString(), "--heap", "256m", "--classpath",
                System.getProperty("java.class.path"), "--jvm-opt", "-Djava.io.tmpdir=" + tmp);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve("stdout.log").toFile()));
        return pb.start();
    }

    private int status(int port, String path) {
        try {
            return http
                    .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private void awaitReady(Process p, int adminPort, Path logs) throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (status(adminPort, "/ready") != 200) {
            assertTrue(p.isAlive(), "the node exited with " + (p.isAlive() ? "" : p.exitValue()) + "; see " + logs);
            assertTrue(System.nanoTime() < deadline, "not ready within " + START_TIMEOUT + "; see " + logs);
            Thread.sleep(200);
        }
    }

    private static List<Path> files(Path d) throws IOException {
        try (Stream<Path> s = Files.walk(d)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void aNodeKilledAgainAndAgainLeavesNothingInItsTempDir() throws Exception {
        int[] ports = MiniCluster.freePorts(3); // raft, client, admin
        Path data = dir.resolve("data");
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path config = Files.writeString(dir.resolve("rns.properties"), "node.id=n1\nmembers=n1@127.0.0.1:" + ports[0]
                + ":" + ports[1] + "\ndata.dir=" + data + "\nadmin.listen-port=" + ports[2] + "\n");
        for (int round = 1; round <= 3; round++) {
            Process p = start(config, logs, tmp);
            try {
                awaitReady(p, ports[2], logs);
                assertEquals(200, status(ports[2], "/live"));
            } finally {
                p.destroyForcibly(); // SIGKILL: no shutdown hook, no deleteOnExit
                assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the killed node did not exit");
            }
            assertEquals(List.of(), files(tmp), "round " + round + ": the node left files in java.io.tmpdir");
            List<Path> libs = files(data.resolve("native"));
            assertEquals(1, libs.size(), "round " + round + ": one JNI library in <data dir>/native: " + libs);
            assertTrue(libs.get(0).getFileName().toString().startsWith("librocksdbjni"), libs.toString());
        }
    }
}
