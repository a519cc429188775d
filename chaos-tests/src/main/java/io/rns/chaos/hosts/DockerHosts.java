package io.rns.chaos.hosts;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.utility.DockerImageName;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The Testcontainers backend: one container per node on a user-defined <b>internal</b> docker network with an
 * explicit subnet, the harness on the engine host talking to the containers' IPs directly.
 *
 * <pre>
 *   engine host (harness):  bridge of network &lt;prefix&gt;-net, gateway 10.198.X.1  (= {@link #harnessAddress()})
 *   container &lt;prefix&gt;-n1:  eth0 10.198.X.11 (node n1: raft :9781, client :9771)   --init, NET_ADMIN
 *   container &lt;prefix&gt;-n2:  eth0 10.198.X.12 ...
 * </pre>
 *
 * <p>Image: the locally imported {@link SkeletonImage} (no pulls); each container binds the host's {@code /usr},
 * {@code /etc/alternatives} and {@code /etc/java-17-openjdk} read-only (the host JDK, iproute2 and iptables), every
 * classpath entry of the harness read-only under {@code /rns/cp/}, the repository's {@code scripts/} (the node
 * launcher) and {@code conf/} read-only at their own paths, and the run dir read-write at its own path (so
 * config, data dir and logs have the same absolute paths inside and out). Binds are added through
 * {@code withCreateContainerCmdModifier}, never {@code withFileSystemBind} (which starts a helper container that would
 * need a pull). Because the bind sources are host paths, the engine must run on this Linux machine.
 *
 * <p>Faults, the same vocabulary as {@link NetnsHosts}:
 * <ul>
 *   <li>partition / cut / one-way drop / loss: iptables rules in the node containers' own chains {@code RNSC_IN} /
 *       {@code RNSC_OUT} (via {@code docker exec ... iptables-restore}), flushed by {@link #heal()}. A container's
 *       network namespace is re-made when it restarts, so a restarted node gets its current rules re-applied
 *       <em>before</em> its JVM starts (the container's command waits for a go-file the harness creates after the
 *       rules are in); rules added while a node is down are applied when it comes back. Rules never involve the
 *       gateway, so the harness is never cut off.</li>
 *   <li>kill -9: {@code docker kill -s KILL} (kills the init and with it the JVM); restart: {@code docker start} of
 *       the same container: same IP, same bind-mounted data dir.</li>
 *   <li>pause / resume: SIGSTOP / SIGCONT of the node JVM inside the container (its pid file), like the netns
 *       backend — not {@code docker pause}, so rules can still be changed while a node is paused.</li>
 * </ul>
 *
 * <p>Every container and the network carry the labels {@code io.rns.chaos=true} and {@code io.rns.chaos.run=<prefix>};
 * {@link #close()} force-removes the containers and the network and deletes the data dirs (also from a shutdown
 * hook). Requires {@code TESTCONTAINERS_RYUK_DISABLED=true} (Ryuk would need a pull) and, when the harness itself runs
 * in a container ({@code /.dockerenv}), {@code TESTCONTAINERS_HOST_OVERRIDE=localhost}; check with
 * {@link #unavailableReason()}.
 */
public final class DockerHosts extends AbstractHosts<DockerHosts.DockerHost> {
    public static final String CHAIN_IN = NetnsHosts.CHAIN_IN;
    public static final String CHAIN_OUT = NetnsHosts.CHAIN_OUT;
    public static final int RAFT_PORT_BASE = NetnsHosts.RAFT_PORT_BASE;
    public static final int CLIENT_PORT_BASE = NetnsHosts.CLIENT_PORT_BASE;
    public static final String LABEL = "io.rns.chaos";
    public static final String LABEL_RUN = "io.rns.chaos.run";
    public static final String LABEL_NODE = "io.rns.chaos.node";

    private static final String GO_FILE = "/run/rnsc-go";
    private static final String PID_FILE = "/run/rnsc-node.pid";
    private static final Duration KILL_WAIT = Duration.ofSeconds(15);

    private final DockerClient docker;
    private final List<Bind> binds = new ArrayList<>();
    private final String containerClasspath;
    private final Map<String, String> labels;
    private Network network;

    DockerHosts(HostsBuilder b) {
        super(b);
        String why = unavailableReason();
        if (why != null) {
            throw new HostsException(why);
        }
        this.docker = DockerClientFactory.instance().client();
        String runPrefix = DockerRunSetup.pickPrefix(docker);
        this.labels = Map.of(LABEL, "true", LABEL_RUN, runPrefix);
        claimRun(runPrefix, b);
        this.containerClasspath = DockerRunSetup.planBinds(binds, runDir, b.classpath, b.javaBin);
        addShutdownHook("rns-chaos-docker-cleanup-" + prefix);
        String sub;
        try {
            SkeletonImage.ensure(docker);
            DockerRunSetup.CreatedNetwork created = DockerRunSetup.createNetwork(docker, prefix, labels,
                    b.subnetThirdOctet);
            network = created.network();
            sub = created.subnetPrefix();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        useSubnet(sub, b.nodes);
        for (int i = 1; i <= b.nodes; i++) {
            String id = "n" + i;
            Path dir = runDir.resolve(id);
            Path data = dir.resolve("data");
            Path config = NodeLaunch.writeConfig(dir, id, members(), data, b.mode, b.electionTimeoutMs, b.config);
            hosts.add(new DockerHost(id, subnetPrefix + (10 + i), i, dir, data, config));
            rules.put(id, new LinkedHashSet<>());
        }
        log("ready: " + hosts.size() + " hosts on network " + prefix + "-net " + subnetPrefix + "0/24 (image "
                + SkeletonImage.NAME + "), harness " + harnessAddress() + ", run dir " + runDir);
    }

    /** A builder preset to this backend. */
    public static HostsBuilder builder() {
        return HostsBuilder.create(Backend.DOCKER);
    }

    /**
     * {@code null} if a local docker engine is usable through Testcontainers without pulls, else a human-readable
     * reason.
     */
    public static String unavailableReason() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return "docker backend needs Linux (the skeleton image binds the host's /usr)";
        }
        if (!"true".equalsIgnoreCase(System.getenv("TESTCONTAINERS_RYUK_DISABLED"))) {
            return "set TESTCONTAINERS_RYUK_DISABLED=true (Ryuk needs an image pull; the docker backend removes its own"
                    + " containers)";
        }
        if (Files.exists(Path.of("/.dockerenv")) && System.getenv("TESTCONTAINERS_HOST_OVERRIDE") == null) {
            return "this JVM runs inside a container (/.dockerenv): set TESTCONTAINERS_HOST_OVERRIDE=localhost, or"
                    + " Testcontainers starts a helper container that needs a pull";
        }
        if (!Files.isDirectory(Path.of("/usr/sbin")) || !Files.isExecutable(Path.of("/usr/sbin/iptables-restore"))
                && !Files.isExecutable(Path.of("/usr/bin/iptables-restore"))) {
            return "the docker backend's containers use the host's iptables-restore (apt-get install iptables)";
        }
        try {
            if (!DockerClientFactory.instance().isDockerAvailable()) {
                return "no docker engine reachable (Testcontainers found none; start dockerd, e.g. `dockerd"
                        + " >/tmp/dockerd.log 2>&1 &`)";
            }
        } catch (RuntimeException | LinkageError e) {
            return "no docker engine reachable: " + e;
        }
        return null;
    }

    // ---- Hosts -------------------------------------------------------------------------------------------------

    /** The docker network's name. */
    public String networkName() {
        return prefix + "-net";
    }

    /** The docker network's id. */
    public String networkId() {
        return network.getId();
    }

    /** The container name of a host. */
    public String containerName(String host) {
        return prefix + "-" + node(host).id;
    }

    /** Runs a command inside the host's container ({@code docker exec}; bounded time). */
    @Override
    public String clientSource(int i) {
        throw new UnsupportedOperationException("client-side partitions (client source addresses) need the netns "
                + "backend (-Drns.chaos.backend=netns, root); the docker backend has no extra harness addresses");
    }

    @Override
    public ExecResult netnsExec(String host, String... command) {
        DockerHost h = node(host);
        if (!h.created()) {
            return new ExecResult(execDescription(h, List.of(command)), 125, "",
                    "container of " + host + " not created yet", false);
        }
        return exec(h, List.of(command));
    }

    /** Creates the chains (empty) and loads the host's wanted rules: after every container (re)start. */
    private void installRules(DockerHost h) {
        StringBuilder s = new StringBuilder("*filter\n:" + CHAIN_IN + " - [0:0]\n:" + CHAIN_OUT + " - [0:0]\n");
        s.append("-A INPUT -j ").append(CHAIN_IN).append('\n').append("-A OUTPUT -j ").append(CHAIN_OUT).append('\n');
        for (String r : rules.get(h.id)) {
            s.append(r).append('\n');
        }
        s.append("COMMIT\n");
        // no -n: a fresh network namespace, so the whole filter table is ours
        iptablesRestoreFull(h, s.toString()).orThrow();
    }

    /** Rules go in only while the container runs; {@link #installRules} loads the wanted ones at every start. */
    @Override
    protected boolean rulesLoadable(DockerHost h) {
        return h.created() && h.running();
    }

    @Override
    protected ExecResult restoreRules(DockerHost h, String script) {
        return exec(h, List.of("sh", "-c", "exec iptables-restore -w 5 -n <<'RNSC_EOF'\n" + script + "RNSC_EOF\n"));
    }

    private ExecResult iptablesRestoreFull(DockerHost h, String script) {
        return exec(h, List.of("sh", "-c", "exec iptables-restore -w 5 <<'RNSC_EOF'\n" + script + "RNSC_EOF\n"));
    }

    private List<String> execDescription(DockerHost h, List<String> command) {
        List<String> d = new ArrayList<>(List.of("docker", "exec", containerName(h.id)));
        d.addAll(command);
        return d;
    }

    /** {@code docker exec} with stdout/stderr collected, bounded in time. */
    private ExecResult exec(DockerHost h, List<String> command) {
        return ContainerExec.run(docker, h.containerId, execDescription(h, command), command);
    }

    // ---- cleanup -----------------------------------------------------------------------------------------------

    @Override
    protected String release() {
        // every container of this run, by label (also ones whose creation failed half-way)
        Set<String> ids = new LinkedHashSet<>();
        for (DockerHost h : hosts) {
            if (h.containerId != null) {
                ids.add(h.containerId);
            }
        }
        try {
            for (Container c : docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(LABEL_RUN, prefix))
                    .exec()) {
                ids.add(c.getId());
            }
        } catch (RuntimeException e) {
            System.err.println("[chaos-hosts] cleanup: listing containers failed: " + e);
        }
        for (String id : ids) {
            try {
                docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
            } catch (NotFoundException e) {
                // already gone
            } catch (RuntimeException e) {
                System.err.println("[chaos-hosts] cleanup: removing container " + id + " failed: " + e);
            }
        }
        if (network != null) {
            try {
                network.close(); // Testcontainers removes it
            } catch (RuntimeException e) {
                System.err.println("[chaos-hosts] cleanup: removing network " + prefix + "-net failed: " + e);
            }
        }
        try {
            for (var n : docker.listNetworksCmd().withNameFilter(prefix + "-net").exec()) {
                docker.removeNetworkCmd(n.getId()).exec();
            }
        } catch (NotFoundException e) {
            // gone
        } catch (RuntimeException e) {
            System.err.println("[chaos-hosts] cleanup: removing network " + prefix + "-net failed: " + e);
        }
        for (DockerHost h : hosts) {
            NodeLaunch.deleteTree(h.dataDir);
        }
        if (deleteRunDir) {
            NodeLaunch.deleteTree(runDir);
        }
        return "closed: removed " + ids.size() + " containers and network " + prefix + "-net"
                + (deleteRunDir ? "" : " (logs kept in " + runDir + ")");
    }

    // ---- one host ----------------------------------------------------------------------------------------------

    /** Every state change holds the outer lock, so rules and restarts never interleave. */
    final class DockerHost extends NodeHost {
        private GenericContainer<?> container;
        private volatile String containerId;

        DockerHost(String id, String ip, int index, Path dir, Path dataDir, Path config) {
            super(id, ip, index, dir, dataDir, config);
        }

        boolean created() {
            return containerId != null;
        }

        /** The container's state from the engine (null if it does not exist). */
        private InspectContainerResponse.ContainerState state() {
            if (containerId == null) {
                return null;
            }
            try {
                return docker.inspectContainerCmd(containerId).exec().getState();
            } catch (NotFoundException e) {
                return null;
            }
        }

        boolean running() {
            var s = state();
            return s != null && Boolean.TRUE.equals(s.getRunning());
        }

        /** The container's command: wait for the go-file (rules are in by then), write the pid, exec the JVM. */
        private List<String> command() {
            List<String> java = NodeLaunch.command(javaBin, heap, containerClasspath, dir.resolve("logs"), config,
                    extraJvmOpts);
            String script = "i=0; while [ ! -e " + GO_FILE + " ]; do i=$((i+1)); if [ $i -gt 1200 ]; then"
                    + " echo 'rns-chaos: no go-file after 60 s' >&2; exit 3; fi; sleep 0.05; done; rm -f " + GO_FILE
                    + "; echo $$ > " + PID_FILE + "; cd \"$RNSC_DIR\" && exec \"$@\" >> \"$RNSC_STDOUT\" 2>&1";
            List<String> c = new ArrayList<>(List.of("sh", "-c", script, "rns-node-" + id));
            c.addAll(java);
            return c;
        }

        @Override
        public void start() {
            synchronized (DockerHosts.this) {
                if (closed) {
                    throw new HostsException("hosts are closed");
                }
                if (created() && running()) {
                    return;
                }
                try {
                    Files.createDirectories(dir.resolve("logs"));
                } catch (IOException e) {
                    throw new HostsException("cannot start node " + id + ": " + e.getMessage(), e);
                }
                try {
                    if (!created()) {
                        create();
                    } else {
                        docker.startContainerCmd(containerId).exec();
                    }
                    installRules(this);
                    exec(this, List.of("sh", "-c", "rm -f " + PID_FILE + " && : > " + GO_FILE)).orThrow();
                } catch (DockerException | IllegalStateException e) {
                    throw new HostsException(
                            "cannot start node " + id + " (container " + containerName(id) + "): " + e.getMessage(), e);
                }
                paused = false;
                log("started " + id + " (container " + containerName(id) + " " + shortId() + ")");
            }
        }

        private Map<String, String> nodeEnvFor(Path dir) {
            Map<String, String> env = new LinkedHashMap<>();
            nodeEnv.forEach((k, v) -> env.put(k, v.replace("{dir}", dir.toAbsolutePath().toString())));
            return env;
        }

        private void create() {
            Map<String, String> l = new LinkedHashMap<>(labels);
            l.put(LABEL_NODE, id);
            GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(SkeletonImage.NAME))
                    .withNetwork(network).withLabels(l).withEnv("CLASSPATH", containerClasspath)
                    .withEnv("RNSC_DIR", dir.toString()).withEnv("RNSC_STDOUT", stdoutFile().toString())
                    .withEnv(nodeEnvFor(dir)).withCommand(command().toArray(String[]::new)).withStartupAttempts(1)
                    .withCreateContainerCmdModifier(cmd -> {
                        cmd.withName(containerName(id)).withHostName(id).withIpv4Address(ip);
                        HostConfig hc = cmd.getHostConfig() == null ? HostConfig.newHostConfig() : cmd.getHostConfig();
                        hc.withInit(true).withCapAdd(Capability.NET_ADMIN).withBinds(binds);
                        cmd.withHostConfig(hc);
                    });
            container = c;
            c.start();
            containerId = c.getContainerId();
        }

        private String shortId() {
            return containerId == null ? "-" : containerId.substring(0, Math.min(12, containerId.length()));
        }

        @Override
        public void kill9() {
            synchronized (DockerHosts.this) {
                if (isDown()) {
                    return;
                }
                try {
                    docker.killContainerCmd(containerId).withSignal("KILL").exec();
                } catch (DockerException e) {
                    if (running()) {
                        throw new HostsException("docker kill -s KILL " + containerName(id) + ": " + e.getMessage(), e);
                    }
                }
                boolean gone = awaitStopped(KILL_WAIT);
                paused = false;
                log("killed " + id + (gone ? "" : " (STILL RUNNING)"));
            }
        }

        @Override
        public void stop() {
            synchronized (DockerHosts.this) {
                if (isDown()) {
                    return;
                }
                if (paused) {
                    resume();
                }
                try {
                    // SIGTERM to the init, which forwards it to the JVM; SIGKILL after the timeout
                    docker.stopContainerCmd(containerId).withTimeout((int) Math.max(1, stopTimeout.toSeconds())).exec();
                } catch (DockerException e) {
                    if (running()) {
                        throw new HostsException("docker stop " + containerName(id) + ": " + e.getMessage(), e);
                    }
                }
                awaitStopped(KILL_WAIT);
                paused = false;
                log("stopped " + id);
            }
        }

        /** Whether the container is not running (then the host is not paused either). */
        private boolean isDown() {
            if (!created() || !running()) {
                paused = false;
                return true;
            }
            return false;
        }

        private boolean awaitStopped(Duration d) {
            long until = System.nanoTime() + d.toNanos();
            while (running()) {
                if (System.nanoTime() > until) {
                    return false;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return !running();
                }
            }
            return true;
        }

        @Override
        public void pause() {
            synchronized (DockerHosts.this) {
                if (!created() || paused || !running()) {
                    return;
                }
                signal("STOP");
                paused = true;
                log("paused " + id + " (SIGSTOP to its JVM)");
            }
        }

        @Override
        public void resume() {
            synchronized (DockerHosts.this) {
                if (!paused) {
                    return;
                }
                if (created() && running()) {
                    signal("CONT");
                    log("resumed " + id);
                }
                paused = false;
            }
        }

        private void signal(String sig) {
            // the pid file appears a few ms after start(): wait for it (bounded)
            exec(this, List.of("sh", "-c", "i=0; while [ ! -s " + PID_FILE + " ] && [ $i -lt 100 ]; do i=$((i+1));"
                    + " sleep 0.05; done; kill -" + sig + " \"$(cat " + PID_FILE + ")\"")).orThrow();
        }

        @Override
        public boolean isRunning() {
            synchronized (DockerHosts.this) {
                return created() && running();
            }
        }

        @Override
        public boolean isPaused() {
            synchronized (DockerHosts.this) {
                return paused && isRunning();
            }
        }

        /** The engine host's pid of the container's init process (the JVM is its only child). */
        @Override
        public OptionalLong pid() {
            synchronized (DockerHosts.this) {
                var s = state();
                if (s == null || !Boolean.TRUE.equals(s.getRunning()) || s.getPidLong() == null) {
                    return OptionalLong.empty();
                }
                return OptionalLong.of(s.getPidLong());
            }
        }

        @Override
        public String toString() {
            return id + "@" + ip + " (container " + containerName(id) + ")";
        }
    }
}
