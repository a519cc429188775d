package io.rns.chaos.runner;

import io.rns.chaos.history.HistoryRecorder;
import io.rns.chaos.history.ServerMeta;
import io.rns.chaos.hosts.Hosts;
import io.rns.chaos.hosts.HostsBuilder;
import io.rns.chaos.nemesis.FaultEvent;
import io.rns.chaos.nemesis.Nemesis;
import io.rns.chaos.runner.ChaosRun.ReadAnswer;
import io.rns.client.ClusterMode;
import io.rns.client.NamesrvClient;
import io.rns.client.NamesrvException;
import io.rns.client.RetryPolicy;
import io.rns.rpc.v1.Consistency;
import io.rns.rpc.v1.ErrorCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static io.rns.chaos.runner.ChaosRun.read;

/**
 * Workload (b) "set" plus (d) per-client session guarantees, on a real netns cluster under a seeded nemesis schedule.
 *
 * <p><b>Set.</b> Workers register many brand-new brokers (one unique broker name and address per attempt, never
 * unregistered, lease 300 s), each on one topic of a small fixed set. After the final heal, agreement on a leader
 * and a quiesce, every topic is read at LINEARIZABLE from EVERY node. Each attempt ends up ACKED, FAILED (the
 * server said it did not happen) or INFO (outcome unknown), and the final reads classify it:
 * <ul>
 *   <li>acked-present: acknowledged and present on every node's final read;</li>
 *   <li>lost: acknowledged but missing from some node's final read;</li>
 *   <li>unexpected: present on some node but never attempted (or on another topic than attempted);</li>
 *   <li>failed-present: present although the server definitely refused it;</li>
 *   <li>recovered: indeterminate (INFO) but present — allowed;</li>
 *   <li>divergent: present on some nodes' final reads but not on others.</li>
 * </ul>
 *
 * <p><b>Session guarantees.</b> Right after each acknowledged registration the same worker reads the topic at
 * SEQUENTIAL from a random node (the client sends its highest seen applied index as min_index by itself): the answer
 * must contain the worker's own write (read-your-writes). A read that fails (dead or cut-off node that cannot catch
 * up in time) is counted as unavailable, not as a violation. Every worker also checks that the applied indexes its
 * OK SEQUENTIAL/LINEARIZABLE reads report never go backwards (monotonic reads).
 *
 * <p>Everything random is drawn from the seed. Artifacts under {@code outDir/<scenario>/<seed>/}: {@code history.jsonl}
 * (every operation and fault), {@code results.json} (the counts and the example addresses), node logs.
 */
public final class SetWorkloadRun {

    /** What to run (Raft mode). */
    public record Config(String scenario, int nodes, long seed, Duration duration, List<Nemesis> nemeses, int workers,
            int topics, Path outDir, Duration faultWindow, Duration quietWindow) {
    }

    /** What came out; the sets hold broker addresses (at most {@link #EXAMPLES} kept in each example list). */
    public record Result(Path dir, int attempted, int acked, int failed, int indeterminate, int ackedPresent,
            List<String> lost, List<String> unexpected, List<String> failedPresent, List<String> recovered,
            List<String> divergent, int finalReadFailures, int rywChecks, List<String> rywViolations,
            int rywUnavailable, int rywControlReads, int rywControlMisses, int monotonicChecks,
            List<String> monotonicViolations, List<FaultEvent> faults) {
        public String summary() {
            return "attempted=" + attempted + " acked=" + acked + " failed=" + failed + " indeterminate="
                    + indeterminate + " | acked-present=" + ackedPresent + " lost=" + lost.size() + " unexpected="
                    + unexpected.size() + " failed-present=" + failedPresent.size() + " recovered=" + recovered.size()
                    + " divergent=" + divergent.size() + " final-read-failures=" + finalReadFailures + " | ryw checks="
                    + rywChecks + " violations=" + rywViolations.size() + " unavailable=" + rywUnavailable
                    + " control-misses=" + rywControlMisses + "/" + rywControlReads + " | monotonic checks="
                    + monotonicChecks + " violations=" + monotonicViolations.size() + " | faults=" + faults.size();
        }
    }

    static final int EXAMPLES = 20;

    enum Outcome {
        PENDING, ACKED, FAILED, INFO
    }

    record Attempt(String topic, String addr, int worker, Outcome outcome) {
    }

    private SetWorkloadRun() {
    }

    static String topic(int i) {
        return "SetTopic-" + i;
    }

