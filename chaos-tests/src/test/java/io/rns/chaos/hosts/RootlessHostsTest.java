package io.rns.chaos.hosts;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The rootless backend as a user without root: the unchanged chaos runner (ChaosMain run --scenario raft: isolate
 * leader, kill -9, SIGSTOP, random halves) re-executed inside {@code unshare --user --map-root-user --net --mount} by
 * {@link RootlessHosts#wrap}. When this test runs as root (CI) it first drops to {@code nobody} (uid 65534) with
 * {@code setpriv}, so it really proves the no-root path; the classpath is copied to a world-readable temp dir for that.
 * The run must be VALID. Output under target/chaos/rootless/raft-3-linearizable-lease/&lt;seed&gt;/.
 */
@Tag("cluster")
class RootlessHostsTest {
    private static final int NOBODY = 65534;

    @Test
    void theRaftScenarioRunsWithoutRootAndStaysLinearizable() throws Exception {
        requireUserNamespaces();
        boolean root = Cmd.run("id", "-u").stdout().strip().equals("0");
        long seed = Long.getLong("chaos.seed", System.nanoTime() & 0xffffffffL);
        System.out.println("chaos seed = " + seed + " (reproduce with -Dchaos.seed=" + seed + ")");
        Path out = Path.of(System.getProperty("chaos.out", "target/chaos")).resolve("rootless").toAbsolutePath();
        Files.createDirectories(out);
        Path cpDir = Files.createTempDirectory("rns-rootless-cp-");
        try {
            String cp = root ? copyClasspath(cpDir) : NodeLaunch.classpath();
            if (root) {
                chownTree(out, NOBODY);
            }
            List<String> inner = List.of(NodeLaunch.javaBin(), "-Xmx256m", "-cp", cp,
                    "-D" + Backend.PROPERTY + "=rootless", "io.rns.chaos.ChaosMain", "run", "--scenario", "raft",
                    "--nodes", "3", "--seed", Long.toString(seed), "--duration-s", "20", "--out", out.toString());
            List<String> cmd = new ArrayList<>();
            if (root) {
                cmd.addAll(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--"));
            }
            cmd.addAll(RootlessHosts.wrap(inner));
            Path log = out.resolve("rootless-" + seed + ".log");
            System.out.println(
                    "rootless: " + String.join(" ", cmd).replace(cp, "<classpath>") + "  (output: " + log + ")");
            Process p = new ProcessBuilder(cmd).directory(out.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroy(); // SIGTERM: the inner harness's shutdown hook kills its node JVMs
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
                fail("the rootless run did not finish within 300 s; see " + log);
            }
            String text = Files.readString(log);
            assertEquals(0, p.exitValue(), "rootless run failed; see " + log + "\n" + tail(text));
            Matcher m = Pattern.compile("verdict=([A-Z]+) ops=(\\d+)").matcher(text);
            assertTrue(m.find(), "no verdict line; see " + log + "\n" + tail(text));
            assertTrue(Integer.parseInt(m.group(2)) > 100, "the workload must actually run: " + m.group());
            assertEquals("VALID", m.group(1), "rootless raft run; see " + log + "\n" + tail(text));
            assertTrue(text.contains(" start "), "faults must actually happen; see " + log);
        } finally {
            NodeLaunch.deleteTree(cpDir);
        }
    }

    /** Skips (outside CI) or fails (CI=true) if unprivileged user namespaces cannot be made here. */
    private static void requireUserNamespaces() {
        boolean root = Cmd.run("id", "-u").stdout().strip().equals("0");
        List<String> probe = new ArrayList<>();
        if (root) {
            probe.addAll(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--"));
        }
        probe.addAll(RootlessHosts.wrap(List.of("sh", "-c", "ip netns add rns-probe && iptables -S >/dev/null")));
        ExecResult r = Cmd.run(probe);
        if (r.ok()) {
            return;
        }
        String why = "unprivileged user+net+mount namespaces (or ip/iptables in them) unavailable: " + r.describe();
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("the rootless chaos backend cannot run here and CI must not skip it: " + why);
        }
        Assumptions.abort("skipping: " + why);
    }

    /** Copies every classpath entry into a world-readable dir (nobody cannot read /root/.m2). */
    private static String copyClasspath(Path dir) throws IOException {
        List<String> entries = new ArrayList<>();
        int i = 0;
        for (String e : NodeLaunch.classpath().split(File.pathSeparator)) {
            Path src = Path.of(e);
            if (e.isBlank() || !Files.exists(src)) {
                continue;
            }
            Path dst = dir.resolve((i++) + "-" + src.getFileName());
            if (Files.isDirectory(src)) {
                try (var walk = Files.walk(src)) {
                    for (Path s : (Iterable<Path>) walk::iterator) {
                        Path d = dst.resolve(src.relativize(s).toString());
                        if (Files.isDirectory(s)) {
                            Files.createDirectories(d);
                        } else {
                            Files.copy(s, d, StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            } else {
                Files.copy(src, dst);
            }
            entries.add(dst.toString());
        }
        Cmd.run("chmod", "-R", "a+rX", dir.toString()).orThrow();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return String.join(File.pathSeparator, entries);
    }

    private static void chownTree(Path dir, int uid) {
        Cmd.run("chown", "-R", uid + ":" + uid, dir.toString()).orThrow();
    }

    private static String tail(String s) {
        return s.length() <= 4000 ? s : s.substring(s.length() - 4000);
    }
}
