package io.rns.namesrv.cluster;

import io.rns.client.NamesrvClient;
import io.rns.rpc.v1.RegisterBrokerRequest;
import io.rns.rpc.v1.TopicConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17: the live status page in a real headless browser (Chromium, from Debian's packages; .ci/run installs it).
 * A follower's page loads, names the leader, and lists the broker and topic the test registered; its screenshot is
 * kept as a build artifact (raft-namesrv/target/status-page.png).
 */
@Tag("cluster")
class StatusPageBrowserTest extends ClusterTestBase {
    static final Path SCREENSHOT = Path.of("target", "status-page.png");

    static String chromium() {
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p.toString();
                }
            }
        }
        throw new IllegalStateException("this test needs a headless Chromium and found none on PATH: install it with"
                + " `apt-get install chromium` (.ci/run does)");
    }

    /** Runs Chromium headless on {@code url} with {@code extra} flags; returns its standard output. */
    private String browse(String url, Path profile, String... extra) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(chromium(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + profile));
        cmd.addAll(List.of(extra));
        cmd.add(url);
        Path out = Files.createTempFile(dir, "chromium", ".out");
        Path err = Files.createTempFile(dir, "chromium", ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("chromium did not finish in 90 s: " + cmd + "\n" + Files.readString(err));
        }
        assertEquals(0, p.exitValue(), "chromium failed: " + cmd + "\n" + Files.readString(err));
        return Files.readString(out);
    }

    @Test
    void aFollowersStatusPageShowsTheLeaderAndARegisteredBroker() throws Exception {
        String browser = chromium(); // before anything starts: a missing browser says so at once
        int[] admin = MiniCluster.freePorts(3);
        cluster = new MiniCluster(3, dir, 1000, 0).customize((i, b) -> b.adminListenPort(admin[i])).startAll();
        int leader = cluster.awaitLeader(Duration.ofSeconds(30));
        String leaderId = cluster.config(leader).nodeId();
        int f = cluster.followers().get(0);
        NamesrvClient c = client(cluster.clientAddresses(), Duration.ofSeconds(3), Duration.ofSeconds(10), 23);
        c.registerBroker(
                RegisterBrokerRequest.newBuilder().setCluster("PageCluster").setBrokerName("page-broker").setBrokerId(0)
                        .setBrokerAddr("127.0.0.1:10911").setLeaseTimeoutMs(300_000).addTopics(TopicConfig.newBuilder()
                                .setTopic("PageTopic").setReadQueueNums(4).setWriteQueueNums(4).setPerm(6))
                        .build())
                .value();
        // a broker that never heartbeats: expired after its 1 s lease, listed under "Recent expiries"
        c.registerBroker(RegisterBrokerRequest.newBuilder().setCluster("PageCluster").setBrokerName("gone-broker")
                .setBrokerId(0).setBrokerAddr("127.0.0.1:10912").setLeaseTimeoutMs(1000).build()).value();
        MiniCluster.await(Duration.ofSeconds(15), "the leader to expire gone-broker",
                () -> c.listBrokerLeases().value().getRecentExpiriesCount() == 1);

        String url = "http://127.0.0.1:" + admin[f] + "/";
        Path profile = Files.createDirectories(dir.resolve("chromium-profile"));
        String dom = browse(url, profile, "--dump-dom");
        assertTrue(dom.contains("<span id=\"node\">" + cluster.config(f).nodeId() + "</span>"), dom);
        assertTrue(dom.contains("<b id=\"role\">FOLLOWER</b>"), dom);
        assertTrue(dom.contains("<b id=\"leader\">" + leaderId + "</b>"), "the page names the leader:\n" + dom);
        assertTrue(dom.contains("<td>page-broker</td>"), "the lease table lists the broker:\n" + dom);
        assertTrue(dom.contains("<td>PageTopic</td>"), "the topic panel lists its topic:\n" + dom);
        assertTrue(dom.contains("served LINEARIZABLE"), dom);
        assertTrue(dom.contains("<table id=\"expiries\">") && dom.contains("<td>gone-broker</td>"),
                "the recent expiries list the expired broker:\n" + dom);

        Files.createDirectories(SCREENSHOT.toAbsolutePath().getParent());
        Files.deleteIfExists(SCREENSHOT);
        browse(url, profile, "--window-size=1280,900", "--hide-scrollbars",
                "--screenshot=" + SCREENSHOT.toAbsolutePath());
        assertTrue(Files.size(SCREENSHOT) > 10_000, "a screenshot of the page: " + Files.size(SCREENSHOT) + " bytes");
        System.out.println("status page screenshot (" + browser + "): " + SCREENSHOT.toAbsolutePath());
    }
}
