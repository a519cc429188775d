package io.rns.chaos.runner;

import io.rns.chaos.hosts.Backend;
import io.rns.chaos.hosts.Host;
import io.rns.chaos.hosts.Hosts;
import io.rns.chaos.hosts.HostsBuilder;
import io.rns.chaos.nemesis.ObservedNode;
import io.rns.chaos.nemesis.RnsClusterView;
import io.rns.client.ClusterMode;
import io.rns.client.NamesrvClient;
import io.rns.client.NamesrvException;
import io.rns.client.RetryPolicy;
import io.rns.rpc.v1.Consistency;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The durability scenario: data directories on disk (inside the run directory, not the harness's default tmpfs),
 * raft.sync on (the default).
 * Each cycle: writers register brand-new brokers (one unique broker per write, topic {@code Durable-<cycle>}) through
 * the real client; at a seeded moment every node gets SIGKILL at once, mid-write; all restart on the same data dirs;
 * once a leader is back, a LINEARIZABLE read of every topic so far must list every registration that was
 * acknowledged, in this cycle or any before. After the last cycle every node must give the same answers (STALE
 * reads of every topic, once they agree on a leader and have quiesced).
 */
public final class DurabilityRun {

    public record Config(String scenario, int nodes, long seed, int cycles, int writers, Duration writePhase,
            Path outDir) {
    }

    /**
     * @param lost     acknowledged registrations missing from a read after a restart (must be 0)
     * @param disagree topics on which some node's final answer differed from the leader's (must be 0)
     */
    public record Result(Path dir, int cycles, long acknowledged, long lost, int disagree, List<String> problems) {
        public boolean clean() {
            return lost == 0 && disagree == 0 && problems.isEmpty();
        }
    }

    private DurabilityRun() {
    }

    public static Result run(Config c) throws Exception {
        Backend backend = Backend.fromSystemProperty();
        Path dir = c.outDir().resolve(c.scenario()).resolve(Long.toString(c.seed()));
        Files.createDirectories(dir);
        System.out.println("chaos: scenario=" + c.scenario() + " nodes=" + c.nodes() + " seed=" + c.seed() + " cycles="
                + c.cycles() + " -> " + dir);
        HostsBuilder hb = HostsBuilder.create(backend).nodes(c.nodes()).mode("raft").electionTimeoutMs(1000)
                .runDir(dir.resolve("nodes")).keepLogs(true).dataRoot(null); // null: on disk, in the run dir
        Random random = new Random(c.seed());
        Map<String, Set<String>> acked = new ConcurrentHashMap<>();
        List<String> problems = new ArrayList<>();
        long lost = 0;
        int disagree = 0;
        try (Hosts hosts = hb.build(); RnsClusterView view = new RnsClusterView(hosts)) {
            hosts.startAll();
            awaitLeader(view, dir);
            for (int cycle = 0; cycle < c.cycles(); cycle++) {
                String topic = "Durable-" + cycle;
                long killAfterMs = c.writePhase().toMillis() / 2 + random.nextInt((int) c.writePhase().toMillis());
                long wrote = writeThenKillAll(c, hosts, topic, cycle, killAfterMs, acked);
                hosts.hosts().forEach(Host::start);
                awaitLeader(view, dir);
                long missing = verify(hosts, acked, problems, "after cycle " + cycle);
                lost += missing;
                System.out.println("chaos: durability cycle " + (cycle + 1) + " of " + c.cycles() + ": SIGKILL of all "
                        + c.nodes() + " nodes after " + killAfterMs + " ms, " + wrote + " acknowledged this cycle, "
                        + missing + " missing after the restart");
            }
            view.awaitAgreement(Duration.ofSeconds(60), new HashSet<>(hosts.ids())).orElseThrow(
                    () -> new IllegalStateException("nodes did not agree on a leader after the last cycle (now: "
                            + view.describe() + "); see " + dir));
            awaitApplied(view, c.nodes(), dir); // quiesce: every node applied what the leader had committed
            disagree = compareNodes(hosts, acked.keySet(), problems);
        }
        long total = acked.values().stream().mapToLong(Set::size).sum();
        Result r = new Result(dir, c.cycles(), total, lost, disagree, problems);
        writeResults(dir, c, r);
        System.out.println("chaos: " + c.scenario() + " seed=" + c.seed() + " cycles=" + c.cycles() + " acknowledged="
                + total + " lost=" + lost + " topics where nodes disagree=" + disagree
                + (problems.isEmpty() ? "" : " problems=" + problems));
        return r;
    }

    private static void awaitLeader(RnsClusterView view, Path dir) {
        view.awaitLeader(Duration.ofSeconds(60))
                .orElseThrow(() -> new IllegalStateException("no leader within 60 s; see " + dir));
    }

    /** Waits (bounded) until every node's applied index reaches the leader's commit index as it was at the start. */
    private static void awaitApplied(RnsClusterView view, int nodes, Path dir) throws InterruptedException {
        long target = view.statuses().values().stream().filter(ObservedNode::isLeader)
                .mapToLong(ObservedNode::commitIndex).max().orElse(0);
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < until) {
            Map<String, ObservedNode> s = view.statuses();
            if (s.size() == nodes && s.values().stream().allMatch(n -> n.appliedIndex() >= target)) {
                return;
            }
            Thread.sleep(100);
        }
        System.out.println("chaos: durability: not every node applied index " + target + " within 30 s: "
                + view.statuses() + "; see " + dir);
    }

    /** Writers run until every node was killed; returns how many registrations were acknowledged. */
    private static long writeThenKillAll(Config c, Hosts hosts, String topic, int cycle, long killAfterMs,
            Map<String, Set<String>> acked) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong ok = new AtomicLong();
        Set<String> mine = acked.computeIfAbsent(topic, t -> ConcurrentHashMap.newKeySet());
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < c.writers(); w++) {
            final int worker = w;
            Thread t = new Thread(() -> {
                try (NamesrvClient client = client(hosts.clientAddresses(), c.seed() * 31 + cycle * 7L + worker,
                        Duration.ofSeconds(3))) {
                    for (int n = 0; !stop.get(); n++) {
                        String name = "d" + cycle + "-" + worker + "-" + n;
                        String addr = name + ".dur:10911";
                        try {
                            client.registerBroker(ClusterRun.oneTopicBroker("DurableCluster", name, addr, topic));
                            mine.add(addr);
                            ok.incrementAndGet();
                        } catch (NamesrvException e) {
                            // not acknowledged (the nodes are going down): not counted, may or may not be there
                        }
                    }
                }
            }, "durability-writer-" + w);
            t.start();
            threads.add(t);
        }
        Thread.sleep(killAfterMs);
        // all at once: one thread per node, so no node outlives another by a JVM teardown
        List<Thread> killers = new ArrayList<>();
        for (Host h : hosts.hosts()) {
            Thread k = new Thread(h::kill9, "kill-" + h.id());
            k.start();
            killers.add(k);
        }
        for (Thread k : killers) {
            k.join(30_000);
        }
        stop.set(true);
        for (Thread t : threads) {
            t.join(30_000);
        }
        return ok.get();
    }

    /** Every acknowledged registration must be in a LINEARIZABLE read; returns how many are missing. */
    private static long verify(Hosts hosts, Map<String, Set<String>> acked, List<String> problems, String when) {
        long missing = 0;
        try (NamesrvClient client = client(hosts.clientAddresses(), 1, Duration.ofSeconds(20))) {
            for (Map.Entry<String, Set<String>> e : acked.entrySet()) {
                Set<String> got = RouteReads.brokers(client, e.getKey(), null, Consistency.LINEARIZABLE);
                if (got == null) {
                    problems.add(when + ": the LINEARIZABLE read of " + e.getKey() + " failed");
                    continue;
                }
                for (String addr : e.getValue()) {
                    if (!got.contains(addr)) {
                        missing++;
                        if (missing <= 10) {
                            problems.add(when + ": acknowledged " + addr + " on " + e.getKey() + " is gone");
                        }
                    }
                }
            }
        }
        return missing;
    }

    /** STALE reads of every topic on every node must equal the leader's LINEARIZABLE read. */
    private static int compareNodes(Hosts hosts, Set<String> topics, List<String> problems) {
        int disagree = 0;
        try (NamesrvClient client = client(hosts.clientAddresses(), 2, Duration.ofSeconds(20))) {
            for (String topic : new TreeSet<>(topics)) {
                Set<String> truth = RouteReads.brokers(client, topic, null, Consistency.LINEARIZABLE);
                for (Host h : hosts.hosts()) {
                    Set<String> got = RouteReads.brokers(client, topic, h.clientAddress(), Consistency.STALE);
                    if (truth == null || !truth.equals(got)) {
                        disagree++;
                        problems.add("node " + h.id() + " answers "
                                + (got == null ? "an error" : got.size() + " brokers") + " for " + topic
                                + ", the leader " + (truth == null ? "an error" : truth.size()));
                        break;
                    }
                }
            }
        }
        return disagree;
    }

    private static NamesrvClient client(List<String> endpoints, long seed, Duration overall) {
        return NamesrvClient.builder().endpoints(endpoints).mode(ClusterMode.RAFT)
                .requestTimeout(Duration.ofMillis(1500)).overallTimeout(overall)
                .retryPolicy(RetryPolicy.DEFAULT.withMaxAttempts(10)).randomSeed(seed).clientId("durability").build();
    }

    private static void writeResults(Path dir, Config c, Result r) throws IOException {
        new ResultsFile("scenario", c.scenario(), "nodes", c.nodes(), "seed", c.seed(), "cycles", c.cycles(),
                "acknowledged", r.acknowledged(), "lost", r.lost(), "disagree", r.disagree(), "problems",
                String.join("\n", r.problems())).write(dir);
    }
}
