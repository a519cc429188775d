package io.rns.chaos.runner;

import com.google.gson.JsonParser;
import io.rns.chaos.checker.CheckResult;
import io.rns.chaos.history.HistoryRecorder;
import io.rns.chaos.history.ServerMeta;
import io.rns.chaos.hosts.Backend;
import io.rns.chaos.hosts.Host;
import io.rns.chaos.hosts.Hosts;
import io.rns.chaos.hosts.HostsBuilder;
import io.rns.chaos.nemesis.RnsClusterView;
import io.rns.client.ClusterMode;
import io.rns.client.NamesrvClient;
import io.rns.client.NamesrvException;
import io.rns.client.RetryPolicy;
import io.rns.rpc.v1.Consistency;
import io.rns.rpc.v1.DataVersion;
import io.rns.rpc.v1.UnregisterBrokerRequest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The late-delivery scenario (track records #2 and #3 made deterministic): a registration's first attempt sits in a
 * paused follower's socket buffer while the client's own retry, through another node, succeeds; the client then
 * unregisters the broker; then the follower resumes, reads the stale attempt and forwards it to the leader.
 *
 * <p>Each cycle: a fresh client that knows only the followers, F first (its seeded router starts there), writes
 * once through the follower F; SIGSTOP F; the client registers a new broker: the attempt to F times out, the client
 * retries on the next follower and gets OK; it unregisters the broker (OK) and reads it gone; F gets SIGCONT well within the election
 * timeout, so it still knows the leader and forwards the buffered attempt. At-least-once (no client session, what
 * every write was before sessions) that copy is applied after the unregistration and the broker comes back — the
 * checker says INVALID. In a session the copy carries the sequence number of the registration, lower than the
 * unregistration's, and the state machine refuses it (STALE_SEQUENCE) — VALID. Without a session but with a data
 * version (a RocketMQ broker's registration), the broker's tombstone refuses it (STALE_REGISTRATION) — VALID. Reads of every node after each cycle
 * and at the end put the resurrection, if any, into the history.
 */
public final class LateDeliveryRun {

    /**
     * @param exactlyOnce whether the client writes in sessions (the fix) or at least once (before it)
     * @param versioned   whether registrations carry a data version, as RocketMQ brokers' do (the fence for writers
     *                    without sessions: the broker's tombstone)
     */
    public record Config(String scenario, int nodes, long seed, int cycles, boolean exactlyOnce, boolean versioned,
            Path outDir) {
    }

    private static final int ELECTION_TIMEOUT_MS = 1000;
    /** The client's attempt timeout: the paused follower is resumed well before an election timeout. */
    private static final Duration ATTEMPT = Duration.ofMillis(250);

    private LateDeliveryRun() {
    }

    public static ChaosRun.Result run(Config c) throws Exception {
        Backend backend = Backend.fromSystemProperty();
        Path dir = c.outDir().resolve(c.scenario()).resolve(Long.toString(c.seed()));
        Files.createDirectories(dir);
        System.out.println("chaos: scenario=" + c.scenario() + " seed=" + c.seed() + " cycles=" + c.cycles()
                + " exactlyOnce=" + c.exactlyOnce() + " -> " + dir);
        HostsBuilder hb = HostsBuilder.create(backend).nodes(c.nodes()).mode("raft")
                .electionTimeoutMs(ELECTION_TIMEOUT_MS).runDir(dir.resolve("nodes")).keepLogs(true);
        Random random = new Random(c.seed());
        HistoryRecorder rec;
        List<String> topics = new ArrayList<>();
        try (Hosts hosts = hb.build(); RnsClusterView view = new RnsClusterView(hosts)) {
            hosts.startAll();
            view.awaitLeader(Duration.ofSeconds(60))
                    .orElseThrow(() -> new IllegalStateException("no leader within 60 s; see " + dir));
            rec = new HistoryRecorder();
            for (int cycle = 0; cycle < c.cycles(); cycle++) {
                String leader = view.awaitLeader(Duration.ofSeconds(30))
                        .orElseThrow(() -> new IllegalStateException("no leader within 30 s; see " + dir));
                List<Host> followers = hosts.hosts().stream().filter(h -> !h.id().equals(leader)).toList();
                Host f = followers.get(random.nextInt(followers.size()));
                String topic = "LateTopic-" + cycle;
                topics.add(topic);
                cycle(c, hosts, f, leader, topic, cycle, rec, random.nextLong());
            }
            Thread.sleep(2_000); // let any stale copy land before the final reads
            try (NamesrvClient reader = client(hosts.clientAddresses(), 1, true)) {
                for (String topic : topics) {
                    for (String ep : hosts.clientAddresses()) {
                        ChaosRun.read(reader, rec, rec.newProcess(), topic, ep, Consistency.LINEARIZABLE);
                    }
                }
            }
        }
        CheckedHistory checked = CheckedHistory.of(rec.snapshot(), dir, Duration.ofSeconds(60));
        CheckResult check = checked.check();
        // the serving node's WARN line for each refusal: "refused register_broker of broker ... from ...: STALE_..."
        long fenced = countInLogs(dir.resolve("nodes"), l -> l.contains(" refused ")
                && (l.contains(": STALE_SEQUENCE ") || l.contains(": STALE_REGISTRATION ")));
        writeResults(dir, c, check, checked.ops(), checked.infos(), fenced);
        System.out.println("chaos: " + c.scenario() + " seed=" + c.seed() + " verdict=" + check.verdict() + " ops="
                + checked.ops() + " indeterminate=" + checked.infos()
                + " late copies refused (STALE_SEQUENCE/STALE_REGISTRATION in node logs)=" + fenced + "\n"
                + check.summary());
        return new ChaosRun.Result(dir, check, checked.stale(), checked.ops(), checked.infos(), List.of());
    }

    /** One pause / register / unregister / resume cycle on topic {@code topic} with follower {@code f} paused. */
    private static void cycle(Config c, Hosts hosts, Host f, String leader, String topic, int cycle,
            HistoryRecorder rec, long clientSeed) throws Exception {
        // the client knows the followers only (F first): a client that knows the leader sends its writes there
        // directly once it has learnt it (Router), and a write that never passes through a follower cannot be
        // delivered late by one; any client reaches a follower first while it does not know the leader yet
        List<String> endpoints = new ArrayList<>();
        endpoints.add(f.clientAddress());
        hosts.hosts().stream().filter(h -> h != f && !h.id().equals(leader))
                .forEach(h -> endpoints.add(h.clientAddress()));
        try (NamesrvClient client = client(endpoints, startingAtFirst(clientSeed, endpoints.size()), c.exactlyOnce())) {
            int p = rec.newProcess();
            // a first write through F (forwarded to the leader): the client now holds a connection F has accepted,
            // so the registration below waits in that socket's receive buffer, and it sends its next write to F again
            // (the leader's address is not among its endpoints); with sessions it also opens its session here
            client.kvPut("late-delivery", "cycle", Integer.toString(cycle));
            String name = "late-" + cycle;
            String addr = name + ".chaos:10911";
            rec.nemesis("pause:start", "SIGSTOP " + f.id() + " (leader " + leader + ")");
            f.pause();
            try {
                rec.invoke(p, "register", topic, addr, null);
                try {
                    var req = ClusterRun.oneTopicBroker("LateCluster", name, addr, topic);
                    if (c.versioned()) {
                        req = req.toBuilder()
                                .setDataVersion(
                                        DataVersion.newBuilder().setTimestamp(1_700_000_000_000L + cycle).setCounter(1))
                                .build();
                    }
                    var reply = client.registerBroker(req);
                    rec.ok(p, "register", topic, addr, ServerMeta.of(reply.meta()));
                } catch (NamesrvException e) {
                    rec.info(p, "register", topic, addr, e.codeName() + ": " + e.getMessage());
                    return; // the cycle did not set up the late copy; the history still holds what happened
                }
                rec.invoke(p, "unregister", topic, addr, null);
                try {
                    var reply = client.unregisterBroker(UnregisterBrokerRequest.newBuilder().setCluster("LateCluster")
                            .setBrokerName(name).setBrokerId(0).setBrokerAddr(addr).build());
                    rec.ok(p, "unregister", topic, addr, ServerMeta.of(reply.meta()));
                } catch (NamesrvException e) {
                    rec.info(p, "unregister", topic, addr, e.codeName() + ": " + e.getMessage());
                    return;
                }
                ChaosRun.read(client, rec, p, topic, leaderAddress(hosts, leader), Consistency.LINEARIZABLE);
            } finally {
                f.resume();
                rec.nemesis("pause:stop", "SIGCONT " + f.id());
            }
            Thread.sleep(1_500); // F reads the buffered attempt and forwards it
            for (String ep : hosts.clientAddresses()) {
                ChaosRun.read(client, rec, rec.newProcess(), topic, ep, Consistency.LINEARIZABLE);
            }
        }
    }

    /**
     * How many late copies the nodes refused in the run written to {@code runDir} (its results.json): zero means the
     * run never set up a late delivery, so its verdict says nothing about fencing.
     */
    public static long lateCopiesRefused(Path runDir) throws IOException {
        String json = Files.readString(runDir.resolve("results.json"), StandardCharsets.UTF_8);
        return JsonParser.parseString(json).getAsJsonObject().get("lateCopiesRefused").getAsLong();
    }

    private static String leaderAddress(Hosts hosts, String leaderId) {
        return hosts.host(leaderId).clientAddress();
    }

    /**
     * A client seed whose router starts at endpoint 0 (NamesrvClient.Builder#randomSeed seeds the start endpoint
     * choice: the first draw of {@code Random.nextInt(size)}), derived deterministically from {@code base}.
     */
    static long startingAtFirst(long base, int size) {
        long s = base;
        while (new Random(s).nextInt(size) != 0) {
            s++;
        }
        return s;
    }

    private static NamesrvClient client(List<String> endpoints, long seed, boolean exactlyOnce) {
        return NamesrvClient.builder().endpoints(endpoints).mode(ClusterMode.RAFT).requestTimeout(ATTEMPT)
                .overallTimeout(Duration.ofSeconds(5)).retryPolicy(RetryPolicy.DEFAULT.withMaxAttempts(6))
                .randomSeed(seed).exactlyOnce(exactlyOnce).clientId("late-delivery").build();
    }

    private static long countInLogs(Path nodesDir, Predicate<String> line) throws IOException {
        if (!Files.isDirectory(nodesDir)) {
            return 0;
        }
        long n = 0;
        try (Stream<Path> files = Files.walk(nodesDir)) {
            for (Path p : files.filter(x -> x.toString().endsWith(".log")).toList()) {
                try (Stream<String> lines = Files.lines(p, StandardCharsets.UTF_8)) {
                    n += lines.filter(line).count();
                } catch (java.io.UncheckedIOException e) {
                    // a binary or rotated file: not a log line source
                }
            }
        }
        return n;
    }

    private static void writeResults(Path dir, Config c, CheckResult check, int ops, int infos, long fenced)
            throws IOException {
        new ResultsFile("scenario", c.scenario(), "seed", c.seed(), "cycles", c.cycles(), "exactlyOnce",
                c.exactlyOnce(), "versioned", c.versioned(), "verdict", check.verdict(), "ops", ops, "indeterminate",
                infos, "lateCopiesRefused", fenced, "check", JsonParser.parseString(check.toJson())).write(dir);
    }
}
