package io.rns.compat.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A real RocketMQ broker (BrokerStartup of the module's generation) in its own JVM, with a tiny store under dir. */
final class Broker {
    static final String CLUSTER = "RnsItCluster";

    final String name;
    final String cluster;
    final int port;
    final Path dir;
    private final ScenarioEnv it;
    private final String classpath;
    final String generation;
    private final List<String> jvmOptions;
    private Process proc;

    private Broker(ScenarioEnv it, String name, String cluster, int port, Path dir, String classpath, String generation,
            List<String> jvmOptions) {
        this.it = it;
        this.jvmOptions = jvmOptions;
        this.cluster = cluster;
        this.classpath = classpath;
        this.generation = generation;
        this.name = name;
        this.port = port;
        this.dir = dir;
    }

    /** Writes broker.conf and starts the JVM; does not wait for registration (the test checks that on every node). */
    static Broker start(ScenarioEnv it, String name, String namesrvAddr) throws Exception {
        return start(it, name, CLUSTER, namesrvAddr, it.classpath, it.generation);
    }

    /** A broker of this generation in another cluster. */
    static Broker start(ScenarioEnv it, String name, String cluster, String namesrvAddr) throws Exception {
        return start(it, name, cluster, namesrvAddr, it.classpath, it.generation);
    }

    /** A broker of another generation: classpath is that generation's module classpath. */
    static Broker start(ScenarioEnv it, String name, String namesrvAddr, String classpath, String generation)
            throws Exception {
        return start(it, name, CLUSTER, namesrvAddr, classpath, generation);
    }

    /**
     * A broker of this generation whose connections to the NameServers use TLS ({@code -Dtls.enable=true}, the stock
     * switch; the broker does not check the server's certificate unless tls.client.authServer is set).
     */
    static Broker startWithTls(ScenarioEnv it, String name, String namesrvAddr) throws Exception {
        return start(it, name, CLUSTER, namesrvAddr, it.classpath, it.generation, List.of("-Dtls.enable=true"), "");
    }

    /** A broker of this generation with more lines in its broker.conf (e.g. credentials to sign with). */
    static Broker startWithConf(ScenarioEnv it, String name, String namesrvAddr, String moreConf) throws Exception {
        return start(it, name, CLUSTER, namesrvAddr, it.classpath, it.generation, List.of(), moreConf);
    }

    private static Broker start(ScenarioEnv it, String name, String cluster, String namesrvAddr, String classpath,
            String generation) throws Exception {
        return start(it, name, cluster, namesrvAddr, classpath, generation, List.of(), "");
    }

    private static Broker start(ScenarioEnv it, String name, String cluster, String namesrvAddr, String classpath,
            String generation, List<String> jvmOptions, String moreConf) throws Exception {
        // the broker listens on port, port-2 (fast/VIP channel) and port+1 (HA)
        int port = it.freePorts(12000, 32000, 10, -2, 0, 1);
        Path dir = it.workDir.resolve(name);
        Files.createDirectories(dir);
        Path store = dir.resolve("store");
        StringBuilder conf = new StringBuilder().append("brokerClusterName=").append(cluster).append('\n')
                .append("brokerName=").append(name).append('\n').append("brokerId=0\n").append("namesrvAddr=")
                .append(namesrvAddr).append('\n').append("listenPort=").append(port).append('\n')
                .append("brokerIP1=127.0.0.1\nbrokerIP2=127.0.0.1\n").append("rocketmqHome=").append(it.rocketmqHome())
                .append('\n').append("storePathRootDir=").append(store).append('\n').append("storePathCommitLog=")
                .append(store.resolve("commitlog")).append('\n').append("mappedFileSizeCommitLog=")
                .append(8 * 1024 * 1024).append('\n').append("mappedFileSizeConsumeQueue=").append(20 * 20_000)
                .append('\n').append("flushDiskType=ASYNC_FLUSH\n").append("deleteWhen=04\n")
                .append("autoCreateTopicEnable=true\n").append(moreConf);
        Files.writeString(dir.resolve("broker.conf"), conf.toString());
        Broker b = new Broker(it, name, cluster, port, dir, classpath, generation, jvmOptions);
        b.launch();
        ScenarioEnv.log("broker %s of cluster %s (RocketMQ %s): %s, namesrvAddr=%s, dir %s", name, cluster, generation,
                b.addr(), namesrvAddr, dir);
        return b;
    }

    private void launch() throws Exception {
        List<String> opts = new ArrayList<>(it.serverJvmOpts(dir));
        opts.addAll(jvmOptions);
        proc = it.launchJava(dir, classpath, opts, "org.apache.rocketmq.broker.BrokerStartup",
                List.of("-c", dir.resolve("broker.conf").toString()));
    }

    /** Start again on the same store and port (after stop or kill). */
    void restart() throws Exception {
        if (proc != null && proc.isAlive()) {
            throw new IllegalStateException("broker " + name + " is still running (pid " + proc.pid() + ")");
        }
        // the dead JVM's sockets may linger in TIME_WAIT (the broker binds with SO_REUSEADDR); nothing may listen
        long ms = ScenarioEnv.waitUntil(Duration.ofSeconds(30),
                () -> !ScenarioEnv.listening(addr()) && !ScenarioEnv.listening(ScenarioEnv.HOST + ":" + (port - 2))
                        && !ScenarioEnv.listening(ScenarioEnv.HOST + ":" + (port + 1)));
        if (ms < 0) {
            throw new IllegalStateException("something still listens on the ports of broker " + name + " around " + port
                    + " 30 s after it died");
        }
        launch();
    }

    String addr() {
        return ScenarioEnv.HOST + ":" + port;
    }

    boolean alive() {
        return proc != null && proc.isAlive();
    }

    long pid() {
        return proc.pid();
    }

    String logTail() {
        return ScenarioEnv.tail(dir.resolve("stdout.log"), 30);
    }

    /** SIGTERM (a clean shutdown: the broker unregisters from every NameServer) and wait for the JVM to exit. */
    void stop() throws InterruptedException {
        if (alive()) {
            ScenarioEnv.log("SIGTERM broker %s (pid %d)", name, proc.pid());
        }
        ScenarioEnv.sigterm(proc, Duration.ofSeconds(60));
    }

    /** SIGKILL: no unregister; the NameServers only see the connections close. */
    void kill() throws InterruptedException {
        if (alive()) {
            ScenarioEnv.log("SIGKILL broker %s (pid %d)", name, proc.pid());
        }
        ScenarioEnv.sigkill(proc);
    }
}
