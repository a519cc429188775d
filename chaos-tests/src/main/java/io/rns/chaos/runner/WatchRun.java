package io.rns.chaos.runner;

import io.rns.chaos.hosts.Backend;
import io.rns.chaos.hosts.HostsBuilder;
import io.rns.chaos.nemesis.FaultEvent;
import io.rns.chaos.nemesis.Nemesis;
import io.rns.client.CallOptions;
import io.rns.client.ClusterMode;
import io.rns.client.NamesrvClient;
import io.rns.client.NamesrvException;
import io.rns.client.RetryPolicy;
import io.rns.client.RouteWatcher;
import io.rns.rpc.v1.Consistency;
import io.rns.rpc.v1.DataVersion;
import io.rns.rpc.v1.RegisterBrokerRequest;
import io.rns.rpc.v1.TopicConfig;
import io.rns.rpc.v1.TopicRoute;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watchers under faults: writers change the routes of a few topics (each topic owned by one writer, its queue count
 * going 1, 2, 3, ...: every value unique and increasing) while {@link RouteWatcher}s follow them, some by topic, some
 * by cluster, starting on different nodes; the seeded nemesis schedule isolates the leader, kills and restarts nodes
 * and partitions the cluster. Checked against the writers' record, per watcher:
 * <ul>
 *   <li>its first answer is a reset, and revisions never go back;</li>
 *   <li>no topic is told twice at one revision, and a topic's value only grows (no repeat, no step back, across node
 *       switches and resets);</li>
 *   <li>every value it was told was written (no phantom);</li>
 *   <li>after the final heal its view equals a LINEARIZABLE read of every topic (nothing lost at the end);</li>
 *   <li>no node answered what no correct node does (a revision that goes back, an event already seen: the
 *       RouteWatcher drops those and tells them as PROTOCOL_ERROR problems, counted here), and no watcher stopped.</li>
 * </ul>
 * and across watchers: a topic at one revision has one value (the nodes agree on what each revision held). Values
 * in between may be skipped: changes applied in one batch or one coalescing window arrive as the latest route.
 * Everything is written under {@code outDir/<scenario>/<seed>/}: {@code watch-events.jsonl} (every callback of every
 * watcher), {@code writes.jsonl}, {@code results.json} and the node logs.
 */
public final class WatchRun {
    private static final String CLUSTER = "WatchCluster";

    public record Config(String scenario, long seed, Duration duration, List<Nemesis> nemeses, int writers,
            int watchers, int topics, Path outDir, Duration faultWindow, Duration quietWindow) {
    }

    /** @param problems every violated property, with the watcher and the values (empty = clean) */
    public record Result(Path dir, long acknowledged, long notifications, int resets, List<String> problems,
            List<FaultEvent> faults) {
        public boolean clean() {
            return problems.isEmpty();
        }
    }

    /** One callback of one watcher. */
    record Told(int watcher, boolean reset, String topic, int value, long revision, long nanos) {
    }

    private WatchRun() {
    }

    static String topic(int i) {
        return "WatchTopic-" + i;
    }

    private static RegisterBrokerRequest write(int topic, int value) {
        return RegisterBrokerRequest.newBuilder().setCluster(CLUSTER).setBrokerName("watch-broker-" + topic)
                .setBrokerId(0).setBrokerAddr("10.9.0." + (topic + 1) + ":10911").setLeaseTimeoutMs(300_000)
                .setDataVersion(DataVersion.newBuilder().setTimestamp(1).setCounter(value))
                .addTopics(TopicConfig.newBuilder().setTopic(topic(topic)).setReadQueueNums(value)
                        .setWriteQueueNums(value).setPerm(6))
                .build();
    }

    private static int value(TopicRoute r) {
        return r.getQueueDatasCount() == 0 ? -1 : r.getQueueDatas(0).getReadQueueNums();
    }

    private static NamesrvClient client(List<String> endpoints, long seed) {
        return NamesrvClient.builder().endpoints(endpoints).mode(ClusterMode.RAFT)
                .requestTimeout(Duration.ofMillis(1500)).overallTimeout(Duration.ofSeconds(4))
                .retryPolicy(RetryPolicy.DEFAULT.withMaxAttempts(6)).randomSeed(seed).clientId("chaos-watch").build();
    }

