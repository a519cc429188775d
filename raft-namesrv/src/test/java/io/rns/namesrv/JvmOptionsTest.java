package io.rns.namesrv;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14: an OutOfMemoryError never leaves a half-working node. With conf/jvm.options (the options scripts/rns-node
 * gives every node), an OutOfMemoryError on some thread other than main, while main carries on, ends the whole JVM
 * with exit code 3; without them that thread would die alone and the process would go on (here: exit 0).
 */
class JvmOptionsTest {
    @TempDir
    Path dir;

    /** The options as scripts/rns-node reads them: one per line, blank lines and # comments skipped. */
    static List<String> nodeJvmOptions() throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("..", "conf", "jvm.options"))) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
                out.add(t);
            }
        }
        return out;
    }

    @Test
    void anOutOfMemoryErrorOnAnyThreadEndsTheNode() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(nodeJvmOptions());
        cmd.addAll(List.of("-Xmx32m", "-cp", System.getProperty("java.class.path"), OomOnAWorker.class.getName()));
        Path out = dir.resolve("out.log");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the JVM did not end: " + Files.readString(out));
        String log = Files.readString(out);
        assertEquals(3, p.exitValue(), "exit code of a JVM with conf/jvm.options after an OutOfMemoryError:\n" + log);
        assertTrue(log.contains("Terminating due to java.lang.OutOfMemoryError"), log);
    }

    /** Runs out of memory on a worker thread while main waits; main ends normally if it is still alive. */
    public static final class OomOnAWorker {
        public static void main(String[] args) throws Exception {
            Thread worker = new Thread(() -> {
                List<long[]> hog = new ArrayList<>();
                while (true) {
                    hog.add(new long[1 << 20]);
                }
            }, "worker");
            worker.start();
            worker.join();
            Thread.sleep(2_000);
            System.out.println("main still running after the worker's OutOfMemoryError");
        }
    }
}
