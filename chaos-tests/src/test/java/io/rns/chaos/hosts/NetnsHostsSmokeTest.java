package io.rns.chaos.hosts;

import io.rns.chaos.nemesis.FaultEvent;
import io.rns.chaos.nemesis.IsolateLeader;
import io.rns.chaos.nemesis.KillRestart;
import io.rns.chaos.nemesis.NemesisSchedule;
import io.rns.chaos.nemesis.OneWayDrop;
import io.rns.chaos.nemesis.PacketLoss;
import io.rns.chaos.nemesis.PauseLeader;
import io.rns.chaos.nemesis.RandomHalves;
import io.rns.chaos.nemesis.RnsClusterView;
import io.rns.client.CallOptions;
import io.rns.client.NamesrvClient;
import io.rns.client.NamesrvException;
import io.rns.client.RetryPolicy;
import io.rns.rpc.v1.Consistency;
import io.rns.rpc.v1.RegisterBrokerRequest;
import io.rns.rpc.v1.TopicConfig;
import io.rns.rpc.v1.TopicRoute;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Real 3-node raft cluster in network namespaces (root only): election, registration, isolate-leader with stale vs
 * linearizable reads on the isolated node, heal, kill -9 + restart of a follower, SIGSTOP of the leader, and a
 * leak-free close.
 */
@Tag("cluster")
class NetnsHostsSmokeTest {
    private static final String TOPIC = "chaos-smoke";
    private static final String BROKER_ADDR = "10.199.77.200:10911";

