package io.rns.namesrv.config;

import io.rns.rpc.transport.TlsMode;
import io.rns.rpc.transport.TlsSettings;
import io.rns.rpc.v1.Consistency;
import io.rns.statemachine.Limits;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The table of every configuration key, in the order of conf/rns.properties: name, default, unit, parser, per-key
 * validation, formatting and a one-line doc. Adding a setting means adding a key here, a record component and a
 * builder setter in {@link NamesrvConfig}, and its paragraph in conf/rns.properties (a test checks the file).
 */
public final class ConfigKeys {
    private static final int MAX_FRAME = 256 << 20;
    private static final LivenessConfig LIVENESS = LivenessConfig.DEFAULTS;

    // Identity and membership
    public static final ConfigKey<String> NODE_ID = new ConfigKey<>("node.id", null, null, "", s -> s, v -> {
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("node.id is required");
        }
    }, v -> v, NamesrvConfig::nodeId, "this node's id; one of the ids in members");
    public static final ConfigKey<List<Member>> MEMBERS = new ConfigKey<>("members", List.of(), null, "",
            ConfigKeys::parseMembers, ConfigKeys::checkMembers,
            v -> String.join(",", v.stream().map(Member::toString).toList()), NamesrvConfig::members,
            "the Raft group's initial members, comma-separated id@host:raftPort:clientPort");
    public static final ConfigKey<Path> DATA_DIR = new ConfigKey<>("data.dir", null, "./data/<node.id>", "directory",
            Path::of, v -> {
            }, Path::toString, NamesrvConfig::dataDir,
            "Raft log, Raft metadata, snapshots and RocksDB route store of this node");

    // Client RPC
    public static final ConfigKey<Integer> MAX_FRAME_BYTES = ConfigKey.ofInt("rpc.max-frame-bytes", 16 << 20, "bytes",
            1024, MAX_FRAME, NamesrvConfig::maxFrameBytes, "largest native-protocol frame accepted or sent");
    public static final ConfigKey<Integer> IDLE_TIMEOUT_MS = ConfigKey.ofInt("rpc.idle-timeout-ms", 120_000, "ms", 1000,
            Integer.MAX_VALUE, NamesrvConfig::idleTimeoutMs, "a client connection idle this long is closed");
    public static final ConfigKey<Integer> IO_THREADS = ConfigKey.ofInt("rpc.io-threads", 1, "threads", 1, 64,
            NamesrvConfig::ioThreads, "Netty I/O threads for clients; they also answer STALE route reads");
    public static final ConfigKey<Integer> WORKER_THREADS = ConfigKey.ofInt("rpc.worker-threads", 8, "threads", 1, 1024,
            NamesrvConfig::workerThreads, "request handler threads");
    public static final ConfigKey<Integer> WORKER_QUEUE_CAPACITY = ConfigKey.ofInt("rpc.worker-queue-capacity", 10_000,
            "requests", 1, 10_000_000, NamesrvConfig::workerQueueCapacity,
            "requests that may wait for a worker; beyond it OVERLOADED");
    public static final ConfigKey<Integer> PRIORITY_THREADS = ConfigKey.ofInt("rpc.priority-threads", 2, "threads", 1,
            64, NamesrvConfig::priorityThreads, "separate executor for heartbeats and connection-closed reports");

    // Connection limits of the client-facing ports (native and RocketMQ, each counted on its own)
    public static final ConfigKey<Integer> MAX_CONNECTIONS = ConfigKey.ofInt("limits.max-connections", 10_000,
            "connections", 1, 1_000_000, c -> c.limits().maxConnections(),
            "open connections per client-facing port; a new one beyond it is closed at once (logged, counted)");
    public static final ConfigKey<Integer> MAX_CONNECTIONS_PER_HOST = ConfigKey.ofInt("limits.max-connections-per-host",
            1_000, "connections", 1, 1_000_000, c -> c.limits().maxConnectionsPerHost(),
            "open connections per source address and client-facing port; beyond it a new one is closed at once");
    public static final ConfigKey<Integer> MAX_IN_FLIGHT_PER_CONNECTION = ConfigKey.ofInt(
            "limits.max-in-flight-per-connection", 1_000, "requests", 1, 1_000_000,
            c -> c.limits().maxInFlightPerConnection(),
            "requests one connection may have in progress; beyond it OVERLOADED (RocketMQ: SYSTEM_BUSY)");

    // TLS of the client-facing ports (native and RocketMQ) and of this node's own connections to other nodes' ports
    public static final ConfigKey<TlsMode> TLS_MODE = new ConfigKey<>("tls.mode", TlsMode.DISABLED, "disabled", "",
            TlsMode::parse, v -> Objects.requireNonNull(v, "tls.mode"), TlsMode::text, c -> c.tls().mode(),
            "disabled, permissive (TLS and plaintext) or enforcing (TLS only) on the client and RocketMQ ports");
    public static final ConfigKey<Path> TLS_CERT_FILE = fileKey("tls.cert-file",
            "PEM certificate chain of this node (leaf first); required unless tls.mode=disabled",
            c -> c.tls().certFile());
    public static final ConfigKey<Path> TLS_KEY_FILE = fileKey("tls.key-file",
            "PEM private key of tls.cert-file, unencrypted PKCS#8 (BEGIN PRIVATE KEY)", c -> c.tls().keyFile());
    public static final ConfigKey<Path> TLS_TRUST_FILE = fileKey("tls.trust-file",
            "PEM CA certificates that client certificates and other nodes' certificates must chain to",
            c -> c.tls().trustFile());
    public static final ConfigKey<TlsSettings.ClientCerts> TLS_CLIENT_AUTH = new ConfigKey<>("tls.client-auth",
            TlsSettings.ClientCerts.NONE, "none", "", TlsSettings.ClientCerts::parse,
            v -> Objects.requireNonNull(v, "tls.client-auth"), TlsSettings.ClientCerts::text, c -> c.tls().clientAuth(),
            "none, optional or require: client certificates checked against tls.trust-file");

    // Authentication and authorization of the client-facing ports
    public static final ConfigKey<Boolean> AUTH_ENABLED = ConfigKey.ofBoolean("auth.enabled", false,
            c -> c.auth().enabled(),
            "every request needs an account allowed to make it (auth.accounts-file); off = anyone who connects may");
    public static final ConfigKey<Path> AUTH_ACCOUNTS_FILE = fileKey("auth.accounts-file",
            "the accounts: names, secrets, permissions; re-read when it changes (conf/accounts.properties)",
            c -> c.auth().accountsFile());
    public static final ConfigKey<String> AUTH_NODE_ACCOUNT = new ConfigKey<>("auth.node-account", "rns-node",
            "rns-node", "", s -> s.trim(), v -> {
                if (v == null || v.isBlank()) {
                    throw new IllegalArgumentException("auth.node-account must name an account");
                }
            }, v -> v, c -> c.auth().nodeAccount(),
            "the account (permissions=node) nodes use with each other for forwarded requests and reports");

    // Raft
    public static final ConfigKey<Integer> ELECTION_TIMEOUT_MS = ConfigKey.ofInt("raft.election-timeout-ms", 1000, "ms",
            100, 60_000, NamesrvConfig::electionTimeoutMs,
            "a follower hearing no leader for about this long starts an election");
    public static final ConfigKey<Integer> MAX_ELECTION_DELAY_MS = ConfigKey
            .ofInt("raft.max-election-delay-ms", -1, "ms", -1, 60_000, NamesrvConfig::maxElectionDelayMs,
                    "random part of the election timer, [0, this); -1 = half the election timeout")
            .withValidator(v -> {
                ConfigKey.range("raft.max-election-delay-ms", v, -1, 60_000);
                if (v == 0) {
                    throw new IllegalArgumentException("raft.max-election-delay-ms must be -1 (half the election"
                            + " timeout) or positive: without a random part, followers that lose the leader together"
                            + " split the vote");
                }
            });
    public static final ConfigKey<Integer> SNAPSHOT_INTERVAL_SECS = ConfigKey.ofInt("raft.snapshot-interval-secs", 300,
            "s", 0, 86_400 * 7, NamesrvConfig::snapshotIntervalSecs, "snapshot period");
    public static final ConfigKey<Integer> SNAPSHOT_LOG_INDEX_MARGIN = ConfigKey.ofInt("raft.snapshot-log-index-margin",
            1000, "entries", 0, Integer.MAX_VALUE, NamesrvConfig::snapshotLogIndexMargin,
            "skip a scheduled snapshot unless this many entries were applied since the last");
    public static final ConfigKey<Boolean> RAFT_SYNC = ConfigKey.ofBoolean("raft.sync", true, NamesrvConfig::raftSync,
            "fsync the Raft log and metadata before acknowledging");
    public static final ConfigKey<Integer> MAX_READ_INDEX_LAG = ConfigKey.ofInt("raft.max-read-index-lag", 1000,
            "entries", -1, Integer.MAX_VALUE, NamesrvConfig::maxReadIndexLag,
            "a follower further behind refuses LINEARIZABLE/LEASE reads fast");
    public static final ConfigKey<Long> MAX_LOGS_IN_MEMORY_BYTES = new ConfigKey<>("raft.max-logs-in-memory-bytes",
            64L << 20, Long.toString(64L << 20), "bytes",
            s -> ConfigKey.parseNumber("raft.max-logs-in-memory-bytes", s, Long::parseLong), v -> {
                if (v < -1 || v == 0) {
                    throw new IllegalArgumentException(
                            "raft.max-logs-in-memory-bytes must be -1 (no cap) or positive, got " + v);
                }
            }, v -> Long.toString(v), NamesrvConfig::maxLogsInMemoryBytes,
            "soft cap on Raft log entries kept in memory; -1 = no cap");
    public static final ConfigKey<Boolean> PEERS_FROM_MEMBERS_ONLY = ConfigKey.ofBoolean("raft.peers-from-members-only",
            true, NamesrvConfig::peersFromMembersOnly,
            "the Raft port answers only connections from the IP addresses of the members' hosts");
    public static final ConfigKey<Boolean> RAFT_TLS = ConfigKey.ofBoolean("raft.tls", false, NamesrvConfig::raftTls,
            "mutual TLS on the Raft port with tls.cert-file, tls.key-file and tls.trust-file: a peer's certificate must"
                    + " chain to tls.trust-file and name a member's host; every member must set the same value");

    // Reads and writes
    public static final ConfigKey<Consistency> DEFAULT_CONSISTENCY = new ConfigKey<>("read.default-consistency",
            Consistency.LINEARIZABLE, Consistency.LINEARIZABLE.name(), "", ConfigKeys::parseConsistency, v -> {
                Objects.requireNonNull(v, "read.default-consistency");
                if (v == Consistency.CONSISTENCY_UNSPECIFIED || v == Consistency.UNRECOGNIZED) {
                    throw new IllegalArgumentException(
                            "read.default-consistency must be one of LINEARIZABLE, LEASE, SEQUENTIAL, STALE");
                }
            }, Consistency::name, NamesrvConfig::defaultConsistency,
            "consistency of a read that names none: LINEARIZABLE, LEASE, SEQUENTIAL or STALE");
    public static final ConfigKey<Integer> READ_TIMEOUT_MS = ConfigKey.ofInt("read.timeout-ms", 3000, "ms", 10, 600_000,
            NamesrvConfig::readTimeoutMs, "deadline of a read that carries none");
    public static final ConfigKey<Integer> WRITE_TIMEOUT_MS = ConfigKey.ofInt("write.timeout-ms", 5000, "ms", 10,
            600_000, NamesrvConfig::writeTimeoutMs, "deadline of a write that carries none");
    /** LEASE (true) or LINEARIZABLE (false): how "unchanged" is confirmed; read as leaseConfirmsUnchanged. */
    public static final ConfigKey<Boolean> UNCHANGED_BARRIER = new ConfigKey<>("write.unchanged-barrier", true, "LEASE",
            "", ConfigKeys::parseUnchangedBarrier, v -> Objects.requireNonNull(v, "write.unchanged-barrier"),
            v -> v ? "LEASE" : "LINEARIZABLE", NamesrvConfig::leaseConfirmsUnchanged,
            "barrier before answering an unchanged write: LEASE or LINEARIZABLE");

    // Client sessions (exactly-once writes)
    public static final ConfigKey<Integer> SESSION_TIMEOUT_MS = ConfigKey.ofInt("session.timeout-ms", 600_000, "ms",
            Limits.MIN_SESSION_TIMEOUT_MS, Limits.MAX_SESSION_TIMEOUT_MS, NamesrvConfig::sessionTimeoutMs,
            "a client session with no applied write for this long (leader time) expires");
    public static final ConfigKey<Integer> SESSION_MAX_OPEN = ConfigKey.ofInt("session.max-open", 100_000, "sessions",
            1, Limits.MAX_SESSIONS, NamesrvConfig::maxSessions,
            "client sessions open at once at most; beyond it opening one is refused (OVERLOADED)");

    // Watch polls
    public static final ConfigKey<Integer> WATCH_HISTORY_CHANGES = ConfigKey.ofInt("watch.history-changes", 20_000,
            "changes", 1, 10_000_000, c -> c.watch().historyChanges(),
            "route changes kept for watchers to resume from; a watcher further behind gets a reset (the whole view)");
    public static final ConfigKey<Integer> WATCH_HISTORY_BYTES = ConfigKey.ofInt("watch.history-bytes", 8 << 20,
            "bytes", 1 << 16, 1 << 30, c -> c.watch().historyBytes(),
            "bound of the watch history by the encoded size of the routes it keeps (heap: about 8x that); the oldest"
                    + " changes go first");
    public static final ConfigKey<Integer> WATCH_MAX_PER_CONNECTION = ConfigKey.ofInt("watch.max-per-connection", 256,
            "polls", 1, 1_000_000, c -> c.watch().maxPerConnection(),
            "watch polls one connection may hold at once; beyond it TOO_MANY_WATCHES");
    public static final ConfigKey<Integer> WATCH_MAX_WATCHERS = ConfigKey.ofInt("watch.max-watchers", 10_000, "polls",
            1, 10_000_000, c -> c.watch().maxWatchers(),
            "watch polls this node holds at once; beyond it TOO_MANY_WATCHES");
    public static final ConfigKey<Integer> WATCH_COALESCE_MS = ConfigKey.ofInt("watch.coalesce-ms", 5, "ms", 0, 10_000,
            c -> c.watch().coalesceMs(), "a poll gathers a burst this long after its first change before answering");
    public static final ConfigKey<Integer> WATCH_DEFAULT_WAIT_MS = ConfigKey.ofInt("watch.default-wait-ms", 30_000,
            "ms", 100, 600_000, c -> c.watch().defaultWaitMs(),
            "how long a poll that names no max_wait_ms is held when nothing changes; below rpc.idle-timeout-ms");
    public static final ConfigKey<Integer> WATCH_MAX_TOPICS = ConfigKey.ofInt("watch.max-topics", 1_000, "topics", 1,
            1_000_000, c -> c.watch().maxTopics(), "topics one watch request may name");

    // Shutdown
    public static final ConfigKey<Integer> LEADER_TRANSFER_TIMEOUT_MS = ConfigKey.ofInt(
            "shutdown.leader-transfer-timeout-ms", 3000, "ms", 0, 600_000, NamesrvConfig::leaderTransferTimeoutMs,
            "on a graceful stop a leader waits this long to hand leadership over");

    // Broker liveness: the defaults are LivenessConfig.DEFAULTS, the checks LivenessConfig's constructor (they relate
    // the keys to each other).
    public static final ConfigKey<Integer> DEFAULT_LEASE_MS = liveness("liveness.default-lease-ms",
            LIVENESS.defaultLeaseMs(), "ms", c -> c.liveness().defaultLeaseMs(),
            "lease of a broker that registers without one");
    public static final ConfigKey<Integer> MIN_LEASE_MS = liveness("liveness.min-lease-ms", LIVENESS.minLeaseMs(), "ms",
            c -> c.liveness().minLeaseMs(), "smallest lease a registration may ask for");
    public static final ConfigKey<Integer> MAX_LEASE_MS = liveness("liveness.max-lease-ms", LIVENESS.maxLeaseMs(), "ms",
            c -> c.liveness().maxLeaseMs(), "largest lease a registration may ask for");
    public static final ConfigKey<Integer> SUSPECT_LEASE_MS = liveness("liveness.suspect-lease-ms",
            LIVENESS.suspectLeaseMs(), "ms", c -> c.liveness().suspectLeaseMs(),
            "lease left to a broker whose bound connection closed");
    public static final ConfigKey<Boolean> EXPIRE_WHEN_ALL_CLOSED = ConfigKey.ofBoolean(
            "liveness.expire-when-all-closed", true, NamesrvConfig::expireWhenAllClosed,
            "when a broker's bound connection closes and no member still holds one (the leader asks them), expire it "
                    + "at once instead of after the suspect lease");
    public static final ConfigKey<Integer> SCAN_INTERVAL_MS = liveness("liveness.scan-interval-ms",
            LIVENESS.scanIntervalMs(), "ms", c -> c.liveness().scanIntervalMs(),
            "how often the leader looks for expired leases");
    public static final ConfigKey<Double> EXPIRY_RATE_PER_SEC = livenessDouble("liveness.expiry-rate-per-sec",
            LIVENESS.expiryRatePerSec(), "per second", c -> c.liveness().expiryRatePerSec(),
            "expiries proposed per second at most (token bucket refill)");
    public static final ConfigKey<Integer> EXPIRY_BURST = liveness("liveness.expiry-burst", LIVENESS.expiryBurst(),
            "expiries", c -> c.liveness().expiryBurst(), "expiries that may be proposed at once (token bucket size)");
    public static final ConfigKey<Double> MASS_EXPIRY_FRACTION = livenessDouble("liveness.mass-expiry-fraction",
            LIVENESS.massExpiryFraction(), "", c -> c.liveness().massExpiryFraction(),
            "above this fraction of a cluster's brokers expiring within one lease, expiries slow down, loudly");

    // Mode
    public static final ConfigKey<NamesrvConfig.Mode> MODE = new ConfigKey<>("mode", NamesrvConfig.Mode.RAFT, "raft",
            "", ConfigKeys::parseMode, v -> Objects.requireNonNull(v, "mode"), v -> v.name().toLowerCase(Locale.ROOT),
            NamesrvConfig::mode, "raft (replicated) or leaderless (the stock RocketMQ NameServer design)");
    public static final ConfigKey<Integer> LEADERLESS_BROKER_TIMEOUT_MS = ConfigKey.ofInt(
            "leaderless.broker-timeout-ms", 120_000, "ms", 100, 3_600_000, NamesrvConfig::leaderlessBrokerTimeoutMs,
            "leaderless mode: a silent broker is removed after this long");
    public static final ConfigKey<Integer> LEADERLESS_SCAN_INTERVAL_MS = ConfigKey.ofInt("leaderless.scan-interval-ms",
            5_000, "ms", 10, 600_000, NamesrvConfig::leaderlessScanIntervalMs,
            "leaderless mode: how often a node looks for expired brokers");
    public static final ConfigKey<Boolean> LEADERLESS_PERSIST = ConfigKey.ofBoolean("leaderless.persist", false,
            NamesrvConfig::leaderlessPersist, "leaderless mode: keep the table on disk across restarts");

    // RocketMQ remoting ingress
    public static final ConfigKey<Integer> ROCKETMQ_LISTEN_PORT = ConfigKey.ofInt("rocketmq.listen-port", 0, "port", 0,
            65_535, c -> c.rocketmq().listenPort(), "port for RocketMQ remoting clients and brokers; 0 = off");
    public static final ConfigKey<Integer> ROCKETMQ_MAX_FRAME_BYTES = ConfigKey.ofInt("rocketmq.max-frame-bytes",
            16 << 20, "bytes", 1024, MAX_FRAME, c -> c.rocketmq().maxFrameBytes(), "largest RocketMQ frame accepted");
    public static final ConfigKey<Integer> ROCKETMQ_MAX_INFLATED_BODY_BYTES = ConfigKey.ofInt(
            "rocketmq.max-inflated-body-bytes", 64 << 20, "bytes", 1024, 1 << 30,
            c -> c.rocketmq().maxInflatedBodyBytes(),
            "largest size a compressed REGISTER_BROKER body may inflate to; checked before anything is allocated");
    /** Checked against the liveness lease range in {@link NamesrvConfig.Builder#build()}. */
    public static final ConfigKey<Integer> ROCKETMQ_BROKER_LEASE_MS = ConfigKey.ofInt("rocketmq.broker-lease-ms",
            120_000, "ms", Integer.MIN_VALUE, Integer.MAX_VALUE, c -> c.rocketmq().brokerLeaseMs(),
            "lease of a RocketMQ broker that sends no heartbeatTimeoutMillis; within the liveness lease range");

    public static final ConfigKey<Integer> ROCKETMQ_IO_THREADS = ConfigKey.ofInt("rocketmq.io-threads", 1, "threads", 1,
            64, c -> c.rocketmq().ioThreads(),
            "Netty I/O threads of the RocketMQ port; they also answer STALE route reads");
    public static final ConfigKey<Integer> ROCKETMQ_QUERY_THREADS = ConfigKey.ofInt("rocketmq.query-threads", 8,
            "threads", 1, 1024, c -> c.rocketmq().queryThreads(),
            "threads answering RocketMQ route/cluster/KV queries");
    public static final ConfigKey<Integer> ROCKETMQ_REGISTER_THREADS = ConfigKey.ofInt("rocketmq.register-threads", 4,
            "threads", 1, 1024, c -> c.rocketmq().registerThreads(),
            "threads handling RocketMQ registrations and other writes");
    public static final ConfigKey<Integer> ROCKETMQ_QUEUE_CAPACITY = ConfigKey.ofInt("rocketmq.queue-capacity", 10_000,
            "requests", 1, 10_000_000, c -> c.rocketmq().queueCapacity(),
            "requests that may wait per RocketMQ executor; beyond it SYSTEM_BUSY");

    // Operations: the HTTP admin listener and what a supervisor sees
    public static final ConfigKey<Integer> ADMIN_LISTEN_PORT = ConfigKey.ofInt("admin.listen-port", 0, "port", 0,
            65_535, c -> c.operations().adminPort(),
            "port of the HTTP admin listener (/metrics, /live, /ready, /status); 0 = off");
    public static final ConfigKey<Integer> READY_MAX_APPLY_LAG = ConfigKey.ofInt("admin.ready-max-apply-lag", 1000,
            "entries", 0, Integer.MAX_VALUE, c -> c.operations().readyMaxApplyLag(),
            "/ready fails while the applied index is further behind the known commit index");
    public static final ConfigKey<Boolean> EXIT_ON_HALT = ConfigKey.ofBoolean("node.exit-on-halt", true,
            c -> c.operations().exitOnHalt(),
            "a replica halted by an apply, snapshot or Raft error exits with code 3, so its supervisor restarts it");

    // Testing only
    public static final ConfigKey<Boolean> UNSAFE_LOCAL_LINEARIZABLE_READS = ConfigKey.ofBoolean(
            "testing.unsafe-local-linearizable-reads", false, NamesrvConfig::unsafeLocalLinearizableReads,
            "TEST ONLY: a deliberately broken read path, so the chaos checker can prove it catches stale reads");

    /** Every key, in the order of conf/rns.properties (and of {@link NamesrvConfig#describe()}). */
    public static final List<ConfigKey<?>> ALL = List.of(NODE_ID, MEMBERS, DATA_DIR, MAX_FRAME_BYTES, IDLE_TIMEOUT_MS,
            IO_THREADS, WORKER_THREADS, WORKER_QUEUE_CAPACITY, PRIORITY_THREADS, MAX_CONNECTIONS,
            MAX_CONNECTIONS_PER_HOST, MAX_IN_FLIGHT_PER_CONNECTION, TLS_MODE, TLS_CERT_FILE, TLS_KEY_FILE,
            TLS_TRUST_FILE, TLS_CLIENT_AUTH, AUTH_ENABLED, AUTH_ACCOUNTS_FILE, AUTH_NODE_ACCOUNT, ELECTION_TIMEOUT_MS,
            MAX_ELECTION_DELAY_MS, SNAPSHOT_INTERVAL_SECS, SNAPSHOT_LOG_INDEX_MARGIN, RAFT_SYNC, MAX_READ_INDEX_LAG,
            MAX_LOGS_IN_MEMORY_BYTES, PEERS_FROM_MEMBERS_ONLY, RAFT_TLS, DEFAULT_CONSISTENCY, READ_TIMEOUT_MS,
            WRITE_TIMEOUT_MS, UNCHANGED_BARRIER, SESSION_TIMEOUT_MS, SESSION_MAX_OPEN, WATCH_HISTORY_CHANGES,
            WATCH_HISTORY_BYTES, WATCH_MAX_PER_CONNECTION, WATCH_MAX_WATCHERS, WATCH_COALESCE_MS, WATCH_DEFAULT_WAIT_MS,
            WATCH_MAX_TOPICS, LEADER_TRANSFER_TIMEOUT_MS, DEFAULT_LEASE_MS, MIN_LEASE_MS, MAX_LEASE_MS,
            SUSPECT_LEASE_MS, EXPIRE_WHEN_ALL_CLOSED, SCAN_INTERVAL_MS, EXPIRY_RATE_PER_SEC, EXPIRY_BURST,
            MASS_EXPIRY_FRACTION, MODE, LEADERLESS_BROKER_TIMEOUT_MS, LEADERLESS_SCAN_INTERVAL_MS, LEADERLESS_PERSIST,
            ROCKETMQ_LISTEN_PORT, ROCKETMQ_MAX_FRAME_BYTES, ROCKETMQ_MAX_INFLATED_BODY_BYTES, ROCKETMQ_BROKER_LEASE_MS,
            ROCKETMQ_IO_THREADS, ROCKETMQ_QUERY_THREADS, ROCKETMQ_REGISTER_THREADS, ROCKETMQ_QUEUE_CAPACITY,
            ADMIN_LISTEN_PORT, READY_MAX_APPLY_LAG, EXIT_ON_HALT, UNSAFE_LOCAL_LINEARIZABLE_READS);

    /** The names of {@link #ALL}. */
    public static final Set<String> NAMES = Set.copyOf(ALL.stream().map(ConfigKey::name).toList());

    private ConfigKeys() {
    }

    /**
     * The table as text for {@code --list-config}: per key one line {@code name = default [unit]} (or {@code
     * (required)}) and an indented line with its doc.
     */
    public static String listing() {
        StringBuilder sb = new StringBuilder();
        for (ConfigKey<?> k : ALL) {
            sb.append(k.name());
            sb.append(k.required() ? " (required)" : " = " + k.defaultText());
            if (!k.unit().isEmpty()) {
                sb.append(" [").append(k.unit()).append(']');
            }
            sb.append("\n    ").append(k.doc()).append('\n');
        }
        return sb.toString();
    }

    private static ConfigKey<Integer> liveness(String name, int dflt, String unit,
            Function<NamesrvConfig, Integer> reader, String doc) {
        return ConfigKey.ofInt(name, dflt, unit, Integer.MIN_VALUE, Integer.MAX_VALUE, reader, doc);
    }

    private static ConfigKey<Double> livenessDouble(String name, double dflt, String unit,
            Function<NamesrvConfig, Double> reader, String doc) {
        return new ConfigKey<>(name, dflt, Double.toString(dflt), unit,
                s -> ConfigKey.parseNumber(name, s, Double::parseDouble), v -> Objects.requireNonNull(v, name),
                v -> Double.toString(v), reader, doc);
    }

    private static List<Member> parseMembers(String s) {
        return Arrays.stream(s.split(",")).map(String::trim).filter(m -> !m.isEmpty())
                .map(m -> ConfigKey.parseNumber("members", m, Member::parse)).toList();
    }

    private static void checkMembers(List<Member> members) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("members is required (id@host:raftPort:clientPort,...)");
        }
        Set<String> ids = new HashSet<>();
        Set<String> endpoints = new HashSet<>();
        for (Member m : members) {
            if (!ids.add(m.id())) {
                throw new IllegalArgumentException("members: duplicate member id " + m.id());
            }
            if (!endpoints.add(m.raftAddress()) || !endpoints.add(m.clientAddress())) {
                throw new IllegalArgumentException(
                        "members: member " + m.id() + " reuses an address of another member");
            }
        }
    }

    private static Consistency parseConsistency(String s) {
        try {
            Consistency c = Consistency.valueOf(s.toUpperCase(Locale.ROOT));
            if (c != Consistency.CONSISTENCY_UNSPECIFIED && c != Consistency.UNRECOGNIZED) {
                return c;
            }
        } catch (IllegalArgumentException ignored) {
            // fall through
        }
        throw new IllegalArgumentException(
                "read.default-consistency must be one of LINEARIZABLE, LEASE, SEQUENTIAL, STALE, got '" + s + "'");
    }

    private static boolean parseUnchangedBarrier(String s) {
        return switch (s.trim().toUpperCase(Locale.ROOT)) {
            case "LEASE" -> true;
            case "LINEARIZABLE" -> false;
            default -> throw new IllegalArgumentException(
                    "write.unchanged-barrier must be LEASE or LINEARIZABLE, got '" + s + "'");
        };
    }

    /** A key naming a file, "none" by default. */
    private static ConfigKey<Path> fileKey(String name, String doc, Function<NamesrvConfig, Path> reader) {
        return new ConfigKey<>(name, null, "none", "file",
                s -> s.isBlank() || s.trim().equals("none") ? null : Path.of(s.trim()), v -> {
                }, v -> v == null ? "none" : v.toString(), reader, doc);
    }

    private static NamesrvConfig.Mode parseMode(String s) {
        for (NamesrvConfig.Mode m : NamesrvConfig.Mode.values()) {
            if (m.name().equalsIgnoreCase(s)) {
                return m;
            }
        }
        throw new IllegalArgumentException("mode must be raft or leaderless, got '" + s + "'");
    }
}
