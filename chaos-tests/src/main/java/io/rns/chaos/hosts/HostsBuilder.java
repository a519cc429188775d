package io.rns.chaos.hosts;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Backend-neutral settings of a chaos cluster; {@link #build()} makes the {@link Hosts} of the chosen
 * {@link Backend} (nodes are not started). The runners use this, so every scenario runs on every backend.
 */
public final class HostsBuilder {
    Backend backend = Backend.NETNS;
    int nodes = 3;
    String mode = "raft";
    int electionTimeoutMs = 1000;
    final Map<String, String> config = new LinkedHashMap<>();
    Path runDir;
    Path dataRoot = NodeLaunch.defaultDataRoot();
    boolean keepLogs;
    Integer subnetThirdOctet;
    final Map<String, String> nodeEnv = new LinkedHashMap<>();
    /** The node JVMs: this JVM's java and classpath, a 256m heap, no extra options. */
    final String javaBin = NodeLaunch.javaBin();
    final String classpath = NodeLaunch.classpath();
    final String heap = "256m";
    final List<String> jvmOpts = List.of();
    /** How long {@link Host#stop()} waits after SIGTERM before SIGKILL. */
    final Duration stopTimeout = Duration.ofSeconds(10);

    private HostsBuilder() {
    }

    /** A builder for the backend named by {@code -Drns.chaos.backend} (default netns). */
    public static HostsBuilder create() {
        return new HostsBuilder().backend(Backend.fromSystemProperty());
    }

    public static HostsBuilder create(Backend backend) {
        return new HostsBuilder().backend(backend);
    }

    public HostsBuilder backend(Backend b) {
        if (b == null) {
            throw new IllegalArgumentException("backend must not be null");
        }
        this.backend = b;
        return this;
    }

    public Backend backend() {
        return backend;
    }

    /** Number of nodes, 1..9 (default 3). */
    public HostsBuilder nodes(int n) {
        this.nodes = inRange(n, 1, 9, "nodes");
        return this;
    }

    /** {@code raft} (default) or {@code leaderless}. */
    public HostsBuilder mode(String m) {
        this.mode = m;
        return this;
    }
    /** {@code raft.election-timeout-ms} (default 1000). */
    public HostsBuilder electionTimeoutMs(int ms) {
        this.electionTimeoutMs = ms;
        return this;
    }
    /** Any other node config key (unknown keys make the node fail at startup). */
    public HostsBuilder config(String key, String value) {
        this.config.put(key, value);
        return this;
    }
    /**
     * Parent of the run directory (the run gets {@code <dir>/<prefix>/}); kept after close except the data dirs.
     * Default: a temp dir deleted at close (unless {@link #keepLogs}).
     */
    public HostsBuilder runDir(Path dir) {
        this.runDir = dir;
        return this;
    }
    /** Keep the temp run dir's logs after close (data dirs are always deleted). */
    public HostsBuilder keepLogs(boolean keep) {
        this.keepLogs = keep;
        return this;
    }
    /**
     * Where the netns/rootless nodes' data dirs go (default {@link NodeLaunch#defaultDataRoot()}: tmpfs); null = inside
     * the run dir, on the disk. The docker backend keeps them in the run dir (bind-mounted).
     */
    public HostsBuilder dataRoot(Path root) {
        this.dataRoot = root;
        return this;
    }
    /** Third octet of the nodes' /24 (netns/rootless: 10.199.X.0/24, docker: 10.198.X.0/24); default: a free one. */
    public HostsBuilder subnetThirdOctet(int x) {
        this.subnetThirdOctet = inRange(x, 0, 255, "subnet octet");
        return this;
    }
    /**
     * An environment variable for every node JVM; {@code {dir}} in the value becomes the node's directory (e.g. the
     * clock nemesis's per-node {@code FAKETIME_TIMESTAMP_FILE={dir}/faketime}).
     */
    public HostsBuilder nodeEnv(String key, String value) {
        this.nodeEnv.put(key, value);
        return this;
    }

    private static int inRange(int v, int min, int max, String what) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(what + " must be " + min + ".." + max + ": " + v);
        }
        return v;
    }

    /** Creates the hosts' network of the chosen backend; fails with the backend's reason if it cannot run here. */
    public Hosts build() {
        return switch (backend) {
            case NETNS -> NetnsHosts.create(this);
            case ROOTLESS -> {
                String why = RootlessHosts.unavailableReason();
                if (why != null) {
                    throw new HostsException(why);
                }
                yield NetnsHosts.create(this);
            }
            case DOCKER -> new DockerHosts(this);
        };
    }
}
