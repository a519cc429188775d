package io.rns.bench.infra;

import io.rns.client.ClusterMode;
import io.rns.client.NamesrvClient;
import io.rns.client.RetryPolicy;
import io.rns.rpc.transport.ClientTls;
import io.rns.rpc.transport.RpcClientOptions;
import io.rns.rpc.v1.GetNodeStatusResponse;
import io.rns.rpc.v1.Role;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A local RNS Raft cluster launched by the bench, one JVM per node started by scripts/rns-node (the launcher
 * scripts/cluster.sh uses: same JVM options and logback file; the bench adds -Xms equal to the heap), every port free
 * and on 127.0.0.1; every node also serves the RocketMQ protocol on its {@code rocketmq.listen-port}. Processes are
 * owned by this object and signalled by pid only.
 */
public final class BenchCluster implements AutoCloseable {
    public record Node(String id, int clientPort, int raftPort, int rmqPort, Path dir) {
        public String endpoint() {
            return "127.0.0.1:" + clientPort;
        }

        public String rmqAddr() {
            return "127.0.0.1:" + rmqPort;
        }

        /** Where the node's launcher, JVM and early output go (its logback files sit beside it). */
        public Path stdoutLog() {
            return dir.resolve("logs").resolve("stdout.log").toAbsolutePath();
        }
    }

    private final ServerBuild build;
    private final Path dir;
    private final String heap;
    private final Map<String, String> extraConfig;
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Process> procs = new LinkedHashMap<>();
    private final NamesrvClient admin;

    private BenchCluster(ServerBuild build, Path dir, int n, String heap, Map<String, String> extraConfig) {
        this.build = build;
        this.dir = dir;
        this.heap = heap;
        this.extraConfig = Map.copyOf(extraConfig);
        for (int i = 1; i <= n; i++) {
            nodes.add(new Node("n" + i, Procs.freePort(), Procs.freePort(), Procs.freePort(), dir.resolve("n" + i)));
        }
        this.admin = client(endpoints()).requestTimeout(Duration.ofSeconds(3)).overallTimeout(Duration.ofSeconds(5))
                .retryPolicy(RetryPolicy.NONE).build();
    }

    /** Starts n nodes and waits (bounded) for a leader that every node knows. */
    /**
     * A native client builder for this cluster's nodes (raft mode), speaking TLS when the run's node settings turn it
     * on (trusting their tls.trust-file) and acting as the account in $RNS_AUTH when they turn on auth.
     */
    public NamesrvClient.Builder client(List<String> endpoints) {
        NamesrvClient.Builder b = NamesrvClient.builder().endpoints(endpoints).mode(ClusterMode.RAFT);
        RmqClient.Security security = RmqClient.Security.forNodes(extraConfig);
        if (security.tls()) {
            String trust = extraConfig.get("tls.trust-file");
            b.rpcOptions(RpcClientOptions.builder()
                    .tls(new ClientTls(trust == null ? null : Path.of(trust), null, null, true)).build());
        }
        if (security.account() != null) {
            b.credentials(security.account(), security.secret());
        }
        return b;
    }