    public static Result run(Config c) throws Exception {
        Path dir = c.outDir().resolve(c.scenario()).resolve(Long.toString(c.seed()));
        Files.createDirectories(dir);
        System.out.println("chaos-set: scenario=" + c.scenario() + " nodes=" + c.nodes() + " seed=" + c.seed()
                + " duration=" + c.duration() + " -> " + dir);
        Map<String, Attempt> attempts = new ConcurrentHashMap<>(); // by addr
        List<String> rywViolations = new CopyOnWriteArrayList<>();
        List<String> monoViolations = new CopyOnWriteArrayList<>();
        AtomicLong rywChecks = new AtomicLong();
        AtomicLong rywUnavailable = new AtomicLong();
        AtomicLong[] control = {new AtomicLong(), new AtomicLong()}; // control reads, control misses
        AtomicLong monoChecks = new AtomicLong();
        Map<String, Map<String, Set<String>>> finalByNode = new LinkedHashMap<>(); // node -> topic -> addrs
        HostsBuilder hb = HostsBuilder.create().nodes(c.nodes()).mode("raft").electionTimeoutMs(1000)
                .runDir(dir.resolve("nodes")).keepLogs(true);
        ClusterRun.Outcome<Integer> out = ClusterRun.run(hb, dir,
                new ClusterRun.Spec("raft", c.nodes(), c.seed(), c.nemeses(), c.duration(), c.faultWindow(),
                        c.quietWindow(), c.workers(), "chaos-set-worker-"),
                (w, endpoints, rec, deadline) -> new Worker(c, w, endpoints, rec, deadline, attempts, rywChecks,
                        rywUnavailable, rywViolations, control, monoChecks, monoViolations),
                (hosts, endpoints, rec) -> finalReads(c, hosts, rec, finalByNode));
        HistoryRecorder rec = out.recorder();
        int finalReadFailures = out.afterHeal();
        List<FaultEvent> faults = out.faults();
        rec.snapshot().writeJsonl(dir.resolve("history.jsonl"));
        Result r = classify(dir, attempts, finalByNode, finalReadFailures, (int) rywChecks.get(),
                List.copyOf(rywViolations), (int) rywUnavailable.get(), (int) control[0].get(), (int) control[1].get(),
                (int) monoChecks.get(), List.copyOf(monoViolations), faults);
        writeResults(dir, c, r);
        System.out.println("chaos-set: " + c.scenario() + " seed=" + c.seed() + " " + r.summary()
                + (r.recovered().isEmpty() ? "" : "\n  recovered (indeterminate, present): " + r.recovered())
                + (r.lost().isEmpty() ? "" : "\n  LOST: " + r.lost())
                + (r.unexpected().isEmpty() ? "" : "\n  UNEXPECTED: " + r.unexpected())
                + (r.failedPresent().isEmpty() ? "" : "\n  FAILED-BUT-PRESENT: " + r.failedPresent())
                + (r.divergent().isEmpty() ? "" : "\n  DIVERGENT: " + r.divergent())
                + (r.rywViolations().isEmpty() ? "" : "\n  RYW: " + r.rywViolations())
                + (r.monotonicViolations().isEmpty() ? "" : "\n  NON-MONOTONIC: " + r.monotonicViolations()));
        return r;
    }

    /** Reads every topic at LINEARIZABLE from every node (a failed read is retried a few times, then counted). */
    private static int finalReads(Config c, Hosts hosts, HistoryRecorder rec, Map<String, Map<String, Set<String>>> out)
            throws InterruptedException {
        int failures = 0;
        try (NamesrvClient client = client(hosts.clientAddresses(), c.seed())) {
            for (var h : hosts.hosts()) {
                Map<String, Set<String>> byTopic = new LinkedHashMap<>();
                for (int t = 0; t < c.topics(); t++) {
                    ReadAnswer got = null;
                    for (int attempt = 0; attempt < 5 && got == null; attempt++) {
                        got = read(client, rec, rec.newProcess(), topic(t), h.clientAddress(),
                                Consistency.LINEARIZABLE);
                        if (got == null) {
                            Thread.sleep(1000);
                        }
                    }
                    if (got == null) {
                        failures++;
                    } else {
                        byTopic.put(topic(t), got.addrs());
                    }
                }
                out.put(h.id(), byTopic);
            }
        }
        return failures;
    }

