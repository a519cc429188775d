package io.rns.namesrv;

import io.rns.log.v1.LogRecord;
import io.rns.log.v1.UnregisterBroker;
import io.rns.namesrv.api.RequestDispatcher;
import io.rns.namesrv.api.Responses;
import io.rns.namesrv.base.DaemonThreads;
import io.rns.namesrv.base.MonotonicClock;
import io.rns.namesrv.config.LivenessConfig;
import io.rns.namesrv.config.NamesrvConfig;
import io.rns.namesrv.consensus.Consensus;
import io.rns.namesrv.leaderless.LeaderlessConsensus;
import io.rns.namesrv.liveness.BrokerKey;
import io.rns.namesrv.liveness.ConnectionRegistry;
import io.rns.namesrv.liveness.LivenessService;
import io.rns.namesrv.raft.JraftConsensus;
import io.rns.namesrv.read.ReadService;
import io.rns.namesrv.spi.IngressContext;
import io.rns.namesrv.spi.IngressProvider;
import io.rns.namesrv.write.LeaderForwarder;
import io.rns.namesrv.write.WriteService;
import io.rns.rpc.transport.RpcClient;
import io.rns.rpc.transport.RpcClientOptions;
import io.rns.rpc.transport.RpcServer;
import io.rns.rpc.transport.RpcServerOptions;
import io.rns.rpc.v1.BrokerConnectionClosedRequest;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.RequestEnvelope;
import io.rns.statemachine.LogRecords;
import io.rns.statemachine.RouteStateMachine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One RNS node in Raft mode: the RocksDB-backed state machine, the sofa-jraft group member on the internal raft
 * port, and the native RPC server on the client port. {@link #start()} then {@link #close()} (graceful: hands
 * leadership over first).
 */
