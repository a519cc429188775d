package io.rns.namesrv;

import io.rns.namesrv.admin.AdminServer;
import io.rns.namesrv.admin.NodeMetrics;
import io.rns.namesrv.admin.Probe;
import io.rns.namesrv.admin.StatusJson;
import io.rns.namesrv.admin.StatusPage;
import io.rns.namesrv.api.LeaderForwarding;
import io.rns.namesrv.api.RequestDispatcher;
import io.rns.namesrv.api.RequestMetrics;
import io.rns.namesrv.api.Responses;
import io.rns.namesrv.auth.Authenticator;
import io.rns.namesrv.base.MonotonicClock;
import io.rns.namesrv.config.LivenessConfig;
import io.rns.namesrv.config.NamesrvConfig;
import io.rns.namesrv.consensus.Consensus;
import io.rns.namesrv.leaderless.LeaderlessConsensus;
import io.rns.namesrv.leaderless.LeaderlessMode;
import io.rns.namesrv.liveness.ConnectionLoss;
import io.rns.namesrv.liveness.ConnectionRegistry;
import io.rns.namesrv.liveness.LivenessService;
import io.rns.namesrv.raft.JraftConsensus;
import io.rns.namesrv.read.ReadService;
import io.rns.namesrv.spi.IngressContext;
import io.rns.namesrv.spi.IngressProvider;
import io.rns.namesrv.spi.IngressStats;
import io.rns.namesrv.watch.WatchHub;
import io.rns.namesrv.write.SessionPolicy;
import io.rns.namesrv.write.SessionStamp;
import io.rns.namesrv.write.WriteService;
import io.rns.rpc.transport.ClientTls;
import io.rns.rpc.transport.DaemonThreads;
import io.rns.rpc.transport.RpcClient;
import io.rns.rpc.transport.RpcClientOptions;
import io.rns.rpc.transport.RpcServer;
import io.rns.rpc.transport.RpcServerOptions;
import io.rns.rpc.transport.TlsSettings;
import io.rns.statemachine.RouteStateMachine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The composition root of one RNS node: it only wires the parts (the state machine, the replication engine of the
 * configured mode, the read/write/liveness services, the dispatcher, the native RPC server and the ingresses) and
 * closes them in order. {@link #start()} then {@link #close()} (graceful: hands leadership over first).
 */
public final class NamesrvNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NamesrvNode.class);

    private final NamesrvConfig config;
    private Authenticator auth = Authenticator.DISABLED;
    private RouteStateMachine stateMachine;
    private Consensus consensus;
    private JraftConsensus raft;
    private RpcServer server;
    private RpcClient forwardClient;
    private ExecutorService readExecutor;
    private WatchHub watches;
    private ScheduledExecutorService livenessExecutor;
    private LivenessService liveness;
    private ConnectionLoss connectionLoss;
    private final List<AutoCloseable> ingresses = new ArrayList<>();
    private NodeMetrics metrics;
    private AdminServer admin;
    private volatile Consumer<String> haltListener = reason -> {
    };
    private volatile boolean haltReported;
    private volatile boolean closed;

    public NamesrvNode(NamesrvConfig config) {
        this.config = config;
    }

    /**
     * A test hook (the deliberately unsafe read path) cannot be reached from a configuration alone: the node refuses to
     * start with it unless its environment also has {@code RNS_ENABLE_TEST_HOOKS=1}, which only the chaos harness sets.
     */
    static void checkTestHooks(NamesrvConfig config, Map<String, String> env) {
        if (config.unsafeLocalLinearizableReads() && !"1".equals(env.get(TEST_HOOKS_ENV))) {
            throw new IllegalStateException("testing.unsafe-local-linearizable-reads=true is a test hook that makes "
                    + "LINEARIZABLE reads unsafe; a node starts with it only when its environment has " + TEST_HOOKS_ENV
                    + "=1 (the chaos harness's checker self-test). Remove the key from the configuration.");
        }
    }

    /** The environment variable that alone lets a node start with a test hook (a testing.* key) switched on. */
    public static final String TEST_HOOKS_ENV = "RNS_ENABLE_TEST_HOOKS";

    /**
     * Called once, from the node's timer thread, when this replica halts (an apply, snapshot or Raft error), with the
     * reason. The process launcher uses it to exit ({@code node.exit-on-halt}); set it before {@link #start()} so
     * that a halt while starting (a snapshot that fails to load) is not missed.
     */
    public NamesrvNode onHalt(Consumer<String> listener) {
        this.haltListener = listener;
        return this;
    }

    public synchronized NamesrvNode start() throws IOException {
        checkTestHooks(config, System.getenv());
        List<IngressProvider> providers = loadIngressProviders();
        Files.createDirectories(config.dataDir());
        boolean leaderless = config.mode() == NamesrvConfig.Mode.LEADERLESS;
        LivenessConfig livenessConfig;
        if (leaderless) {
            stateMachine = LeaderlessMode.openTable(config);
            watches = watchHub(config, stateMachine);
            consensus = new LeaderlessConsensus(config, stateMachine);
            livenessConfig = LeaderlessMode.liveness(config);
        } else {
            stateMachine = RouteStateMachine.open(config.stateDir());
            watches = watchHub(config, stateMachine); // before the engine replays its log: that is history too
            raft = new JraftConsensus(config, stateMachine);
            raft.start();
            consensus = raft;
            livenessConfig = config.liveness();
        }
        readExecutor = readExecutor(config);
        forwardClient = new RpcClient(RpcClientOptions.builder().maxFrameBytes(config.maxFrameBytes())
                .connectTimeout(Duration.ofMillis(Math.min(1000, config.writeTimeoutMs()))).tls(memberTls(config))
                .build());
        Responses responses = new Responses(config, consensus);
        auth = Authenticator.of(config.auth());
        if (config.unsafeLocalLinearizableReads()) {
            log.warn(
                    "node {}: TEST-ONLY testing.unsafe-local-linearizable-reads=true: LINEARIZABLE and LEASE reads are "
                            + "served from the local replica WITHOUT a read barrier and mislabelled. This node is deliberately "
                            + "unsafe; it exists so the chaos checker can prove it catches stale reads.",
                    config.nodeId());
        }
        ReadService reads = new ReadService(consensus, consensus, config.defaultConsistency(),
                config.unsafeLocalLinearizableReads());
        WriteService writes = new WriteService(consensus, consensus, consensus, Clock.systemUTC(),
                config.leaseConfirmsUnchanged(),
                leaderless ? SessionPolicy.OFF : new SessionPolicy(config.sessionTimeoutMs(), config.maxSessions()),
                SessionStamp.NONE);
        liveness = new LivenessService(livenessConfig, consensus, writes, MonotonicClock.SYSTEM);
        consensus.addLeadershipListener(liveness);
        if (!leaderless && consensus.state().isLeader()) {
            liveness.onLeaderStart(consensus.state().term()); // elected before the listener was added
        }
        livenessExecutor = Executors
                .newSingleThreadScheduledExecutor(DaemonThreads.named("rns-liveness-" + config.nodeId()));
        liveness.start(livenessExecutor);
        LeaderForwarding forwarding = new LeaderForwarding(config, consensus, responses, forwardClient, auth);
        connectionLoss = new ConnectionLoss(config.nodeId(),
                leaderless ? ConnectionLoss.Policy.EXPIRE_AT_ONCE : ConnectionLoss.Policy.SUSPECT, liveness, consensus,
                writes, forwarding, config.expireWhenAllClosed() && !leaderless ? forwarding : null,
                config.writeTimeoutMs());
        ConnectionRegistry connections = connectionLoss.registry();
        metrics = new NodeMetrics(config.nodeId()).bindNode(consensus, this::readiness).bindLiveness(liveness)
                .bindWatch(watches);
        RequestDispatcher dispatcher = new RequestDispatcher(config, consensus, reads, writes, responses, readExecutor,
                liveness, connections, forwarding, new RequestMetrics(metrics.registry()),
                () -> stateMachine.exportBackup(consensus.state().term(), config.nodeId(), System.currentTimeMillis()),
                auth, watches);
        server = RpcServer.start(
                RpcServerOptions.builder().host(config.self().host()).port(config.self().clientPort())
                        .maxFrameBytes(config.maxFrameBytes()).idleTimeout(Duration.ofMillis(config.idleTimeoutMs()))
                        .ioThreads(config.ioThreads()).workerThreads(config.workerThreads())
                        .workerQueueCapacity(config.workerQueueCapacity()).priorityThreads(config.priorityThreads())
                        .limits(config.limits()).tls(config.tls())
                        .defaultRequestTimeout(
                                Duration.ofMillis(Math.max(config.readTimeoutMs(), config.writeTimeoutMs())))
                        .build(),
                dispatcher);
        log.info("node {} serving clients on {} (raft on {})", config.nodeId(), server.localAddress(),
                config.self().raftAddress());
        metrics.bindRpcServer("client", server::stats);
        metrics.bindStore(stateMachine::storeStats);
        AtomicLong ids = new AtomicLong(INGRESS_CONNECTION_ID_BASE);
        startIngresses(providers, dispatcher, ids);
        livenessExecutor.scheduleWithFixedDelay(this::checkHalted, HALT_CHECK_MS, HALT_CHECK_MS, TimeUnit.MILLISECONDS);
        if (config.operations().adminEnabled()) {
            StatusPage page = new StatusPage(dispatcher, ids.incrementAndGet(), forwardClient::call);
            admin = AdminServer
                    .start(config.nodeId(), config.self().host(), config.operations().adminPort(),
                            new AdminServer.Sources(metrics::scrape, this::readiness, this::live,
                                    new StatusJson(dispatcher, ids.incrementAndGet()), page::render),
                            config.tls(), auth);
            metrics.bindAdmin(admin::stats);
        }
        return this;
    }

    private static final long HALT_CHECK_MS = 500;

    /**
     * Where read answers are built (off the consensus threads): bounded like the transport's worker queue
     * ({@code rpc.worker-queue-capacity}), so a full one refuses the task (answered OVERLOADED) instead of growing the
     * heap.
     */
    static ThreadPoolExecutor readExecutor(NamesrvConfig config) {
        int readThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
        return new ThreadPoolExecutor(readThreads, readThreads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(config.workerQueueCapacity()),
                DaemonThreads.numbered("rns-read-" + config.nodeId()));
    }

    private static WatchHub watchHub(NamesrvConfig config, RouteStateMachine sm) {
        WatchHub hub = new WatchHub(config.nodeId(), config.watch(), sm.image());
        sm.addChangeListener(hub::onChange);
        return hub;
    }

    /** Runs {@link #onHalt} once the replica has halted. */
    private void checkHalted() {
        String reason = consensus.haltReason();
        if (reason == null || haltReported || closed) {
            return;
        }
        haltReported = true;
        try {
            haltListener.accept(reason);
        } catch (RuntimeException e) {
            log.error("node {}: halt listener failed: {}", config.nodeId(), e.toString(), e);
        }
    }

    /** What {@code /ready} answers now. */
    public Probe readiness() {
        return Probe.readiness(config.mode(), consensus.state(), consensus.appliedIndex(), consensus.haltReason(),
                config.operations().readyMaxApplyLag(), config.electionTimeoutMs());
    }

    /** What {@code /live} answers now: the process serves until it is stopped. */
    public Probe live() {
        return closed ? new Probe(false, "shutting down") : new Probe(true, "serving");
    }

    /** The admin listener, or null when {@code admin.listen-port} is 0. */
    public AdminServer admin() {
        return admin;
    }

    /** Ingress connection ids start far above the native server's (which count from 1). */
    private static final long INGRESS_CONNECTION_ID_BASE = 1L << 48;

    /** The ingress providers on the classpath; fails (before anything starts) when a configured one is missing. */
    private List<IngressProvider> loadIngressProviders() {
        List<IngressProvider> providers = new ArrayList<>();
        ServiceLoader.load(IngressProvider.class).forEach(providers::add);
        if (config.rocketmq().enabled() && providers.stream().noneMatch(p -> p.name().equals("rocketmq"))) {
            throw new IllegalStateException(NamesrvConfig.Keys.ROCKETMQ_LISTEN_PORT + "="
                    + config.rocketmq().listenPort()
                    + " asks for the RocketMQ ingress, but no IngressProvider named 'rocketmq' is on the classpath: "
                    + "add the rocketmq-compat module (start the node with scripts/rns-node, whose classpath "
                    + "server/target/lib/* holds it) or set " + NamesrvConfig.Keys.ROCKETMQ_LISTEN_PORT + "=0");
        }
        return providers;
    }

    /**
     * TLS of this node's own connections to other nodes' client ports (forwards, reports): on whenever the ports are
     * TLS, trusting tls.trust-file (or the JVM's CAs), checking the other node's name, presenting this node's
     * certificate (which other nodes require under tls.client-auth=require).
     */
    private static ClientTls memberTls(NamesrvConfig config) {
        TlsSettings tls = config.tls();
        return tls.enabled() ? new ClientTls(tls.trustFile(), tls.certFile(), tls.keyFile(), true) : null;
    }

    private void startIngresses(List<IngressProvider> providers, RequestDispatcher dispatcher, AtomicLong ids)
            throws IOException {
        IngressContext ctx = new IngressContext(config, dispatcher, ids::incrementAndGet, consensus::appliedIndex,
                auth);
        for (IngressProvider p : providers) {
            if (!p.enabled(config)) {
                continue;
            }
            try {
                AutoCloseable handle = p.start(ctx);
                ingresses.add(handle);
                if (handle instanceof IngressStats stats) {
                    metrics.bindRpcServer(p.name(), stats::stats);
                }
            } catch (Exception e) {
                throw new IOException("node " + config.nodeId() + ": ingress '" + p.name() + "' failed to start: " + e,
                        e);
            }
            log.info("node {}: ingress '{}' started", config.nodeId(), p.name());
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
        if (connectionLoss != null) {
            connectionLoss.close();
        }
        if (raft != null) {
            raft.transferLeadershipIfLeader(config.leaderTransferTimeoutMs());
        }
        closeQuietly(admin);
        for (int i = ingresses.size() - 1; i >= 0; i--) {
            closeQuietly(ingresses.get(i));
        }
        ingresses.clear();
        closeQuietly(watches); // answers the held polls SHUTTING_DOWN, so the server does not wait for them
        closeQuietly(server);
        closeQuietly(liveness);
        if (livenessExecutor != null) {
            livenessExecutor.shutdownNow();
        }
        closeQuietly(consensus);
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
        closeQuietly(metrics);
        log.info("node {} stopped", config.nodeId());
    }

    private void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            log.warn("node {}: error while closing {}: {}", config.nodeId(), c.getClass().getSimpleName(),
                    e.toString());
        }
    }
}