    /** Classifies every attempt against the final reads ({@code finalByNode}: node -> topic -> addresses). */
    static Result classify(Path dir, Map<String, Attempt> attempts, Map<String, Map<String, Set<String>>> finalByNode,
            int finalReadFailures, int rywChecks, List<String> rywViolations, int rywUnavailable, int controlReads,
            int controlMisses, int monoChecks, List<String> monoViolations, List<FaultEvent> faults) {
        Map<String, Integer> presentOn = new LinkedHashMap<>(); // addr -> number of nodes whose final read has it
        Set<String> unexpected = new TreeSet<>();
        finalByNode.forEach((node, byTopic) -> byTopic.forEach((topic, addrs) -> {
            for (String a : addrs) {
                Attempt at = attempts.get(a);
                if (at == null || !at.topic().equals(topic)) {
                    unexpected.add(a + (at == null ? " (never attempted)" : " (attempted on " + at.topic() + ")")
                            + " on " + node + "/" + topic);
                } else {
                    presentOn.merge(a, 1, Integer::sum);
                }
            }
        }));
        int nodes = finalByNode.size();
        int acked = 0;
        int failed = 0;
        int info = 0;
        int ackedPresent = 0;
        List<String> lost = new ArrayList<>();
        List<String> failedPresent = new ArrayList<>();
        List<String> recovered = new ArrayList<>();
        List<String> divergent = new ArrayList<>();
        for (Attempt a : attempts.values()) {
            int on = presentOn.getOrDefault(a.addr(), 0);
            if (on > 0 && on < nodes) {
                divergent.add(a.addr() + " on " + on + "/" + nodes + " nodes");
            }
            switch (a.outcome()) {
                case ACKED -> {
                    acked++;
                    if (on == nodes) {
                        ackedPresent++;
                    } else {
                        lost.add(a.addr() + " (" + a.topic() + ", on " + on + "/" + nodes + " nodes)");
                    }
                }
                case FAILED -> {
                    failed++;
                    if (on > 0) {
                        failedPresent.add(a.addr() + " (" + a.topic() + ")");
                    }
                }
                case INFO, PENDING -> {
                    info++;
                    if (on > 0) {
                        recovered.add(a.addr());
                    }
                }
            }
        }
        return new Result(dir, attempts.size(), acked, failed, info, ackedPresent, sorted(lost),
                sorted(new ArrayList<>(unexpected)), sorted(failedPresent), sorted(recovered), sorted(divergent),
                finalReadFailures, rywChecks, rywViolations, rywUnavailable, controlReads, controlMisses, monoChecks,
                monoViolations, faults);
    }

    private static List<String> sorted(List<String> l) {
        return l.stream().sorted().toList();
    }

    static NamesrvClient client(List<String> endpoints, long seed) {
        return NamesrvClient.builder().endpoints(endpoints).mode(ClusterMode.RAFT)
                .requestTimeout(Duration.ofMillis(1500)).overallTimeout(Duration.ofSeconds(4))
                .retryPolicy(RetryPolicy.DEFAULT.withMaxAttempts(6)).randomSeed(seed).clientId("chaos-set").build();
    }

    /** One workload thread: its own client and seeded Random; a fresh process id after every unknown outcome. */
    private static final class Worker implements ClusterRun.Workload {
        final Config c;
        final int index;
        final List<String> endpoints;
        final HistoryRecorder rec;
        final long deadline;
        final Map<String, Attempt> attempts;
        final AtomicLong rywChecks;
        final AtomicLong rywUnavailable;
        final List<String> rywViolations;
        final AtomicLong[] control;
        final NamesrvClient controlClient;
        final AtomicLong monoChecks;
        final List<String> monoViolations;
        final Random random;
        final NamesrvClient client;
        int process;
        int seq;
        long lastReadIndex = -1;
        String lastReadWhat = "";

        Worker(Config c, int index, List<String> endpoints, HistoryRecorder rec, long deadline,
                Map<String, Attempt> attempts, AtomicLong rywChecks, AtomicLong rywUnavailable,
                List<String> rywViolations, AtomicLong[] control, AtomicLong monoChecks, List<String> monoViolations) {
            this.c = c;
            this.index = index;
            this.endpoints = endpoints;
            this.rec = rec;
            this.deadline = deadline;
            this.attempts = attempts;
            this.rywChecks = rywChecks;
            this.rywUnavailable = rywUnavailable;
            this.rywViolations = rywViolations;
            this.control = control;
            this.controlClient = client(endpoints, c.seed() * 13 + index);
            this.monoChecks = monoChecks;
            this.monoViolations = monoViolations;
            this.random = new Random(c.seed() * 31 + index);
            this.client = client(endpoints, c.seed() * 17 + index);
            this.process = rec.newProcess();
        }

        @Override
        public void run() {
            while (System.nanoTime() < deadline) {
                String topic = topic(random.nextInt(c.topics()));
                if (random.nextInt(100) < 20) {
                    readChecked(topic, Consistency.LINEARIZABLE, null);
                } else {
                    register(topic);
                }
            }
        }

