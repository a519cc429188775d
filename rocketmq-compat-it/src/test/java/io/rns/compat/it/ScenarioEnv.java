package io.rns.compat.it;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Settings and process helpers shared by the scenarios. Everything comes from system properties that the module's
 * surefire configuration sets (see the rmq-* poms); every random choice derives from one printed seed.
 */
final class ScenarioEnv {
    static final String HOST = "127.0.0.1";

    final Path root = Path.of(req("rns.it.root")).toAbsolutePath().normalize();
    final String generation = req("rns.it.generation");
    final String target = System.getProperty("rns.it.target", "rns").trim().toLowerCase();
    final long seed = Long.getLong("rns.it.seed", System.nanoTime());
    final Random random = new Random(seed);
    final String classpath;
    final Path workDir;

    /** Every JVM these tests started; SIGKILLed by a shutdown hook should the test JVM end without its @AfterAll. */
    private static final List<Process> STARTED = Collections.synchronizedList(new ArrayList<>());

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (STARTED) {
                STARTED.stream().filter(Process::isAlive).forEach(Process::destroyForcibly);
            }
        }, "it-process-reaper"));
    }

    ScenarioEnv(String testName) throws IOException {
        if (!target.equals("rns") && !target.equals("stock")) {
            throw new IllegalArgumentException("rns.it.target must be 'rns' or 'stock', got '" + target + "'");
        }
        Path cpFile = Path.of(req("rns.it.classpathFile"));
        if (!Files.isRegularFile(cpFile)) {
            throw new IllegalStateException(
                    cpFile + " is missing: it is written by maven-dependency-plugin build-classpath"
                            + " in the generate-test-resources phase; run the tests through Maven");
        }
        // the module's own test classes too, so broker JVMs could load a helper class if ever needed
        classpath = Files.readString(cpFile, StandardCharsets.UTF_8).trim();
        checkClasspath(classpath, generation);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        workDir = Path.of(req("rns.it.workDir")).toAbsolutePath()
                .resolve(testName + "-" + target + "-" + stamp + "-" + Long.toHexString(seed));
        Files.createDirectories(workDir);
        log("RocketMQ %s against %s NameServers; seed=%d (-Drns.it.seed=%d to repeat); work dir %s", generation, target,
                seed, seed, workDir);
    }

    /**
     * The broker JVMs run on this classpath: every RocketMQ jar on it must be of this generation (the parent pom manages
     * rocketmq-remoting for rocketmq-compat; a leak would mix generations) and no RNS module may be on it.
     */
    static void checkClasspath(String cp, String generation) {
        for (String entry : cp.split(File.pathSeparator)) {
            String file = Path.of(entry).getFileName().toString();
            // rocketmq-rocksdb and rocketmq-proto are versioned on their own
            boolean ownVersion = file.startsWith("rocketmq-rocksdb-") || file.startsWith("rocketmq-proto-");
            if (file.startsWith("rocketmq-") && entry.contains("/org/apache/rocketmq/") && !ownVersion
                    && !file.endsWith("-" + generation + ".jar")) {
                throw new IllegalStateException(
                        "RocketMQ " + generation + " classpath holds " + entry + " of another version");
            }
            if (entry.contains("/io/rns/") || entry.contains("rocketmq-compat/target")
                    || entry.contains("server/target")) {
                throw new IllegalStateException(
                        "RNS classes leaked onto the RocketMQ " + generation + " classpath: " + entry);
            }
        }
    }

    boolean is4x() {
        return generation.startsWith("4.");
    }

    private static String req(String key) {
        String v = System.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException(
                    "system property " + key + " is not set; run these tests through Maven (rmq-* modules)");
        }
        return v;
    }

    /** A short tag of this run's seed for names (topics, groups, instances) that must not collide between runs. */
    String runTag() {
        return Long.toHexString(seed & 0xffffffL);
    }

    static void log(String fmt, Object... args) {
        System.out.printf("[%s] %s%n", LocalDateTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss.SSS")),
                String.format(fmt, args));
        System.out.flush();
    }

    // ---------------------------------------------------------------------------------------------- ports

    static boolean portFree(int port) {
        if (port <= 1024 || port > 65535) {
            return false;
        }
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
        } catch (IOException e) {
            return false;
        }
        // also nothing listening on the wildcard address with the same port
        try (Socket c = new Socket()) {
            c.connect(new InetSocketAddress(HOST, port), 200);
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    static boolean listening(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        try (Socket c = new Socket()) {
            c.connect(new InetSocketAddress(hostPort.substring(0, colon),
                    Integer.parseInt(hostPort.substring(colon + 1))), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A seeded random base port in [lo, hi) such that base+d is free for every d in deltas. Stays below the Linux
     * ephemeral range (32768+) so outgoing connections cannot take these ports.
     */
    int freePorts(int lo, int hi, int step, int... deltas) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = lo + step * random.nextInt((hi - lo) / step);
            boolean ok = true;
            for (int d : deltas) {
                ok &= portFree(base + d);
            }
            if (ok) {
                return base;
            }
        }
        throw new IllegalStateException("no free port range in [" + lo + "," + hi + ") after 200 seeded tries");
    }

    // ---------------------------------------------------------------------------------------------- processes

    /** Starts a JVM on this module's classpath; stdout+stderr go to dir/stdout.log, its temp files to dir/tmp. */
    Process launchJava(Path dir, List<String> jvmOpts, String mainClass, List<String> args) throws IOException {
        return launchJava(dir, classpath, jvmOpts, mainClass, args);
    }

    /** Same, on another classpath (e.g. the other RocketMQ generation's). The JVM is killed if this JVM exits. */
    Process launchJava(Path dir, String cp, List<String> jvmOpts, String mainClass, List<String> args)
            throws IOException {
        Files.createDirectories(dir);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // its own temp dir: a stock broker extracts RocketMQ's RocksDB JNI library (12 MB) there at every start, and
        // a killed one never removes it — in /tmp that was one leaked copy per broker per run
        cmd.add("-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve("tmp")));
        cmd.addAll(jvmOpts);
        cmd.add("-cp");
        cmd.add(cp);
        cmd.add(mainClass);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile()));
        pb.environment().put("ROCKETMQ_HOME", rocketmqHome().toString());
        pb.environment().remove("NAMESRV_ADDR");
        Process p = pb.start();
        STARTED.add(p);
        log("started %s pid %d (dir %s)", mainClass.substring(mainClass.lastIndexOf('.') + 1), p.pid(), dir);
        return p;
    }

    /** ROCKETMQ_HOME with the logback configs 4.9.7 reads from $ROCKETMQ_HOME/conf (5.x ignores them). */
    Path rocketmqHome() throws IOException {
        Path home = workDir.resolve("rocketmq-home");
        Path conf = home.resolve("conf");
        if (!Files.isDirectory(conf)) {
            Files.createDirectories(conf);
            String logback = """
                    <configuration>
                      <appender name="FILE" class="ch.qos.logback.core.FileAppender">
                        <file>${user.home}/logs/rocketmq.log</file>
                        <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{32} - %msg%n</pattern></encoder>
                      </appender>
                      <root level="INFO"><appender-ref ref="FILE"/></root>
                    </configuration>
                    """;
            for (String f : List.of("logback_broker.xml", "logback_namesrv.xml", "logback_tools.xml")) {
                Files.writeString(conf.resolve(f), logback);
            }
        }
        return home;
    }

    /** JVM options for a RocketMQ server JVM whose files all live under dir. */
    List<String> serverJvmOpts(Path dir) throws IOException {
        return List.of("-Xms128m", "-Xmx256m", "-XX:MaxDirectMemorySize=256m", "-XX:+UseSerialGC",
                "-XX:+HeapDumpOnOutOfMemoryError", "-XX:HeapDumpPath=" + dir,
                // 4.9.7 cleans mapped files through jdk.internal.ref on shutdown; without this it crashes before it
                // unregisters from the NameServers (see the protocol notes)
                "--add-opens", "java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens",
                "java.base/java.nio=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
                "-Duser.home=" + dir, "-Drocketmq.home.dir=" + rocketmqHome());
    }

    static void sigterm(Process p, Duration wait) throws InterruptedException {
        if (p == null || !p.isAlive()) {
            return;
        }
        p.destroy();
        if (!p.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
            log("pid %d still alive %ds after SIGTERM; SIGKILL", p.pid(), wait.toSeconds());
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    static void sigkill(Process p) throws InterruptedException {
        if (p != null && p.isAlive()) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Runs a script; returns its exit code; output goes to log (and the last lines to stdout on failure). */
    static int run(List<String> cmd, Path log, Duration timeout, Map<String, String> env)
            throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        Files.writeString(log, "$ " + String.join(" ", cmd) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(
                    "timed out after " + timeout.toSeconds() + "s: " + String.join(" ", cmd) + " (log " + log + ")");
        }
        return p.exitValue();
    }

    static String tail(Path f, int lines) {
        try {
            List<String> all = Files.readAllLines(f, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + f + ": " + e + ")";
        }
    }

    // ---------------------------------------------------------------------------------------------- waiting

    interface Check {
        boolean ok() throws Exception;
    }

    /** Polls check every 100 ms until it holds or timeout; returns the elapsed millis, or -1 on timeout. */
    static long waitUntil(Duration timeout, Check check) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (true) {
            boolean ok;
            try {
                ok = check.ok();
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                ok = false;
            }
            if (ok) {
                return (System.nanoTime() - start) / 1_000_000;
            }
            if (System.nanoTime() > deadline) {
                return -1;
            }
            Thread.sleep(100);
        }
    }
}
