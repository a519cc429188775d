package io.rns.bench.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The stock Apache RocketMQ 5.5.0 NameServer (NamesrvStartup) in its own JVM, bound to 127.0.0.1 on a free port. */
public final class StockNamesrv implements AutoCloseable {
    public static final String MAIN = "org.apache.rocketmq.namesrv.NamesrvStartup";
    private final Path dir;
    private final int port;
    private final Process process;

    private StockNamesrv(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /** @param classpath the bench module's runtime classpath (target/classpath.txt), which has rocketmq-namesrv */
    public static StockNamesrv start(Path dir, String classpath, String heap) {
        int port = Procs.freePort();
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("namesrv.conf"),
                    String.join("\n", "listenPort=" + port, "bindAddress=127.0.0.1",
                            "rocketmqHome=" + dir.toAbsolutePath(),
                            "kvConfigPath=" + dir.toAbsolutePath().resolve("kvConfig.json"),
                            "configStorePath=" + dir.toAbsolutePath().resolve("namesrv.properties"), ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> cmd = new ArrayList<>(List.of(Procs.javaBin(), "-Xms" + heap, "-Xmx" + heap, "-XX:+UseG1GC",
                "-Duser.home=" + dir.toAbsolutePath(), "-Drocketmq.home.dir=" + dir.toAbsolutePath(), MAIN, "-c",
                dir.toAbsolutePath().resolve("namesrv.conf").toString()));
        Path out = dir.resolve("stdout.log");
        Process p = Procs.start(cmd, classpath, dir, out);
        StockNamesrv s = new StockNamesrv(dir, port, p);
        try {
            Procs.awaitPort(p, port, 60_000, "stock namesrv", out);
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    public String addr() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public Path dir() {
        return dir;
    }

    public boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        Procs.stop(process, 10_000);
    }
}
