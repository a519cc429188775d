package io.rns.chaos.hosts;

import com.github.dockerjava.api.DockerClient;
import io.rns.chaos.nemesis.RnsClusterView;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The docker backend's own contract (a local engine, the skeleton image, no pulls): 3 node containers elect a
 * leader over the internal network; a partition is iptables rules inside the containers; a node killed while it is
 * cut off comes back (same container, IP and data dir) with its rules re-applied before its JVM runs; SIGSTOP/SIGCONT;
 * and close() leaves no container and no network behind.
 */
@Tag("cluster")
class DockerHostsTest {
    @Test
    void threeContainersFaultsAndCleanClose() {
        BackendSupport.require(Backend.DOCKER);
        DockerHosts hosts = (DockerHosts) DockerHosts.builder().nodes(3).electionTimeoutMs(1000).build();
        String prefix = hosts.runPrefix();
        try (RnsClusterView view = new RnsClusterView(hosts)) {
            Set<String> all = Set.copyOf(hosts.ids());
            hosts.startAll();
            String leader = view.awaitAgreement(Duration.ofSeconds(60), all).orElseThrow(
                    () -> new AssertionError("no leader within 60 s: " + view.statuses() + "; logs " + hosts.runDir()));

            // cut one follower off and kill it while it is cut off: the restart must bring the cut back with it
            String f = hosts.ids().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
            hosts.partition(
                    List.of(Set.of(f), hosts.ids().stream().filter(id -> !id.equals(f)).collect(Collectors.toSet())));
            Host follower = hosts.host(f);
            follower.kill9();
            assertFalse(follower.isRunning(), "killed");
            follower.start();
            assertTrue(follower.isRunning(), "restarted");
            String rules = hosts.netnsExec(f, "iptables", "-S", DockerHosts.CHAIN_IN).orThrow().stdout();
            assertEquals(2, rules.lines().filter(l -> l.contains("-j DROP")).count(),
                    "cut re-applied after restart:\n" + rules);
            // it is up (answers the harness, which is never cut) but cannot see a leader
            Optional<String> isolatedView = awaitStatus(view, follower);
            assertTrue(isolatedView.isPresent(),
                    "the restarted, isolated node answers the harness: " + view.statuses());
            hosts.heal();
            assertTrue(hosts.activeRules().values().stream().allMatch(List::isEmpty));
            assertEquals("",
                    hosts.netnsExec(f, "sh", "-c", "iptables -S " + DockerHosts.CHAIN_IN + " | grep DROP || true")
                            .orThrow().stdout().strip(),
                    "healed");
            String again = view.awaitAgreement(Duration.ofSeconds(60), all)
                    .orElseThrow(() -> new AssertionError("restarted follower did not rejoin: " + view.statuses()));

            // SIGSTOP the leader's JVM: the others elect another leader; SIGCONT: everybody agrees again
            Host l = hosts.host(again);
            l.pause();
            assertTrue(l.isPaused());
            Optional<String> other = view.awaitLeader(Duration.ofSeconds(30), id -> !id.equals(again));
            assertTrue(other.isPresent(), "no new leader while " + again + " is paused: " + view.statuses());
            l.resume();
            assertFalse(l.isPaused());
            view.awaitAgreement(Duration.ofSeconds(60), all)
                    .orElseThrow(() -> new AssertionError("no agreement after SIGCONT: " + view.statuses()));
        } finally {
            hosts.close();
        }
        DockerClient docker = DockerClientFactory.instance().client();
        assertEquals(0, docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(DockerHosts.LABEL_RUN, prefix)).exec().size(), "containers left behind");
        assertEquals(0, docker.listNetworksCmd().withNameFilter(prefix + "-net").exec().size(), "network left behind");
        assertFalse(Files.exists(hosts.hosts().get(0).dataDir()), "data dir deleted");
    }

    private static Optional<String> awaitStatus(RnsClusterView view, Host h) {
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < until) {
            var s = view.status(h);
            if (s.isPresent()) {
                return Optional.of(s.get().toString());
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return Optional.empty();
    }
}
