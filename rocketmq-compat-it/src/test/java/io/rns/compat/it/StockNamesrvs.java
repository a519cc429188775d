package io.rns.compat.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The control: independent stock RocketMQ NameServers (NamesrvStartup of the module's own generation; three unless
 * asked otherwise), each in its own JVM, as a stock deployment lists them to brokers and clients.
 */
final class StockNamesrvs implements NameServers {
    private final ScenarioEnv it;
    private final List<String> addrs = new ArrayList<>();
    private final List<Path> dirs = new ArrayList<>();
    private final Process[] procs;

    private StockNamesrvs(ScenarioEnv it, int count) {
        this.it = it;
        this.procs = new Process[count];
    }

    static StockNamesrvs start(ScenarioEnv it) throws Exception {
        return start(it, 3);
    }

    /** {@code count} (1..3) stock NameServers on consecutive free ports. */
    static StockNamesrvs start(ScenarioEnv it, int count) throws Exception {
        StockNamesrvs s = new StockNamesrvs(it, count);
        int base = it.freePorts(12000, 32000, 10, 0, 1, 2);
        for (int i = 0; i < count; i++) {
            Path dir = it.workDir.resolve("stock-namesrv-" + (i + 1));
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("namesrv.conf"), "listenPort=" + (base + i) + "\n" + "kvConfigPath="
                    + dir.resolve("kvConfig.json") + "\n" + "rocketmqHome=" + it.rocketmqHome() + "\n");
            s.addrs.add(ScenarioEnv.HOST + ":" + (base + i));
            s.dirs.add(dir);
        }
        try {
            for (int i = 0; i < count; i++) {
                s.launch(i);
            }
            for (int i = 0; i < count; i++) {
                s.awaitListening(i);
            }
        } catch (Exception e) {
            s.close();
            throw e;
        }
        ScenarioEnv.log("stock NameServers up: %s", s.addrList());
        return s;
    }

    private void launch(int i) throws Exception {
        procs[i] = it.launchJava(dirs.get(i), it.serverJvmOpts(dirs.get(i)),
                "org.apache.rocketmq.namesrv.NamesrvStartup",
                List.of("-c", dirs.get(i).resolve("namesrv.conf").toString()));
    }

    private void awaitListening(int i) throws Exception {
        long ms = ScenarioEnv.waitUntil(Duration.ofSeconds(180), () -> {
            if (!procs[i].isAlive()) {
                throw new IllegalStateException("exited");
            }
            return ScenarioEnv.listening(addrs.get(i));
        });
        if (ms < 0 || !procs[i].isAlive()) {
            throw new IllegalStateException("stock namesrv " + (i + 1) + " not listening on " + addrs.get(i)
                    + " within 180 s:\n" + ScenarioEnv.tail(dirs.get(i).resolve("stdout.log"), 30));
        }
    }

    @Override
    public List<String> addrs() {
        return addrs;
    }

    @Override
    public int leader() {
        return 0;
    }

    @Override
    public void kill(int i) throws Exception {
        ScenarioEnv.log("SIGKILL stock namesrv %d (pid %d)", i + 1, procs[i].pid());
        ScenarioEnv.sigkill(procs[i]);
    }

    @Override
    public void restart(int i) throws Exception {
        launch(i);
        awaitListening(i);
    }

    @Override
    public String describe() {
        return "stock NameServers in " + dirs;
    }

    @Override
    public void close() {
        for (Process p : procs) {
            try {
                ScenarioEnv.sigterm(p, Duration.ofSeconds(20));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