    public static BenchCluster start(ServerBuild build, Path dir, int n, String heap, Map<String, String> extraConfig) {
        BenchCluster c = new BenchCluster(build, dir, n, heap, extraConfig);
        try {
            for (Node node : c.nodes)
                c.launch(node);
            for (Node node : c.nodes)
                Procs.awaitPort(c.procs.get(node.id()), node.clientPort(), 90_000, node.id(), node.stdoutLog());
            c.awaitLeader(90_000);
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private String members() {
        StringBuilder b = new StringBuilder();
        for (Node n : nodes) {
            if (b.length() > 0)
                b.append(',');
            b.append(n.id()).append("@127.0.0.1:").append(n.raftPort()).append(':').append(n.clientPort());
        }
        return b.toString();
    }

    private void launch(Node n) {
        try {
            Files.createDirectories(n.dir().resolve("data"));
            Files.createDirectories(n.dir().resolve("logs"));
            Map<String, String> p = new LinkedHashMap<>();
            p.put("node.id", n.id());
            p.put("members", members());
            p.put("data.dir", n.dir().resolve("data").toAbsolutePath().toString());
            p.put("mode", "raft");
            p.put("rocketmq.listen-port", Integer.toString(n.rmqPort()));
            p.putAll(extraConfig);
            StringBuilder b = new StringBuilder("# written by the RNS bench\n");
            p.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
            Files.writeString(n.dir().resolve("rns.properties"), b.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path logs = n.stdoutLog().getParent();
        List<String> cmd = List.of(build.launcher().toString(), "--config",
                n.dir().resolve("rns.properties").toAbsolutePath().toString(), "--log-dir", logs.toString(), "--heap",
                heap, "--jvm-opt", "-Xms" + heap, "--java", Procs.javaBin(), "--classpath", build.classpath());
        procs.put(n.id(), Procs.start(cmd, n.dir(), n.stdoutLog()));
    }

    public List<Node> nodes() {
        return List.copyOf(nodes);
    }

    public List<String> endpoints() {
        return nodes.stream().map(Node::endpoint).toList();
    }

    public Node node(String id) {
        return nodes.stream().filter(n -> n.id().equals(id)).findFirst().orElseThrow();
    }

    public long pid(String id) {
        return procs.get(id).pid();
    }

    public boolean alive(String id) {
        Process p = procs.get(id);
        return p != null && p.isAlive();
    }

    public Optional<GetNodeStatusResponse> status(Node n) {
        if (!alive(n.id()))
            return Optional.empty();
        try {
            return Optional.of(admin.nodeStatus(n.endpoint()).value());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The node every live node agrees is leader (role LEADER on itself), waiting up to timeoutMs. */
    public Node awaitLeader(long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            for (Node n : nodes) {
                Optional<GetNodeStatusResponse> s = status(n);
                if (s.isPresent() && s.get().getRole() == Role.LEADER)
                    return n;
            }
            Procs.sleep(50);
        }
        throw new IllegalStateException("no RNS leader after " + timeoutMs + " ms (logs under " + dir + ")");
    }

    public Node follower(Node leader) {
        return nodes.stream().filter(n -> !n.equals(leader) && alive(n.id())).findFirst().orElseThrow();
    }

    /** Waits until every live node has applied at least the leader's applied index. */
    public void awaitCaughtUp(long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            long target = -1;
            boolean ok = true;
            for (Node n : nodes) {
                if (!alive(n.id()))
                    continue;
                Optional<GetNodeStatusResponse> s = status(n);
                if (s.isEmpty()) {
                    ok = false;
                    break;
                }
                if (s.get().getRole() == Role.LEADER)
                    target = s.get().getCommitIndex();
            }
            if (ok && target >= 0) {
                boolean all = true;
                for (Node n : nodes) {
                    if (!alive(n.id()))
                        continue;
                    Optional<GetNodeStatusResponse> s = status(n);
                    if (s.isEmpty() || s.get().getAppliedIndex() < target)
                        all = false;
                }
                if (all)
                    return;
            }
            Procs.sleep(50);
        }
        throw new IllegalStateException("nodes not caught up after " + timeoutMs + " ms");
    }

    public void kill(String id) {
        Procs.kill(procs.get(id));
    }

    public void stop(String id) {
        Procs.stop(procs.get(id), 20_000);
    }

    /** Starts a stopped/killed node again on its data dir; {@code wipe} deletes its data first (a new node). */
    public void restart(String id, boolean wipe) {
        Node n = node(id);
        if (alive(id))
            throw new IllegalStateException(id + " is running");
        if (wipe)
            Procs.deleteTree(n.dir().resolve("data"));
        launch(n);
        Procs.awaitPort(procs.get(id), n.clientPort(), 90_000, id, n.stdoutLog());
    }

    public long heapBytes(String id) {
        return alive(id) ? Procs.liveHeapBytes(pid(id)) : -1;
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() {
        admin.close();
        for (Process p : procs.values())
            p.destroy(); // SIGTERM all, then wait for each
        for (Process p : procs.values())
            Procs.stop(p, 20_000);
    }
}