public final class NamesrvNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NamesrvNode.class);

    private final NamesrvConfig config;
    private RouteStateMachine stateMachine;
    private Consensus consensus;
    private JraftConsensus raft;
    private RpcServer server;
    private RpcClient forwardClient;
    private ExecutorService readExecutor;
    private ScheduledExecutorService livenessExecutor;
    private LivenessService liveness;
    private Responses responses;
    private final java.util.List<AutoCloseable> ingresses = new java.util.ArrayList<>();
    private volatile boolean closed;

    public NamesrvNode(NamesrvConfig config) {
        this.config = config;
    }

    public synchronized NamesrvNode start() throws IOException {
        java.util.List<IngressProvider> providers = loadIngressProviders();
        Files.createDirectories(config.dataDir());
        boolean leaderless = config.mode() == NamesrvConfig.Mode.LEADERLESS;
        LivenessConfig livenessConfig = config.liveness();
        if (leaderless) {
            // the stock design keeps its table in memory: without leaderless.persist a restart starts empty
            Path state = config.dataDir().resolve("leaderless-state");
            if (!config.leaderlessPersist()) {
                deleteRecursively(state);
            }
            stateMachine = RouteStateMachine.open(state);
            consensus = new LeaderlessConsensus(config, stateMachine);
            livenessConfig = leaderlessLiveness(config);
            log.info(
                    "node {} runs in LEADERLESS mode: no Raft group, local table ({}), local expiry after {} ms "
                            + "(scan every {} ms), STALE reads only",
                    config.nodeId(),
                    config.leaderlessPersist() ? "persisted" : "in memory",
                    config.leaderlessBrokerTimeoutMs(),
                    config.leaderlessScanIntervalMs());
        } else {
            stateMachine = RouteStateMachine.open(config.dataDir().resolve("state"));
            raft = new JraftConsensus(config, stateMachine);
            raft.start();
            consensus = raft;
        }
        readExecutor = Executors.newFixedThreadPool(
                Math.max(2, Runtime.getRuntime().availableProcessors()),
                DaemonThreads.numbered("rns-read-" + config.nodeId()));
        forwardClient = new RpcClient(RpcClientOptions.builder()
                .maxFrameBytes(config.maxFrameBytes())
                .connectTimeout(Duration.ofMillis(Math.min(1000, config.writeTimeoutMs())))
                .build());
        responses = new Responses(config, consensus);
        if (config.unsafeLocalLinearizableReads()) {
            log.warn(
                    "node {}: TEST-ONLY testing.unsafe-local-linearizable-reads=true: LINEARIZABLE and LEASE reads are "
                            + "served from the local replica WITHOUT a read barrier and mislabelled. This node is deliberately "
                            + "unsafe; it exists so the chaos checker can prove it catches stale reads.",
                    config.nodeId());
        }
        ReadService reads = new ReadService(
                consensus, config.defaultConsistency(), leaderless, config.unsafeLocalLinearizableReads());
        WriteService writes = new WriteService(
                consensus,
                responses,
                new LeaderForwarder(forwardClient),
                Clock.systemUTC(),
                config.leaseConfirmsUnchanged());
        liveness = new LivenessService(livenessConfig, consensus, MonotonicClock.SYSTEM, Clock.systemUTC());
        consensus.addLeadershipListener(liveness);
        if (!leaderless && consensus.state().isLeader()) {
            liveness.onLeaderStart(consensus.state().term()); // elected before the listener was added
        }
        livenessExecutor =
                Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("rns-liveness-" + config.nodeId()));
        liveness.start(livenessExecutor);
        ConnectionRegistry connections = new ConnectionRegistry(this::brokerConnectionClosed);
        RequestDispatcher dispatcher =
                new RequestDispatcher(config, consensus, reads, writes, responses, readExecutor, liveness, connections);
        server = RpcServer.start(
                RpcServerOptions.builder()
                        .host(config.self().host())
                        .port(config.self().clientPort())
                        .maxFrameBytes(config.maxFrameBytes())
                        .idleTimeout(Duration.ofMillis(config.idleTimeoutMs()))
                        .ioThreads(config.ioThreads())
                        .workerThreads(config.workerThreads())
                        .workerQueueCapacity(config.workerQueueCapacity())
                        .priorityThreads(config.priorityThreads())
                        .defaultRequestTimeout(
                                Duration.ofMillis(Math.max(config.readTimeoutMs(), config.writeTimeoutMs())))
                        .build(),
                dispatcher);
        log.info(
                "node {} serving clients on {} (raft on {})",
                config.nodeId(),
                server.localAddress(),
                config.self().raftAddress());
        startIngresses(providers, dispatcher);
        return this;
    }

    /** Ingress connection ids start far above the native server's (which count from 1). */
    private static final long INGRESS_CONNECTION_ID_BASE = 1L << 48;

    /** The ingress providers on the classpath; fails (before anything starts) when a configured one is missing. */
    private java.util.List<IngressProvider> loadIngressProviders() {
        java.util.List<IngressProvider> providers = new java.util.ArrayList<>();
        ServiceLoader.load(IngressProvider.class).forEach(providers::add);
        if (config.rocketmq().enabled()
                && providers.stream().noneMatch(p -> p.name().equals("rocketmq"))) {
            throw new IllegalStateException(NamesrvConfig.Keys.ROCKETMQ_LISTEN_PORT + "="
                    + config.rocketmq().listenPort()
                    + " asks for the RocketMQ ingress, but no IngressProvider named 'rocketmq' is on the classpath: "
                    + "add the rocketmq-compat module (start the node with rocketmq-compat/target/rocketmq-compat-*.jar "
                    + "and rocketmq-compat/target/lib/* on the classpath) or set "
                    + NamesrvConfig.Keys.ROCKETMQ_LISTEN_PORT
                    + "=0");
        }
        return providers;
    }

    private void startIngresses(java.util.List<IngressProvider> providers, RequestDispatcher dispatcher)
            throws IOException {
        java.util.concurrent.atomic.AtomicLong ids =
                new java.util.concurrent.atomic.AtomicLong(INGRESS_CONNECTION_ID_BASE);
        IngressContext ctx = new IngressContext(config, dispatcher, ids::incrementAndGet);
        for (IngressProvider p : providers) {
            if (!p.enabled(config)) {
                continue;
            }
            try {
                ingresses.add(p.start(ctx));
            } catch (Exception e) {
                throw new IOException(
                        "node " + config.nodeId() + ": ingress '" + p.name() + "' failed to start: " + e, e);
            }
            log.info("node {}: ingress '{}' started", config.nodeId(), p.name());
        }
    }

    /**
     * A broker's bound connection to this node closed. On the leader it becomes a suspect at once; elsewhere the
     * leader is told (asynchronously; this runs on a Netty event loop). No node removes a broker on its own.
     */
    private void brokerConnectionClosed(BrokerKey key, long epoch) {
        if (closed) {
            return;
        }
        if (config.mode() == NamesrvConfig.Mode.LEADERLESS) {
            // stock behaviour (RouteInfoManager.onChannelDestroy): the broker goes at once, from this node only
            unregisterLocally(key, epoch);
            return;
        }
        if (liveness.tracker().isLeading()) {
            if (liveness.tracker().connectionClosed(key, epoch)) {
                log.info(
                        "node {}: broker {} epoch {} lost its connection; suspect for {} ms",
                        config.nodeId(),
                        key,
                        epoch,
                        config.liveness().suspectLeaseMs());
            }
            return;
        }
        String leader = responses.leaderHint(consensus.state());
        if (leader.isEmpty()) {
            log.warn(
                    "node {}: broker {} epoch {} lost its connection but no leader is known to tell",
                    config.nodeId(),
                    key,
                    epoch);
            return;
        }
        RequestEnvelope report = RequestEnvelope.newBuilder()
                .setClientId("node-" + config.nodeId())
                .setBrokerConnectionClosed(BrokerConnectionClosedRequest.newBuilder()
                        .setBrokerName(key.brokerName())
                        .setBrokerId(key.brokerId())
                        .setBrokerEpoch(epoch)
                        .setReportingNode(config.nodeId()))
                .build();
        forwardClient
                .call(leader, report, Duration.ofMillis(config.writeTimeoutMs()))
                .whenComplete((r, t) -> {
                    if (t != null || r.getHeader().getCode() != ErrorCode.OK) {
                        log.warn(
                                "node {}: could not tell the leader that broker {} lost its connection: {}",
                                config.nodeId(),
                                key,
                                t != null
                                        ? t.toString()
                                        : r.getHeader().getCode() + " "
                                                + r.getHeader().getMessage());
                    }
                });
    }

    private void unregisterLocally(BrokerKey key, long epoch) {
        consensus.image().broker(key.brokerName(), key.brokerId()).ifPresent(m -> {
            if (m.epoch() != epoch) {
                return;
            }
            LogRecord record = LogRecord.newBuilder()
                    .setFormatVersion(LogRecords.CURRENT_FORMAT_VERSION)
                    .setLeaderTimeMs(System.currentTimeMillis())
                    .setUnregisterBroker(UnregisterBroker.newBuilder()
                            .setCluster(m.cluster())
                            .setBrokerName(m.brokerName())
                            .setBrokerId(m.brokerId())
                            .setBrokerAddr(m.addr())
                            .setBrokerEpoch(epoch)
                            .setReason(UnregisterBroker.Reason.EXPIRED))
                    .build();
            consensus
                    .propose(record, config.writeTimeoutMs())
                    .whenComplete((r, t) -> log.info(
                            "node {} (leaderless): broker {} epoch {} removed because its connection closed: {}",
                            config.nodeId(),
                            key,
                            epoch,
                            t != null ? t.toString() : r));
        });
    }

    /** Liveness as the stock NameServer does it: one timeout, own clock, no rate limit, no mass-expiry guard. */
    static LivenessConfig leaderlessLiveness(NamesrvConfig c) {
        LivenessConfig l = c.liveness();
        int timeout = c.leaderlessBrokerTimeoutMs();
        int max = Math.max(l.maxLeaseMs(), timeout);
        return new LivenessConfig(
                timeout,
                Math.min(l.minLeaseMs(), timeout),
                max,
                Math.min(l.suspectLeaseMs(), max),
                c.leaderlessScanIntervalMs(),
                100_000,
                100_000,
                1.0);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** The Raft engine, or null in leaderless mode. */
    public JraftConsensus raft() {
        return raft;
    }

    public LivenessService liveness() {
        return liveness;
    }

    public NamesrvConfig config() {
        return config;
    }

    public Consensus consensus() {
        return consensus;
    }

    public RouteStateMachine stateMachine() {
        return stateMachine;
    }

    public String clientAddress() {
        return config.self().clientAddress();
    }

    /** Graceful stop: leadership handed over, client port closed, raft stopped, store closed. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        log.info("node {} shutting down", config.nodeId());
        if (raft != null) {
            raft.transferLeadershipIfLeader(config.leaderTransferTimeoutMs());
        }
        for (int i = ingresses.size() - 1; i >= 0; i--) {
            closeQuietly(ingresses.get(i));
        }
        ingresses.clear();
        closeQuietly(server);
        closeQuietly(liveness);
        if (livenessExecutor != null) {
            livenessExecutor.shutdownNow();
        }
        closeQuietly((AutoCloseable) consensus);
        closeQuietly(forwardClient);
        if (readExecutor != null) {
            readExecutor.shutdown();
            try {
                readExecutor.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeQuietly(stateMachine);
        log.info("node {} stopped", config.nodeId());
    }

    private void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            log.warn(
                    "node {}: error while closing {}: {}",
                    config.nodeId(),
                    c.getClass().getSimpleName(),
                    e.toString());
        }
    }
}
