package io.rns.chaos.nemesis;

import io.rns.chaos.hosts.Host;
import io.rns.chaos.hosts.Hosts;
import io.rns.chaos.hosts.HostsBuilder;
import io.rns.chaos.hosts.HostsException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Per-process wall-clock offsets with libfaketime (Debian package {@code libfaketime}). Every node JVM runs with
 * {@code LD_PRELOAD=libfaketime.so.1}, {@code FAKETIME_TIMESTAMP_FILE=<node dir>/faketime} (re-read at most once a
 * second: {@code FAKETIME_CACHE_DURATION=1}), {@code FAKETIME_DONT_FAKE_MONOTONIC=1} and
 * {@code FAKETIME_FORCE_MONOTONIC_FIX=0} (see {@link #install}); {@link #install} sets that
 * up on the hosts builder. A missing file means no offset. {@code start} writes a random offset per node (at least
 * one node skewed; up to ±{@code maxSkewSeconds}), {@code stop} writes {@code +0} everywhere, so a running process
 * changes its clock without a restart (tried: a JVM's {@code Instant.now()} follows the file within a second while
 * {@code System.nanoTime()} keeps running steadily).
 *
 * <p>Only {@code CLOCK_REALTIME} (Java's {@code currentTimeMillis}/{@code Instant.now}) moves: jraft's election timers,
 * leader lease ({@code isLeaderLeaseValid}) and our broker leases all use the monotonic clock, so these offsets are
 * expected <em>not</em> to break LEASE reads; the scenario checks that the history stays linearizable under them.
 * What wall time still reaches the server: record timestamps the leader stamps (data versions), and log lines.
 */
public final class ClockOffset extends AbstractNemesis {
    public static final String LIBFAKETIME = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1";
    public static final String FILE_NAME = "faketime";

    private final int maxSkewSeconds;
    private Map<String, Integer> planned = Map.of();

    public ClockOffset() {
        this(120);
    }

    public ClockOffset(int maxSkewSeconds) {
        super("clock-offset");
        if (maxSkewSeconds < 1) {
            throw new IllegalArgumentException("maxSkewSeconds must be >= 1: " + maxSkewSeconds);
        }
        this.maxSkewSeconds = maxSkewSeconds;
    }

    /** Why the clock nemesis cannot run here (libfaketime missing), or null. */
    public static String unavailableReason() {
        return Files.isReadable(Path.of(LIBFAKETIME)) ? null
                : LIBFAKETIME + " not found: install the Debian package libfaketime (apt-get install libfaketime)";
    }

    /** Starts every node JVM of {@code b} under libfaketime, offset 0 until a {@link ClockOffset} writes its file. */
    public static HostsBuilder install(HostsBuilder b) {
        String why = unavailableReason();
        if (why != null) {
            throw new HostsException(why);
        }
        return b.nodeEnv("LD_PRELOAD", LIBFAKETIME).nodeEnv("FAKETIME_TIMESTAMP_FILE", "{dir}/" + FILE_NAME)
                .nodeEnv("FAKETIME_CACHE_DURATION", "1").nodeEnv("FAKETIME_DONT_FAKE_MONOTONIC", "1")
                // without this, libfaketime 0.9.10 rewrites the JVM's pthread_cond_timedwait(CLOCK_MONOTONIC) waits
                // and the node burns CPU: measured here, a node took >40 s to start instead of ~5 s
                .nodeEnv("FAKETIME_FORCE_MONOTONIC_FIX", "0");
    }

    /** The offset file of a host started through {@link #install} (next to its stdout log, in the node's directory). */
    public static Path fileOf(Host h) {
        return h.stdoutFile().resolveSibling(FILE_NAME);
    }

    @Override
    protected String doPlan(List<String> hostIds, Random random) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (String id : hostIds) {
            m.put(id, random.nextInt(2 * maxSkewSeconds + 1) - maxSkewSeconds);
        }
        if (m.values().stream().allMatch(v -> v == 0)) {
            m.put(hostIds.get(random.nextInt(hostIds.size())), maxSkewSeconds);
        }
        planned = m;
        return describe(m);
    }

    private static String describe(Map<String, Integer> m) {
        List<String> parts = new ArrayList<>();
        m.forEach((id, s) -> parts.add(id + "=" + (s >= 0 ? "+" : "") + s + "s"));
        return String.join(" ", parts);
    }

    @Override
    public void start(Hosts hosts, ClusterView view) {
        ensurePlanned(hosts);
        for (Host h : hosts.hosts()) {
            Integer s = planned.get(h.id());
            if (s != null) {
                write(h, (s >= 0 ? "+" : "") + s + "s");
            }
        }
        detail = "wall clock offsets " + describe(planned) + " (monotonic clock untouched)";
    }

    @Override
    public void stop(Hosts hosts) {
        for (Host h : hosts.hosts()) {
            write(h, "+0");
        }
        detail = detail + "; offsets reset to +0";
    }

    private static void write(Host h, String spec) {
        Path f = fileOf(h);
        Path tmp = f.resolveSibling(FILE_NAME + ".tmp");
        try {
            Files.writeString(tmp, spec + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new HostsException("cannot write clock offset for " + h.id() + " to " + f + ": " + e.getMessage(), e);
        }
    }
}
