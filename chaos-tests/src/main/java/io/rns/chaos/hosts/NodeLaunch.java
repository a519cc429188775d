package io.rns.chaos.hosts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a node JVM is launched, shared by the backends: the per-node properties file, the run's logback.xml and the
 * {@code java} command line (heap, GC, logging system properties, {@code NamesrvMain --config}).
 */
public final class NodeLaunch {
    public static final String MAIN_CLASS = "io.rns.namesrv.NamesrvMain";

    private NodeLaunch() {}

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

    /** The directory holding a run's data dirs: {@code <root>/rns-chaos-<prefix>/}, or {@code runDir} if root is null. */
    static Path dataRoot(Path root, Path runDir, String prefix) {
        if (root == null) {
            return runDir;
        }
        try {
            return Files.createDirectories(root.resolve("rns-chaos-" + prefix)).toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot create the nodes' data root under " + root
                            + " (set -Drns.chaos.data-root=disk to keep data in the run dir)",
                    e);
        }
    }

    /** Writes {@code logback.xml} into {@code runDir} (one file appender to {@code ${rns.log.dir}/rns.log}). */
    public static Path writeLogback(Path runDir) {
        String xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <!-- written by the chaos harness: one append-mode file per node, transport noise at WARN -->
                <configuration scan="false">
                  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
                    <file>${rns.log.dir:-.}/rns.log</file>
                    <append>true</append>
                    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
                  </appender>
                  <logger name="com.alipay.sofa.common" level="WARN"/>
                  <logger name="com.alipay.remoting" level="WARN"/>
                  <logger name="com.alipay.sofa.jraft.rpc" level="WARN"/>
                  <root level="INFO"><appender-ref ref="FILE"/></root>
                  <shutdownHook/>
                </configuration>
                """;
        Path f = runDir.resolve("logback.xml");
        write(f, xml);
        return f;
    }

    /** Writes {@code <nodeDir>/rns.properties}; {@code extra} keys override the defaults. */
    public static Path writeConfig(
            Path nodeDir,
            String nodeId,
            String members,
            Path dataDir,
            String mode,
            int electionTimeoutMs,
            Map<String, String> extra) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("node.id", nodeId);
        p.put("members", members);
        p.put("data.dir", dataDir.toAbsolutePath().toString());
        p.put("mode", mode);
        p.put("raft.election-timeout-ms", Integer.toString(electionTimeoutMs));
        p.putAll(extra);
        StringBuilder b = new StringBuilder("# written by the RNS chaos harness for node ")
                .append(nodeId)
                .append('\n');
        p.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
        Path f = nodeDir.resolve("rns.properties");
        write(f, b.toString());
        return f;
    }

    /**
     * The {@code java ...} part of the node command. The classpath is passed through the {@code CLASSPATH}
     * environment variable (see {@link #classpath()}), which keeps {@code ps} readable.
     */
    public static List<String> javaCommand(
            String javaBin, String heap, Path logback, Path logDir, Path config, List<String> extraJvmOpts) {
        List<String> c = new ArrayList<>();
        c.add(javaBin);
        c.add("-Xmx" + heap);
        c.add("-XX:+UseSerialGC");
        c.add("-XX:TieredStopAtLevel=1");
        c.add("-Dlogback.configurationFile=" + logback.toAbsolutePath());
        c.add("-Drns.log.dir=" + logDir.toAbsolutePath());
        c.add("-Dlogging.path=" + logDir.toAbsolutePath());
        c.add("-Dlogback.middleware.log.disable=true");
        c.addAll(extraJvmOpts);
        c.add(MAIN_CLASS);
        c.add("--config");
        c.add(config.toAbsolutePath().toString());
        return c;
    }

    /** This JVM's classpath (under Surefire: the module's test runtime classpath, which has raft-namesrv). */
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
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
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