    public static Result run(Config c) throws Exception {
        Backend backend = Backend.fromSystemProperty();
        Path dir = c.outDir().resolve(c.scenario()).resolve(Long.toString(c.seed()));
        Files.createDirectories(dir);
        System.out.println("chaos: scenario=" + c.scenario() + " seed=" + c.seed() + " duration=" + c.duration()
                + " watchers=" + c.watchers() + " -> " + dir);
        HostsBuilder hb = HostsBuilder.create(backend).nodes(3).mode("raft").electionTimeoutMs(1000)
                .runDir(dir.resolve("nodes")).keepLogs(true);
        Map<String, Set<Integer>> attempted = new ConcurrentHashMap<>();
        Map<String, List<Integer>> acknowledged = new ConcurrentHashMap<>();
        List<Told> told = Collections.synchronizedList(new ArrayList<>());
        List<String> anomalies = Collections.synchronizedList(new ArrayList<>());
        List<RouteWatcher> watchers = new ArrayList<>();
        List<NamesrvClient> clients = Collections.synchronizedList(new ArrayList<>());
        ClusterRun.Background background = (hosts, endpoints, rec) -> {
            // every topic exists before the watchers start
            try (NamesrvClient setup = client(endpoints, c.seed())) {
                for (int t = 0; t < c.topics(); t++) {
                    attempted.computeIfAbsent(topic(t), k -> ConcurrentHashMap.newKeySet()).add(1);
                    setup.registerBroker(write(t, 1)).value();
                    acknowledged.computeIfAbsent(topic(t), k -> Collections.synchronizedList(new ArrayList<>())).add(1);
                }
            }
            for (int i = 0; i < c.watchers(); i++) {
                List<String> mine = new ArrayList<>(endpoints);
                Collections.rotate(mine, -i); // watchers start on different nodes
                NamesrvClient wc = client(mine, c.seed() + i);
                clients.add(wc);
                int id = i;
                RouteWatcher.Scope scope = i % 2 == 0 ? RouteWatcher.Scope.cluster(CLUSTER)
                        : RouteWatcher.Scope.topics(topic(i % c.topics()), topic((i + 1) % c.topics()));
                watchers.add(wc.watch(scope, new RouteWatcher.Listener() {
                    @Override
                    public void onReset(Map<String, TopicRoute> routes, long revision) {
                        long now = System.nanoTime();
                        new TreeMap<>(routes)
                                .forEach((t, r) -> told.add(new Told(id, true, t, value(r), revision, now)));
                        if (routes.isEmpty()) {
                            told.add(new Told(id, true, "", 0, revision, now));
                        }
                    }

                    @Override
                    public void onChange(String topic, TopicRoute route, long revision) {
                        told.add(new Told(id, false, topic, route == null ? -1 : value(route), revision,
                                System.nanoTime()));
                    }

                    @Override
                    public void onProblem(NamesrvException e, boolean fatal) {
                        // a failed poll is expected under faults; an answer no correct node gives is a finding
                        if (fatal || e.kind() == NamesrvException.Kind.PROTOCOL_ERROR) {
                            anomalies.add("watcher " + id + (fatal ? " stopped: " : ": ") + e.getMessage());
                        }
                    }
                }, Consistency.LINEARIZABLE, Duration.ofSeconds(2)));
            }
            return () -> {
                watchers.forEach(RouteWatcher::close);
                clients.forEach(NamesrvClient::close);
            };
        };
        AtomicLong acks = new AtomicLong();
        ClusterRun.Outcome<Map<String, Integer>> out = ClusterRun.run(hb, dir,
                new ClusterRun.Spec("raft", 3, c.seed(), c.nemeses(), c.duration(), c.faultWindow(), c.quietWindow(),
                        c.writers(), "chaos-watch-writer-"),
                (w, endpoints, rec, deadline) -> new TopicWriter(w, c, endpoints, deadline,
                        new Record(attempted, acknowledged, acks)),
                background, (hosts, endpoints, rec) -> finalState(c, endpoints, watchers));
        Map<String, Integer> truth = out.afterHeal();
        List<Told> story = List.copyOf(told);
        List<Map<String, Integer>> views = watchers.stream().map(w -> values(w.routes())).toList();
        List<String> problems = new ArrayList<>(anomalies);
        problems.addAll(check(c.watchers(), story, attempted, truth, views));
        int resets = (int) story.stream().filter(Told::reset).map(t -> t.watcher() + "@" + t.revision()).distinct()
                .count();
        Result r = new Result(dir, acks.get(), story.stream().filter(t -> !t.reset()).count(), resets, problems,
                out.faults());
        writeLogs(dir, c, story, acknowledged, r);
        System.out.println("chaos: " + c.scenario() + " seed=" + c.seed() + " acknowledged=" + r.acknowledged()
                + " notifications=" + r.notifications() + " resets=" + resets + " faults=" + r.faults().size()
                + (problems.isEmpty() ? " clean" : " PROBLEMS:\n  " + String.join("\n  ", problems)));
        return r;
    }

