package io.rns.chaos.runner;

import com.google.gson.JsonParser;
import io.rns.chaos.checker.CheckResult;
import io.rns.chaos.checker.StaleReadDetector;
import io.rns.chaos.checker.Verdict;
import io.rns.chaos.history.History;
import io.rns.chaos.history.HistoryRecorder;
import io.rns.chaos.history.ServerMeta;
import io.rns.chaos.history.SetValue;
import io.rns.chaos.hosts.Backend;
import io.rns.chaos.hosts.Hosts;
import io.rns.chaos.hosts.HostsBuilder;
import io.rns.chaos.nemesis.ClientCut;
import io.rns.chaos.nemesis.ClockOffset;
import io.rns.chaos.nemesis.Combined;
import io.rns.chaos.nemesis.FaultEvent;
import io.rns.chaos.nemesis.Nemesis;
import io.rns.chaos.report.Comparison;
import io.rns.chaos.report.Divergence;
import io.rns.chaos.workload.NodePoller;
import io.rns.client.CallOptions;
import io.rns.client.ClusterMode;
import io.rns.client.NamesrvClient;
import io.rns.client.NamesrvException;
import io.rns.client.Reply;
import io.rns.client.RetryPolicy;
import io.rns.rpc.transport.RpcClientOptions;
import io.rns.rpc.v1.BrokerData;
import io.rns.rpc.v1.Consistency;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.TopicRoute;
import io.rns.rpc.v1.UnregisterBrokerRequest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One chaos run: real node JVMs in network namespaces, the route-register workload driven through the real client,
 * a seeded nemesis schedule, a final heal + quiesce + final reads from every node, then the Wing–Gong/Lowe checker
 * per key and the stale-read detector. Everything is written under {@code outDir/<scenario>/<seed>/}:
 * {@code history.jsonl}, {@code results.json}, node logs.
 *
 * <p>Workload (a) of the chaos issue: each key is a topic; a write registers a brand-new broker (a unique value) on
 * it or unregisters one this worker registered; a read asks one random node for the topic's route at the scenario's
 * read level. Keys rotate every {@link Config#opsPerKey} operations so no key grows a history too long to check.
 */
public final class ChaosRun {

    /**
     * What to run.
     *
     * @param clientSources the workload writes from client source {@link ClientCut#BROKERS} and reads from
     *                      {@link ClientCut#READERS} (netns backend), so {@link ClientCut} can cut brokers or readers
     *                      off from some nodes; false: every client uses the harness's own address
     */
    public record Config(String scenario, String mode, int nodes, long seed, Duration duration,
            List<Consistency> readLevels, boolean unsafeReads, List<Nemesis> nemeses, int workers, int opsPerKey,
            Path outDir, Duration faultWindow, Duration quietWindow, boolean clientSources) {
        public Config(String scenario, String mode, int nodes, long seed, Duration duration,
                List<Consistency> readLevels, boolean unsafeReads, List<Nemesis> nemeses, int workers, int opsPerKey,
                Path outDir, Duration faultWindow, Duration quietWindow) {
            this(scenario, mode, nodes, seed, duration, readLevels, unsafeReads, nemeses, workers, opsPerKey, outDir,
                    faultWindow, quietWindow, false);
        }
    }

    /** What came out. */
    public record Result(Path dir, CheckResult check, StaleReadDetector.Report stale, int ops, int infos,
            List<FaultEvent> faults, Config config, History history, Divergence divergence) {
        public Result(Path dir, CheckResult check, StaleReadDetector.Report stale, int ops, int infos,
                List<FaultEvent> faults) {
            this(dir, check, stale, ops, infos, faults, null, null, null);
        }

        public Result(Path dir, CheckResult check, StaleReadDetector.Report stale, int ops, int infos,
                List<FaultEvent> faults, Config config, History history) {
            this(dir, check, stale, ops, infos, faults, config, history, null);
        }

        public Verdict verdict() {
            return check.verdict();
        }
    }

    /** How often every node is asked for the current keys at STALE (the divergence-window metric). */
    public static final Duration POLL_PERIOD = Duration.ofMillis(150);

    private ChaosRun() {
    }

    /** Runs on the backend named by {@code -Drns.chaos.backend} (default netns). */
    public static Result run(Config c) throws Exception {
        return run(c, Backend.fromSystemProperty());
    }

    public static Result run(Config c, Backend backend) throws Exception {
        Path dir = c.outDir().resolve(c.scenario()).resolve(Long.toString(c.seed()));
        Files.createDirectories(dir);
        System.out.println("chaos: scenario=" + c.scenario() + " mode=" + c.mode() + " nodes=" + c.nodes() + " seed="
                + c.seed() + " duration=" + c.duration() + " backend=" + backend.cliName() + " -> " + dir);
        HostsBuilder hb = HostsBuilder.create(backend).nodes(c.nodes()).mode(c.mode()).electionTimeoutMs(1000)
                .runDir(dir.resolve("nodes")).keepLogs(true);
        if (c.unsafeReads()) {
            hb.config("testing.unsafe-local-linearizable-reads", "true");
            hb.nodeEnv("RNS_ENABLE_TEST_HOOKS", "1"); // a node refuses the test hook without it
        }
        if (c.nemeses().stream().anyMatch(n -> Combined.uses(n, ClockOffset.class))) {
            ClockOffset.install(hb); // node JVMs under libfaketime (offset 0 until a window sets one)
        }
        AtomicLong opCounter = new AtomicLong();
        // the divergence probe: the current and the previous topic from every node at STALE, every POLL_PERIOD; kept
        // out of the history (STALE reads are not meant to be linearizable)
        NodePoller[] poller = new NodePoller[1];
        AtomicReference<Hosts> started = new AtomicReference<>(); // the probe starts before the workers
        ClusterRun.Background probe = (hosts, endpoints, rec) -> {
            started.set(hosts);
            poller[0] = new NodePoller(endpoints, () -> {
                long g = opCounter.get() / Math.max(1, c.opsPerKey());
                return g == 0 ? List.of(topic(0)) : List.of(topic(g), topic(g - 1));
            }, List.of(Consistency.STALE), POLL_PERIOD, rec, false, !c.mode().equals("raft")).start();
            return poller[0];
        };
        ClusterRun.Outcome<Void> out = ClusterRun.run(hb, dir,
                new ClusterRun.Spec(c.mode(), c.nodes(), c.seed(), c.nemeses(), c.duration(), c.faultWindow(),
                        c.quietWindow(), c.workers(), "chaos-worker-"),
                (w, endpoints, rec, deadline) -> new Worker(c, w, endpoints, rec, opCounter, deadline,
                        c.clientSources() ? started.get() : null),
                probe, (hosts, endpoints, rec) -> {
                    finalReads(c, endpoints, rec, opCounter.get());
                    return null;
                });
        HistoryRecorder rec = out.recorder();
        List<FaultEvent> faults = out.faults();
        CheckedHistory checked = CheckedHistory.of(rec.snapshot(), dir, Duration.ofSeconds(120));
        CheckResult check = checked.check();
        Divergence divergence = Divergence.compute(poller[0].samples(), "STALE");
        writeResults(dir, c, checked, faults, divergence);
        System.out.println("chaos: " + c.scenario() + " seed=" + c.seed() + " verdict=" + check.verdict() + " ops="
                + checked.ops() + " indeterminate=" + checked.infos() + " faults=" + faults.size() + "\n"
                + check.summary() + "\n" + checked.stale().summary() + "\ndivergence (STALE, all nodes): "
                + divergence.describe());
        Result result = new Result(dir, check, checked.stale(), checked.ops(), checked.infos(), faults, c,
                checked.history(), divergence);
        try {
            System.out.println("chaos: report " + Reports.write(result));
        } catch (IOException | RuntimeException e) {
            System.err.println("[chaos] writing the reports failed (the verdict stands): " + e);
        }
        return result;
    }

    private static void finalReads(Config c, List<String> endpoints, HistoryRecorder rec, long totalOps) {
        Consistency level = c.mode().equals("raft") ? Consistency.LINEARIZABLE : Consistency.STALE;
        long generations = totalOps / Math.max(1, c.opsPerKey()) + 1;
        try (NamesrvClient client = client(c, endpoints, 0)) {
            for (long g = 0; g <= generations; g++) {
                String topic = topic(g);
                for (String ep : endpoints) {
                    int p = rec.newProcess();
                    read(client, rec, p, topic, ep, level);
                }
            }
        }
    }

    static String topic(long generation) {
        return "ChaosTopic-" + generation;
    }

    static NamesrvClient client(Config c, List<String> endpoints, long seed) {
        return client(c, endpoints, seed, null);
    }

    /** {@code source}: the local address to connect from (a {@link Hosts#clientSource}), or null. */
    static NamesrvClient client(Config c, List<String> endpoints, long seed, String source) {
        return NamesrvClient.builder().endpoints(endpoints)
                .rpcOptions(RpcClientOptions.builder().localAddress(source).build())
                .mode(c.mode().equals("raft") ? ClusterMode.RAFT : ClusterMode.LEADERLESS)
                .requestTimeout(Duration.ofMillis(1500)).overallTimeout(Duration.ofSeconds(4))
                .retryPolicy(RetryPolicy.DEFAULT.withMaxAttempts(6)).randomSeed(seed).clientId("chaos").build();
    }

    /** The server's answer to a read of {@code topic}: the route's broker addresses (sorted), with its meta. */
    record ReadAnswer(Set<String> addrs, ServerMeta meta) {
    }

    /**
     * One read, recorded: OK with the route's brokers (empty when the topic does not exist), FAIL otherwise. Returns
     * the answer, or null if the read failed.
     */
    static ReadAnswer read(NamesrvClient client, HistoryRecorder rec, int p, String topic, String node,
            Consistency level) {
        rec.invoke(p, "read", topic, null, node);
        try {
            Reply<TopicRoute> r = client.getTopicRoute(topic,
                    CallOptions.DEFAULT.withNode(node).withConsistency(level));
            TreeSet<String> brokers = new TreeSet<>();
            for (BrokerData b : r.value().getBrokerDatasList()) {
                brokers.addAll(b.getBrokerAddrsMap().values());
            }
            ServerMeta meta = ServerMeta.of(r.meta());
            rec.ok(p, "read", topic, SetValue.encode(brokers), meta);
            return new ReadAnswer(brokers, meta);
        } catch (NamesrvException e) {
            if (e.code() == ErrorCode.TOPIC_NOT_FOUND) {
                ServerMeta meta = e.meta() == null ? null : ServerMeta.of(e.meta());
                rec.ok(p, "read", topic, SetValue.encode(List.of()), meta);
                return new ReadAnswer(new TreeSet<>(), meta);
            }
            rec.fail(p, "read", topic, null, e.codeName() + ": " + e.getMessage()); // a read has no effect
            return null;
        }
    }

    /** One workload thread: its own client, its own seeded Random, a fresh process id after every unknown outcome. */
    private static final class Worker implements ClusterRun.Workload {
        final Config c;
        final int index;
        final List<String> endpoints;
        final HistoryRecorder rec;
        final AtomicLong opCounter;
        final long deadline;
        final Random random;
        final NamesrvClient client;
        final NamesrvClient readClient;
        final List<String[]> mine = new ArrayList<>(); // [topic, brokerName, addr] acked registrations
        int process;
        int seq;

        /** @param hosts non-null: write from the brokers' client source and read from the readers' */
        Worker(Config c, int index, List<String> endpoints, HistoryRecorder rec, AtomicLong opCounter, long deadline,
                Hosts hosts) {
            this.c = c;
            this.index = index;
            this.endpoints = endpoints;
            this.rec = rec;
            this.opCounter = opCounter;
            this.deadline = deadline;
            this.random = new Random(c.seed() * 31 + index);
            this.client = client(c, endpoints, c.seed() * 17 + index,
                    hosts == null ? null : hosts.clientSource(ClientCut.BROKERS));
            this.readClient = hosts == null ? client
                    : client(c, endpoints, c.seed() * 19 + index, hosts.clientSource(ClientCut.READERS));
            this.process = rec.newProcess();
        }

        @Override
        public void run() {
            while (System.nanoTime() < deadline) {
                long n = opCounter.getAndIncrement();
                String topic = topic(n / c.opsPerKey());
                int roll = random.nextInt(100);
                if (roll < 50) {
                    String node = endpoints.get(random.nextInt(endpoints.size()));
                    Consistency level = c.readLevels().get(random.nextInt(c.readLevels().size()));
                    read(readClient, rec, process, topic, node, level);
                } else if (roll < 80 || mine.stream().noneMatch(m -> m[0].equals(topic))) {
                    register(topic);
                } else {
                    unregister(topic);
                }
            }
        }

        private void register(String topic) {
            String name = "cb-" + index + "-" + (seq++);
            String addr = name + ".chaos:10911"; // unique per write: the checker's values
            rec.invoke(process, "register", topic, addr, null);
            try {
                var reply = client.registerBroker(ClusterRun.oneTopicBroker("ChaosCluster", name, addr, topic));
                rec.ok(process, "register", topic, addr, ServerMeta.of(reply.meta()));
                mine.add(new String[]{topic, name, addr});
            } catch (NamesrvException e) {
                indeterminateOrFail("register", topic, addr, e);
            }
        }

        private void unregister(String topic) {
            String[] m = mine.stream().filter(x -> x[0].equals(topic)).findFirst().orElseThrow();
            mine.remove(m);
            rec.invoke(process, "unregister", topic, m[2], null);
            try {
                var reply = client.unregisterBroker(UnregisterBrokerRequest.newBuilder().setCluster("ChaosCluster")
                        .setBrokerName(m[1]).setBrokerId(0).setBrokerAddr(m[2]).build());
                rec.ok(process, "unregister", topic, m[2], ServerMeta.of(reply.meta()));
            } catch (NamesrvException e) {
                if (e.code() == ErrorCode.UNKNOWN_BROKER && !e.outcomeUnknown()) {
                    // definitely not registered any more: it had no effect now
                    rec.fail(process, "unregister", topic, m[2], e.codeName());
                } else {
                    indeterminateOrFail("unregister", topic, m[2], e);
                }
            }
        }

        /** Jepsen's rule: an unknown outcome is INFO and the process continues under a fresh id. */
        private void indeterminateOrFail(String f, String topic, String value, NamesrvException e) {
            if (e.outcomeUnknown() || e.kind() != NamesrvException.Kind.SERVER || e.code() == ErrorCode.OUTCOME_UNKNOWN
                    || e.code() == ErrorCode.DEADLINE_EXCEEDED) {
                rec.info(process, f, topic, value, e.codeName() + ": " + e.getMessage());
                process = rec.newProcess();
            } else {
                rec.fail(process, f, topic, value, e.codeName() + ": " + e.getMessage());
            }
        }

        @Override
        public void close() {
            client.close();
            if (readClient != client) {
                readClient.close();
            }
        }
    }

    private static void writeResults(Path dir, Config c, CheckedHistory checked, List<FaultEvent> faults,
            Divergence divergence) throws IOException {
        CheckResult check = checked.check();
        new ResultsFile("scenario", c.scenario(), "mode", c.mode(), "nodes", c.nodes(), "seed", c.seed(), "durationMs",
                c.duration().toMillis(), "readLevels", c.readLevels().toString(), "unsafeReads", c.unsafeReads(),
                "verdict", check.verdict(), "ops", checked.ops(), "indeterminate", checked.infos(), "check",
                JsonParser.parseString(check.toJson()), "staleReads", checked.stale().summary(),
                "divergencePollPeriodMs", POLL_PERIOD.toMillis(), "divergence", Comparison.tree(divergence), "faults",
                faults.stream().map(Object::toString).toList()).write(dir);
    }
}
