package io.rns.chaos.hosts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the backends share: the node hosts, the fault rules each host should have (computed by {@link FaultRules}
 * and loaded with {@code iptables-restore} through {@link #restoreRules}), healing, and the close-once logic with its
 * JVM shutdown hook. Every change of rules or host state holds this object's lock.
 */
abstract class AbstractHosts<H extends NodeHost> implements Hosts {
    private static final SecureRandom PREFIX_RANDOM = new SecureRandom();

    protected final List<H> hosts = new ArrayList<>();
    /** Host id -> rule lines wanted on that host (in place on every host whose rules are loaded). */
    protected final Map<String, Set<String>> rules = new LinkedHashMap<>();

    /** The node JVMs' settings, from the {@link HostsBuilder}. */
    protected final String javaBin;
    protected final String heap;
    protected final List<String> extraJvmOpts;
    protected final Map<String, String> nodeEnv;
    protected final Duration stopTimeout;

    /** Set by the backend's constructor: {@link #claimRun} first, {@link #useSubnet} once the subnet is known. */
    protected String prefix;
    protected Path runDir;
    protected boolean deleteRunDir;
    protected String subnetPrefix; // "10.199.77."
    private String members;

    protected volatile boolean closed;
    private Thread shutdownHook;

    protected AbstractHosts(HostsBuilder b) {
        this.javaBin = b.javaBin;
        this.heap = b.heap;
        this.extraJvmOpts = List.copyOf(b.jvmOpts);
        this.nodeEnv = Map.copyOf(b.nodeEnv);
        this.stopTimeout = b.stopTimeout;
    }

    /** Takes the run's prefix and creates its run directory. */
    protected final void claimRun(String runPrefix, HostsBuilder b) {
        this.prefix = runPrefix;
        RunDir rd = RunDir.create(b.runDir, b.keepLogs, runPrefix);
        this.runDir = rd.path();
        this.deleteRunDir = rd.deleteOnClose();
    }

    /** Puts the nodes on {@code <subnet>0/24}. */
    protected final void useSubnet(String subnet, int nodes) {
        this.subnetPrefix = subnet;
        this.members = members(subnet, nodes);
    }

    /** Where a run's logs and configs go, and whether {@link #close()} deletes it. */
    record RunDir(Path path, boolean deleteOnClose) {
        /** {@code <wanted>/<prefix>} (kept), or a new temp directory (deleted at close unless logs are kept). */
        static RunDir create(Path wanted, boolean keepLogs, String prefix) {
            try {
                if (wanted != null) {
                    return new RunDir(Files.createDirectories(wanted.resolve(prefix)).toAbsolutePath(), false);
                }
                return new RunDir(Files.createTempDirectory("rns-chaos-" + prefix + "-").toAbsolutePath(), !keepLogs);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * A run prefix, {@code rnsc} + 4 random hex digits, that {@code taken} (the names already in use) does not contain;
     * {@code what} names them in the error.
     */
    static String freePrefix(String taken, String what) {
        for (int attempt = 0; attempt < 100; attempt++) {
            byte[] b = new byte[2];
            PREFIX_RANDOM.nextBytes(b);
            String p = "rnsc" + HexFormat.of().formatHex(b);
            if (!taken.contains(p)) {
                return p;
            }
        }
        throw new HostsException("cannot find a free " + what + " prefix");
    }

    /** The cluster's member list: node {@code nI} at {@code <subnet>.(10+I)}, ports by index. */
    static String members(String subnetPrefix, int nodes) {
        List<String> m = new ArrayList<>();
        for (int i = 1; i <= nodes; i++) {
            m.add("n" + i + "@" + subnetPrefix + (10 + i) + ":" + (NodeHost.RAFT_PORT_BASE + i) + ":"
                    + (NodeHost.CLIENT_PORT_BASE + i));
        }
        return String.join(",", m);
    }

    /** Loads an {@code iptables-restore} script into the host's network namespace. */
    protected abstract ExecResult restoreRules(H h, String script);

    /** Whether the host can take rules now; a host that cannot gets its wanted rules when it starts. */
    protected boolean rulesLoadable(H h) {
        return true;
    }

    /**
     * Releases everything the backend created; called once, from {@link #close()} or the shutdown hook. Returns what
     * to log about it.
     */
    protected abstract String release();

    @Override
    public String members() {
        return members;
    }

    /** The nodes' subnet's {@code .1}: the harness's address (never cut by partitions). */
    @Override
    public String harnessAddress() {
        return subnetPrefix + "1";
    }

    /** The netns backends give the harness {@link #CLIENT_SOURCES} more addresses on its leg ({@code .201..}). */
    @Override
    public String clientSource(int i) {
        if (i < 0 || i >= CLIENT_SOURCES) {
            throw new IllegalArgumentException("client source index must be in [0, " + CLIENT_SOURCES + "): " + i);
        }
        return subnetPrefix + (201 + i);
    }

    @Override
    public synchronized void cutClient(String host, String sourceAddress) {
        apply(faults().cutAddress(host, sourceAddress).toAdd());
    }

    @Override
    public String runPrefix() {
        return prefix;
    }

    @Override
    public Path runDir() {
        return runDir;
    }

    @Override
    public List<Host> hosts() {
        return List.copyOf(hosts);
    }

    @Override
    public synchronized void cut(Map<String, ? extends Collection<String>> grudge) {
        apply(faults().cut(grudge).toAdd());
    }

    @Override
    public synchronized void dropOneWay(String from, String to) {
        apply(faults().dropOneWay(from, to).toAdd());
    }

    @Override
    public synchronized void loss(String host, double probability) {
        apply(faults().loss(host, probability).toAdd());
    }

    private FaultRules faults() {
        return new FaultRules(id -> node(id).ip, rules::get);
    }

    private void apply(Map<String, List<String>> add) {
        add.forEach((id, lines) -> {
            H h = node(id);
            if (rulesLoadable(h)) {
                restoreRules(h, FaultRules.appendScript(lines)).orThrow();
            }
            rules.get(id).addAll(lines);
        });
    }

    @Override
    public synchronized void heal() {
        List<String> failures = new ArrayList<>();
        for (H h : hosts) {
            if (!rulesLoadable(h)) {
                rules.get(h.id).clear(); // its next start sets up empty chains
                continue;
            }
            ExecResult r = restoreRules(h, FaultRules.FLUSH);
            if (r.ok()) {
                rules.get(h.id).clear();
            } else {
                failures.add(h.id + ": " + r.describe());
            }
        }
        if (!failures.isEmpty()) {
            throw new HostsException("heal failed on " + failures);
        }
    }

    /** The rule lines currently wanted per host (in place on every running host), for reports and tests. */
    public synchronized Map<String, List<String>> activeRules() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        rules.forEach((k, v) -> m.put(k, List.copyOf(v)));
        return m;
    }

    protected H node(String id) {
        for (H h : hosts) {
            if (h.id.equals(id)) {
                return h;
            }
        }
        throw new IllegalArgumentException("no host " + id + " (hosts: " + ids() + ")");
    }

    // ---- cleanup -----------------------------------------------------------------------------------------------

    /** Registers the JVM shutdown hook that cleans up if the harness never calls {@link #close()}. */
    protected final void addShutdownHook(String threadName) {
        shutdownHook = new Thread(this::closeFromHook, threadName);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    private void closeFromHook() {
        if (closed) {
            return;
        }
        log("JVM shutting down: cleaning up");
        doClose(false);
    }

    @Override
    public void close() {
        doClose(true);
    }

    private synchronized void doClose(boolean removeHook) {
        if (closed) {
            return;
        }
        closed = true;
        String released = release();
        if (removeHook && shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
        log(released);
    }

    protected void log(String msg) {
        System.err.println("[chaos-hosts " + runPrefix() + "] " + msg);
    }
}
