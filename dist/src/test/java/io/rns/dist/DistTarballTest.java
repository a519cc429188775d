package io.rns.dist;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The release tarball as a user gets it: unpacked into an empty directory far from the source tree, it has bin/,
 * conf/, lib/ and THIRD-PARTY.txt, no library twice in two versions, and bin/cluster.sh starts a 3-node cluster from
 * it (run from another working directory) that elects a leader and answers bin/rns.
 */
class DistTarballTest {
    @TempDir
    Path dir;

    static Path tarball() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("target"))) {
            List<Path> found = s.filter(p -> p.getFileName().toString().matches("rns-.*\\.tar\\.gz")).toList();
            assertEquals(1, found.size(), "one rns-<version>.tar.gz in target/: " + found);
            return found.get(0).toAbsolutePath();
        }
    }

    /** Runs a command, bounded; returns its exit code, its output appended to {@code log}. */
    static int run(Path cwd, Path log, Map<String, String> env, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " did not finish in 5 minutes; see " + log);
        }
        return p.exitValue();
    }

    @Test
    void theTarballUnpacksAnywhereAndRunsAThreeNodeCluster() throws Exception {
        Path home = Files.createDirectories(dir.resolve("opt"));
        Path log = dir.resolve("commands.log");
        assertEquals(0, run(home, log, Map.of(), "tar", "xzf", tarball().toString()), "tar failed; see " + log);
        Path rns;
        try (Stream<Path> s = Files.list(home)) {
            rns = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        assertTrue(rns.getFileName().toString().startsWith("rns-"), rns.toString());
        for (String bin : List.of("bin/rns-node", "bin/rns", "bin/rns-admin", "bin/cluster.sh", "bin/dev-certs.sh")) {
            assertTrue(Files.isExecutable(rns.resolve(bin)), bin + " is not executable");
        }
        assertTrue(Files.isRegularFile(rns.resolve("conf/rns.properties")));
        assertTrue(Files.isRegularFile(rns.resolve("conf/jvm.options")));
        String notices = Files.readString(rns.resolve("THIRD-PARTY.txt"), StandardCharsets.UTF_8);
        for (String dep : List.of("jraft-core", "rocksdbjni", "netty", "protobuf-java", "micrometer-core")) {
            assertTrue(notices.contains(dep), "THIRD-PARTY.txt does not list " + dep);
        }
        // the systemd unit, pointed at this unpacked release, passes systemd's own checks
        Path unit = dir.resolve("rns.service");
        Files.writeString(unit,
                Files.readString(rns.resolve("systemd/rns.service")).replace("/opt/rns", rns.toString()));
        Path verify = dir.resolve("systemd-analyze.log");
        int rc;
        try {
            rc = run(dir, verify, Map.of(), "systemd-analyze", "verify", unit.toString());
        } catch (IOException e) {
            throw new AssertionError("systemd-analyze is missing (apt-get install systemd): " + e.getMessage(), e);
        }
        assertEquals(0, rc, "systemd-analyze verify of systemd/rns.service failed:\n" + Files.readString(verify));
        // license texts: the Apache 2.0 text (most jars), and the texts the jars ship themselves
        assertTrue(Files.readString(rns.resolve("licenses/Apache-2.0.txt")).contains("Version 2.0, January 2004"));
        try (Stream<Path> s = Files.walk(rns.resolve("licenses"))) {
            List<Path> shipped = s.filter(Files::isRegularFile).toList();
            assertTrue(shipped.stream().anyMatch(p -> p.toString().contains("slf4j-api-")), shipped.toString());
            assertTrue(shipped.stream().anyMatch(
                    p -> p.toString().contains("micrometer-core-") && p.getFileName().toString().startsWith("NOTICE")),
                    shipped.toString());
        }
        // no library twice: a second version of a jar on lib/* is a NoSuchMethodError waiting to happen
        Map<String, List<String>> byArtifact = new TreeMap<>();
        try (Stream<Path> s = Files.list(rns.resolve("lib"))) {
            for (Path jar : s.toList()) {
                String name = jar.getFileName().toString();
                byArtifact.computeIfAbsent(coordinates(jar) + "|" + classifierOf(name), a -> new ArrayList<>())
                        .add(name);
            }
        }
        byArtifact.forEach((a, jars) -> assertEquals(1, jars.size(), "two versions of " + a + " in lib/: " + jars));
        assertTrue(byArtifact.containsKey("io.rns:server|"), byArtifact.keySet().toString());
        assertTrue(byArtifact.containsKey("io.rns:cli|"), byArtifact.keySet().toString());

        Path run = dir.resolve("cluster");
        Path elsewhere = Files.createDirectories(dir.resolve("cwd"));
        Map<String, String> env = Map.of("RNS_NODE_HEAP", "256m", "RNS_START_WAIT_SECS", "180", "RNS_CLUSTER_DIR",
                run.toString());
        String cluster = rns.resolve("bin/cluster.sh").toString();
        try {
            assertEquals(0, run(elsewhere, log, env, "bash", cluster, "start", "-n", "3", "--dir", run.toString(),
                    "--port-offset", "auto"), "cluster.sh start failed; see " + log);
            Path status = dir.resolve("status.log");
            assertEquals(0, run(elsewhere, status, env, "bash", rns.resolve("bin/rns").toString(), "status"),
                    "bin/rns status failed; see " + status);
            String out = Files.readString(status);
            assertTrue(out.contains("LEADER"), out);
            assertTrue(Files.isDirectory(run.resolve("n1/data/native")), "RocksDB's JNI library in the data dir");
            // a backup through the packaged CLI, checked by the packaged admin tool
            Path backup = dir.resolve("dist.rnsbak");
            Path saved = dir.resolve("snapshot-save.log");
            assertEquals(0, run(elsewhere, saved, env, "bash", rns.resolve("bin/rns").toString(), "snapshot", "save",
                    backup.toString()), "bin/rns snapshot save failed; see " + saved);
            assertTrue(Files.readString(saved).contains("snapshot saved " + backup), Files.readString(saved));
            Path checked = dir.resolve("snapshot-status.log");
            assertEquals(0, run(elsewhere, checked, env, "bash", rns.resolve("bin/rns-admin").toString(), "snapshot",
                    "status", backup.toString()), "bin/rns-admin snapshot status failed; see " + checked);
            assertTrue(Files.readString(checked).contains("\"ok\": true"), Files.readString(checked));
        } finally {
            run(elsewhere, log, env, "bash", cluster, "stop", "--dir", run.toString());
        }
        System.out.println(Files.readString(log));
    }

    /**
     * groupId:artifactId of a jar, from its own META-INF/maven/.../pom.properties (the one whose artifactId starts its
     * file name: a shaded jar carries others'), else its file name without the version.
     */
    static String coordinates(Path jar) throws IOException {
        String name = jar.getFileName().toString();
        try (JarFile f = new JarFile(jar.toFile())) {
            for (JarEntry e : Collections.list(f.entries())) {
                if (e.getName().startsWith("META-INF/maven/") && e.getName().endsWith("/pom.properties")) {
                    Properties p = new Properties();
                    try (InputStream in = f.getInputStream(e)) {
                        p.load(in);
                    }
                    String artifact = p.getProperty("artifactId", "");
                    if (!artifact.isEmpty() && name.startsWith(artifact + "-")) {
                        return p.getProperty("groupId") + ":" + artifact;
                    }
                }
            }
        }
        return "?:" + name.replaceFirst("-\\d.*$", "");
    }

    private static String classifierOf(String jar) {
        // netty's native jars share an artifact id and version and differ by classifier (linux-x86_64, ...)
        int i = jar.indexOf("-linux-");
        if (i < 0) {
            i = jar.indexOf("-osx-");
        }
        return i < 0 ? "" : jar.substring(i, jar.length() - 4);
    }
}