        private void register(String topic) {
            String name = "sb-" + index + "-" + (seq++);
            String addr = name + ".set:10911";
            attempts.put(addr, new Attempt(topic, addr, index, Outcome.PENDING));
            rec.invoke(process, "register", topic, addr, null);
            try {
                var reply = client.registerBroker(ClusterRun.oneTopicBroker("SetCluster", name, addr, topic));
                rec.ok(process, "register", topic, addr, ServerMeta.of(reply.meta()));
                attempts.put(addr, new Attempt(topic, addr, index, Outcome.ACKED));
            } catch (NamesrvException e) {
                boolean unknown = e.outcomeUnknown() || e.kind() != NamesrvException.Kind.SERVER
                        || e.code() == ErrorCode.OUTCOME_UNKNOWN || e.code() == ErrorCode.DEADLINE_EXCEEDED;
                if (unknown) {
                    rec.info(process, "register", topic, addr, e.codeName() + ": " + e.getMessage());
                    attempts.put(addr, new Attempt(topic, addr, index, Outcome.INFO));
                    process = rec.newProcess();
                } else {
                    rec.fail(process, "register", topic, addr, e.codeName() + ": " + e.getMessage());
                    attempts.put(addr, new Attempt(topic, addr, index, Outcome.FAILED));
                }
                return;
            }
            // read-your-writes: SEQUENTIAL from a random node; the client's min_index covers the write just acked
            String node = endpoints.get(random.nextInt(endpoints.size()));
            long floor = client.highestSeenIndex();
            Set<String> got = readChecked(topic, Consistency.SEQUENTIAL, node);
            if (got == null) {
                rywUnavailable.incrementAndGet();
            } else {
                rywChecks.incrementAndGet();
                if (!got.contains(addr)) {
                    rywViolations.add(
                            "worker " + index + ": " + addr + " acked, then SEQUENTIAL read of " + topic + " on " + node
                                    + " (client floor " + floor + ", answer index " + lastReadIndex + ") missed it");
                }
            }
            if (random.nextInt(4) == 0) {
                controlRead(topic, addr, node);
            }
        }

        /**
         * The same SEQUENTIAL read on the same node through a second client that never saw the write (its min_index
         * floor is only what its own earlier control reads returned): how often the session floor was needed. Only
         * counted, never asserted; it shows the read-your-writes check is not vacuous.
         */
        private void controlRead(String topic, String addr, String node) {
            ReadAnswer got = read(controlClient, rec, rec.newProcess(), topic, node, Consistency.SEQUENTIAL);
            if (got != null) {
                control[0].incrementAndGet();
                if (!got.addrs().contains(addr)) {
                    control[1].incrementAndGet();
                }
            }
        }

        /** A read on {@code node} (random if null), its applied index checked against this worker's last one. */
        private Set<String> readChecked(String topic, Consistency level, String node) {
            String n = node != null ? node : endpoints.get(random.nextInt(endpoints.size()));
            ReadAnswer a = read(client, rec, process, topic, n, level);
            if (a != null && a.meta() != null && a.meta().hasAppliedIndex()) {
                long idx = a.meta().appliedIndex();
                String what = level + " " + topic + " on " + n + " @" + idx;
                monoChecks.incrementAndGet();
                if (idx < lastReadIndex) {
                    monoViolations.add("worker " + index + ": " + what + " after " + lastReadWhat);
                }
                if (idx >= lastReadIndex) {
                    lastReadIndex = idx;
                    lastReadWhat = what;
                }
            }
            return a == null ? null : a.addrs();
        }

        @Override
        public void close() {
            client.close();
            controlClient.close();
        }
    }

    private static void writeResults(Path dir, Config c, Result r) throws IOException {
        ResultsFile examples = new ResultsFile("lost", head(r.lost()), "unexpected", head(r.unexpected()),
                "failedPresent", head(r.failedPresent()), "recovered", head(r.recovered()), "divergent",
                head(r.divergent()), "rywViolations", head(r.rywViolations()), "monotonicViolations",
                head(r.monotonicViolations()));
        new ResultsFile("scenario", c.scenario(), "workload", "set", "nodes", c.nodes(), "seed", c.seed(), "durationMs",
                c.duration().toMillis(), "workers", c.workers(), "topics", c.topics(), "nemeses",
                c.nemeses().stream().map(Nemesis::name).toList().toString())
                .add("attempted", r.attempted(), "acked", r.acked(), "failed", r.failed(), "indeterminate",
                        r.indeterminate(), "ackedPresent", r.ackedPresent(), "lost", r.lost().size(), "unexpected",
                        r.unexpected().size(), "failedPresent", r.failedPresent().size(), "recovered",
                        r.recovered().size(), "divergent", r.divergent().size(), "finalReadFailures",
                        r.finalReadFailures())
                .add("rywChecks", r.rywChecks(), "rywViolations", r.rywViolations().size(), "rywUnavailable",
                        r.rywUnavailable(), "rywControlReads", r.rywControlReads(), "rywControlMisses",
                        r.rywControlMisses(), "monotonicChecks", r.monotonicChecks(), "monotonicViolations",
                        r.monotonicViolations().size())
                .add("examples", examples.json(), "faults", r.faults().stream().map(Object::toString).toList())
                .write(dir);
    }

    private static List<String> head(List<String> l) {
        return l.subList(0, Math.min(EXAMPLES, l.size()));
    }
}
