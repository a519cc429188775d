package io.rns.namesrv.cluster;

import io.rns.namesrv.NamesrvNode;
import io.rns.namesrv.config.LivenessConfig;
import io.rns.namesrv.config.Member;
import io.rns.namesrv.config.NamesrvConfig;
import io.rns.rpc.v1.Role;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/**
 * Real RNS nodes (real sofa-jraft, real RocksDB, real Netty) in one JVM on loopback, each with its own data dir.
 * Nodes can be stopped and started again on the same data dir.
 */
public final class MiniCluster implements AutoCloseable {
    private final List<Member> members = new ArrayList<>();
    private final Path baseDir;
    private final NamesrvNode[] nodes;
    private final int electionTimeoutMs;
    private final int snapshotIntervalSecs;
    private LivenessConfig liveness = LivenessConfig.DEFAULTS;
    private NamesrvConfig.Mode mode = NamesrvConfig.Mode.RAFT;
    private int leaderlessTimeoutMs = 120_000;
    private BiConsumer<Integer, NamesrvConfig.Builder> customizer = (i, b) -> {
    };

    public MiniCluster(int size, Path baseDir, int electionTimeoutMs, int snapshotIntervalSecs) throws IOException {
        this.baseDir = baseDir;
        this.electionTimeoutMs = electionTimeoutMs;
        this.snapshotIntervalSecs = snapshotIntervalSecs;
        this.nodes = new NamesrvNode[size];
        int[] ports = freePorts(size * 2);
        for (int i = 0; i < size; i++) {
            members.add(new Member("n" + (i + 1), "127.0.0.1", ports[2 * i], ports[2 * i + 1]));
        }
    }

    /** Test ports come from here: below Linux's ephemeral range (32768+), see {@link #freePorts}. */
    private static final int PORT_LO = 15_000;
    private static final int PORT_HI = 32_000;
    /** The next candidate port; starts at a per-process offset so that test JVMs side by side do not race. */
    private static final AtomicInteger NEXT_PORT = new AtomicInteger(
            (int) (ProcessHandle.current().pid() * 131 % (PORT_HI - PORT_LO)));

    /**
     * {@code n} ports that were free a moment ago, never handed out twice by this JVM. Not ephemeral ports: a port the
     * kernel picked for {@code new ServerSocket(0)} and that was closed again can be taken, before the node binds it,
     * as the local port of any outgoing connection (seen: "BindException: Address already in use" for a RocketMQ
     * ingress port), while a port below the ephemeral range is only ever taken by a deliberate bind.
     */
    public static int[] freePorts(int n) throws IOException {
        int[] ports = new int[n];
        int found = 0;
        for (int tries = 0; found < n && tries < PORT_HI - PORT_LO; tries++) {
            int port = PORT_LO + Math.floorMod(NEXT_PORT.getAndIncrement(), PORT_HI - PORT_LO);
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress("127.0.0.1", port));
                ports[found++] = port;
            } catch (IOException inUse) {
                // taken by someone else: try the next one
            }
        }
        if (found < n) {
            throw new IOException("no " + n + " free ports in [" + PORT_LO + ", " + PORT_HI + ")");
        }
        return ports;
    }

    /** Liveness settings for nodes started from now on. */
    public MiniCluster liveness(LivenessConfig l) {
        this.liveness = l;
        return this;
    }

    /** Runs the nodes in leaderless mode with this local broker timeout (scan every 100 ms). */
    public MiniCluster leaderless(int brokerTimeoutMs) {
        this.mode = NamesrvConfig.Mode.LEADERLESS;
        this.leaderlessTimeoutMs = brokerTimeoutMs;
        return this;
    }

    /** Extra settings for node i's config (applied last), e.g. other modules' keys; for nodes started from now on. */
    public MiniCluster customize(BiConsumer<Integer, NamesrvConfig.Builder> c) {
        this.customizer = c;
        return this;
    }

    public NamesrvConfig config(int i) {
        NamesrvConfig.Builder b = NamesrvConfig.builder().nodeId(members.get(i).id()).members(members)
                .dataDir(baseDir.resolve(members.get(i).id())).electionTimeoutMs(electionTimeoutMs)
                .snapshotIntervalSecs(snapshotIntervalSecs).snapshotLogIndexMargin(0).readTimeoutMs(3000)
                .writeTimeoutMs(5000).leaderTransferTimeoutMs(2000).liveness(liveness).mode(mode)
                .leaderlessBrokerTimeoutMs(leaderlessTimeoutMs).leaderlessScanIntervalMs(100);
        customizer.accept(i, b);
        return b.build();
    }

    public MiniCluster startAll() throws IOException {
        for (int i = 0; i < nodes.length; i++) {
            start(i);
        }
        return this;
    }

    public NamesrvNode start(int i) throws IOException {
        if (nodes[i] != null) {
            throw new IllegalStateException("node " + i + " is running");
        }
        nodes[i] = new NamesrvNode(config(i)).start();
        return nodes[i];
    }

    public void stop(int i) {
        if (nodes[i] != null) {
            nodes[i].close();
            nodes[i] = null;
        }
    }

    public NamesrvNode node(int i) {
        return nodes[i];
    }

    public int size() {
        return nodes.length;
    }

    public String clientAddress(int i) {
        return members.get(i).clientAddress();
    }

    public List<String> clientAddresses() {
        return members.stream().map(Member::clientAddress).toList();
    }

    public Path dataDir(int i) {
        return baseDir.resolve(members.get(i).id());
    }

    public Optional<Integer> leader() {
        for (int i = 0; i < nodes.length; i++) {
            if (nodes[i] != null && nodes[i].consensus().state().role() == Role.LEADER) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /** Waits for exactly one running leader that every running node follows. */
    public int awaitLeader(Duration timeout) {
        await(timeout, "a leader that every running node knows", () -> {
            Optional<Integer> l = leader();
            if (l.isEmpty()) {
                return false;
            }
            String id = members.get(l.get()).id();
            for (NamesrvNode n : nodes) {
                if (n != null && !id.equals(n.consensus().state().leaderId())) {
                    return false;
                }
            }
            return true;
        });
        return leader().orElseThrow();
    }

    public List<Integer> followers() {
        int l = leader().orElse(-1);
        List<Integer> f = new ArrayList<>();
        for (int i = 0; i < nodes.length; i++) {
            if (nodes[i] != null && i != l) {
                f.add(i);
            }
        }
        return f;
    }

    public static void await(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < nodes.length; i++) {
            try {
                stop(i);
            } catch (RuntimeException e) {
                System.err.println("error stopping node " + i + ": " + e);
            }
        }
    }
}
