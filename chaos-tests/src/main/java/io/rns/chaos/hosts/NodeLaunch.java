package io.rns.chaos.hosts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a node JVM is launched, shared by the backends: the per-node properties file and the command line of
 * {@code scripts/rns-node}, the one node launcher (the JVM options of conf/jvm.options, the logging of
 * conf/logback.xml; it execs java, so the process's pid is the JVM's) with the harness's own settings as overrides.
 */
public final class NodeLaunch {
    /**
     * The harness's JVM options on top of conf/jvm.options: the serial collector and C1 only (several node JVMs share
     * few cores with the harness), and log lines that start with {@code HH:mm:ss.SSS}, which the liveness report
     * sorts across nodes.
     */
    static final List<String> HARNESS_JVM_OPTS = List.of("-XX:-UseG1GC", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Dlogback.rns.time-format=HH:mm:ss.SSS");

    private NodeLaunch() {
    }

    /**
     * The repository root, holding {@code scripts/rns-node} and {@code conf/}: {@code -Drns.root=DIR}, else the
     * working directory or the nearest parent of it that has {@code scripts/rns-node} (Surefire runs in
     * {@code chaos-tests/}, scripts/chaos.sh in the root).
     */
    public static Path repoRoot() {
        String configured = System.getProperty("rns.root", "");
        if (!configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize();
        for (Path d = start; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("scripts/rns-node"))
                    && Files.isRegularFile(d.resolve("conf/logback.xml"))) {
                return d;
            }
        }
        throw new IllegalStateException("no scripts/rns-node in " + start
                + " or its parents; run from the repository or set -Drns.root=<repository root>");
    }

    /** What a node needs from the repository besides its classpath: the launcher's and conf/'s directories. */
    public static List<Path> launcherDirs() {
        Path root = repoRoot();
        return List.of(root.resolve("scripts"), root.resolve("conf"));
    }

    /**
     * Default parent of the nodes' data dirs: {@code -Drns.chaos.data-root=DIR} ({@code disk} = inside the run dir),
     * else {@code /dev/shm} when it is a writable directory, else inside the run dir.
     *
     * <p>Why tmpfs: the scenarios crash processes (kill -9), pause and partition them — none of that loses the page
     * cache, so fsync adds nothing to what they test, while on a small shared VM disk an fsync can stall for
     * seconds (seen: jraft's vote-metadata save took 3.7 s, delaying an election) and turn the harness's timing
     * bounds into measurements of the disk. Power loss is not simulated; put the data on disk to include the disk.
     */
    public static Path defaultDataRoot() {
        String p = System.getProperty("rns.chaos.data-root", "");
        if (p.equals("disk")) {
            return null;
        }
        if (!p.isBlank()) {
            return Path.of(p);
        }
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : null;
    }

    /**
     * libfaketime (preloaded by the clock nemesis) keeps per-process shared memory, {@code /dev/shm/faketime_shm_<pid>}
     * and {@code sem.faketime_sem_<pid>}, that only a normal exit removes; after a SIGKILL of a process we started,
     * remove it (named by that process's pid, so nothing else is touched).
     */
    static void removePreloadLitter(Map<String, String> env, Process p) {
        if (p.isAlive() || !env.getOrDefault("LD_PRELOAD", "").contains("faketime")) {
            return;
        }
        for (String name : List.of("faketime_shm_" + p.pid(), "sem.faketime_sem_" + p.pid())) {
            try {
                Files.deleteIfExists(Path.of("/dev/shm", name));
            } catch (IOException e) {
                System.err.println("[chaos-hosts] cannot remove /dev/shm/" + name + ": " + e);
            }
        }
    }

    /**
     * The directory holding a run's data dirs: {@code <root>/rns-chaos-<prefix>/}, or {@code <runDir>/data} if root is
     * null (never the run dir itself: a node's data dir is deleted at close, its logs next to it are kept).
     */
    static Path dataRoot(Path root, Path runDir, String prefix) {
        if (root == null) {
            try {
                return Files.createDirectories(runDir.resolve("data")).toAbsolutePath();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the nodes' data root in " + runDir, e);
            }
        }
        try {
            return Files.createDirectories(root.resolve("rns-chaos-" + prefix)).toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the nodes' data root under " + root
                    + " (set -Drns.chaos.data-root=disk to keep data in the run dir)", e);
        }
    }

    /** Writes {@code <nodeDir>/rns.properties}; {@code extra} keys override the defaults. */
    public static Path writeConfig(Path nodeDir, String nodeId, String members, Path dataDir, String mode,
            int electionTimeoutMs, Map<String, String> extra) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("node.id", nodeId);
        p.put("members", members);
        p.put("data.dir", dataDir.toAbsolutePath().toString());
        p.put("mode", mode);
        p.put("raft.election-timeout-ms", Integer.toString(electionTimeoutMs));
        p.putAll(extra);
        StringBuilder b = new StringBuilder("# written by the RNS chaos harness for node ").append(nodeId).append('\n');
        p.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
        Path f = nodeDir.resolve("rns.properties");
        write(f, b.toString());
        return f;
    }

    /**
     * The node command: {@code scripts/rns-node --config ... --log-dir ... --heap ... --java ... --classpath ...} with
     * {@link #HARNESS_JVM_OPTS} and then {@code extraJvmOpts} as {@code --jvm-opt}s (later ones win). rns-node hands
     * the classpath to java in the {@code CLASSPATH} environment variable, which keeps {@code ps} readable.
     */
    public static List<String> command(String javaBin, String heap, String classpath, Path logDir, Path config,
            List<String> extraJvmOpts) {
        List<String> c = new ArrayList<>();
        c.add(repoRoot().resolve("scripts/rns-node").toString());
        c.add("--config");
        c.add(config.toAbsolutePath().toString());
        c.add("--log-dir");
        c.add(logDir.toAbsolutePath().toString());
        c.add("--heap");
        c.add(heap);
        c.add("--java");
        c.add(javaBin);
        c.add("--classpath");
        c.add(classpath);
        for (String o : HARNESS_JVM_OPTS) {
            c.add("--jvm-opt");
            c.add(o);
        }
        for (String o : extraJvmOpts) {
            c.add("--jvm-opt");
            c.add(o);
        }
        return c;
    }

    /** This JVM's classpath (under Surefire: the module's test runtime classpath, which has the server module). */
    public static String classpath() {
        return System.getProperty("java.class.path");
    }

    public static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static void write(Path f, String text) {
        try {
            Files.createDirectories(f.getParent());
            Files.writeString(f, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Recursively deletes {@code dir}; failures are reported, not thrown. */
    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    System.err.println("[chaos-hosts] cannot delete " + p + ": " + e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("[chaos-hosts] cannot delete " + dir + ": " + e);
        }
    }
}
