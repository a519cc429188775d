package io.rns.namesrv.config;

import io.rns.rpc.transport.ConnectionLimits;
import io.rns.rpc.transport.TlsMode;
import io.rns.rpc.transport.TlsSettings;
import io.rns.rpc.v1.Consistency;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The node's whole configuration: one immutable value, built by a validating {@link Builder}. {@link ConfigLoader}
 * reads it from a properties file plus {@code -Drns.<key>} overrides; {@link #describe()} lists the effective values.
 * Every key's name, default, unit, parser and check is in the table {@link ConfigKeys}; conf/rns.properties documents
 * each key and its default.
 */
public record NamesrvConfig(String nodeId, List<Member> members, Path dataDir, int maxFrameBytes, int idleTimeoutMs,
        int ioThreads, int workerThreads, int workerQueueCapacity, int electionTimeoutMs, int maxElectionDelayMs,
        int snapshotIntervalSecs, int snapshotLogIndexMargin, boolean raftSync, int maxReadIndexLag,
        long maxLogsInMemoryBytes, boolean peersFromMembersOnly, boolean raftTls, Consistency defaultConsistency,
        int readTimeoutMs, int writeTimeoutMs, boolean leaseConfirmsUnchanged, int sessionTimeoutMs, int maxSessions,
        int leaderTransferTimeoutMs, int priorityThreads, LivenessConfig liveness, boolean expireWhenAllClosed,
        Mode mode, int leaderlessBrokerTimeoutMs, int leaderlessScanIntervalMs, boolean leaderlessPersist,
        boolean unsafeLocalLinearizableReads, RocketmqIngress rocketmq, Operations operations, Watch watch,
        ConnectionLimits limits, TlsSettings tls, Auth auth) {

    /**
     * Authentication and authorization (keys auth.*).
     *
     * @param enabled      every request needs an account allowed to make it
     * @param accountsFile the accounts (null only when disabled)
     * @param nodeAccount  the account nodes use with each other
     */
    public record Auth(boolean enabled, Path accountsFile, String nodeAccount) {
    }

    /**
     * What operators and supervisors see (keys admin.*, node.exit-on-halt).
     *
     * @param adminPort        port of the HTTP admin listener on this node's host; 0 = off
     * @param readyMaxApplyLag /ready fails while the applied index trails the known commit index by more than this
     * @param exitOnHalt       a halted replica exits with {@code EXIT_HALTED} instead of serving stale reads
     */
    public record Operations(int adminPort, int readyMaxApplyLag, boolean exitOnHalt) {
        /** The process exit code of a replica that halted (an apply, snapshot or Raft error). */
        public static final int EXIT_HALTED = 3;

        public boolean adminEnabled() {
            return adminPort > 0;
        }
    }

    /**
     * Watch polls (keys watch.*).
     *
     * @param historyChanges   route changes this node keeps for watchers to resume from; older ones answer a reset
     * @param historyBytes     the same history bounded by the encoded size of the routes it holds
     * @param maxPerConnection watch polls one connection may hold at once
     * @param maxWatchers      watch polls this node holds at once
     * @param coalesceMs       default time a poll gathers a burst after its first change before answering
     * @param defaultWaitMs    default time a poll is held when nothing changes
     * @param maxTopics        topics one watch may name
     */
    public record Watch(int historyChanges, int historyBytes, int maxPerConnection, int maxWatchers, int coalesceMs,
            int defaultWaitMs, int maxTopics) {
    }

    /**
     * The RocketMQ remoting ingress (keys rocketmq.*; served by the optional rocketmq-compat module).
     *
     * @param listenPort     port for RocketMQ remoting clients and brokers on this node's host; 0 = off
     * @param maxFrameBytes  largest RocketMQ frame accepted; a bigger one closes that connection
     * @param maxInflatedBodyBytes largest size a compressed REGISTER_BROKER body may inflate to
     * @param brokerLeaseMs  lease of a RocketMQ broker whose registration carries no heartbeatTimeoutMillis
     * @param ioThreads      Netty event-loop threads of the ingress
     * @param queryThreads   threads answering route/cluster/KV queries
     * @param registerThreads threads handling registrations and other writes
     * @param queueCapacity  requests that may wait per executor; beyond it the answer is SYSTEM_BUSY
     */
    public record RocketmqIngress(int listenPort, int maxFrameBytes, int maxInflatedBodyBytes, int brokerLeaseMs,
            int ioThreads, int queryThreads, int registerThreads, int queueCapacity) {
        public boolean enabled() {
            return listenPort > 0;
        }
    }

    /** RAFT: the replicated design. LEADERLESS: the stock RocketMQ NameServer design (nodes never talk). */
    public enum Mode {
        RAFT, LEADERLESS
    }

    public NamesrvConfig {
        members = List.copyOf(members);
    }

    public Member self() {
        return members.stream().filter(m -> m.id().equals(nodeId)).findFirst().orElseThrow();
    }

    /** The state-machine store of a RAFT node: {@code <data dir>/state}. */
    public Path stateDir() {
        return stateDirIn(dataDir);
    }

    /** The state-machine store inside a RAFT node's data dir (offline tools that have no configuration). */
    public static Path stateDirIn(Path dataDir) {
        return dataDir.resolve("state");
    }

    public Member member(String id) {
        return members.stream().filter(m -> m.id().equals(id)).findFirst().orElse(null);
    }

    public Member memberByRaftAddress(String raftAddress) {
        return members.stream().filter(m -> m.raftAddress().equals(raftAddress)).findFirst().orElse(null);
    }

    /** Effective values, key by key (in the order of {@link ConfigKeys#ALL}), for the startup log. */
    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        for (ConfigKey<?> k : ConfigKeys.ALL) {
            m.put(k.name(), k.describe(this));
        }
        return m;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The configuration key names ({@code -Drns.<key>} overrides the file): aliases of {@link ConfigKeys}' names. */
    public static final class Keys {
        public static final String NODE_ID = ConfigKeys.NODE_ID.name();
        public static final String AUTH_ACCOUNTS_FILE = ConfigKeys.AUTH_ACCOUNTS_FILE.name();
        public static final String MEMBERS = ConfigKeys.MEMBERS.name();
        public static final String DATA_DIR = ConfigKeys.DATA_DIR.name();
        public static final String MAX_FRAME_BYTES = ConfigKeys.MAX_FRAME_BYTES.name();
        public static final String IDLE_TIMEOUT_MS = ConfigKeys.IDLE_TIMEOUT_MS.name();
        public static final String IO_THREADS = ConfigKeys.IO_THREADS.name();
        public static final String WORKER_THREADS = ConfigKeys.WORKER_THREADS.name();
        public static final String WORKER_QUEUE_CAPACITY = ConfigKeys.WORKER_QUEUE_CAPACITY.name();
        public static final String ELECTION_TIMEOUT_MS = ConfigKeys.ELECTION_TIMEOUT_MS.name();
        public static final String MAX_ELECTION_DELAY_MS = ConfigKeys.MAX_ELECTION_DELAY_MS.name();
        public static final String SNAPSHOT_INTERVAL_SECS = ConfigKeys.SNAPSHOT_INTERVAL_SECS.name();
        public static final String SNAPSHOT_LOG_INDEX_MARGIN = ConfigKeys.SNAPSHOT_LOG_INDEX_MARGIN.name();
        public static final String RAFT_SYNC = ConfigKeys.RAFT_SYNC.name();
        public static final String MAX_READ_INDEX_LAG = ConfigKeys.MAX_READ_INDEX_LAG.name();
        public static final String MAX_LOGS_IN_MEMORY_BYTES = ConfigKeys.MAX_LOGS_IN_MEMORY_BYTES.name();
        public static final String PEERS_FROM_MEMBERS_ONLY = ConfigKeys.PEERS_FROM_MEMBERS_ONLY.name();
        public static final String RAFT_TLS = ConfigKeys.RAFT_TLS.name();
        public static final String DEFAULT_CONSISTENCY = ConfigKeys.DEFAULT_CONSISTENCY.name();
        public static final String READ_TIMEOUT_MS = ConfigKeys.READ_TIMEOUT_MS.name();
        public static final String WRITE_TIMEOUT_MS = ConfigKeys.WRITE_TIMEOUT_MS.name();
        public static final String UNCHANGED_BARRIER = ConfigKeys.UNCHANGED_BARRIER.name();
        public static final String LEADER_TRANSFER_TIMEOUT_MS = ConfigKeys.LEADER_TRANSFER_TIMEOUT_MS.name();
        public static final String PRIORITY_THREADS = ConfigKeys.PRIORITY_THREADS.name();
        public static final String DEFAULT_LEASE_MS = ConfigKeys.DEFAULT_LEASE_MS.name();
        public static final String MIN_LEASE_MS = ConfigKeys.MIN_LEASE_MS.name();
        public static final String MAX_LEASE_MS = ConfigKeys.MAX_LEASE_MS.name();
        public static final String SUSPECT_LEASE_MS = ConfigKeys.SUSPECT_LEASE_MS.name();
        public static final String EXPIRE_WHEN_ALL_CLOSED = ConfigKeys.EXPIRE_WHEN_ALL_CLOSED.name();
        public static final String SCAN_INTERVAL_MS = ConfigKeys.SCAN_INTERVAL_MS.name();
        public static final String EXPIRY_RATE_PER_SEC = ConfigKeys.EXPIRY_RATE_PER_SEC.name();
        public static final String EXPIRY_BURST = ConfigKeys.EXPIRY_BURST.name();
        public static final String MASS_EXPIRY_FRACTION = ConfigKeys.MASS_EXPIRY_FRACTION.name();
        public static final String MODE = ConfigKeys.MODE.name();
        public static final String LEADERLESS_BROKER_TIMEOUT_MS = ConfigKeys.LEADERLESS_BROKER_TIMEOUT_MS.name();
        public static final String LEADERLESS_SCAN_INTERVAL_MS = ConfigKeys.LEADERLESS_SCAN_INTERVAL_MS.name();
        public static final String LEADERLESS_PERSIST = ConfigKeys.LEADERLESS_PERSIST.name();
        /** TEST ONLY: a deliberately broken read path, so the chaos checker can prove it catches stale reads. */
        public static final String UNSAFE_LOCAL_LINEARIZABLE_READS = ConfigKeys.UNSAFE_LOCAL_LINEARIZABLE_READS.name();

        public static final String ROCKETMQ_LISTEN_PORT = ConfigKeys.ROCKETMQ_LISTEN_PORT.name();
        public static final String ROCKETMQ_MAX_FRAME_BYTES = ConfigKeys.ROCKETMQ_MAX_FRAME_BYTES.name();
        public static final String ROCKETMQ_MAX_INFLATED_BODY_BYTES = ConfigKeys.ROCKETMQ_MAX_INFLATED_BODY_BYTES
                .name();
        public static final String ROCKETMQ_BROKER_LEASE_MS = ConfigKeys.ROCKETMQ_BROKER_LEASE_MS.name();
        public static final String ROCKETMQ_IO_THREADS = ConfigKeys.ROCKETMQ_IO_THREADS.name();
        public static final String ROCKETMQ_QUERY_THREADS = ConfigKeys.ROCKETMQ_QUERY_THREADS.name();
        public static final String ROCKETMQ_REGISTER_THREADS = ConfigKeys.ROCKETMQ_REGISTER_THREADS.name();
        public static final String ROCKETMQ_QUEUE_CAPACITY = ConfigKeys.ROCKETMQ_QUEUE_CAPACITY.name();
        public static final String ADMIN_LISTEN_PORT = ConfigKeys.ADMIN_LISTEN_PORT.name();
        public static final String READY_MAX_APPLY_LAG = ConfigKeys.READY_MAX_APPLY_LAG.name();
        public static final String EXIT_ON_HALT = ConfigKeys.EXIT_ON_HALT.name();

        /** Every key name. */
        public static final Set<String> ALL = ConfigKeys.NAMES;

        private Keys() {
        }
    }

    /**
     * Validating builder; each value starts at its key's default in {@link ConfigKeys}. {@link #build()} throws
     * IllegalArgumentException naming the key at fault.
     */
    public static final class Builder {
        private final Map<ConfigKey<?>, Object> values = new HashMap<>();

        public Builder() {
            for (ConfigKey<?> k : ConfigKeys.ALL) {
                values.put(k, k.defaultValue());
            }
        }

        /** Sets any key of the table (the typed setters below are shorthands). */
        public <T> Builder set(ConfigKey<T> key, T v) {
            values.put(key, v);
            return this;
        }

        @SuppressWarnings("unchecked")
        private <T> T get(ConfigKey<T> key) {
            return (T) values.get(key);
        }

        public Builder members(List<Member> v) {
            return set(ConfigKeys.MEMBERS, List.copyOf(v));
        }

        /** Sets every liveness.* key. */
        public Builder liveness(LivenessConfig v) {
            set(ConfigKeys.DEFAULT_LEASE_MS, v.defaultLeaseMs());
            set(ConfigKeys.MIN_LEASE_MS, v.minLeaseMs());
            set(ConfigKeys.MAX_LEASE_MS, v.maxLeaseMs());
            set(ConfigKeys.SUSPECT_LEASE_MS, v.suspectLeaseMs());
            set(ConfigKeys.SCAN_INTERVAL_MS, v.scanIntervalMs());
            set(ConfigKeys.EXPIRY_RATE_PER_SEC, v.expiryRatePerSec());
            set(ConfigKeys.EXPIRY_BURST, v.expiryBurst());
            return set(ConfigKeys.MASS_EXPIRY_FRACTION, v.massExpiryFraction());
        }

        public Builder nodeId(String v) {
            return set(ConfigKeys.NODE_ID, v);
        }

        public Builder dataDir(Path v) {
            return set(ConfigKeys.DATA_DIR, v);
        }

        public Builder maxFrameBytes(int v) {
            return set(ConfigKeys.MAX_FRAME_BYTES, v);
        }

        public Builder idleTimeoutMs(int v) {
            return set(ConfigKeys.IDLE_TIMEOUT_MS, v);
        }

        public Builder ioThreads(int v) {
            return set(ConfigKeys.IO_THREADS, v);
        }

        public Builder workerThreads(int v) {
            return set(ConfigKeys.WORKER_THREADS, v);
        }

        public Builder workerQueueCapacity(int v) {
            return set(ConfigKeys.WORKER_QUEUE_CAPACITY, v);
        }

        public Builder electionTimeoutMs(int v) {
            return set(ConfigKeys.ELECTION_TIMEOUT_MS, v);
        }

        /** raft.max-election-delay-ms: the random part of an election timer, [0, v); -1 = half the election timeout. */
        public Builder maxElectionDelayMs(int v) {
            return set(ConfigKeys.MAX_ELECTION_DELAY_MS, v);
        }

        public Builder snapshotIntervalSecs(int v) {
            return set(ConfigKeys.SNAPSHOT_INTERVAL_SECS, v);
        }

        public Builder snapshotLogIndexMargin(int v) {
            return set(ConfigKeys.SNAPSHOT_LOG_INDEX_MARGIN, v);
        }

        public Builder raftSync(boolean v) {
            return set(ConfigKeys.RAFT_SYNC, v);
        }

        public Builder maxReadIndexLag(int v) {
            return set(ConfigKeys.MAX_READ_INDEX_LAG, v);
        }

        public Builder maxLogsInMemoryBytes(long v) {
            return set(ConfigKeys.MAX_LOGS_IN_MEMORY_BYTES, v);
        }

        public Builder expireWhenAllClosed(boolean v) {
            return set(ConfigKeys.EXPIRE_WHEN_ALL_CLOSED, v);
        }

        public Builder peersFromMembersOnly(boolean v) {
            return set(ConfigKeys.PEERS_FROM_MEMBERS_ONLY, v);
        }

        public Builder raftTls(boolean v) {
            return set(ConfigKeys.RAFT_TLS, v);
        }

        public Builder defaultConsistency(Consistency v) {
            return set(ConfigKeys.DEFAULT_CONSISTENCY, v);
        }

        public Builder readTimeoutMs(int v) {
            return set(ConfigKeys.READ_TIMEOUT_MS, v);
        }

        public Builder writeTimeoutMs(int v) {
            return set(ConfigKeys.WRITE_TIMEOUT_MS, v);
        }

        public Builder leaderTransferTimeoutMs(int v) {
            return set(ConfigKeys.LEADER_TRANSFER_TIMEOUT_MS, v);
        }

        public Builder priorityThreads(int v) {
            return set(ConfigKeys.PRIORITY_THREADS, v);
        }

        public Builder mode(Mode v) {
            return set(ConfigKeys.MODE, v);
        }

        public Builder leaderlessBrokerTimeoutMs(int v) {
            return set(ConfigKeys.LEADERLESS_BROKER_TIMEOUT_MS, v);
        }

        public Builder leaderlessScanIntervalMs(int v) {
            return set(ConfigKeys.LEADERLESS_SCAN_INTERVAL_MS, v);
        }

        public Builder leaderlessPersist(boolean v) {
            return set(ConfigKeys.LEADERLESS_PERSIST, v);
        }

        /** write.unchanged-barrier: true = LEASE (default), false = LINEARIZABLE (a quorum round per answer). */
        public Builder leaseConfirmsUnchanged(boolean v) {
            return set(ConfigKeys.UNCHANGED_BARRIER, v);
        }

        public Builder sessionTimeoutMs(int v) {
            return set(ConfigKeys.SESSION_TIMEOUT_MS, v);
        }

        public Builder maxSessions(int v) {
            return set(ConfigKeys.SESSION_MAX_OPEN, v);
        }

        public Builder unsafeLocalLinearizableReads(boolean v) {
            return set(ConfigKeys.UNSAFE_LOCAL_LINEARIZABLE_READS, v);
        }

        public Builder rocketmqListenPort(int v) {
            return set(ConfigKeys.ROCKETMQ_LISTEN_PORT, v);
        }

        public Builder rocketmqMaxFrameBytes(int v) {
            return set(ConfigKeys.ROCKETMQ_MAX_FRAME_BYTES, v);
        }

        public Builder rocketmqMaxInflatedBodyBytes(int v) {
            return set(ConfigKeys.ROCKETMQ_MAX_INFLATED_BODY_BYTES, v);
        }

        public Builder rocketmqBrokerLeaseMs(int v) {
            return set(ConfigKeys.ROCKETMQ_BROKER_LEASE_MS, v);
        }

        public Builder rocketmqIoThreads(int v) {
            return set(ConfigKeys.ROCKETMQ_IO_THREADS, v);
        }

        public Builder rocketmqQueryThreads(int v) {
            return set(ConfigKeys.ROCKETMQ_QUERY_THREADS, v);
        }

        public Builder rocketmqRegisterThreads(int v) {
            return set(ConfigKeys.ROCKETMQ_REGISTER_THREADS, v);
        }

        public Builder rocketmqQueueCapacity(int v) {
            return set(ConfigKeys.ROCKETMQ_QUEUE_CAPACITY, v);
        }

        public Builder authEnabled(boolean v) {
            return set(ConfigKeys.AUTH_ENABLED, v);
        }

        public Builder authAccountsFile(Path v) {
            return set(ConfigKeys.AUTH_ACCOUNTS_FILE, v);
        }

        public Builder authNodeAccount(String v) {
            return set(ConfigKeys.AUTH_NODE_ACCOUNT, v);
        }

        public Builder tlsMode(TlsMode v) {
            return set(ConfigKeys.TLS_MODE, v);
        }

        public Builder tlsCertFile(Path v) {
            return set(ConfigKeys.TLS_CERT_FILE, v);
        }

        public Builder tlsKeyFile(Path v) {
            return set(ConfigKeys.TLS_KEY_FILE, v);
        }

        public Builder tlsTrustFile(Path v) {
            return set(ConfigKeys.TLS_TRUST_FILE, v);
        }

        public Builder tlsClientAuth(TlsSettings.ClientCerts v) {
            return set(ConfigKeys.TLS_CLIENT_AUTH, v);
        }

        public Builder maxConnections(int v) {
            return set(ConfigKeys.MAX_CONNECTIONS, v);
        }

        public Builder maxConnectionsPerHost(int v) {
            return set(ConfigKeys.MAX_CONNECTIONS_PER_HOST, v);
        }

        public Builder maxInFlightPerConnection(int v) {
            return set(ConfigKeys.MAX_IN_FLIGHT_PER_CONNECTION, v);
        }

        public Builder adminListenPort(int v) {
            return set(ConfigKeys.ADMIN_LISTEN_PORT, v);
        }

        public Builder readyMaxApplyLag(int v) {
            return set(ConfigKeys.READY_MAX_APPLY_LAG, v);
        }

        public Builder exitOnHalt(boolean v) {
            return set(ConfigKeys.EXIT_ON_HALT, v);
        }

        public NamesrvConfig build() {
            for (ConfigKey<?> k : ConfigKeys.ALL) {
                validate(k);
            }
            String nodeId = get(ConfigKeys.NODE_ID);
            List<Member> members = get(ConfigKeys.MEMBERS);
            if (members.stream().noneMatch(m -> m.id().equals(nodeId))) {
                throw new IllegalArgumentException(Keys.NODE_ID + " '" + nodeId + "' is not one of " + Keys.MEMBERS
                        + " " + members.stream().map(Member::id).collect(Collectors.toSet()));
            }
            LivenessConfig liveness = new LivenessConfig(get(ConfigKeys.DEFAULT_LEASE_MS), get(ConfigKeys.MIN_LEASE_MS),
                    get(ConfigKeys.MAX_LEASE_MS), get(ConfigKeys.SUSPECT_LEASE_MS), get(ConfigKeys.SCAN_INTERVAL_MS),
                    get(ConfigKeys.EXPIRY_RATE_PER_SEC), get(ConfigKeys.EXPIRY_BURST),
                    get(ConfigKeys.MASS_EXPIRY_FRACTION));
            RocketmqIngress rocketmq = new RocketmqIngress(get(ConfigKeys.ROCKETMQ_LISTEN_PORT),
                    get(ConfigKeys.ROCKETMQ_MAX_FRAME_BYTES), get(ConfigKeys.ROCKETMQ_MAX_INFLATED_BODY_BYTES),
                    get(ConfigKeys.ROCKETMQ_BROKER_LEASE_MS), get(ConfigKeys.ROCKETMQ_IO_THREADS),
                    get(ConfigKeys.ROCKETMQ_QUERY_THREADS), get(ConfigKeys.ROCKETMQ_REGISTER_THREADS),
                    get(ConfigKeys.ROCKETMQ_QUEUE_CAPACITY));
            checkRocketmq(rocketmq, liveness, nodeId, members);
            Operations operations = new Operations(get(ConfigKeys.ADMIN_LISTEN_PORT),
                    get(ConfigKeys.READY_MAX_APPLY_LAG), get(ConfigKeys.EXIT_ON_HALT));
            checkAdminPort(operations.adminPort(), rocketmq.listenPort(), nodeId, members);
            Watch watch = new Watch(get(ConfigKeys.WATCH_HISTORY_CHANGES), get(ConfigKeys.WATCH_HISTORY_BYTES),
                    get(ConfigKeys.WATCH_MAX_PER_CONNECTION), get(ConfigKeys.WATCH_MAX_WATCHERS),
                    get(ConfigKeys.WATCH_COALESCE_MS), get(ConfigKeys.WATCH_DEFAULT_WAIT_MS),
                    get(ConfigKeys.WATCH_MAX_TOPICS));
            if (watch.defaultWaitMs() >= get(ConfigKeys.IDLE_TIMEOUT_MS)) {
                throw new IllegalArgumentException(ConfigKeys.WATCH_DEFAULT_WAIT_MS.name() + "=" + watch.defaultWaitMs()
                        + " must be below " + ConfigKeys.IDLE_TIMEOUT_MS.name() + "=" + get(ConfigKeys.IDLE_TIMEOUT_MS)
                        + ": an idle connection holding a poll would be closed");
            }
            Path dataDir = get(ConfigKeys.DATA_DIR);
            int electionTimeoutMs = get(ConfigKeys.ELECTION_TIMEOUT_MS);
            int maxElectionDelayMs = get(ConfigKeys.MAX_ELECTION_DELAY_MS);
            return new NamesrvConfig(nodeId, members, dataDir != null ? dataDir : Path.of("data", nodeId),
                    get(ConfigKeys.MAX_FRAME_BYTES), get(ConfigKeys.IDLE_TIMEOUT_MS), get(ConfigKeys.IO_THREADS),
                    get(ConfigKeys.WORKER_THREADS), get(ConfigKeys.WORKER_QUEUE_CAPACITY), electionTimeoutMs,
                    maxElectionDelayMs < 0 ? Math.max(1, electionTimeoutMs / 2) : maxElectionDelayMs,
                    get(ConfigKeys.SNAPSHOT_INTERVAL_SECS), get(ConfigKeys.SNAPSHOT_LOG_INDEX_MARGIN),
                    get(ConfigKeys.RAFT_SYNC), get(ConfigKeys.MAX_READ_INDEX_LAG),
                    get(ConfigKeys.MAX_LOGS_IN_MEMORY_BYTES), get(ConfigKeys.PEERS_FROM_MEMBERS_ONLY), raftTls(),
                    get(ConfigKeys.DEFAULT_CONSISTENCY), get(ConfigKeys.READ_TIMEOUT_MS),
                    get(ConfigKeys.WRITE_TIMEOUT_MS), get(ConfigKeys.UNCHANGED_BARRIER),
                    get(ConfigKeys.SESSION_TIMEOUT_MS), get(ConfigKeys.SESSION_MAX_OPEN),
                    get(ConfigKeys.LEADER_TRANSFER_TIMEOUT_MS), get(ConfigKeys.PRIORITY_THREADS), liveness,
                    get(ConfigKeys.EXPIRE_WHEN_ALL_CLOSED), get(ConfigKeys.MODE),
                    get(ConfigKeys.LEADERLESS_BROKER_TIMEOUT_MS), get(ConfigKeys.LEADERLESS_SCAN_INTERVAL_MS),
                    get(ConfigKeys.LEADERLESS_PERSIST), get(ConfigKeys.UNSAFE_LOCAL_LINEARIZABLE_READS), rocketmq,
                    operations, watch, new ConnectionLimits(get(ConfigKeys.MAX_CONNECTIONS),
                            get(ConfigKeys.MAX_CONNECTIONS_PER_HOST), get(ConfigKeys.MAX_IN_FLIGHT_PER_CONNECTION)),
                    tls(), auth());
        }

        private Auth auth() {
            boolean on = get(ConfigKeys.AUTH_ENABLED);
            Path file = get(ConfigKeys.AUTH_ACCOUNTS_FILE);
            if (on && file == null) {
                throw new IllegalArgumentException(Keys.AUTH_ACCOUNTS_FILE + " is required when auth.enabled=true");
            }
            return new Auth(on, file, get(ConfigKeys.AUTH_NODE_ACCOUNT));
        }

        /** tls.*: the files must exist once TLS is on (checked here, so a bad path stops the node at start). */
        private TlsSettings tls() {
            try {
                return new TlsSettings(get(ConfigKeys.TLS_MODE), get(ConfigKeys.TLS_CERT_FILE),
                        get(ConfigKeys.TLS_KEY_FILE), get(ConfigKeys.TLS_TRUST_FILE), get(ConfigKeys.TLS_CLIENT_AUTH));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("tls.*: " + e.getMessage(), e);
            }
        }

        /** raft.tls: the node's certificate, its key and the CA must be given (tls.mode may stay disabled). */
        private boolean raftTls() {
            boolean on = get(ConfigKeys.RAFT_TLS);
            if (on) {
                for (ConfigKey<Path> k : List.of(ConfigKeys.TLS_CERT_FILE, ConfigKeys.TLS_KEY_FILE,
                        ConfigKeys.TLS_TRUST_FILE)) {
                    if (get(k) == null) {
                        throw new IllegalArgumentException(Keys.RAFT_TLS + "=true needs " + k.name()
                                + " (the Raft port uses this node's certificate, which must name its host, and the CA"
                                + " the other members' certificates chain to)");
                    }
                }
            }
            return on;
        }

        private <T> void validate(ConfigKey<T> key) {
            key.validate(get(key));
        }

        /** The admin port is not one of this node's other ports. */
        private static void checkAdminPort(int port, int rocketmqPort, String nodeId, List<Member> members) {
            if (port <= 0) {
                return;
            }
            for (Member m : members) {
                if (m.id().equals(nodeId) && (m.clientPort() == port || m.raftPort() == port || rocketmqPort == port)) {
                    throw new IllegalArgumentException(Keys.ADMIN_LISTEN_PORT + " " + port
                            + " is already this node's client, raft or RocketMQ port");
                }
            }
        }

        /** The checks of rocketmq.* keys that involve other keys. */
        private static void checkRocketmq(RocketmqIngress rocketmq, LivenessConfig liveness, String nodeId,
                List<Member> members) {
            int lease = rocketmq.brokerLeaseMs();
            if (lease < liveness.minLeaseMs() || lease > liveness.maxLeaseMs()) {
                throw new IllegalArgumentException(Keys.ROCKETMQ_BROKER_LEASE_MS + " must be in [" + Keys.MIN_LEASE_MS
                        + " (" + liveness.minLeaseMs() + "), " + Keys.MAX_LEASE_MS + " (" + liveness.maxLeaseMs()
                        + ")], got " + lease);
            }
            int port = rocketmq.listenPort();
            if (port > 0) {
                for (Member m : members) {
                    if (m.id().equals(nodeId) && (m.clientPort() == port || m.raftPort() == port)) {
                        throw new IllegalArgumentException(
                                Keys.ROCKETMQ_LISTEN_PORT + " " + port + " is already this node's client or raft port");
                    }
                }
            }
        }
    }
}
