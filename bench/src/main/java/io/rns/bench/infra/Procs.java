package io.rns.bench.infra;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Process helpers: JVM launch, signals by pid (only to processes this bench started), ports, heap. */
public final class Procs {
    private Procs() {
    }

    public static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Bench ports come from [PORT_LO, PORT_HI): below Linux's ephemeral range (32768+), apart from the unit tests'. */
    private static final int PORT_LO = 10_000;
    private static final int PORT_HI = 15_000;
    /** The next candidate; starts at a per-process offset so that two benches side by side rarely probe the same ones. */
    private static final AtomicInteger NEXT_PORT = new AtomicInteger(
            (int) Math.floorMod(ProcessHandle.current().pid() * 7_919L, PORT_HI - PORT_LO));

    /**
     * A loopback port that was free a moment ago and that this JVM has not handed out in its last 5,000 calls (the
     * size of the range). Not an ephemeral port ({@code bind(0)} then close): the kernel can pick the same one again
     * for the next call, which once gave a node a RocketMQ port equal to its own client port (invalid configuration,
     * the node exited with code 2), and any outgoing connection can take it as its local port before the node binds
     * it. Below the ephemeral range only a deliberate bind takes a port.
     */
    public static int freePort() {
        for (int tries = 0; tries < PORT_HI - PORT_LO; tries++) {
            int port = PORT_LO + Math.floorMod(NEXT_PORT.getAndIncrement(), PORT_HI - PORT_LO);
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress("127.0.0.1", port));
                return port;
            } catch (IOException inUse) {
                // bound by something else: the next candidate
            }
        }
        throw new IllegalStateException("no free loopback port in [" + PORT_LO + ", " + PORT_HI + ")");
    }

    public static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Starts {@code cmd} with the classpath in the CLASSPATH env var, output appended to {@code log}. */
    public static Process start(List<String> cmd, String classpath, Path workDir, Path log) {
        return start(cmd, Map.of("CLASSPATH", classpath), workDir, log);
    }

    /** Starts {@code cmd} (e.g. scripts/rns-node, which is given its classpath as an argument) in {@code workDir}. */
    public static Process start(List<String> cmd, Path workDir, Path log) {
        return start(cmd, Map.of(), workDir, log);
    }

    private static Process start(List<String> cmd, Map<String, String> env, Path workDir, Path log) {
        try {
            Files.createDirectories(workDir);
            Files.createDirectories(log.getParent());
            Files.writeString(log, "=== " + Instant.now() + " " + String.join(" ", cmd) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().putAll(env);
            return pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + cmd, e);
        }
    }

    /**
     * Waits (bounded) until the port accepts connections; fails if the process died, quoting the last lines of its
     * output {@code log} (e.g. "invalid configuration: ...") so that the cause shows where the failure is reported.
     */
    public static void awaitPort(Process p, int port, long timeoutMs, String what, Path log) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive())
                throw new IllegalStateException(what + " exited (code " + p.exitValue() + ") before listening on "
                        + port + "; the end of " + log + ":\n" + tail(log, 8));
            if (listening(port))
                return;
            sleep(100);
        }
        throw new IllegalStateException(what + " does not listen on " + port + " after " + timeoutMs
                + " ms; the end of " + log + ":\n" + tail(log, 8));
    }

    /** The last {@code n} lines of a text file, or why they cannot be read. */
    static String tail(Path file, int n) {
        try {
            List<String> lines = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
        } catch (IOException e) {
            return "(cannot read it: " + e + ")";
        }
    }

    /** Sends a signal (STOP, CONT, KILL, TERM) to a pid this bench started. */
    public static void signal(long pid, String sig) {
        try {
            Process k = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).redirectErrorStream(true).start();
            if (!k.waitFor(10, TimeUnit.SECONDS) || k.exitValue() != 0) {
                throw new IllegalStateException("kill -" + sig + " " + pid + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGTERM, wait up to {@code graceMs}, then SIGKILL. */
    public static void stop(Process p, long graceMs) {
        if (p == null || !p.isAlive())
            return;
        p.destroy();
        try {
            if (!p.waitFor(graceMs, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
    }

    public static void kill(Process p) {
        if (p == null || !p.isAlive())
            return;
        p.destroyForcibly(); // SIGKILL on Linux
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final Pattern USED = Pattern.compile("used (\\d+)K");

    /**
     * Live heap of a JVM after a full GC, in bytes: {@code jcmd PID GC.run} then {@code GC.heap_info}, summing every
     * "used NNNK" of the heap lines (G1: the "garbage-first heap" line; Serial/Parallel: young + old). -1 if jcmd failed.
     */
    public static long liveHeapBytes(long pid) {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        try {
            run(List.of(jcmd, Long.toString(pid), "GC.run"));
            String out = run(List.of(jcmd, Long.toString(pid), "GC.heap_info"));
            long total = 0;
            boolean any = false;
            for (String line : out.split("\n")) {
                String l = line.trim();
                if (l.startsWith("Metaspace") || l.startsWith("class space"))
                    continue;
                if (l.startsWith("garbage-first heap") || l.startsWith("def new generation")
                        || l.startsWith("tenured generation") || l.startsWith("PSYoungGen")
                        || l.startsWith("ParOldGen")) {
                    Matcher m = USED.matcher(l);
                    if (m.find()) {
                        total += Long.parseLong(m.group(1)) * 1024;
                        any = true;
                    }
                }
            }
            return any ? total : -1;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** Clock ticks per second of /proc/PID/stat's utime and stime (USER_HZ; 100 on Linux). */
    private static final long USER_HZ = 100;

    /**
     * CPU time (user + system) consumed so far by the process, in ns, from /proc/PID/stat (10 ms resolution); a process
     * that is gone counts 0.
     */
    public static long cpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // fields after "(comm)": state is field 3; utime and stime are fields 14 and 15
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * (1_000_000_000L / USER_HZ);
        } catch (IOException | RuntimeException e) {
            return 0; // gone or unreadable: nothing to add
        }
    }

    /**
     * Busy CPU time of the whole machine so far, in ns, summed over its cores: the first line of /proc/stat (user,
     * nice, system, irq, softirq, steal; idle and iowait excluded), 10 ms resolution. -1 when /proc/stat is unreadable.
     */
    public static long machineBusyNanos() {
        try {
            return busyTicks(Files.readAllLines(Path.of("/proc/stat")).get(0)) * (1_000_000_000L / USER_HZ);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The busy ticks of a /proc/stat {@code cpu} line: user + nice + system + irq + softirq + steal. */
    static long busyTicks(String cpuLine) {
        String[] f = cpuLine.trim().split("\\s+");
        if (!f[0].equals("cpu") || f.length < 9) {
            throw new IllegalArgumentException("not the aggregate cpu line of /proc/stat: " + cpuLine);
        }
        long busy = 0;
        for (int i : new int[]{1, 2, 3, 6, 7, 8}) {
            busy += Long.parseLong(f[i]);
        }
        return busy;
    }

    static String run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timeout: " + cmd);
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static long dirSize(Path dir) {
        if (!Files.exists(dir))
            return 0;
        try (var s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            return -1;
        }
    }

    public static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir))
            return;
        try (var s = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(s.toList());
            Collections.reverse(all);
            for (Path p : all)
                Files.deleteIfExists(p);
        } catch (IOException e) {
            System.err.println("[bench] cannot delete " + dir + ": " + e);
        }
    }

    public static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
