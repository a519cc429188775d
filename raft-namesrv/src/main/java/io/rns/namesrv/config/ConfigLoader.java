package io.rns.namesrv.config;

import io.rns.rpc.v1.Consistency;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * Reads a {@link NamesrvConfig} from a properties file plus overrides ({@code -Drns.<key>=value} system properties).
 * Unknown keys, in the file or among {@code rns.*} system properties, fail startup: a misspelt key must never be
 * silently ignored.
 */
public final class ConfigLoader {
    public static final String SYSTEM_PREFIX = "rns.";
    /** System properties under rns.* that are not config keys (logging). */
    private static final Set<String> NON_CONFIG_SYSTEM_KEYS = Set.of("log.dir");

    private ConfigLoader() {}

    /** Loads {@code file} (may be null: overrides only) and applies {@code overrides} on top. */
    public static NamesrvConfig load(Path file, Map<String, String> overrides) {
        Map<String, String> values = new TreeMap<>();
        if (file != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read config file " + file + ": " + e.getMessage(), e);
            }
            for (String k : p.stringPropertyNames()) {
                values.put(k.trim(), p.getProperty(k).trim());
            }
        }
        overrides.forEach((k, v) -> values.put(k.trim(), v.trim()));
        TreeSet<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(NamesrvConfig.Keys.ALL);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown configuration key(s) " + unknown
                    + (file != null ? " (from " + file + " or -D" + SYSTEM_PREFIX + "*)" : "")
                    + "; known keys: " + new TreeSet<>(NamesrvConfig.Keys.ALL));
        }
        return fromMap(values);
    }

    /** The {@code rns.*} system properties, with the prefix removed (logging keys excluded). */
    public static Map<String, String> systemOverrides(Properties sys) {
        Map<String, String> m = new TreeMap<>();
        for (String k : sys.stringPropertyNames()) {
            if (k.startsWith(SYSTEM_PREFIX)) {
                String key = k.substring(SYSTEM_PREFIX.length());
                if (!NON_CONFIG_SYSTEM_KEYS.contains(key)) {
                    m.put(key, sys.getProperty(k));
                }
            }
        }
        return m;
    }

    static NamesrvConfig fromMap(Map<String, String> v) {
        NamesrvConfig.Builder b = NamesrvConfig.builder();
        String nodeId = v.get(NamesrvConfig.Keys.NODE_ID);
        b.nodeId(nodeId);
        String members = v.get(NamesrvConfig.Keys.MEMBERS);
        if (members != null) {
            b.members(Arrays.stream(members.split(","))
                    .map(String::trim)
                    .filter(s -> !s.isEmpty())
                    .map(s -> wrap(NamesrvConfig.Keys.MEMBERS, s, Member::parse))
                    .toList());
        }
        str(v, NamesrvConfig.Keys.DATA_DIR, s -> b.dataDir(Path.of(s)));
        integer(v, NamesrvConfig.Keys.MAX_FRAME_BYTES, b::maxFrameBytes);
        integer(v, NamesrvConfig.Keys.IDLE_TIMEOUT_MS, b::idleTimeoutMs);
        integer(v, NamesrvConfig.Keys.IO_THREADS, b::ioThreads);
        integer(v, NamesrvConfig.Keys.WORKER_THREADS, b::workerThreads);
        integer(v, NamesrvConfig.Keys.WORKER_QUEUE_CAPACITY, b::workerQueueCapacity);
        integer(v, NamesrvConfig.Keys.ELECTION_TIMEOUT_MS, b::electionTimeoutMs);
        integer(v, NamesrvConfig.Keys.MAX_ELECTION_DELAY_MS, b::maxElectionDelayMs);
        integer(v, NamesrvConfig.Keys.SNAPSHOT_INTERVAL_SECS, b::snapshotIntervalSecs);
        integer(v, NamesrvConfig.Keys.SNAPSHOT_LOG_INDEX_MARGIN, b::snapshotLogIndexMargin);
        str(v, NamesrvConfig.Keys.RAFT_SYNC, s -> b.raftSync(bool(NamesrvConfig.Keys.RAFT_SYNC, s)));
        integer(v, NamesrvConfig.Keys.MAX_READ_INDEX_LAG, b::maxReadIndexLag);
        str(
                v,
                NamesrvConfig.Keys.MAX_LOGS_IN_MEMORY_BYTES,
                s -> b.maxLogsInMemoryBytes(wrap(NamesrvConfig.Keys.MAX_LOGS_IN_MEMORY_BYTES, s, Long::parseLong)));
        str(v, NamesrvConfig.Keys.DEFAULT_CONSISTENCY, s -> b.defaultConsistency(consistency(s)));
        integer(v, NamesrvConfig.Keys.READ_TIMEOUT_MS, b::readTimeoutMs);
        integer(v, NamesrvConfig.Keys.WRITE_TIMEOUT_MS, b::writeTimeoutMs);
        integer(v, NamesrvConfig.Keys.LEADER_TRANSFER_TIMEOUT_MS, b::leaderTransferTimeoutMs);
        integer(v, NamesrvConfig.Keys.PRIORITY_THREADS, b::priorityThreads);
        str(v, NamesrvConfig.Keys.MODE, s -> b.mode(mode(s)));
        integer(v, NamesrvConfig.Keys.LEADERLESS_BROKER_TIMEOUT_MS, b::leaderlessBrokerTimeoutMs);
        integer(v, NamesrvConfig.Keys.LEADERLESS_SCAN_INTERVAL_MS, b::leaderlessScanIntervalMs);
        str(
                v,
                NamesrvConfig.Keys.LEADERLESS_PERSIST,
                s -> b.leaderlessPersist(bool(NamesrvConfig.Keys.LEADERLESS_PERSIST, s)));
        str(
                v,
                NamesrvConfig.Keys.UNCHANGED_BARRIER,
                s -> b.leaseConfirmsUnchanged(
                        switch (s.trim().toUpperCase(Locale.ROOT)) {
                            case "LEASE" -> true;
                            case "LINEARIZABLE" -> false;
                            default ->
                                throw new IllegalArgumentException(NamesrvConfig.Keys.UNCHANGED_BARRIER
                                        + " must be LEASE or LINEARIZABLE, got '" + s + "'");
                        }));
        str(
                v,
                NamesrvConfig.Keys.UNSAFE_LOCAL_LINEARIZABLE_READS,
                s -> b.unsafeLocalLinearizableReads(bool(NamesrvConfig.Keys.UNSAFE_LOCAL_LINEARIZABLE_READS, s)));
        integer(v, NamesrvConfig.Keys.ROCKETMQ_LISTEN_PORT, b::rocketmqListenPort);
        integer(v, NamesrvConfig.Keys.ROCKETMQ_MAX_FRAME_BYTES, b::rocketmqMaxFrameBytes);
        integer(v, NamesrvConfig.Keys.ROCKETMQ_BROKER_LEASE_MS, b::rocketmqBrokerLeaseMs);
        integer(v, NamesrvConfig.Keys.ROCKETMQ_IO_THREADS, b::rocketmqIoThreads);
        integer(v, NamesrvConfig.Keys.ROCKETMQ_QUERY_THREADS, b::rocketmqQueryThreads);
        integer(v, NamesrvConfig.Keys.ROCKETMQ_REGISTER_THREADS, b::rocketmqRegisterThreads);
        integer(v, NamesrvConfig.Keys.ROCKETMQ_QUEUE_CAPACITY, b::rocketmqQueueCapacity);
        LivenessConfig d = LivenessConfig.DEFAULTS;
        b.liveness(new LivenessConfig(
                intOr(v, NamesrvConfig.Keys.DEFAULT_LEASE_MS, d.defaultLeaseMs()),
                intOr(v, NamesrvConfig.Keys.MIN_LEASE_MS, d.minLeaseMs()),
                intOr(v, NamesrvConfig.Keys.MAX_LEASE_MS, d.maxLeaseMs()),
                intOr(v, NamesrvConfig.Keys.SUSPECT_LEASE_MS, d.suspectLeaseMs()),
                intOr(v, NamesrvConfig.Keys.SCAN_INTERVAL_MS, d.scanIntervalMs()),
                doubleOr(v, NamesrvConfig.Keys.EXPIRY_RATE_PER_SEC, d.expiryRatePerSec()),
                intOr(v, NamesrvConfig.Keys.EXPIRY_BURST, d.expiryBurst()),
                doubleOr(v, NamesrvConfig.Keys.MASS_EXPIRY_FRACTION, d.massExpiryFraction())));
        return b.build();
    }

    private static int intOr(Map<String, String> v, String key, int dflt) {
        String s = v.get(key);
        return s == null || s.isEmpty() ? dflt : wrap(key, s, Integer::parseInt);
    }

    private static double doubleOr(Map<String, String> v, String key, double dflt) {
        String s = v.get(key);
        return s == null || s.isEmpty() ? dflt : wrap(key, s, Double::parseDouble);
    }

    private static NamesrvConfig.Mode mode(String s) {
        for (NamesrvConfig.Mode m : NamesrvConfig.Mode.values()) {
            if (m.name().equalsIgnoreCase(s)) {
                return m;
            }
        }
        throw new IllegalArgumentException(NamesrvConfig.Keys.MODE + " must be raft or leaderless, got '" + s + "'");
    }

    private static Consistency consistency(String s) {
        try {
            Consistency c = Consistency.valueOf(s.toUpperCase(Locale.ROOT));
            if (c != Consistency.CONSISTENCY_UNSPECIFIED && c != Consistency.UNRECOGNIZED) {
                return c;
            }
        } catch (IllegalArgumentException ignored) {
            // fall through
        }
        throw new IllegalArgumentException(NamesrvConfig.Keys.DEFAULT_CONSISTENCY
                + " must be one of LINEARIZABLE, LEASE, SEQUENTIAL, STALE, got '" + s + "'");
    }

    private static boolean bool(String key, String s) {
        if (s.equalsIgnoreCase("true")) {
            return true;
        }
        if (s.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException(key + " must be true or false, got '" + s + "'");
    }

    private static void str(Map<String, String> v, String key, Consumer<String> set) {
        String s = v.get(key);
        if (s != null && !s.isEmpty()) {
            set.accept(s);
        }
    }

    private static void integer(Map<String, String> v, String key, IntConsumer set) {
        str(v, key, s -> set.accept(wrap(key, s, Integer::parseInt)));
    }

    private static <T> T wrap(String key, String s, Function<String, T> parse) {
        try {
            return parse.apply(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, got '" + s + "'");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }
}
