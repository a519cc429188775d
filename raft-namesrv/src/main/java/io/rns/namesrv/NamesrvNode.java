package io.rns.namesrv;

import io.rns.namesrv.api.RequestDispatcher;
import io.rns.namesrv.api.Responses;
import io.rns.namesrv.config.NamesrvConfig;
import io.rns.namesrv.raft.JraftConsensus;
import io.rns.namesrv.read.ReadService;
import io.rns.namesrv.write.LeaderForwarder;
import io.rns.namesrv.write.WriteService;
import io.rns.rpc.transport.RpcClient;
import io.rns.rpc.transport.RpcClientOptions;
import io.rns.rpc.transport.RpcServer;
import io.rns.rpc.transport.RpcServerOptions;
import io.rns.statemachine.RouteStateMachine;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RNS node in Raft mode: the RocksDB-backed state machine, the sofa-jraft group member on the internal raft
 * port, and the native RPC server on the client port. {@link #start()} then {@link #close()} (graceful: hands
 * leadership over first).
 */
public final class NamesrvNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NamesrvNode.class);

    private final NamesrvConfig config;
    private RouteStateMachine stateMachine;
    private JraftConsensus consensus;
    private RpcServer server;
    private RpcClient forwardClient;
    private ExecutorService readExecutor;
    private volatile boolean closed;

    public NamesrvNode(NamesrvConfig config) {
        this.config = config;
    }

    public synchronized NamesrvNode start() throws IOException {
        Files.createDirectories(config.dataDir());
        stateMachine = RouteStateMachine.open(config.dataDir().resolve("state"));
        consensus = new JraftConsensus(config, stateMachine);
        consensus.start();
        AtomicInteger n = new AtomicInteger();
        readExecutor = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
            Thread t = new Thread(r, "rns-read-" + config.nodeId() + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        forwardClient = new RpcClient(RpcClientOptions.builder()
                .maxFrameBytes(config.maxFrameBytes())
                .connectTimeout(Duration.ofMillis(Math.min(1000, config.writeTimeoutMs())))
                .build());
        Responses responses = new Responses(config, consensus);
        ReadService reads = new ReadService(consensus, config.defaultConsistency());
        WriteService writes = new WriteService(consensus, responses, new LeaderForwarder(forwardClient), Clock.systemUTC());
        RequestDispatcher dispatcher = new RequestDispatcher(config, consensus, reads, writes, responses, readExecutor);
        server = RpcServer.start(RpcServerOptions.builder()
                .host(config.self().host())
                .port(config.self().clientPort())
                .maxFrameBytes(config.maxFrameBytes())
                .idleTimeout(Duration.ofMillis(config.idleTimeoutMs()))
                .ioThreads(config.ioThreads())
                .workerThreads(config.workerThreads())
                .workerQueueCapacity(config.workerQueueCapacity())
                .defaultRequestTimeout(Duration.ofMillis(Math.max(config.readTimeoutMs(), config.writeTimeoutMs())))
                .build(), dispatcher);
        log.info("node {} serving clients on {} (raft on {})", config.nodeId(), server.localAddress(),
                config.self().raftAddress());
        return this;
    }

    public NamesrvConfig config() {
        return config;
    }

    public JraftConsensus consensus() {
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
        if (consensus != null) {
            consensus.transferLeadershipIfLeader(config.leaderTransferTimeoutMs());
        }
        closeQuietly(server);
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
        log.info("node {} stopped", config.nodeId());
    }

    private void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            log.warn("node {}: error while closing {}: {}", config.nodeId(), c.getClass().getSimpleName(), e.toString());
        }
    }
}