    /** The final LINEARIZABLE value of every topic; then waits (bounded) for every watcher's view to reach it. */
    private static Map<String, Integer> finalState(Config c, List<String> endpoints, List<RouteWatcher> watchers)
            throws InterruptedException {
        Map<String, Integer> truth = new TreeMap<>();
        try (NamesrvClient client = client(endpoints, c.seed())) {
            for (int t = 0; t < c.topics(); t++) {
                truth.put(topic(t),
                        value(client
                                .getTopicRoute(topic(t), CallOptions.DEFAULT.withConsistency(Consistency.LINEARIZABLE))
                                .value()));
            }
        }
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < until && !watchers.stream().allMatch(w -> agrees(w, truth))) {
            Thread.sleep(100);
        }
        return truth;
    }

    private static boolean agrees(RouteWatcher w, Map<String, Integer> truth) {
        Map<String, TopicRoute> view = w.routes();
        for (Map.Entry<String, TopicRoute> e : view.entrySet()) {
            if (!truth.containsKey(e.getKey()) || truth.get(e.getKey()) != value(e.getValue())) {
                return false;
            }
        }
        return !view.isEmpty();
    }

    private static Map<String, Integer> values(Map<String, TopicRoute> routes) {
        Map<String, Integer> out = new TreeMap<>();
        routes.forEach((t, r) -> out.put(t, value(r)));
        return out;
    }

    /**
     * The properties above over every watcher's callbacks ({@code story}), the values written ({@code attempted}),
     * the final LINEARIZABLE values ({@code truth}) and each watcher's final view; returns what is violated.
     */
    static List<String> check(int watchers, List<Told> story, Map<String, Set<Integer>> attempted,
            Map<String, Integer> truth, List<Map<String, Integer>> finalViews) {
        List<String> problems = new ArrayList<>();
        Map<String, Integer> atRevision = new HashMap<>(); // topic@revision -> value, over all watchers
        for (int w = 0; w < watchers; w++) {
            int id = w;
            List<Told> mine = story.stream().filter(t -> t.watcher() == id).toList();
            if (mine.isEmpty() || !mine.get(0).reset()) {
                problems.add("watcher " + w + ": the first answer is not a reset: " + head(mine));
                continue;
            }
            long revision = 0;
            Map<String, Integer> last = new HashMap<>();
            Set<String> toldAtRevision = new HashSet<>();
            for (Told t : mine) {
                if (t.revision() < revision) {
                    problems.add("watcher " + w + ": revision went back from " + revision + " to " + t.revision());
                }
                if (t.revision() != revision) {
                    toldAtRevision.clear();
                }
                revision = t.revision();
                if (t.topic().isEmpty()) {
                    continue;
                }
                if (!toldAtRevision.add(t.topic())) {
                    problems.add("watcher " + w + ": " + t.topic() + " told twice at revision " + t.revision());
                }
                Integer before = last.get(t.topic());
                if (before != null && (t.reset() ? t.value() < before : t.value() <= before)) {
                    problems.add("watcher " + w + ": " + t.topic() + " went from " + before + " to " + t.value()
                            + " at revision " + t.revision() + (t.reset() ? " (reset)" : ""));
                }
                if (!attempted.getOrDefault(t.topic(), Set.of()).contains(t.value())) {
                    problems.add("watcher " + w + ": " + t.topic() + "=" + t.value() + " was never written");
                }
                Integer other = atRevision.putIfAbsent(t.topic() + "@" + t.revision(), t.value());
                if (other != null && other != t.value()) {
                    problems.add("watcher " + w + ": " + t.topic() + " at revision " + t.revision() + " is " + t.value()
                            + ", another watcher was told " + other);
                }
                last.put(t.topic(), t.value());
            }
            Map<String, Integer> view = finalViews.get(w);
            for (Map.Entry<String, Integer> e : view.entrySet()) {
                if (!e.getValue().equals(truth.get(e.getKey()))) {
                    problems.add("watcher " + w + ": final view has " + e.getKey() + "=" + e.getValue()
                            + ", a LINEARIZABLE read says " + truth.get(e.getKey()));
                }
            }
            if (view.isEmpty()) {
                problems.add("watcher " + w + ": its final view is empty");
            }
        }
        return problems;
    }

    private static List<Told> head(List<Told> l) {
        return l.subList(0, Math.min(3, l.size()));
    }

    /** What every writer records into: the values tried and acknowledged per topic, and the acknowledgements. */
    private record Record(Map<String, Set<Integer>> attempted, Map<String, List<Integer>> acknowledged,
            AtomicLong acks) {
    }

    /** One writer: its own topics in turn, each write the next value; outcome-unknown writes stay "attempted". */
    private static final class TopicWriter implements ClusterRun.Workload {
        private final int index;
        private final Config c;
        private final long deadline;
        private final Record record;
        private final NamesrvClient client;
        private final Random random;

        TopicWriter(int index, Config c, List<String> endpoints, long deadline, Record record) {
            this.index = index;
            this.c = c;
            this.deadline = deadline;
            this.record = record;
            this.client = client(endpoints, c.seed() * 31 + index);
            this.random = new Random(c.seed() * 17 + index);
        }

        @Override
        public void run() {
            Map<Integer, Integer> next = new HashMap<>();
            int turn = 0;
            while (System.nanoTime() < deadline) {
                List<Integer> own = new ArrayList<>();
                for (int t = index; t < c.topics(); t += c.writers()) {
                    own.add(t);
                }
                int topic = own.get(turn++ % own.size());
                int value = next.merge(topic, 1, Integer::sum) + 1;
                record.attempted().get(topic(topic)).add(value);
                try {
                    client.registerBroker(write(topic, value)).value();
                    record.acknowledged().get(topic(topic)).add(value);
                    record.acks().incrementAndGet();
                } catch (NamesrvException e) {
                    // unknown or refused: the value stays attempted; the next write has a higher one anyway
                }
                try {
                    Thread.sleep(random.nextInt(20));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        @Override
        public void close() {
            client.close();
        }
    }

    private static void writeLogs(Path dir, Config c, List<Told> story, Map<String, List<Integer>> acknowledged,
            Result r) throws IOException {
        List<String> events = new ArrayList<>();
        for (Told t : story) {
            events.add("{\"watcher\":" + t.watcher() + ",\"reset\":" + t.reset() + ",\"topic\":\"" + t.topic()
                    + "\",\"value\":" + t.value() + ",\"revision\":" + t.revision() + ",\"nanos\":" + t.nanos() + "}");
        }
        Files.write(dir.resolve("watch-events.jsonl"), events, StandardCharsets.UTF_8);
        List<String> writes = new ArrayList<>();
        new TreeMap<>(acknowledged).forEach((topic, values) -> writes
                .add("{\"topic\":\"" + topic + "\",\"acknowledged\":" + List.copyOf(values) + "}"));
        Files.write(dir.resolve("writes.jsonl"), writes, StandardCharsets.UTF_8);
        new ResultsFile("scenario", c.scenario(), "seed", c.seed(), "watchers", c.watchers(), "acknowledged",
                r.acknowledged(), "notifications", r.notifications(), "resets", r.resets(), "faults", r.faults().size(),
                "problems", String.join("\n", r.problems())).write(dir);
    }
}