    @Test
    void threeNodesFaultsAndCleanClose() {
        NetnsSupport.require();
        long t0 = System.nanoTime();
        List<Long> pids = new ArrayList<>();
        String prefix;
        String harnessLink;
        NetnsHosts hosts = NetnsHosts.create(NetnsHosts.builder().nodes(3).electionTimeoutMs(1000));
        try (RnsClusterView view = new RnsClusterView(hosts)) {
            prefix = hosts.runPrefix();
            harnessLink = hosts.harnessLink();
            hosts.startAll();
            hosts.hosts().forEach(h -> pids.add(h.pid().orElseThrow()));
            Set<String> all = Set.copyOf(hosts.ids());

            String leader = view.awaitAgreement(Duration.ofSeconds(40), all)
                    .orElseThrow(() -> new AssertionError("no leader within 40 s: " + view.statuses()));
            step(t0, "leader " + leader);

            try (NamesrvClient client = NamesrvClient.builder().endpoints(hosts.clientAddresses()).build()) {
                client.registerBroker(RegisterBrokerRequest.newBuilder().setCluster("chaos").setBrokerName("broker-a")
                        .setBrokerId(0).setBrokerAddr(BROKER_ADDR).setLeaseTimeoutMs(300_000).addTopics(TopicConfig
                                .newBuilder().setTopic(TOPIC).setReadQueueNums(4).setWriteQueueNums(4).setPerm(6))
                        .build());
                assertTrue(hasBroker(client.getTopicRoute(TOPIC).value()), "route after register");
            }
            step(t0, "registered");

            // --- isolate the leader: the others elect a new one; the old one serves only stale reads
            IsolateLeader isolate = new IsolateLeader();
            isolate.start(hosts, view);
            step(t0, isolate.detail());
            String rulesIn = hosts.netnsExec(leader, "iptables", "-S", NetnsHosts.CHAIN_IN).orThrow().stdout();
            assertEquals(2, rulesIn.lines().filter(l -> l.contains("-j DROP")).count(), rulesIn);
            String isolated = leader;
            Optional<String> newLeader = view.awaitLeader(Duration.ofSeconds(20), id -> !id.equals(isolated));
            assertTrue(newLeader.isPresent(), "no new leader while " + isolated + " is isolated: " + view.statuses());
            step(t0, "new leader " + newLeader.get());
            String addr = hosts.host(isolated).clientAddress();
            try (NamesrvClient pinned = shortClient(addr)) {
                CallOptions on = CallOptions.DEFAULT.withNode(addr);
                NamesrvException e = assertThrows(NamesrvException.class,
                        () -> pinned.getTopicRoute(TOPIC, on.withConsistency(Consistency.LINEARIZABLE)),
                        "a linearizable read on the isolated node must fail");
                step(t0, "linearizable read on " + isolated + ": " + e.codeName() + " " + e.detail());
                TopicRoute stale = pinned.getTopicRoute(TOPIC, on.withConsistency(Consistency.STALE)).value();
                assertTrue(hasBroker(stale), "stale read on the isolated node still answers: " + stale);
            }
            step(t0, "isolated node: linearizable read failed, stale read answered");
            isolate.stop(hosts);
            assertTrue(hosts.activeRules().values().stream().allMatch(List::isEmpty), "healed: " + hosts.activeRules());
            leader = view.awaitAgreement(Duration.ofSeconds(20), all)
                    .orElseThrow(() -> new AssertionError("no agreement after heal: " + view.statuses()));
            step(t0, "healed, all agree on " + leader);

            // --- kill -9 a follower, restart it on its data dir
            String lead = leader;
            Host follower = hosts.hosts().stream().filter(h -> !h.id().equals(lead)).findFirst().orElseThrow();
            follower.kill9();
            assertFalse(follower.isRunning());
            String down = view.describe(); // what a failed agreement reports
            assertTrue(down.contains(follower.id() + " (process not running): no status answer"), down);
            assertTrue(down.contains(lead + ": LEADER term "), down);
            follower.start();
            pids.add(follower.pid().orElseThrow());
            leader = view.awaitAgreement(Duration.ofSeconds(30), all)
                    .orElseThrow(() -> new AssertionError("restarted follower did not rejoin: " + view.statuses()));
            awaitStaleRoute(follower.clientAddress(), Duration.ofSeconds(15));
            step(t0, "follower " + follower.id() + " killed and restarted, has the route again");

            // --- SIGSTOP the leader: a new leader while it is paused
            PauseLeader pause = new PauseLeader();
            pause.start(hosts, view);
            String paused = leader;
            step(t0, pause.detail());
            assertTrue(hosts.host(paused).isPaused());
            Optional<String> whilePaused = view.awaitLeader(Duration.ofSeconds(20), id -> !id.equals(paused));
            assertTrue(whilePaused.isPresent(), "no new leader while " + paused + " is paused: " + view.statuses());
            assertNotEquals(paused, whilePaused.get());
            step(t0, "new leader while paused: " + whilePaused.get());
            pause.stop(hosts);
            assertFalse(hosts.host(paused).isPaused());
            view.awaitAgreement(Duration.ofSeconds(20), all)
                    .orElseThrow(() -> new AssertionError("no agreement after SIGCONT: " + view.statuses()));
            assertEquals("healed network", NemesisSchedule.finalHeal(hosts));
            step(t0, "resumed, all agree");

            // --- a short seeded schedule with the other nemeses, then the final heal
            List<String> faults = new ArrayList<>();
            NemesisSchedule schedule = NemesisSchedule.builder().seed(20240611L)
                    .nemeses(List.of(new RandomHalves(), new OneWayDrop(), new PacketLoss(0.3), new KillRestart()))
                    .quiet(Duration.ofMillis(800)).fault(Duration.ofMillis(1500)).jitter(0.2)
                    .duration(Duration.ofSeconds(10))
                    .listener((name, phase, detail, nanos) -> faults.add(name + " " + phase + " " + detail)).build();
            List<FaultEvent> events = schedule.run(hosts, view);
            assertTrue(events.stream().noneMatch(e -> e.phase().equals("fail")), "no fault failed: " + events);
            assertEquals(events.size(), faults.size());
            assertTrue(events.stream().filter(e -> e.phase().equals("start")).count() >= 4, events.toString());
            assertEquals("final-heal", events.get(events.size() - 1).name());
            hosts.hosts().forEach(h -> h.pid().ifPresent(pids::add));
            assertTrue(hosts.hosts().stream().allMatch(Host::isRunning), "final heal restarts killed nodes");
            assertTrue(hosts.activeRules().values().stream().allMatch(List::isEmpty),
                    "final heal: " + hosts.activeRules());
            view.awaitAgreement(Duration.ofSeconds(30), all)
                    .orElseThrow(() -> new AssertionError("no agreement after the schedule: " + view.statuses()));
            step(t0, "schedule of " + events.size() + " events done, all agree");
        } finally {
            hosts.close();
        }
        step(t0, "closed");

        // --- nothing left behind
        String netns = Cmd.run("ip", "netns", "list").orThrow().stdout();
        assertFalse(netns.contains(prefix), "namespaces left: " + netns);
        String links = Cmd.run("ip", "-o", "link", "show").orThrow().stdout();
        assertFalse(links.contains(prefix), "links left: " + links);
        assertFalse(links.contains(harnessLink));
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                    "node pid " + pid + " still alive");
        }
        assertFalse(Files.exists(hosts.hosts().get(0).dataDir()), "data dir deleted");
    }

    private static NamesrvClient shortClient(String addr) {
        return NamesrvClient.builder().endpoints(List.of(addr)).requestTimeout(Duration.ofSeconds(2))
                .overallTimeout(Duration.ofMillis(2500)).retryPolicy(RetryPolicy.NONE).build();
    }

    private static void awaitStaleRoute(String addr, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        Exception last = null;
        try (NamesrvClient c = shortClient(addr)) {
            while (System.nanoTime() < deadline) {
                try {
                    if (hasBroker(c
                            .getTopicRoute(TOPIC, CallOptions.DEFAULT.withNode(addr).withConsistency(Consistency.STALE))
                            .value())) {
                        return;
                    }
                } catch (NamesrvException e) {
                    last = e;
                }
                sleep(200);
            }
        }
        fail("no route on " + addr + " within " + within + ": " + last);
    }

    private static boolean hasBroker(TopicRoute r) {
        return r.getBrokerDatasList().stream().anyMatch(b -> b.getBrokerAddrsMap().containsValue(BROKER_ADDR));
    }

    private static void step(long t0, String what) {
        System.err.printf("[smoke %5.1fs] %s%n", (System.nanoTime() - t0) / 1e9, what);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
