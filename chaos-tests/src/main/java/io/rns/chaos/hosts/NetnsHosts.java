package io.rns.chaos.hosts;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * The root backend: one network namespace per node, all plugged into a bridge that lives in its own "switch"
 * namespace, and the harness in the <b>root namespace</b> with one veth into that bridge.
 *
 * <pre>
 *   root ns:  &lt;prefix&gt;h  10.199.X.1/24  ──veth──┐
 *   &lt;prefix&gt;sw:  br0 ── ph, p1, p2, ...          │  (bridge; no addresses, no rules)
 *   &lt;prefix&gt;n1:  eth0 10.199.X.11/24  (node n1: raft 10.199.X.11:9781, client :9771)
 *   &lt;prefix&gt;n2:  eth0 10.199.X.12/24  ...
 * </pre>
 *
 * <p>{@code prefix} is {@code rnsc} + 4 random hex digits (unique among existing namespaces). The subnet is
 * 10.199.77.0/24 unless the root namespace already has an address or route in it (e.g. a parallel run), then
 * another 10.199.X.0/24 with X in 64..127 that is free. The only things created in the root namespace are the
 * harness veth and its connected route, both removed at close; the host's own interfaces and iptables rules are
 * never touched. Partition/loss rules go into two chains, {@code RNSC_IN} and {@code RNSC_OUT}, created in each node
 * namespace and jumped to from INPUT/OUTPUT; {@link #heal()} flushes them.
 *
 * <p>Node JVMs run as {@code ip netns exec <ns> scripts/rns-node --config <runDir>/nI/rns.properties ...} (ip
 * and rns-node exec, so {@link Process#pid()} is the JVM's pid), with the harness JVM's classpath, and stdout/stderr appended to
 * {@code <runDir>/nI/stdout.log}.
 *
 * <p>Requires root, {@code ip} (iproute2) and, for network faults, {@code iptables} (nft or legacy) with the
 * {@code statistic} match. Check with {@link #unavailableReason()} first.
 */
public final class NetnsHosts extends AbstractHosts<NetnsHosts.NetnsHost> {
    public static final String CHAIN_IN = FaultRules.CHAIN_IN;
    public static final String CHAIN_OUT = FaultRules.CHAIN_OUT;
    public static final int RAFT_PORT_BASE = NodeHost.RAFT_PORT_BASE;
    public static final int CLIENT_PORT_BASE = NodeHost.CLIENT_PORT_BASE;

    private static final Duration KILL_WAIT = Duration.ofSeconds(10);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String switchNs;
    private final String harnessLink;
    private final Path dataRoot; // holds the nodes' data dirs; deleted at close
    private final String classpath;
    private final List<String> createdNamespaces = new ArrayList<>();

    private NetnsHosts(HostsBuilder b) {
        super(b);
        String runPrefix = freePrefix(Cmd.run("ip", "netns", "list").stdout(), "namespace");
        String subnet = pickSubnet(b.subnetThirdOctet);
        this.switchNs = runPrefix + "sw";
        this.harnessLink = runPrefix + "h";
        claimRun(runPrefix, b);
        this.classpath = b.classpath;
        useSubnet(subnet, b.nodes);
        this.dataRoot = NodeLaunch.dataRoot(b.dataRoot, runDir, prefix);
        for (int i = 1; i <= b.nodes; i++) {
            String id = "n" + i;
            Path dir = runDir.resolve(id);
            Path data = dataRoot.resolve(id);
            Path config = NodeLaunch.writeConfig(dir, id, members(), data, b.mode, b.electionTimeoutMs, b.config);
            hosts.add(new NetnsHost(id, subnetPrefix + (10 + i), prefix + id, i, dir, data, config));
        }
        addShutdownHook("rns-chaos-hosts-cleanup-" + prefix);
        try {
            buildTopology();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        log("ready: " + hosts.size() + " hosts on " + subnetPrefix + "0/24, harness " + harnessAddress() + ", run dir "
                + runDir);
    }

    /** A {@link HostsBuilder} preset to this backend; {@link #create} makes the namespaces of its settings. */
    public static HostsBuilder builder() {
        return HostsBuilder.create(Backend.NETNS);
    }

    /** Creates the namespaces of the builder's settings (nodes are not started), whatever its backend. */
    public static NetnsHosts create(HostsBuilder settings) {
        String why = unavailableReason();
        if (why != null) {
            throw new HostsException(why);
        }
        return new NetnsHosts(settings);
    }

    /**
     * {@code null} if this machine can run the netns backend with network faults (root, {@code ip}, {@code iptables},
     * {@code ip netns} works), else a human-readable reason (for JUnit {@code Assumptions}).
     */
    public static String unavailableReason() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return "netns backend needs Linux";
        }
        ExecResult id = Cmd.run("id", "-u");
        if (!id.ok() || !id.stdout().strip().equals("0")) {
            return "netns backend needs root (id -u = " + id.stdout().strip() + ")";
        }
        ExecResult ip = Cmd.run("ip", "netns", "list");
        if (!ip.ok()) {
            return "`ip netns` unavailable (install iproute2): " + ip.describe();
        }
        ExecResult ipt = Cmd.run("iptables", "--version");
        if (!ipt.ok()) {
            return "`iptables` unavailable (apt-get install iptables): " + ipt.describe();
        }
        return null;
    }

    // ---- topology ----------------------------------------------------------------------------------------------

    private void buildTopology() {
        addNamespace(switchNs);
        ip("-n", switchNs, "link", "set", "lo", "up");
        ip("-n", switchNs, "link", "add", "br0", "type", "bridge");
        ip("-n", switchNs, "link", "set", "br0", "up");
        for (NetnsHost h : hosts) {
            addNamespace(h.ns);
            String port = "p" + h.index;
            ip("-n", switchNs, "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", h.ns);
            ip("-n", switchNs, "link", "set", port, "master", "br0");
            ip("-n", switchNs, "link", "set", port, "up");
            ip("-n", h.ns, "addr", "add", h.ip + "/24", "dev", "eth0");
            ip("-n", h.ns, "link", "set", "eth0", "up");
            ip("-n", h.ns, "link", "set", "lo", "up");
            restoreRules(h, "*filter\n:" + CHAIN_IN + " - [0:0]\n:" + CHAIN_OUT + " - [0:0]\n" + "-A INPUT -j "
                    + CHAIN_IN + "\n-A OUTPUT -j " + CHAIN_OUT + "\nCOMMIT\n").orThrow();
            rules.put(h.id, new LinkedHashSet<>());
        }
        // the harness's leg: created in the root namespace, its peer moved into the switch namespace at once
        ip("link", "add", harnessLink, "type", "veth", "peer", "name", "ph", "netns", switchNs);
        Cmd.run("sysctl", "-q", "-w", "net.ipv6.conf." + harnessLink + ".disable_ipv6=1"); // best effort, own link
        ip("-n", switchNs, "link", "set", "ph", "master", "br0");
        ip("-n", switchNs, "link", "set", "ph", "up");
        ip("addr", "add", harnessAddress() + "/24", "dev", harnessLink);
        for (int i = 0; i < CLIENT_SOURCES; i++) {
            ip("addr", "add", clientSource(i) + "/24", "dev", harnessLink); // secondary addresses on the same leg
        }
        ip("link", "set", harnessLink, "up");
    }

    private void addNamespace(String ns) {
        ip("netns", "add", ns);
        createdNamespaces.add(ns);
    }

    private static void ip(String... args) {
        List<String> c = new ArrayList<>();
        c.add("ip");
        c.addAll(List.of(args));
        Cmd.run(c).orThrow();
    }

    private static String pickSubnet(Integer wanted) {
        String used = Cmd.run("ip", "-4", "-o", "addr", "show").stdout() + "\n"
                + Cmd.run("ip", "-4", "route", "show").stdout();
        if (wanted != null) {
            String p = "10.199." + wanted + ".";
            if (used.contains(p)) {
                throw new HostsException("subnet " + p + "0/24 is already in use in the root namespace");
            }
            return p;
        }
        if (!used.contains("10.199.77.")) {
            return "10.199.77.";
        }
        for (int attempt = 0; attempt < 200; attempt++) {
            String p = "10.199." + (64 + RANDOM.nextInt(64)) + ".";
            if (!used.contains(p)) {
                return p;
            }
        }
        throw new HostsException("no free 10.199.X.0/24 subnet (X in 64..127) in the root namespace");
    }

    // ---- Hosts -------------------------------------------------------------------------------------------------

    /** The bridge's namespace. */
    public String switchNamespace() {
        return switchNs;
    }

    /** The root-namespace end of the harness's veth. */
    public String harnessLink() {
        return harnessLink;
    }

    /** Every namespace this object created (switch first). */
    public synchronized List<String> namespaces() {
        return List.copyOf(createdNamespaces);
    }

    @Override
    public ExecResult netnsExec(String host, String... command) {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", node(host).ns));
        c.addAll(List.of(command));
        return Cmd.run(c);
    }

    @Override
    protected ExecResult restoreRules(NetnsHost h, String script) {
        return Cmd.run(Cmd.DEFAULT_TIMEOUT, script,
                List.of("ip", "netns", "exec", h.ns, "iptables-restore", "-w", "5", "-n"));
    }

    // ---- cleanup -----------------------------------------------------------------------------------------------

    @Override
    protected String release() {
        for (NetnsHost h : hosts) {
            try {
                h.kill9();
            } catch (RuntimeException e) {
                System.err.println("[chaos-hosts] cannot kill " + h.id + ": " + e);
            }
        }
        if (Cmd.run("ip", "link", "show", harnessLink).ok()) {
            report(Cmd.run("ip", "link", "del", harnessLink));
        }
        for (int i = createdNamespaces.size() - 1; i >= 0; i--) {
            report(Cmd.run("ip", "netns", "del", createdNamespaces.get(i)));
        }
        createdNamespaces.clear();
        for (NetnsHost h : hosts) {
            NodeLaunch.deleteTree(h.dataDir);
        }
        if (!dataRoot.equals(runDir)) {
            NodeLaunch.deleteTree(dataRoot);
        }
        if (deleteRunDir) {
            NodeLaunch.deleteTree(runDir);
        }
        return "closed" + (deleteRunDir ? "" : " (logs kept in " + runDir + ")");
    }

    private static void report(ExecResult r) {
        if (!r.ok()) {
            System.err.println("[chaos-hosts] cleanup: " + r.describe());
        }
    }

    // ---- one host ----------------------------------------------------------------------------------------------

    final class NetnsHost extends NodeHost {
        final String ns;
        private Process process;

        NetnsHost(String id, String ip, String ns, int index, Path dir, Path dataDir, Path config) {
            super(id, ip, index, dir, dataDir, config);
            this.ns = ns;
        }

        @Override
        public synchronized void start() {
            if (closed) { // volatile read: never take the outer lock while holding a host's (close() does the reverse)
                throw new HostsException("hosts are closed");
            }
            if (process != null && process.isAlive()) {
                return;
            }
            List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
            cmd.addAll(NodeLaunch.command(javaBin, heap, classpath, dir.resolve("logs"), config, extraJvmOpts));
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(stdoutFile().toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().put("CLASSPATH", classpath);
            nodeEnv.forEach((k, v) -> pb.environment().put(k, v.replace("{dir}", dir.toAbsolutePath().toString())));
            try {
                Files.createDirectories(dir.resolve("logs"));
                process = pb.start();
            } catch (IOException e) {
                throw new HostsException("cannot start node " + id + ": " + e.getMessage(), e);
            }
            paused = false;
            log("started " + id + " pid " + process.pid());
        }

        @Override
        public synchronized void kill9() {
            Process p = liveProcess();
            if (p == null) {
                return;
            }
            p.destroyForcibly(); // SIGKILL (works on a stopped process too)
            awaitExit(p, KILL_WAIT);
            NodeLaunch.removePreloadLitter(nodeEnv, p);
            paused = false;
            log("killed " + id + " pid " + p.pid() + (p.isAlive() ? " (STILL ALIVE)" : ""));
        }

        @Override
        public synchronized void stop() {
            Process p = liveProcess();
            if (p == null) {
                return;
            }
            if (paused) {
                resume();
            }
            p.destroy(); // SIGTERM
            if (!awaitExit(p, stopTimeout)) {
                log("node " + id + " did not stop within " + stopTimeout.toMillis() + " ms: SIGKILL");
                p.destroyForcibly();
                awaitExit(p, KILL_WAIT);
                NodeLaunch.removePreloadLitter(nodeEnv, p);
            }
            paused = false;
            log("stopped " + id + " pid " + p.pid());
        }

        /** The node's JVM if it is alive; else null, and the host is not paused either. */
        private Process liveProcess() {
            Process p = process;
            if (p == null || !p.isAlive()) {
                paused = false;
                return null;
            }
            return p;
        }

        @Override
        public synchronized void pause() {
            Process p = process;
            if (p == null || !p.isAlive() || paused) {
                return;
            }
            Cmd.run("kill", "-STOP", Long.toString(p.pid())).orThrow();
            paused = true;
            log("paused " + id + " pid " + p.pid());
        }

        @Override
        public synchronized void resume() {
            Process p = process;
            if (p == null || !paused) {
                paused = false;
                return;
            }
            if (p.isAlive()) {
                Cmd.run("kill", "-CONT", Long.toString(p.pid())).orThrow();
                log("resumed " + id + " pid " + p.pid());
            }
            paused = false;
        }

        @Override
        public synchronized boolean isRunning() {
            return process != null && process.isAlive();
        }

        @Override
        public synchronized boolean isPaused() {
            return paused && isRunning();
        }

        @Override
        public synchronized OptionalLong pid() {
            return isRunning() ? OptionalLong.of(process.pid()) : OptionalLong.empty();
        }

        @Override
        public String toString() {
            return id + "@" + ip + " (" + ns + ")";
        }
    }

    private static boolean awaitExit(Process p, Duration d) {
        try {
            return p.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !p.isAlive();
        }
    }
}
