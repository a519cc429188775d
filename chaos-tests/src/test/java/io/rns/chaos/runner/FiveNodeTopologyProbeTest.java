package io.rns.chaos.runner;

import io.rns.chaos.hosts.NetnsHosts;
import io.rns.chaos.hosts.NetnsSupport;
import io.rns.chaos.nemesis.AbstractNemesis;
import io.rns.chaos.nemesis.Bridge;
import io.rns.chaos.nemesis.ClusterView;
import io.rns.chaos.nemesis.MajoritiesRing;
import io.rns.chaos.nemesis.ObservedNode;
import io.rns.chaos.nemesis.RnsClusterView;
import io.rns.client.ClusterMode;
import io.rns.client.NamesrvClient;
import io.rns.client.NamesrvException;
import io.rns.client.RetryPolicy;
import io.rns.rpc.v1.RegisterBrokerRequest;
import io.rns.rpc.v1.TopicConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks the 5-node-only nemeses (majorities ring, bridge) against a real 5-node Raft cluster: while each fault is
 * in place some node still leads and a write still commits (both topologies leave a connected majority around a
 * node), no two nodes claim leadership in the same term, and after the heal all five agree on one leader again.
 * Seeded, seed printed.
 */
@Tag("cluster")
class FiveNodeTopologyProbeTest {
    static final Path OUT = Path.of(System.getProperty("chaos.out", "target/chaos"));

    @BeforeEach
    void requireNetns() {
        NetnsSupport.require();
    }

    @Test
    void majoritiesRingAndBridgeLeaveAWorkingMajorityAndHeal() throws Exception {
        long seed = ChaosScenariosTest.seed();
        Path dir = OUT.resolve("raft-5-topology-probe").resolve(Long.toString(seed));
        try (NetnsHosts hosts = NetnsHosts.create(NetnsHosts.builder().nodes(5).mode("raft").electionTimeoutMs(1000)
                .runDir(dir.resolve("nodes")).keepLogs(true)); RnsClusterView view = new RnsClusterView(hosts)) {
            hosts.startAll();
            assertTrue(view.awaitLeader(Duration.ofSeconds(60)).isPresent(), "no leader at start; see " + dir);
            try (NamesrvClient client = NamesrvClient.builder().endpoints(hosts.clientAddresses())
                    .mode(ClusterMode.RAFT).requestTimeout(Duration.ofMillis(1500))
                    .overallTimeout(Duration.ofSeconds(6)).retryPolicy(RetryPolicy.DEFAULT.withMaxAttempts(10))
                    .randomSeed(seed).clientId("probe").build()) {
                Random random = new Random(seed);
                int n = 0;
                for (AbstractNemesis nemesis : new AbstractNemesis[]{new MajoritiesRing(), new Bridge()}) {
                    String plan = nemesis.plan(hosts.ids(), new Random(random.nextLong()));
                    nemesis.start(hosts, view);
                    System.out.println("probe: " + nemesis.name() + " plan " + plan + " -> " + nemesis.detail());
                    boolean wrote = false;
                    Optional<String> leaderSeen = Optional.empty();
                    long until = System.nanoTime() + Duration.ofSeconds(6).toNanos();
                    while (System.nanoTime() < until) {
                        Map<String, ObservedNode> s = view.statuses();
                        leaderSeen = leaderSeen.isPresent() ? leaderSeen : ClusterView.leaderAmong(s);
                        StringBuilder line = new StringBuilder("probe:   ");
                        s.values()
                                .forEach(x -> line.append(x.hostId()).append('=').append(x.role()).append("/t")
                                        .append(x.term()).append("/ldr ").append(x.leaderId()).append("/ap ")
                                        .append(x.appliedIndex()).append("  "));
                        System.out.println(line);
                        long leaders = s.values().stream().filter(ObservedNode::isLeader).count();
                        long terms = s.values().stream().filter(ObservedNode::isLeader).mapToLong(ObservedNode::term)
                                .distinct().count();
                        assertTrue(leaders == terms, nemesis.name() + ": two leaders in one term: " + s);
                        try {
                            String name = "probe-" + (n++);
                            client.registerBroker(RegisterBrokerRequest.newBuilder().setCluster("Probe")
                                    .setBrokerName(name).setBrokerId(0).setBrokerAddr(name + ":1")
                                    .setLeaseTimeoutMs(300_000).addTopics(TopicConfig.newBuilder()
                                            .setTopic("ProbeTopic").setReadQueueNums(1).setWriteQueueNums(1).setPerm(6))
                                    .build());
                            wrote = true;
                            System.out.println("probe:   write " + name + " ok");
                        } catch (NamesrvException e) {
                            System.out.println("probe:   write failed: " + e.codeName() + " " + e.getMessage());
                        }
                        Thread.sleep(500);
                    }
                    nemesis.stop(hosts);
                    Optional<String> agreed = view.awaitAgreement(Duration.ofSeconds(30), new HashSet<>(hosts.ids()));
                    System.out.println("probe: " + nemesis.name() + " leader seen during fault " + leaderSeen
                            + ", write committed during fault " + wrote + ", agreed after heal " + agreed);
                    assertTrue(leaderSeen.isPresent(), nemesis.name() + ": no leader during the fault; see " + dir);
                    assertTrue(wrote, nemesis.name() + ": no write committed during the fault; see " + dir);
                    assertTrue(agreed.isPresent(), nemesis.name() + ": no agreement after heal; see " + dir);
                }
            }
        }
    }
}
