package io.rns.dist;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The container packaging: packaging/docker/build-image.sh builds the node image from the release tarball without
 * pulling anything (the skeleton base), and packaging/docker/compose.yaml starts a 3-node cluster from it that becomes
 * ready (every node's /ready answers 200) with exactly one leader. Needs docker and docker-compose (.ci/run installs
 * both); the containers, network and volumes are removed afterwards, and their logs kept in
 * target/compose-logs.txt.
 */
class ComposeClusterTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path DOCKER = ROOT.resolve("packaging/docker");
    private static final String IMAGE = "rns:compose-test";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static void need(String tool, String install) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", "command -v " + tool).redirectErrorStream(true).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("this test needs " + tool + ": " + install + " (.ci/run installs it)");
        }
    }

    private static String body(HttpClient http, String url) {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() + " " + r.body();
        } catch (IOException e) {
            return "unreachable: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    @Test
    void theComposeClusterStartsFromTheImageAndElectsALeader() throws Exception {
        need("docker", "apt-get install docker.io, and a running dockerd");
        need("docker-compose", "apt-get install docker-compose");
        Path target = Path.of("target").toAbsolutePath();
        Path log = target.resolve("compose-commands.log");
        long seed = System.nanoTime();
        String subnet = "172.28." + (200 + new Random(seed).nextInt(50));
        String project = "rnsct" + Long.toHexString(seed & 0xffffff);
        System.out.println("ComposeClusterTest: seed " + seed + ", subnet " + subnet + ".0/24, project " + project);
        Map<String, String> env = new HashMap<>(Map.of("RNS_IMAGE", IMAGE, "RNS_SUBNET", subnet));
        assertEquals(0, DistTarballTest.run(ROOT, log, env, "bash", DOCKER.resolve("build-image.sh").toString(),
                "--tag", IMAGE), "build-image.sh failed; see " + log);
        List<String> compose = List.of("docker-compose", "-p", project, "-f", DOCKER.resolve("compose.yaml").toString(),
                "-f", DOCKER.resolve("compose.skeleton.yaml").toString());
        try {
            assertEquals(0, DistTarballTest.run(DOCKER, log, env, with(compose, "up", "-d")),
                    "docker-compose up failed; see " + log);
            List<String> nodes = List.of(subnet + ".11", subnet + ".12", subnet + ".13");
            long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
            List<String> answers = new ArrayList<>();
            while (true) {
                answers.clear();
                for (String ip : nodes) {
                    answers.add(body(http, "http://" + ip + ":9791/ready"));
                }
                if (answers.stream().allMatch(a -> a.startsWith("200 "))) {
                    break;
                }
                assertTrue(System.nanoTime() < deadline, "not every node ready within 180 s: " + answers);
                Thread.sleep(500);
            }
            int leaders = 0;
            for (String ip : nodes) {
                String status = body(http, "http://" + ip + ":9791/status");
                assertTrue(status.startsWith("200 "), status);
                leaders += status.contains("\"role\": \"LEADER\"") ? 1 : 0;
            }
            assertEquals(1, leaders, "exactly one leader among the three containers");
        } finally {
            DistTarballTest.run(DOCKER, target.resolve("compose-logs.txt"), env, with(compose, "logs", "--no-color"));
            DistTarballTest.run(DOCKER, log, env, with(compose, "down", "-v", "--remove-orphans"));
            DistTarballTest.run(DOCKER, log, env, "docker", "rmi", IMAGE);
        }
    }

    private static String[] with(List<String> base, String... more) {
        List<String> all = new ArrayList<>(base);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }
}
