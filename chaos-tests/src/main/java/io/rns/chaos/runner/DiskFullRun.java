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
import io.rns.rpc.v1.Role;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Disk full on one node: its data dir is a small size-limited filesystem (a tmpfs of {@link #FS_MB} MB mounted on it;
 * root). Writes go on through the cluster; a filler file then takes every free byte of that filesystem. The node
 * must stop safely — halt with a clear log line (it reports INACTIVE) and, with {@code node.exit-on-halt=true} (the
 * default), exit by itself with code 3, saying so in its log — while the other two keep acknowledging writes. Then the filler is removed and the node started again (the operator's fix, or
 * its supervisor's restart): it must rejoin, catch up and answer exactly what the leader answers, and no acknowledged
 * write may be missing anywhere.
 */
public final class DiskFullRun {
    static final int FS_MB = 64;
    /** How long a halted node may take to exit by itself (its halt check runs every 0.5 s, its close is bounded). */
    static final int EXIT_WAIT_S = 30;

    public record Config(String scenario, long seed, Path outDir) {
    }

    /**
     * @param haltedAfterMs how long after the disk filled the node reported INACTIVE or exited (-1: neither)
     * @param haltLine      the node's log line that says why it stopped (null: none found)
     */
    public record Result(Path dir, long haltedAfterMs, String haltLine, long acknowledged, long ackedWhileFull,
            long missing, boolean rejoined, List<String> problems) {
        public boolean clean() {
            return haltedAfterMs >= 0 && haltLine != null && ackedWhileFull > 0 && missing == 0 && rejoined
                    && problems.isEmpty();
        }
    }

    private DiskFullRun() {
    }

    public static Result run(Config c) throws Exception {
        Path dir = c.outDir().resolve(c.scenario()).resolve(Long.toString(c.seed()));
        Files.createDirectories(dir);
        System.out.println("chaos: scenario=" + c.scenario() + " seed=" + c.seed() + " -> " + dir);
        HostsBuilder hb = HostsBuilder.create(Backend.fromSystemProperty()).nodes(3).mode("raft")
                .electionTimeoutMs(1000).runDir(dir.resolve("nodes")).keepLogs(true).dataRoot(null);
        List<String> problems = new ArrayList<>();
        Set<String> acked = new TreeSet<>();
        String topic = "DiskFull";
        long haltedAfter = -1;
        String haltLine = null;
        long ackedWhileFull = 0;
        long missing = 0;
        boolean rejoined = false;
        try (Hosts hosts = hb.build(); RnsClusterView view = new RnsClusterView(hosts)) {
            Host victim = hosts.hosts().get(2);
            Path data = victim.dataDir();
            Files.createDirectories(data);
            exec("mount", "-t", "tmpfs", "-o", "size=" + FS_MB + "m", "rns-diskfull", data.toString());
            try {
                hosts.startAll();
                view.awaitLeader(Duration.ofSeconds(60))
                        .orElseThrow(() -> new IllegalStateException("no leader within 60 s; see " + dir));
                try (NamesrvClient client = client(hosts.clientAddresses(), c.seed())) {
                    write(client, topic, "before", 50, acked);
                    Path filler = data.resolve("filler");
                    long filled = fill(filler);
                    System.out.println("chaos: diskfull: " + victim.id() + "'s " + FS_MB + " MB filesystem filled ("
                            + filled + " bytes of filler)");
                    long t0 = System.nanoTime();
                    // writes go on until the victim fails to write (RocksDB may first use space it preallocated)
                    long until = t0 + TimeUnit.SECONDS.toNanos(90);
                    for (int round = 0; System.nanoTime() < until && haltedAfter < 0; round++) {
                        ackedWhileFull += write(client, topic, "full-" + round, 10, acked);
                        ObservedNode s = view.statuses().get(victim.id());
                        if ((s != null && s.role() == Role.INACTIVE) || !victim.isRunning()) {
                            haltedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                        }
                    }
                    ackedWhileFull += write(client, topic, "while-halted", 50, acked);
                    haltLine = haltLine(victim.logFile());
                    // node.exit-on-halt (the default): the halted node exits by itself, saying so
                    long exitBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(EXIT_WAIT_S);
                    while (haltedAfter >= 0 && victim.isRunning() && System.nanoTime() < exitBy) {
                        Thread.sleep(100);
                    }
                    String exit = exitLine(victim.logFile());
                    if (haltedAfter >= 0 && (victim.isRunning() || exit == null)) {
                        problems.add(victim.id() + " halted but did not exit by itself within " + EXIT_WAIT_S
                                + " s logging 'HALTED ... Exiting with code 3' (node.exit-on-halt=true)");
                    }
                    victim.kill9(); // reaps it (it exited by itself)
                    System.out.println("chaos: diskfull: " + victim.id() + " exited: " + exit);
                    System.out.println("chaos: diskfull: " + victim.id() + " stopped (INACTIVE or exited) after "
                            + haltedAfter + " ms; its log: " + haltLine + "; " + ackedWhileFull
                            + " writes acknowledged meanwhile");
                    // the operator frees space and restarts the node
                    Files.deleteIfExists(filler);
                    victim.kill9();
                    victim.start();
                    rejoined = view.awaitAgreement(Duration.ofSeconds(60), new HashSet<>(hosts.ids())).isPresent();
                    write(client, topic, "after", 20, acked);
                    missing = compare(client, hosts, topic, acked, problems);
                }
            } finally {
                hosts.hosts().forEach(Host::kill9);
                exec("umount", "-l", data.toString());
            }
        }
        Result r = new Result(dir, haltedAfter, haltLine, acked.size(), ackedWhileFull, missing, rejoined, problems);
        System.out.println("chaos: diskfull " + r);
        return r;
    }

    /** {@code n} registrations, one at a time; returns how many were acknowledged. */
    private static long write(NamesrvClient client, String topic, String tag, int n, Set<String> acked) {
        long ok = 0;
        for (int i = 0; i < n; i++) {
            String name = "df-" + tag + "-" + i;
            String addr = name + ".df:10911";
            try {
                client.registerBroker(ClusterRun.oneTopicBroker("DiskFullCluster", name, addr, topic));
                acked.add(addr);
                ok++;
            } catch (NamesrvException e) {
                // not acknowledged: not counted
            }
        }
        return ok;
    }

    /** Writes zeros until the filesystem refuses; returns the bytes written. */
    private static long fill(Path filler) {
        byte[] chunk = new byte[1 << 20];
        long n = 0;
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (n < (FS_MB + 16L) << 20) {
                out.write(chunk);
                n += chunk.length;
            }
        } catch (IOException e) {
            // No space left on device: the point
        }
        return n;
    }

    /** The first log line of the node that says it stopped on an error. */
    private static String haltLine(Path log) throws IOException {
        if (!Files.exists(log)) {
            return null;
        }
        try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.contains("ERROR STATE") || l.contains("halting this replica")).findFirst()
                    .orElse(null);
        }
    }

    /** The node's log line saying that it exits with code 3 because it halted (node.exit-on-halt), or null. */
    private static String exitLine(Path log) throws IOException {
        try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.contains("HALTED") && l.contains("Exiting with code 3")).findFirst()
                    .orElse(null);
        }
    }

    /** Every node's STALE answer must be the leader's LINEARIZABLE one, with every acknowledged write in it. */
    private static long compare(NamesrvClient client, Hosts hosts, String topic, Set<String> acked,
            List<String> problems) throws InterruptedException {
        Set<String> truth = RouteReads.brokers(client, topic, null, Consistency.LINEARIZABLE);
        if (truth == null) {
            problems.add("the final LINEARIZABLE read failed");
            return acked.size();
        }
        long missing = acked.stream().filter(a -> !truth.contains(a)).count();
        for (Host h : hosts.hosts()) {
            Set<String> got = null;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < until) { // a restarted node catches up: bounded wait for its answer
                got = RouteReads.brokers(client, topic, h.clientAddress(), Consistency.STALE);
                if (truth.equals(got)) {
                    break;
                }
                Thread.sleep(200);
            }
            if (!truth.equals(got)) {
                problems.add("node " + h.id() + " answers " + (got == null ? "an error" : got.size() + " brokers")
                        + ", the leader " + truth.size());
            }
        }
        return missing;
    }

    private static NamesrvClient client(List<String> endpoints, long seed) {
        return NamesrvClient.builder().endpoints(endpoints).mode(ClusterMode.RAFT)
                .requestTimeout(Duration.ofMillis(1500)).overallTimeout(Duration.ofSeconds(10))
                .retryPolicy(RetryPolicy.DEFAULT.withMaxAttempts(8)).randomSeed(seed).clientId("diskfull").build();
    }

    private static void exec(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out.strip());
        }
    }
}
