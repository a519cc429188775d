package io.rns.namesrv.config;

import io.rns.rpc.v1.Consistency;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The node's whole configuration: one immutable value, built by a validating {@link Builder}. {@link ConfigLoader}
 * reads it from a properties file plus {@code -Drns.<key>} overrides; {@link #describe()} lists the effective values.
 * Every key, its default and unit is documented in {@code conf/rns.properties}.
 */
public record NamesrvConfig(
        String nodeId,
        List<Member> members,
        Path dataDir,
        int maxFrameBytes,
        int idleTimeoutMs,
        int ioThreads,
        int workerThreads,
        int workerQueueCapacity,
        int electionTimeoutMs,
        int maxElectionDelayMs,
        int snapshotIntervalSecs,
        int snapshotLogIndexMargin,
        boolean raftSync,
        int maxReadIndexLag,
        long maxLogsInMemoryBytes,
        Consistency defaultConsistency,
        int readTimeoutMs,
        int writeTimeoutMs,
        boolean leaseConfirmsUnchanged,
        int leaderTransferTimeoutMs,
        int priorityThreads,
        LivenessConfig liveness,
        Mode mode,
        int leaderlessBrokerTimeoutMs,
        int leaderlessScanIntervalMs,
        boolean leaderlessPersist,
        boolean unsafeLocalLinearizableReads,
        RocketmqIngress rocketmq) {

    /**
     * The RocketMQ remoting ingress (keys rocketmq.*; served by the optional rocketmq-compat module).
     *
     * @param listenPort     port for RocketMQ remoting clients and brokers on this node's host; 0 = off
     * @param maxFrameBytes  largest RocketMQ frame accepted; a bigger one closes that connection
     * @param brokerLeaseMs  lease of a RocketMQ broker whose registration carries no heartbeatTimeoutMillis
     * @param ioThreads      Netty event-loop threads of the ingress
     * @param queryThreads   threads answering route/cluster/KV queries
     * @param registerThreads threads handling registrations and other writes
     * @param queueCapacity  requests that may wait per executor; beyond it the answer is SYSTEM_BUSY
     */
    public record RocketmqIngress(
            int listenPort,
            int maxFrameBytes,
            int brokerLeaseMs,
            int ioThreads,
            int queryThreads,
            int registerThreads,
            int queueCapacity) {
        public boolean enabled() {
            return listenPort > 0;
        }
    }

    /** RAFT: the replicated design. LEADERLESS: the stock RocketMQ NameServer design (nodes never talk). */
    public enum Mode {
        RAFT,
        LEADERLESS
    }

    public NamesrvConfig {
        members = List.copyOf(members);
    }

    public Member self() {
        return members.stream().filter(m -> m.id().equals(nodeId)).findFirst().orElseThrow();
    }

    public Member member(String id) {
        return members.stream().filter(m -> m.id().equals(id)).findFirst().orElse(null);
    }

    public Member memberByRaftAddress(String raftAddress) {
        return members.stream()
                .filter(m -> m.raftAddress().equals(raftAddress))
                .findFirst()
                .orElse(null);
    }

    /** Effective values, key by key, for the startup log. */
    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(Keys.NODE_ID, nodeId);
        m.put(
                Keys.MEMBERS,
                String.join(",", members.stream().map(Member::toString).toList()));
        m.put(Keys.DATA_DIR, dataDir.toString());
        m.put(Keys.MAX_FRAME_BYTES, Integer.toString(maxFrameBytes));
        m.put(Keys.IDLE_TIMEOUT_MS, Integer.toString(idleTimeoutMs));
        m.put(Keys.IO_THREADS, Integer.toString(ioThreads));
        m.put(Keys.WORKER_THREADS, Integer.toString(workerThreads));
        m.put(Keys.WORKER_QUEUE_CAPACITY, Integer.toString(workerQueueCapacity));
        m.put(Keys.ELECTION_TIMEOUT_MS, Integer.toString(electionTimeoutMs));
        m.put(Keys.MAX_ELECTION_DELAY_MS, Integer.toString(maxElectionDelayMs));
        m.put(Keys.SNAPSHOT_INTERVAL_SECS, Integer.toString(snapshotIntervalSecs));
        m.put(Keys.SNAPSHOT_LOG_INDEX_MARGIN, Integer.toString(snapshotLogIndexMargin));
        m.put(Keys.RAFT_SYNC, Boolean.toString(raftSync));
        m.put(Keys.MAX_READ_INDEX_LAG, Integer.toString(maxReadIndexLag));
        m.put(Keys.MAX_LOGS_IN_MEMORY_BYTES, Long.toString(maxLogsInMemoryBytes));
        m.put(Keys.DEFAULT_CONSISTENCY, defaultConsistency.name());
        m.put(Keys.READ_TIMEOUT_MS, Integer.toString(readTimeoutMs));
        m.put(Keys.WRITE_TIMEOUT_MS, Integer.toString(writeTimeoutMs));
        m.put(Keys.UNCHANGED_BARRIER, leaseConfirmsUnchanged ? "LEASE" : "LINEARIZABLE");
        m.put(Keys.LEADER_TRANSFER_TIMEOUT_MS, Integer.toString(leaderTransferTimeoutMs));
        m.put(Keys.PRIORITY_THREADS, Integer.toString(priorityThreads));
        m.put(Keys.DEFAULT_LEASE_MS, Integer.toString(liveness.defaultLeaseMs()));
        m.put(Keys.MIN_LEASE_MS, Integer.toString(liveness.minLeaseMs()));
        m.put(Keys.MAX_LEASE_MS, Integer.toString(liveness.maxLeaseMs()));
        m.put(Keys.SUSPECT_LEASE_MS, Integer.toString(liveness.suspectLeaseMs()));
        m.put(Keys.SCAN_INTERVAL_MS, Integer.toString(liveness.scanIntervalMs()));
        m.put(Keys.EXPIRY_RATE_PER_SEC, Double.toString(liveness.expiryRatePerSec()));
        m.put(Keys.EXPIRY_BURST, Integer.toString(liveness.expiryBurst()));
        m.put(Keys.MASS_EXPIRY_FRACTION, Double.toString(liveness.massExpiryFraction()));
        m.put(Keys.MODE, mode.name().toLowerCase(Locale.ROOT));
        m.put(Keys.LEADERLESS_BROKER_TIMEOUT_MS, Integer.toString(leaderlessBrokerTimeoutMs));
        m.put(Keys.LEADERLESS_SCAN_INTERVAL_MS, Integer.toString(leaderlessScanIntervalMs));
        m.put(Keys.LEADERLESS_PERSIST, Boolean.toString(leaderlessPersist));
        m.put(Keys.UNSAFE_LOCAL_LINEARIZABLE_READS, Boolean.toString(unsafeLocalLinearizableReads));
        m.put(Keys.ROCKETMQ_LISTEN_PORT, Integer.toString(rocketmq.listenPort()));
        m.put(Keys.ROCKETMQ_MAX_FRAME_BYTES, Integer.toString(rocketmq.maxFrameBytes()));
        m.put(Keys.ROCKETMQ_BROKER_LEASE_MS, Integer.toString(rocketmq.brokerLeaseMs()));
        m.put(Keys.ROCKETMQ_IO_THREADS, Integer.toString(rocketmq.ioThreads()));
        m.put(Keys.ROCKETMQ_QUERY_THREADS, Integer.toString(rocketmq.queryThreads()));
        m.put(Keys.ROCKETMQ_REGISTER_THREADS, Integer.toString(rocketmq.registerThreads()));
        m.put(Keys.ROCKETMQ_QUEUE_CAPACITY, Integer.toString(rocketmq.queueCapacity()));
        return m;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The configuration keys; {@code -Drns.<key>} overrides the file. */
    public static final class Keys {
        public static final String NODE_ID = "node.id";
        public static final String MEMBERS = "members";
        public static final String DATA_DIR = "data.dir";
        public static final String MAX_FRAME_BYTES = "rpc.max-frame-bytes";
        public static final String IDLE_TIMEOUT_MS = "rpc.idle-timeout-ms";
        public static final String IO_THREADS = "rpc.io-threads";
        public static final String WORKER_THREADS = "rpc.worker-threads";
        public static final String WORKER_QUEUE_CAPACITY = "rpc.worker-queue-capacity";
        public static final String ELECTION_TIMEOUT_MS = "raft.election-timeout-ms";
        public static final String MAX_ELECTION_DELAY_MS = "raft.max-election-delay-ms";
        public static final String SNAPSHOT_INTERVAL_SECS = "raft.snapshot-interval-secs";
        public static final String SNAPSHOT_LOG_INDEX_MARGIN = "raft.snapshot-log-index-margin";
        public static final String RAFT_SYNC = "raft.sync";
        public static final String MAX_READ_INDEX_LAG = "raft.max-read-index-lag";
        public static final String MAX_LOGS_IN_MEMORY_BYTES = "raft.max-logs-in-memory-bytes";
        public static final String DEFAULT_CONSISTENCY = "read.default-consistency";
        public static final String READ_TIMEOUT_MS = "read.timeout-ms";
        public static final String WRITE_TIMEOUT_MS = "write.timeout-ms";
        public static final String UNCHANGED_BARRIER = "write.unchanged-barrier";
        public static final String LEADER_TRANSFER_TIMEOUT_MS = "shutdown.leader-transfer-timeout-ms";
        public static final String PRIORITY_THREADS = "rpc.priority-threads";
        public static final String DEFAULT_LEASE_MS = "liveness.default-lease-ms";
        public static final String MIN_LEASE_MS = "liveness.min-lease-ms";
        public static final String MAX_LEASE_MS = "liveness.max-lease-ms";
        public static final String SUSPECT_LEASE_MS = "liveness.suspect-lease-ms";
        public static final String SCAN_INTERVAL_MS = "liveness.scan-interval-ms";
        public static final String EXPIRY_RATE_PER_SEC = "liveness.expiry-rate-per-sec";
        public static final String EXPIRY_BURST = "liveness.expiry-burst";
        public static final String MASS_EXPIRY_FRACTION = "liveness.mass-expiry-fraction";
        public static final String MODE = "mode";
        public static final String LEADERLESS_BROKER_TIMEOUT_MS = "leaderless.broker-timeout-ms";
        public static final String LEADERLESS_SCAN_INTERVAL_MS = "leaderless.scan-interval-ms";
        public static final String LEADERLESS_PERSIST = "leaderless.persist";
        /** TEST ONLY: a deliberately broken read path, so the chaos checker can prove it catches stale reads. */
        public static final String UNSAFE_LOCAL_LINEARIZABLE_READS = "testing.unsafe-local-linearizable-reads";

        public static final String ROCKETMQ_LISTEN_PORT = "rocketmq.listen-port";
        public static final String ROCKETMQ_MAX_FRAME_BYTES = "rocketmq.max-frame-bytes";
        public static final String ROCKETMQ_BROKER_LEASE_MS = "rocketmq.broker-lease-ms";
        public static final String ROCKETMQ_IO_THREADS = "rocketmq.io-threads";
        public static final String ROCKETMQ_QUERY_THREADS = "rocketmq.query-threads";
        public static final String ROCKETMQ_REGISTER_THREADS = "rocketmq.register-threads";
        public static final String ROCKETMQ_QUEUE_CAPACITY = "rocketmq.queue-capacity";

        public static final Set<String> ALL = Set.of(
                NODE_ID,
                MEMBERS,
                DATA_DIR,
                MAX_FRAME_BYTES,
                IDLE_TIMEOUT_MS,
                IO_THREADS,
                WORKER_THREADS,
                WORKER_QUEUE_CAPACITY,
                ELECTION_TIMEOUT_MS,
                MAX_ELECTION_DELAY_MS,
                SNAPSHOT_INTERVAL_SECS,
                SNAPSHOT_LOG_INDEX_MARGIN,
                RAFT_SYNC,
                MAX_READ_INDEX_LAG,
                MAX_LOGS_IN_MEMORY_BYTES,
                DEFAULT_CONSISTENCY,
                READ_TIMEOUT_MS,
                WRITE_TIMEOUT_MS,
                UNCHANGED_BARRIER,
                LEADER_TRANSFER_TIMEOUT_MS,
                PRIORITY_THREADS,
                DEFAULT_LEASE_MS,
                MIN_LEASE_MS,
                MAX_LEASE_MS,
                SUSPECT_LEASE_MS,
                SCAN_INTERVAL_MS,
                EXPIRY_RATE_PER_SEC,
                EXPIRY_BURST,
                MASS_EXPIRY_FRACTION,
                MODE,
                LEADERLESS_BROKER_TIMEOUT_MS,
                LEADERLESS_SCAN_INTERVAL_MS,
                LEADERLESS_PERSIST,
                UNSAFE_LOCAL_LINEARIZABLE_READS,
                ROCKETMQ_LISTEN_PORT,
                ROCKETMQ_MAX_FRAME_BYTES,
                ROCKETMQ_BROKER_LEASE_MS,
                ROCKETMQ_IO_THREADS,
                ROCKETMQ_QUERY_THREADS,
                ROCKETMQ_REGISTER_THREADS,
                ROCKETMQ_QUEUE_CAPACITY);

        private Keys() {}
    }

    /** Validating builder; {@link #build()} throws IllegalArgumentException naming the key at fault. */
    public static final class Builder {
        private String nodeId;
        private List<Member> members = new ArrayList<>();
        private Path dataDir;
        private int maxFrameBytes = 16 << 20;
        private int idleTimeoutMs = 120_000;
        private int ioThreads = 1;
        private int workerThreads = 8;
        private int workerQueueCapacity = 10_000;
        private int electionTimeoutMs = 1000;
        private int maxElectionDelayMs = -1; // -1: half the election timeout
        private int snapshotIntervalSecs = 300;
        private int snapshotLogIndexMargin = 1000;
        private boolean raftSync = true;
        private int maxReadIndexLag = 1000;
        private long maxLogsInMemoryBytes = 64L << 20;
        private Consistency defaultConsistency = Consistency.LINEARIZABLE;
        private int readTimeoutMs = 3000;
        private int writeTimeoutMs = 5000;
        private boolean leaseConfirmsUnchanged = true;
        private int leaderTransferTimeoutMs = 3000;
        private int priorityThreads = 2;
        private LivenessConfig liveness = LivenessConfig.DEFAULTS;
        private Mode mode = Mode.RAFT;
        private int leaderlessBrokerTimeoutMs = 120_000;
        private int leaderlessScanIntervalMs = 5_000;
        private boolean leaderlessPersist;
        private boolean unsafeLocalLinearizableReads;
        private int rocketmqListenPort;
        private int rocketmqMaxFrameBytes = 16 << 20;
        private int rocketmqBrokerLeaseMs = 120_000;
        private int rocketmqIoThreads = 1;
        private int rocketmqQueryThreads = 8;
        private int rocketmqRegisterThreads = 4;
        private int rocketmqQueueCapacity = 10_000;

        public Builder nodeId(String v) {
            this.nodeId = v;
            return this;
        }

        public Builder members(List<Member> v) {
            this.members = new ArrayList<>(v);
            return this;
        }

        public Builder dataDir(Path v) {
            this.dataDir = v;
            return this;
        }

        public Builder maxFrameBytes(int v) {
            this.maxFrameBytes = v;
            return this;
        }

        public Builder idleTimeoutMs(int v) {
            this.idleTimeoutMs = v;
            return this;
        }

        public Builder ioThreads(int v) {
            this.ioThreads = v;
            return this;
        }

        public Builder workerThreads(int v) {
            this.workerThreads = v;
            return this;
        }

        public Builder workerQueueCapacity(int v) {
            this.workerQueueCapacity = v;
            return this;
        }

        public Builder electionTimeoutMs(int v) {
            this.electionTimeoutMs = v;
            return this;
        }
        /** raft.max-election-delay-ms: the random part of an election timer, [0, v); -1 = half the election timeout. */
        public Builder maxElectionDelayMs(int v) {
            this.maxElectionDelayMs = v;
            return this;
        }

        public Builder snapshotIntervalSecs(int v) {
            this.snapshotIntervalSecs = v;
            return this;
        }

        public Builder snapshotLogIndexMargin(int v) {
            this.snapshotLogIndexMargin = v;
            return this;
        }

        public Builder raftSync(boolean v) {
            this.raftSync = v;
            return this;
        }

        public Builder maxReadIndexLag(int v) {
            this.maxReadIndexLag = v;
            return this;
        }

        public Builder maxLogsInMemoryBytes(long v) {
            this.maxLogsInMemoryBytes = v;
            return this;
        }

        public Builder defaultConsistency(Consistency v) {
            this.defaultConsistency = v;
            return this;
        }

        public Builder readTimeoutMs(int v) {
            this.readTimeoutMs = v;
            return this;
        }

        public Builder writeTimeoutMs(int v) {
            this.writeTimeoutMs = v;
            return this;
        }

        public Builder leaderTransferTimeoutMs(int v) {
            this.leaderTransferTimeoutMs = v;
            return this;
        }

        public Builder priorityThreads(int v) {
            this.priorityThreads = v;
            return this;
        }

        public Builder liveness(LivenessConfig v) {
            this.liveness = v;
            return this;
        }

        public Builder mode(Mode v) {
            this.mode = v;
            return this;
        }

        public Builder leaderlessBrokerTimeoutMs(int v) {
            this.leaderlessBrokerTimeoutMs = v;
            return this;
        }

        public Builder leaderlessScanIntervalMs(int v) {
            this.leaderlessScanIntervalMs = v;
            return this;
        }

        public Builder leaderlessPersist(boolean v) {
            this.leaderlessPersist = v;
            return this;
        }
        /** write.unchanged-barrier: true = LEASE (default), false = LINEARIZABLE (a quorum round per answer). */
        public Builder leaseConfirmsUnchanged(boolean v) {
            this.leaseConfirmsUnchanged = v;
            return this;
        }

        public Builder unsafeLocalLinearizableReads(boolean v) {
            this.unsafeLocalLinearizableReads = v;
            return this;
        }

        public Builder rocketmqListenPort(int v) {
            this.rocketmqListenPort = v;
            return this;
        }

        public Builder rocketmqMaxFrameBytes(int v) {
            this.rocketmqMaxFrameBytes = v;
            return this;
        }

        public Builder rocketmqBrokerLeaseMs(int v) {
            this.rocketmqBrokerLeaseMs = v;
            return this;
        }

        public Builder rocketmqIoThreads(int v) {
            this.rocketmqIoThreads = v;
            return this;
        }

        public Builder rocketmqQueryThreads(int v) {
            this.rocketmqQueryThreads = v;
            return this;
        }

        public Builder rocketmqRegisterThreads(int v) {
            this.rocketmqRegisterThreads = v;
            return this;
        }

        public Builder rocketmqQueueCapacity(int v) {
            this.rocketmqQueueCapacity = v;
            return this;
        }

        public NamesrvConfig build() {
            if (nodeId == null || nodeId.isBlank()) {
                throw new IllegalArgumentException(Keys.NODE_ID + " is required");
            }
            if (members.isEmpty()) {
                throw new IllegalArgumentException(Keys.MEMBERS + " is required (id@host:raftPort:clientPort,...)");
            }
            Set<String> ids = new HashSet<>();
            Set<String> endpoints = new HashSet<>();
            for (Member m : members) {
                if (!ids.add(m.id())) {
                    throw new IllegalArgumentException(Keys.MEMBERS + ": duplicate member id " + m.id());
                }
                if (!endpoints.add(m.raftAddress()) || !endpoints.add(m.clientAddress())) {
                    throw new IllegalArgumentException(
                            Keys.MEMBERS + ": member " + m.id() + " reuses an address of another member");
                }
            }
            if (!ids.contains(nodeId)) {
                throw new IllegalArgumentException(
                        Keys.NODE_ID + " '" + nodeId + "' is not one of " + Keys.MEMBERS + " " + ids);
            }
            Path dir = dataDir != null ? dataDir : Path.of("data", nodeId);
            range(Keys.MAX_FRAME_BYTES, maxFrameBytes, 1024, 256 << 20);
            range(Keys.IDLE_TIMEOUT_MS, idleTimeoutMs, 1000, Integer.MAX_VALUE);
            range(Keys.IO_THREADS, ioThreads, 1, 64);
            range(Keys.WORKER_THREADS, workerThreads, 1, 1024);
            range(Keys.WORKER_QUEUE_CAPACITY, workerQueueCapacity, 1, 10_000_000);
            range(Keys.ELECTION_TIMEOUT_MS, electionTimeoutMs, 100, 60_000);
            range(Keys.MAX_ELECTION_DELAY_MS, maxElectionDelayMs, -1, 60_000);
            if (maxElectionDelayMs == 0) {
                throw new IllegalArgumentException(
                        Keys.MAX_ELECTION_DELAY_MS + " must be -1 (half the election timeout)"
                                + " or positive: without a random part, followers that lose the leader together split the vote");
            }
            int effectiveDelay = maxElectionDelayMs < 0 ? Math.max(1, electionTimeoutMs / 2) : maxElectionDelayMs;
            range(Keys.SNAPSHOT_INTERVAL_SECS, snapshotIntervalSecs, 0, 86_400 * 7);
            range(Keys.SNAPSHOT_LOG_INDEX_MARGIN, snapshotLogIndexMargin, 0, Integer.MAX_VALUE);
            range(Keys.MAX_READ_INDEX_LAG, maxReadIndexLag, -1, Integer.MAX_VALUE);
            if (maxLogsInMemoryBytes < -1 || maxLogsInMemoryBytes == 0) {
                throw new IllegalArgumentException(Keys.MAX_LOGS_IN_MEMORY_BYTES
                        + " must be -1 (no cap) or positive, got " + maxLogsInMemoryBytes);
            }
            Objects.requireNonNull(defaultConsistency, Keys.DEFAULT_CONSISTENCY);
            if (defaultConsistency == Consistency.CONSISTENCY_UNSPECIFIED
                    || defaultConsistency == Consistency.UNRECOGNIZED) {
                throw new IllegalArgumentException(
                        Keys.DEFAULT_CONSISTENCY + " must be one of LINEARIZABLE, LEASE, SEQUENTIAL, STALE");
            }
            range(Keys.READ_TIMEOUT_MS, readTimeoutMs, 10, 600_000);
            range(Keys.WRITE_TIMEOUT_MS, writeTimeoutMs, 10, 600_000);
            range(Keys.LEADER_TRANSFER_TIMEOUT_MS, leaderTransferTimeoutMs, 0, 600_000);
            range(Keys.PRIORITY_THREADS, priorityThreads, 1, 64);
            Objects.requireNonNull(liveness, "liveness");
            Objects.requireNonNull(mode, Keys.MODE);
            range(Keys.LEADERLESS_BROKER_TIMEOUT_MS, leaderlessBrokerTimeoutMs, 100, 3_600_000);
            range(Keys.LEADERLESS_SCAN_INTERVAL_MS, leaderlessScanIntervalMs, 10, 600_000);
            range(Keys.ROCKETMQ_LISTEN_PORT, rocketmqListenPort, 0, 65_535);
            range(Keys.ROCKETMQ_MAX_FRAME_BYTES, rocketmqMaxFrameBytes, 1024, 256 << 20);
            if (rocketmqBrokerLeaseMs < liveness.minLeaseMs() || rocketmqBrokerLeaseMs > liveness.maxLeaseMs()) {
                throw new IllegalArgumentException(Keys.ROCKETMQ_BROKER_LEASE_MS + " must be in [" + Keys.MIN_LEASE_MS
                        + " (" + liveness.minLeaseMs() + "), " + Keys.MAX_LEASE_MS + " (" + liveness.maxLeaseMs()
                        + ")], got " + rocketmqBrokerLeaseMs);
            }
            range(Keys.ROCKETMQ_IO_THREADS, rocketmqIoThreads, 1, 64);
            range(Keys.ROCKETMQ_QUERY_THREADS, rocketmqQueryThreads, 1, 1024);
            range(Keys.ROCKETMQ_REGISTER_THREADS, rocketmqRegisterThreads, 1, 1024);
            range(Keys.ROCKETMQ_QUEUE_CAPACITY, rocketmqQueueCapacity, 1, 10_000_000);
            if (rocketmqListenPort > 0) {
                for (Member m : members) {
                    if (m.id().equals(nodeId)
                            && (m.clientPort() == rocketmqListenPort || m.raftPort() == rocketmqListenPort)) {
                        throw new IllegalArgumentException(Keys.ROCKETMQ_LISTEN_PORT + " " + rocketmqListenPort
                                + " is already this node's client or raft port");
                    }
                }
            }
            return new NamesrvConfig(
                    nodeId,
                    members,
                    dir,
                    maxFrameBytes,
                    idleTimeoutMs,
                    ioThreads,
                    workerThreads,
                    workerQueueCapacity,
                    electionTimeoutMs,
                    effectiveDelay,
                    snapshotIntervalSecs,
                    snapshotLogIndexMargin,
                    raftSync,
                    maxReadIndexLag,
                    maxLogsInMemoryBytes,
                    defaultConsistency,
                    readTimeoutMs,
                    writeTimeoutMs,
                    leaseConfirmsUnchanged,
                    leaderTransferTimeoutMs,
                    priorityThreads,
                    liveness,
                    mode,
                    leaderlessBrokerTimeoutMs,
                    leaderlessScanIntervalMs,
                    leaderlessPersist,
                    unsafeLocalLinearizableReads,
                    new RocketmqIngress(
                            rocketmqListenPort,
                            rocketmqMaxFrameBytes,
                            rocketmqBrokerLeaseMs,
                            rocketmqIoThreads,
                            rocketmqQueryThreads,
                            rocketmqRegisterThreads,
                            rocketmqQueueCapacity));
        }

        private static void range(String key, long v, long min, long max) {
            if (v < min || v > max) {
                throw new IllegalArgumentException(key + " must be in [" + min + ", " + max + "], got " + v);
            }
        }
    }
}
